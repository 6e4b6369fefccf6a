import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from maillage.mediation.tasks import erase_inactive_beneficiaries
from tests.plan.factories import ActionSheetFactory, PlanFactory, SheetActorFactory

from .factories import AccompanimentFactory, BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_api_lists_indicator_sources(client):
    response = client.get("/api/indicator-sources")
    keys = {s["key"] for s in response.json()}
    assert {"mediation.people", "places.points_visio_open"} <= keys


def test_api_public_statistics_are_masked(client, organisation):
    plan = PlanFactory(slug="sdaasp-api")
    SheetActorFactory(sheet=ActionSheetFactory(plan=plan), organisation=organisation)
    for _ in range(2):
        AccompanimentFactory(
            organisation=organisation,
            participants=[BeneficiaryFactory(organisation=organisation)],
        )
    data = client.get(f"/api/plans/{plan.slug}/mediation-statistics").json()
    assert data["totals"] == {
        "label": "Total",
        "activities": "< 5",
        "sessions": "< 5",
        "people": "< 5",
    }
    assert (
        client.get(f"/api/plans/{plan.slug}/mediation-statistics?year=2024").json()["totals"][
            "people"
        ]
        == 0
    )


def test_retention_command_and_task(organisation, capsys):
    with time_machine.travel(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        old = BeneficiaryFactory(organisation=organisation, first_name="Ancienne")
    call_command("erase_inactive_beneficiaries", dry_run=True)
    assert "1 fiche(s) à effacer" in capsys.readouterr().out
    assert erase_inactive_beneficiaries.enqueue().return_value == 1
    old.refresh_from_db()
    assert old.erased_at and old.first_name == ""
    call_command("erase_inactive_beneficiaries")
    assert "0 fiche(s)" in capsys.readouterr().out
