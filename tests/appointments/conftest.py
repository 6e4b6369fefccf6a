import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from maillage import clock
from maillage.appointments import sms
from tests.places.factories import PlaceFactory

from .factories import AgentFactory, ResourceFactory, ServiceFactory, WeeklyRuleFactory

PARIS = ZoneInfo("Europe/Paris")
# A Monday in term time, far from holidays and DST changes.
MONDAY = dt.date(2030, 3, 4)


def paris(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every appointments test runs at Friday 1 March 2030, 10:00 (Paris), unless it moves."""
    with clock.travel(paris(dt.date(2030, 3, 1), 10)):
        yield


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def visio_setup(db, organisation):
    """A CAF agent free on Mondays 09:00–12:00 (remote), a Point Visio room at Chalais."""
    place = PlaceFactory(point_visio=True, name="Point Visio — mairie de Chalais")
    agent = AgentFactory(organisation=organisation, name="Conseillère Caf")
    WeeklyRuleFactory(agent=agent, weekday=0, start_time=dt.time(9), end_time=dt.time(12))
    room = ResourceFactory(place=place, organisation=organisation)
    service = ServiceFactory(
        organisation=organisation,
        visio=True,
        name="Dossier de prestations Caf",
        duration_minutes=45,
        documents="Numéro d'allocataire\nAvis d'imposition",
        reminder_offsets_minutes=[2880, 120],
        agents=[agent],
        places=[place],
    )
    return {"place": place, "agent": agent, "room": room, "service": service}


@pytest.fixture
def individual_setup(db, organisation):
    place = PlaceFactory(name="Espace numérique de Chalais")
    agent = AgentFactory(organisation=organisation, name="Médiatrice")
    WeeklyRuleFactory(
        agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
    )
    service = ServiceFactory(
        organisation=organisation,
        name="Accompagnement individuel",
        duration_minutes=60,
        agents=[agent],
        places=[place],
    )
    return {"place": place, "agent": agent, "service": service}
