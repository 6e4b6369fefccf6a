"""A small world for the permission matrix: two organisations, each with a record of every
kind a URL can name (sheet, indicator, place, help request, service, session, booking, calendar
feed, beneficiary, accompaniment, receipt, ride, planning run, tour, network, network member,
training…), and one person per role
in the first one, plus staff and a platform administrator.

`records[label]` is `(own, other)`: the record of the organisation where the people hold their
roles, and the same kind of record of the other organisation (one shared record when the kind
belongs to nobody: the plan, a meeting, a commune).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from maillage import clock
from maillage.access.labels import RunStatus as AccessRunStatus
from maillage.access.models import SitingScenario
from maillage.appointments.labels import FeedKind
from maillage.appointments.models import Absence, Booking, CalendarFeed
from maillage.appointments.tokens import make_link_token
from maillage.broadband.models import FigureImport
from maillage.mediation import services as mediation_services
from maillage.mediation.labels import PaymentMethod, SubscriptionKind
from maillage.organisations.labels import Role
from maillage.plan.models import BulkUpdate
from maillage.territory.models import Departement, Epci
from maillage.transport.models import RideRequest
from maillage.transport.tokens import make_ride_token
from tests.appointments.factories import (
    AgentFactory,
    BookingFactory,
    ServiceFactory,
    SessionFactory,
    WeeklyRuleFactory,
)
from tests.broadband.factories import PhaseFactory, ProgrammeFactory, WorkFactory
from tests.conftest import logged_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.mediation.conftest import _commune
from tests.mediation.factories import AccompanimentFactory, BeneficiaryFactory
from tests.networks.factories import MemberFactory, NetworkFactory, TrainingSessionFactory
from tests.places.factories import HelpRequestFactory, PlaceFactory
from tests.plan.factories import (
    ActionSheetFactory,
    IndicatorFactory,
    MeasurementFactory,
    MeetingFactory,
    PlanFactory,
    SheetActorFactory,
)
from tests.transport.factories import (
    DriverFactory,
    PlanningRunFactory,
    RideRequestFactory,
    TourFactory,
    VehicleFactory,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2030, 3, 1, 10, tzinfo=PARIS)
DAY = dt.date(2030, 3, 5)
PEOPLE = ["anonymous", *Role.values, "staff", "superuser"]
# A solved siting scenario's result (as `access.scenarios.SitingResult.as_json` writes it).
SITING_RESULT = {
    "kind": "visio",
    "k": 2,
    "minutes": 15,
    "objective": "coverage",
    "total_population": 5000,
    "covered_before": 3000,
    "covered_population": 4200,
    "newly_covered": 1200,
    "greedy_covered_population": 4200,
    "mean_minutes_before": 14.2,
    "mean_minutes_after": 9.8,
    "greedy_mean_minutes": 9.8,
    "proven_optimal": True,
    "gap": 0.0,
    "status": "Optimal",
    "candidate_count": 2,
    "existing_places": 1,
    "from_scratch": False,
    "seconds": 0.2,
    "new_sites": [
        {
            "key": "16073",
            "name": "Chalais",
            "insee": "16073",
            "latitude": 45.27,
            "longitude": 0.04,
            "place_id": None,
            "brought": 1200,
        }
    ],
    "communes": [
        {"insee": "16028", "name": "Barbezieux", "population": 3000, "before": 3.0, "after": 3.0},
        {"insee": "16073", "name": "Chalais", "population": 2000, "before": 25.0, "after": 1.0},
    ],
}


@dataclass
class World:
    records: dict[str, tuple]
    people: dict[str, object]
    verdicts: dict = field(default_factory=dict)  # the matrix's cache of guards' answers


def _organisation_records(organisation, plan, commune, pilot, *, confidential: bool) -> dict:
    """One record of each kind, belonging to `organisation`."""
    at = dt.datetime.combine(DAY, dt.time(10), tzinfo=PARIS)
    sheet = ActionSheetFactory(plan=plan, confidential=confidential)
    SheetActorFactory(sheet=sheet, organisation=organisation)
    indicator = IndicatorFactory(sheet=sheet, source_key="places.epn_open")
    bulk_update = BulkUpdate.objects.create(plan=plan, uploaded_by=pilot, filename="maj.xlsx")
    place = PlaceFactory(organisation=organisation, accepts_help_requests=True, commune=commune)
    help_request = HelpRequestFactory(place=place, commune=commune)
    agent = AgentFactory(organisation=organisation)
    weekly_rule = WeeklyRuleFactory(agent=agent, place=place, weekday=DAY.weekday())
    absence = Absence.objects.create(
        agent=agent,
        starts_at=at + dt.timedelta(days=20),
        ends_at=at + dt.timedelta(days=21),
        reason="Congés",
    )
    service = ServiceFactory(organisation=organisation, agents=[agent], places=[place])
    workshop = ServiceFactory(organisation=organisation, workshop=True, places=[place])
    session = SessionFactory(service=workshop, place=place, starts_at=at + dt.timedelta(hours=4))
    booking = BookingFactory(
        service=service,
        place=place,
        agent=agent,
        starts_at=at,
        name="Jeanne Martin",
        phone="06 12 34 56 78",
        commune=commune,
    )
    feed = CalendarFeed.objects.create(kind=FeedKind.PLACE, place=place)
    beneficiary = BeneficiaryFactory(organisation=organisation, named=True)
    accompaniment = AccompanimentFactory(organisation=organisation, participants=[beneficiary])
    subscription = mediation_services.subscription_create(
        beneficiary=beneficiary,
        kind=SubscriptionKind.MEMBERSHIP,
        on=NOW.date(),
        payment_method=PaymentMethod.CASH,
    )
    vehicle = VehicleFactory(operator=organisation, label="Minibus", depot_address="Dépôt")
    driver = DriverFactory(operator=organisation, name="Chauffeur", phone="0600000000")
    ride = RideRequestFactory(
        operator=organisation,
        booking=booking,
        name="Jeanne Martin",
        phone="06 12 34 56 78",
        commune=commune,
        latitude=45.47,
        longitude=-0.15,
    )
    run = PlanningRunFactory(
        operator=organisation,
        date=DAY,
        finished_at=NOW,
        summary={
            "requests": 1,
            "legs": 2,
            "served_legs": 2,
            "unserved_legs": 0,
            "tours": 1,
            "vehicles": 1,
            "minutes": 40.0,
            "km": 21.5,
            "estimated": True,
            "seconds": 0.1,
        },
    )
    tour = TourFactory(
        run=run, vehicle=vehicle, driver=driver, starts_at=at - dt.timedelta(hours=1), ends_at=at
    )
    membership = MembershipFactory(organisation=organisation)
    network = NetworkFactory(
        slug=f"reseau-{organisation.slug}", organisation=organisation, sheet=sheet
    )
    network_member = MemberFactory(network=network, organisation=organisation)
    training = TrainingSessionFactory(network=network)
    programme = ProgrammeFactory(slug=f"programme-{organisation.slug}", sheet=sheet)
    work = WorkFactory(phase=PhaseFactory(programme=programme), commune=commune)
    scenario = SitingScenario.objects.create(
        organisation=organisation,
        name=f"Scénario de {organisation.name}",
        kind="visio",
        kind_label="Point Visio",
        candidates="communes",
        k=2,
        minutes=15,
        objective="coverage",
        status=AccessRunStatus.DONE,
        progress=100,
        result=SITING_RESULT,
    )
    return {
        "organisations.Organisation": organisation,
        "organisations.Membership": membership,
        "plan.ActionSheet": sheet,
        "plan.Indicator": indicator,
        "plan.Measurement": MeasurementFactory(indicator=indicator),
        "plan.BulkUpdate": bulk_update,
        "places.Place": place,
        "places.HelpRequest": help_request,
        "appointments.Service": service,
        "appointments.Agent": agent,
        "appointments.WeeklyRule": weekly_rule,
        "appointments.Absence": absence,
        "appointments.Session": session,
        "appointments.Booking": booking,
        "appointments.CalendarFeed": feed,
        "mediation.Beneficiary": beneficiary,
        "mediation.Accompaniment": accompaniment,
        "mediation.Subscription": subscription,
        "transport.RideRequest": ride,
        "transport.PlanningRun": run,
        "transport.Tour": tour,
        "broadband.Programme": programme,
        "broadband.Work": work,
        "networks.Network": network,
        "networks.Member": network_member,
        "networks.TrainingSession": training,
        "access.SitingScenario": scenario,
    }


def build_world() -> World:
    Departement.objects.get_or_create(code="16", defaults={"name": "Charente"})
    epci = Epci.objects.create(siren="200070431", name="4B Sud Charente", departement_id="16")
    commune = _commune("16028", "Barbezieux-Saint-Hilaire", "16300", epci)
    _commune("16073", "Chalais", "16210")
    own = OrganisationFactory(departement=True)
    other = OrganisationFactory(name="Autre organisation")
    people: dict[str, object] = {"anonymous": None}
    for role in Role.values:
        people[role] = UserFactory(email=f"{role}@exemple.fr")
        MembershipFactory(user=people[role], organisation=own, role=role)
    people["staff"] = UserFactory(staff=True, email="staff@exemple.fr")
    people["superuser"] = UserFactory(superuser=True, email="admin@exemple.fr")
    other_pilot = UserFactory(email="pilote.autre@exemple.fr")
    MembershipFactory(user=other_pilot, organisation=other, role=Role.PILOT)

    plan = PlanFactory(slug="schema")
    shared = {
        "plan.Plan": plan,
        "plan.Meeting": MeetingFactory(plan=plan),
        "territory.Commune": commune,
        "territory.Epci": epci,
        "broadband.FigureImport": FigureImport.objects.create(filename="debits.csv"),
    }
    mine = _organisation_records(own, plan, commune, people[Role.PILOT], confidential=False)
    # The other organisation's sheet is confidential: only its members and plan administrators
    # read it.
    theirs = _organisation_records(other, plan, commune, other_pilot, confidential=True)
    # The shared meeting is one of the first organisation's network's sheet; the viewer is
    # also a member of that network, through their account (their own space).
    shared["plan.Meeting"].sheets.add(mine["plan.ActionSheet"])
    mine["networks.Member"].user = people[Role.VIEWER]
    mine["networks.Member"].save(update_fields=["user"])
    records = {label: (record, record) for label, record in shared.items()}
    records.update({label: (mine[label], theirs[label]) for label in mine})
    return World(records=records, people=people)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once per test module in an outer transaction rolled back at its end
    (each test's own transaction nests in it as a savepoint), with a logged-in client per
    person: `(world, {person: (client, session cookie)})`."""
    with django_db_blocker.unblock(), clock.travel(NOW), transaction.atomic():
        built = build_world()
        clients = {}
        for name in PEOPLE:
            client = Client()
            if built.people[name] is not None:
                logged_in(client, built.people[name])
            clients[name] = (client, client.cookies.get(settings.SESSION_COOKIE_NAME))
        yield built, clients
        transaction.set_rollback(True)
    cache.clear()  # the per-address hold counter


