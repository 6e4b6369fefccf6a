"""django-dsfr's site settings come from the shared cache, forgotten when they change."""

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from dsfr.models import DsfrConfig

from maillage.web.site_config import current_dsfr_config

pytestmark = pytest.mark.django_db


def title() -> str:
    """`SITE_CONFIG.site_title` as a template rendered with a request sees it."""
    template = engines["django"].from_string(
        "{% if SITE_CONFIG %}{{ SITE_CONFIG.site_title }}{% else %}aucun{% endif %}"
    )
    return template.render({}, RequestFactory().get("/"))


def test_a_page_whose_templates_do_not_read_the_settings_does_not_look_them_up(client):
    client.get("/mentions-legales/")  # whatever a first request of the process does
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/mentions-legales/").status_code == 200
    assert not [q for q in queries if "dsfrconfig" in q["sql"].lower()]


def test_the_settings_are_read_once_then_from_the_cache(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        DsfrConfig.objects.create(language="fr", site_title="Maillage Charente")
    with CaptureQueriesContext(connection) as first:
        assert title() == "Maillage Charente"
    with CaptureQueriesContext(connection) as later:
        assert title() == "Maillage Charente"
    assert len(first) == 1
    assert len(later) == 0


def test_a_save_or_a_delete_is_seen_by_the_next_page(django_capture_on_commit_callbacks):
    assert title() == "aucun"  # no settings: that too is cached...
    with django_capture_on_commit_callbacks(execute=True):
        config = DsfrConfig.objects.create(language="fr", site_title="Avant")
    assert title() == "Avant"  # ...and forgotten when settings are created
    config.site_title = "Après"
    with django_capture_on_commit_callbacks(execute=True):
        config.save()
    assert title() == "Après"
    with django_capture_on_commit_callbacks(execute=True):
        config.delete()
    assert title() == "aucun"


def test_a_page_read_before_the_save_is_committed_does_not_keep_the_old_copy(
    django_capture_on_commit_callbacks,
):
    config = DsfrConfig.objects.create(language="fr", site_title="Avant")
    with django_capture_on_commit_callbacks(execute=True):
        config.site_title = "Après"
        config.save()
        # Another worker reads the old row before this transaction commits and caches it.
        DsfrConfig.objects.filter(pk=config.pk).update(site_title="Avant")
        assert title() == "Avant"
        DsfrConfig.objects.filter(pk=config.pk).update(site_title="Après")
    assert title() == "Après"


def test_settings_in_another_language_serve_when_none_match():
    DsfrConfig.objects.create(language="en", site_title="In English")
    assert current_dsfr_config().site_title == "In English"
    DsfrConfig.objects.create(language="fr", site_title="En français")
    assert current_dsfr_config().site_title == "En français"


def test_a_copy_stored_after_the_commit_from_rows_read_before_it_is_never_served(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache

    from maillage import cache_versions
    from maillage.web import site_config

    config = DsfrConfig.objects.create(language="fr", site_title="Avant")
    # A slow worker reads the version and the old row...
    version = cache_versions.current([site_config.VERSION_KEY])[site_config.VERSION_KEY]
    old_rows = list(DsfrConfig.objects.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        config.site_title = "Après"
        config.save()
    # ...and stores its copy only after the change committed.
    cache.set(site_config._key(version), old_rows)
    assert title() == "Après"
