from django.conf import settings
from django.http import HttpRequest

from .navigation import main_nav


def site(request: HttpRequest) -> dict:
    """Values every page needs: the département served and the navigation."""
    return {
        "departement_name": settings.MAILLAGE_DEPARTEMENT_NAME,
        "site_name": "Maillage",
        "main_nav": main_nav(request),
    }