LITERALS = {
    "fmt": "csv",
    "what": "fiches",
    "date": DAY.isoformat(),
    "uidb64": "MQ",
    "year": NOW.year,
}
# Where a URL keyword is found on the record it names, first match wins.
PATHS = {
    "slug": (
        "slug",
        "plan.slug",
        "sheet.plan.slug",
        "indicator.sheet.plan.slug",
        "network.slug",
        "organisation.slug",
        "phase.programme.slug",
    ),
    "ref": ("ref", "sheet.ref"),
    "code": ("code",),
    "insee_code": ("insee_code",),
    "insee": ("insee_code",),
    "siren": ("siren",),
}
# A valid body for the API's POST endpoints (the API validates the body before the rights):
# JSON, or a form with a file (made anew for each request).
API_BODIES = {
    "api:add_measurement": lambda: {"value": "12", "date": "2020-02-01"},
    "api:import_series": lambda: {
        "file": SimpleUploadedFile("series.csv", b"indicateur;date;valeur\n", "text/csv")
    },
}


def _attribute(record, paths: tuple[str, ...]):
    for path in paths:
        value = record
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    raise LookupError(f"{record!r} has none of {paths}")


def url_kwargs(keys: list[str], record) -> dict:
    """The values of a URL's keywords, from the record it names (and a few literals)."""
    kwargs = {}
    for key in keys:
        if key in LITERALS:
            kwargs[key] = LITERALS[key]
        elif key == "token":
            kwargs[key] = token_for(record) if record is not None else "lien-perime"
        elif key == "source":
            kwargs[key] = record._meta.label
        elif key == "pk" or key.endswith("_id"):
            kwargs[key] = record.pk
        else:
            kwargs[key] = _attribute(record, PATHS[key])
    return kwargs


def token_for(record) -> str:
    """The signed token a URL carries for `record` (its booking, feed or ride link)."""
    if isinstance(record, Booking):
        return make_link_token(record)
    if isinstance(record, CalendarFeed):
        return record.token
    if isinstance(record, RideRequest):
        return make_ride_token(record)
    raise TypeError(f"No token for {record!r}")
