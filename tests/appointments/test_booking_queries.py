"""The public booking path does a fixed number of queries, whatever the number of places,
agents and bookings: pinned here so that a change adding a query per place or per slot fails."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Booking
from maillage.transport.services import any_operator
from tests.places.factories import PlaceFactory

from .conftest import MONDAY
from .factories import AgentFactory, ServiceFactory, WeeklyRuleFactory

PERSON = {"name": "Jeanne", "phone": "0612345678", "email": "jeanne@exemple.fr"}


def _setup(organisation, places: int, agents: int):
    place_objs = [PlaceFactory(name=f"Espace {n}") for n in range(places)]
    agent_objs = [AgentFactory(organisation=organisation) for _ in range(agents)]
    for agent in agent_objs:
        for place in place_objs:
            for weekday in range(5):
                WeeklyRuleFactory(
                    agent=agent,
                    place=place,
                    weekday=weekday,
                    start_time=dt.time(9),
                    end_time=dt.time(12),
                )
    return ServiceFactory(organisation=organisation, agents=agent_objs, places=place_objs)


def _count(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response


def _journey(client, service) -> dict[str, int]:
    """Queries of each request of one booking from a cold cache: service page, hold, form,
    confirm, confirmation; then the service page again (the service, its places and agents
    and their rules, every day but the one just booked come from the cache), and once more (all
    of it)."""
    cache.clear()
    any_operator()  # whether rides are offered at all: read once, then from the cache
    page_url = reverse("appointments:service_detail", args=[service.pk])
    counts = {}
    counts["page"], page = _count(lambda: client.get(page_url, {"du": MONDAY.isoformat()}))
    assert page.status_code == 200
    key = page.content.decode().split('name="slot" value="', 1)[1].split('"', 1)[0]
    counts["hold"], held = _count(
        lambda: client.post(reverse("appointments:hold", args=[service.pk]), {"slot": key})
    )
    assert held.status_code == 302 and "/reservation/" in held["Location"], held
    counts["form"], form = _count(lambda: client.get(held["Location"]))
    assert form.status_code == 200
    counts["confirm"], confirmed = _count(lambda: client.post(held["Location"], PERSON))
    assert confirmed.status_code == 302
    counts["confirmation"], done = _count(lambda: client.get(confirmed["Location"]))
    assert done.status_code == 200
    counts["page again"], _ = _count(lambda: client.get(page_url, {"du": MONDAY.isoformat()}))
    counts["page unchanged"], _ = _count(lambda: client.get(page_url, {"du": MONDAY.isoformat()}))
    return counts


# Test settings: sessions in the database, ATOMIC_REQUESTS (a savepoint pair per request:
# the page read wholly from the cache does these two only).
# PostgreSQL also sets a lock timeout and locks rows (SELECT … FOR UPDATE), SQLite does not.
EXPECTED = {
    "postgresql": {
        "page": 7,
        "hold": 10,
        "form": 3,
        "confirm": 10,
        "confirmation": 3,
        "page again": 3,
        "page unchanged": 2,
    },
    "sqlite": {
        "page": 7,
        "hold": 9,
        "form": 3,
        "confirm": 9,
        "confirmation": 3,
        "page again": 3,
        "page unchanged": 2,
    },
}


@pytest.mark.django_db
def test_booking_path_queries_do_not_grow_with_places_agents_or_bookings(organisation):
    expected = EXPECTED[connection.vendor]
    small = _setup(organisation, places=1, agents=1)
    large = _setup(organisation, places=8, agents=3)
    assert _journey(Client(), small) == expected
    assert _journey(Client(), large) == expected
    assert _journey(Client(), large) == expected  # with a booking already made
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 3
