from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language
from dsfr.context_processors import site_config

from .navigation import main_nav

SITE_CONFIG_SECONDS = 300
_MISSING = object()


def site(request: HttpRequest) -> dict:
    """Values every page needs: the département served and the navigation."""
    return {
        "departement_name": settings.MAILLAGE_DEPARTEMENT_NAME,
        "site_name": "Maillage",
        "main_nav": main_nav(request),
    }


def _site_config_key(language: str) -> str:
    return f"web:dsfr-site-config:{language}"


def dsfr_site_config(request: HttpRequest) -> dict:
    """dsfr's `site_config` (the DSFR settings edited in the admin), kept in the shared cache:
    read from the database on every page it was two queries for a row that almost never
    changes. Saving or deleting one empties the cache (`forget_dsfr_site_config`); the
    timeout bounds how long a worker without a shared cache (no Redis) may show the old one."""
    key = _site_config_key(get_language() or "")
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = site_config(request)["SITE_CONFIG"]
        cache.set(key, found, timeout=SITE_CONFIG_SECONDS)
    return {"SITE_CONFIG": found}


def forget_dsfr_site_config(**_signal) -> None:
    cache.delete_many([_site_config_key(code) for code, _name in settings.LANGUAGES])
