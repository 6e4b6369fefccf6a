"""django-dsfr's site settings (`DsfrConfig`), read from the shared cache, not on every page.

django-dsfr's own context processor asks the database twice on every page (the language's
settings, then the first ones). These settings change a few times a year, in the admin: all
of them (one row per language) are kept in the shared cache, so every worker sees one copy,
under a version that a save or delete of a `DsfrConfig` renews (`maillage.cache_versions`: a
copy made from rows read before the change commits is never served after it) and the
models' columns (a deployment's new django-dsfr field is not read from an older copy). A
page whose templates do not read `SITE_CONFIG` (none of Maillage's own layout does) does not
even read the cache.
"""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from dsfr.models import DsfrConfig

from maillage import cache_versions

VERSION_KEY = "web:dsfr-configs:version"
# Saves and deletes renew the version; the bound only limits a change made around the ORM.
CACHE_SECONDS = 3600


def _key(version: str) -> str:
    return f"web:dsfr-configs:{cache_versions.schema()}:{version}"


def current_dsfr_config() -> DsfrConfig | None:
    """The settings in the current language, else the first ones (django-dsfr's rule)."""
    key = _key(cache_versions.current([VERSION_KEY])[VERSION_KEY])
    configs = cache.get(key)
    if configs is None:
        configs = list(DsfrConfig.objects.order_by("pk"))
        cache.set(key, configs, CACHE_SECONDS)
    language = get_language()
    return next((c for c in configs if c.language == language), configs[0] if configs else None)


def forget_dsfr_configs(**kwargs) -> None:
    """Signal receiver: a `DsfrConfig` was saved or deleted: a new version, now and again
    once the change is committed."""
    cache_versions.renew([VERSION_KEY])


def site_config(request) -> dict:
    """Context processor in place of `dsfr.context_processors.site_config`: the same
    variable, `SITE_CONFIG`, looked up only when a template reads it."""
    return {"SITE_CONFIG": SimpleLazyObject(current_dsfr_config)}
