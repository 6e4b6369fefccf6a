"""django-dsfr's site settings (`DsfrConfig`), read from the shared cache, not on every page.

django-dsfr's own context processor asks the database twice on every page (the language's
settings, then the first ones). These settings change a few times a year, in the admin: all
of them (one row per language) are kept in the shared cache, so every worker sees one copy,
and forgotten when a `DsfrConfig` is saved or deleted. A page whose templates do not read
`SITE_CONFIG` (none of Maillage's own layout does) does not even read the cache.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

CACHE_KEY = "web:dsfr-configs"
# Saves and deletes forget the copy; the bound only limits a change made around the ORM.
CACHE_SECONDS = 3600


def current_dsfr_config() -> DsfrConfig | None:
    """The settings in the current language, else the first ones (django-dsfr's rule)."""
    configs = cache.get(CACHE_KEY)
    if configs is None:
        configs = list(DsfrConfig.objects.order_by("pk"))
        cache.set(CACHE_KEY, configs, CACHE_SECONDS)
    language = get_language()
    return next((c for c in configs if c.language == language), configs[0] if configs else None)


def forget_dsfr_configs(**kwargs) -> None:
    """Signal receiver: a `DsfrConfig` was saved or deleted. Forgotten now and again once
    the change is committed, so a page read in between cannot keep the old copy."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def site_config(request) -> dict:
    """Context processor in place of `dsfr.context_processors.site_config`: the same
    variable, `SITE_CONFIG`, looked up only when a template reads it."""
    return {"SITE_CONFIG": SimpleLazyObject(current_dsfr_config)}
