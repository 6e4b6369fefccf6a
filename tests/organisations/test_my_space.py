""" "Mon espace": what each person has to do today, from the permission matrix's world (one
organisation with a record of every kind, one person per role)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage import clock
from maillage.organisations.labels import Role
from maillage.plan.labels import MeasurementMethod
from tests.networks.factories import MemberFactory
from tests.plan.factories import IndicatorFactory, MeasurementFactory
from tests.web.world import DAY, PARIS, _organisation_records, world  # noqa: F401

MORNING = dt.datetime.combine(DAY, dt.time(8), tzinfo=PARIS)  # the world's booking is at 10:00
PANELS = {
    "help_requests": "Demandes de rappel à traiter",
    "agenda": "Agenda du jour",
    "accompaniments": "Accompagnements récents",
    "sheets": "Mes fiches action",
    "tours": "Tournées du jour",
    "returns": "Bilans mensuels de février 2030",
}
# Each role's panels (the rule book grants them; see docs/permissions.md).
EXPECTED = {
    Role.ADMIN: {"help_requests", "agenda", "accompaniments", "sheets", "tours", "returns"},
    Role.PILOT: {"sheets", "returns"},
    Role.MEDIATOR: {"help_requests", "agenda", "accompaniments"},
    Role.PARTNER_AGENT: {"agenda"},
    Role.RECEPTIONIST: {"agenda"},
    Role.TRANSPORT_OPERATOR: {"tours"},
    Role.NETWORK_COORDINATOR: {"returns"},
    Role.VIEWER: {"returns"},
}


def _panel_titles(html: str) -> set[str]:
    return set(re.findall(r'id="panneau-\d+">([^<]+)<', html))


def _get(clients, person):
    client, _cookie = clients[person]
    with clock.travel(MORNING), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisations:my_space"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_the_panels_of_its_work(role, world):  # noqa: F811
    _built, clients = world
    html, _queries = _get(clients, role)
    assert _panel_titles(html) == {PANELS[key] for key in EXPECTED[role]}


@pytest.mark.django_db
def test_the_mediator_sees_call_backs_todays_agenda_and_recent_accompaniments(world):  # noqa: F811
    built, clients = world
    html, _queries = _get(clients, Role.MEDIATOR)
    help_request = built.records["places.HelpRequest"][0]
    booking = built.records["appointments.Booking"][0]
    accompaniment = built.records["mediation.Accompaniment"][0]
    assert reverse("places:help_request_detail", args=[help_request.pk]) in html
    assert reverse("appointments:staff_booking", args=[booking.pk]) in html
    assert "10\u00a0h\u00a000" in html  # local time, French format
    assert accompaniment.get_absolute_url() in html
    # The other organisation's records stay out.
    other_request = built.records["places.HelpRequest"][1]
    assert reverse("places:help_request_detail", args=[other_request.pk]) not in html


@pytest.mark.django_db
def test_the_pilot_sees_their_sheets_and_the_indicators_due(world):  # noqa: F811
    built, clients = world
    sheet = built.records["plan.ActionSheet"][0]
    due = IndicatorFactory(sheet=sheet, label="Ateliers tenus", measurement_method="manual")
    done = IndicatorFactory(sheet=sheet, label="Lieux ouverts", measurement_method="manual")
    MeasurementFactory(indicator=done, date=dt.date(2030, 1, 31))
    assert due.measurement_method == MeasurementMethod.MANUAL
    html, _queries = _get(clients, Role.PILOT)
    assert sheet.get_absolute_url() in html
    assert due.get_absolute_url() in html
    assert done.get_absolute_url() not in html
    their_sheet = built.records["plan.ActionSheet"][1]
    assert their_sheet.get_absolute_url() not in html


@pytest.mark.django_db
def test_the_carrier_sees_todays_tours_and_the_coordinator_the_missing_returns(world):  # noqa: F811
    built, clients = world
    tour = built.records["transport.Tour"][0]
    html, _queries = _get(clients, Role.TRANSPORT_OPERATOR)
    assert reverse("transport:driver_sheet", args=[tour.pk]) in html
    member = built.records["networks.Member"][0]
    html, _queries = _get(clients, Role.NETWORK_COORDINATOR)
    assert member.get_absolute_url() in html


@pytest.mark.django_db
def test_the_menu_and_the_reading_list_show_only_what_the_role_opens(world):  # noqa: F811
    _built, clients = world
    html, _queries = _get(clients, Role.VIEWER)
    assert reverse("mediation:home") not in html
    assert reverse("transport:home") not in html
    assert reverse("plan:plan_list") in html


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_records(world):  # noqa: F811
    """The platform administrator sees every panel; three more organisations' worth of
    records of every kind (and more members owing their return) cost no query more."""
    built, clients = world
    _html, before = _get(clients, "superuser")
    plan = built.records["plan.Plan"][0]
    commune = built.records["territory.Commune"][0]
    network = built.records["networks.Network"][0]
    for index in range(3):
        organisation = built.records["plan.ActionSheet"][0].actors.first().organisation
        with clock.travel(MORNING):
            _organisation_records(
                type(organisation).objects.create(name=f"Encore {index}", slug=f"encore-{index}"),
                plan,
                commune,
                built.people[Role.PILOT],
                confidential=False,
            )
        MemberFactory(network=network, organisation=organisation)
    html, after = _get(clients, "superuser")
    assert len(_panel_titles(html)) == len(PANELS)
    assert after == before
