"""Validators shared by every app's models and forms."""

from django.core.validators import URLValidator

# The one URL validator: web addresses shown as links must be http or https (never
# `javascript:` or `data:`). Django's URLField alone also accepts ftp and ftps.
validate_http_url = URLValidator(
    schemes=["http", "https"],
    message="Saisissez une adresse web complète commençant par http:// ou https://.",
)
