"""100 people race through the real public booking pages, over HTTP, on PostgreSQL.

Each client has its own session and CSRF token and does what a browser does: GET the form,
POST it (hold a slot, then confirm with a name; or register for a workshop). The server is
Django's multi-threaded live server (one database connection per request thread), the
clients a thread pool of `requests` sessions. Whatever the interleaving: nobody gets a seat
beyond the workshop's capacity, and one slot is booked once.

Skipped on SQLite: its writes are serialised and its in-memory test database is shared by
every thread, so the race cannot happen there; `.ci/run` runs the suite on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html import escape, unescape

import pytest
import requests
from django.db import connection
from django.urls import reverse

from maillage.appointments import labels
from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Booking
from tests.places.factories import PlaceFactory

from .conftest import MONDAY, paris
from .factories import (
    AgentFactory,
    BookingFactory,
    ServiceFactory,
    SessionFactory,
    WeeklyRuleFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the HTTP race needs PostgreSQL (SQLite serialises writes and its in-memory "
        "test database is shared by the server's threads); CI's PostgreSQL pass runs it",
    ),
]

CLIENTS = 100
# Concurrent requests in flight: enough to race, within PostgreSQL's connection limit (each
# server thread holds one connection while it answers).
IN_FLIGHT = 24
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_BUTTON = re.compile(r'name="slot" value="([^"]+)"')
PERSON = {"name": "Personne {n}", "phone": "06 00 00 {n:02d} 00", "email": ""}


@pytest.fixture(autouse=True)
def many_holds_from_one_address(settings):
    """Every client comes from 127.0.0.1: lift the per-address cap on holds for the race."""
    settings.MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS = 10 * CLIENTS


def _csrf(html: str) -> str:
    return unescape(CSRF_FIELD.search(html).group(1))


def _person(number: int) -> dict:
    return {key: value.format(n=number % 100) for key, value in PERSON.items()}


def race(client_journey) -> Counter:
    """Run `client_journey(session, number)` for CLIENTS clients; count what they report."""

    def run(number: int) -> str:
        with requests.Session() as session:
            try:
                return client_journey(session, number)
            except requests.RequestException as error:
                return f"network error: {error}"

    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        return Counter(pool.map(run, range(CLIENTS)))


def test_a_hundred_people_race_for_the_last_seats_of_a_workshop(live_server):
    session = SessionFactory(capacity=12, starts_at=paris(MONDAY, 14))
    for number in range(9):  # three seats left
        BookingFactory(session=session, name=f"Déjà inscrite {number}")
    url = live_server.url + reverse("appointments:session_register", args=[session.pk])

    def register(http: requests.Session, number: int) -> str:
        form = http.get(url, timeout=20)
        assert form.status_code == 200
        answer = http.post(
            url,
            data={**_person(number), "csrfmiddlewaretoken": _csrf(form.text)},
            headers={"Referer": url},
            timeout=20,
        )
        assert answer.status_code == 200, answer.status_code
        if "/confirmation/" in answer.url:
            return "registered"
        assert escape(labels.ERR_SLOT_BUSY) in answer.text  # told to try again, nothing else
        return "turned away"

    outcomes = race(register)

    assert sum(outcomes.values()) == CLIENTS and set(outcomes) <= {"registered", "turned away"}
    # A seat or a place on the waitlist each; under a heavy load a few may be told the
    # workshop is busy (lock wait over) and to try again, never more than a few.
    assert outcomes["registered"] >= CLIENTS * 0.9, outcomes
    booked = session.bookings.filter(status=BookingStatus.BOOKED).count()
    waitlisted = session.bookings.filter(status=BookingStatus.WAITLISTED).count()
    assert booked == session.capacity  # the last three seats taken, none oversold
    assert waitlisted == outcomes["registered"] - 3
    positions = list(
        session.bookings.filter(status=BookingStatus.WAITLISTED).values_list(
            "waitlist_position", flat=True
        )
    )
    assert len(set(positions)) == len(positions)  # one place each in the queue


def test_a_hundred_people_race_for_one_slot(live_server):
    place = PlaceFactory(name="Espace numérique de Chalais")
    agent = AgentFactory(name="Médiatrice")
    WeeklyRuleFactory(
        agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(10)
    )
    service = ServiceFactory(
        organisation=agent.organisation,
        name="Accompagnement individuel",
        duration_minutes=60,
        max_delay_days=5,  # one Monday in reach: one slot, 09:00–10:00
        agents=[agent],
        places=[place],
    )
    page = live_server.url + reverse("appointments:service_detail", args=[service.pk])
    hold = live_server.url + reverse("appointments:hold", args=[service.pk])

    def book(http: requests.Session, number: int) -> str:
        form = http.get(page, params={"du": MONDAY.isoformat()}, timeout=20)
        assert form.status_code == 200
        slots = SLOT_BUTTON.findall(form.text)
        if not slots:
            return "no slot left"
        slot = slots[0]
        held = http.post(
            hold,
            data={"slot": unescape(slot), "csrfmiddlewaretoken": _csrf(form.text)},
            headers={"Referer": page},
            timeout=20,
        )
        assert held.status_code == 200
        if "/reservation/" not in held.url:
            return "slot taken"
        confirmed = http.post(
            held.url,
            data={**_person(number), "csrfmiddlewaretoken": _csrf(held.text)},
            headers={"Referer": held.url},
            timeout=20,
        )
        assert confirmed.status_code == 200
        return "booked" if "/confirmation/" in confirmed.url else "slot taken"

    outcomes = race(book)

    assert sum(outcomes.values()) == CLIENTS, outcomes
    assert set(outcomes) <= {"booked", "slot taken", "no slot left"}, outcomes
    assert outcomes["booked"] == 1, outcomes
    bookings = Booking.objects.filter(service=service).exclude(
        status__in=[BookingStatus.EXPIRED, BookingStatus.CANCELLED]
    )
    assert bookings.filter(status=BookingStatus.BOOKED).count() == 1  # never double booked
    assert not bookings.filter(status=BookingStatus.HELD).exists()
