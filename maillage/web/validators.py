"""The one URL rule of every app: an address shown as a link is http or https.

Django's `URLField` alone also accepts ftp and ftps, and a list kept in a `JSONField`
(a place's websites) is not checked at all: a `javascript:` address stored there became a
live link on a public page. Every web address Maillage keeps goes through `validate_http_url`:

- model fields are `WebURLField` (a test walks every model: no plain `URLField` is left);
- lists of addresses carry `validate_http_url_list`;
- their form field is `WebURLFormField`: same validator, and an address typed without a scheme
  is taken as https (Django 6's default, without Django 5.2's deprecation warning — also in
  the admin);
- importers validate the model (`full_clean`), so they apply the same rule;
- templates write data's addresses through the `web_href` filter (`{% load links %}`), which
  emits nothing that is not http(s) — a second lock should a row predate the rule.

Email and telephone links are built from validated e-mail addresses and phone numbers
(`mailto:`/`tel:` written by the templates), never from a stored URL.
"""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

WEB_SCHEMES = ("http", "https")

validate_http_url = URLValidator(
    schemes=list(WEB_SCHEMES),
    message="Saisissez une adresse web complète commençant par http:// ou https://.",
)


def validate_http_url_list(values) -> None:
    """Each item of a list of web addresses (a `JSONField`) is an http(s) URL."""
    if not isinstance(values, list):
        raise ValidationError("Une liste d'adresses web est attendue.", code="invalid_list")
    for value in values:
        if not isinstance(value, str):
            raise ValidationError("Une liste d'adresses web est attendue.", code="invalid_list")
        try:
            validate_http_url(value)
        except ValidationError:
            raise ValidationError(
                "« %(value)s » n'est pas une adresse web commençant par http:// ou https://.",
                params={"value": value[:200]},
                code="invalid",
            ) from None


def is_web_url(value) -> bool:
    """Whether `value` is an absolute http(s) address (what a link to the outside may be)."""
    if not isinstance(value, str):
        return False
    try:
        return urlsplit(value.strip()).scheme.lower() in WEB_SCHEMES
    except ValueError:
        return False


class WebURLFormField(forms.URLField):
    """An http(s) address; typed without a scheme, it is taken as https."""

    default_validators = [validate_http_url]

    def __init__(self, *, assume_scheme: str = "https", **kwargs):
        super().__init__(assume_scheme=assume_scheme, **kwargs)


class WebURLField(models.URLField):
    """A web address kept by a model: http or https only."""

    default_validators = [validate_http_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
