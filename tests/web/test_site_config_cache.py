"""dsfr's site settings are read from the shared cache, and a change in the admin is seen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from dsfr.models import DsfrConfig

from maillage.web.context_processors import dsfr_site_config

pytestmark = pytest.mark.django_db


def _site_config_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return [q["sql"] for q in queries.captured_queries if "dsfr_dsfrconfig" in q["sql"]]


def test_the_site_settings_are_read_once_then_from_the_cache(client):
    assert _site_config_queries(client)
    assert _site_config_queries(client) == []


def test_saving_or_deleting_the_site_settings_is_seen_at_once(rf):
    request = rf.get("/")
    assert dsfr_site_config(request)["SITE_CONFIG"] is None
    config = DsfrConfig.objects.create(language="fr", site_title="Maillage Charente")
    assert dsfr_site_config(request)["SITE_CONFIG"].site_title == "Maillage Charente"
    config.site_title = "Maillage"
    config.save()
    assert dsfr_site_config(request)["SITE_CONFIG"].site_title == "Maillage"
    config.delete()
    assert dsfr_site_config(request)["SITE_CONFIG"] is None
