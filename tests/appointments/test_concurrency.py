"""Never double-booked, never oversold: parallel requests against PostgreSQL.

Each test starts 50 threads (one database connection each) behind a barrier. Without the
lock, counting seats then inserting lets several people take the last seat: the first test
shows that oversell, the next shows the lock prevents it. Agents and rooms are also guarded
by the exclusion constraint, which holds even with the lock off.

Skipped on SQLite (single-user default, serialised writes); `.ci/run` runs the suite on
PostgreSQL too: DATABASE_URL=postgres://… pytest tests/appointments.
"""

import threading
import time
from collections import Counter

import pytest
from django.db import IntegrityError, connection, connections, transaction

from maillage.appointments import services
from maillage.appointments.labels import BookingStatus
from maillage.appointments.locking import BookingError, SlotBusy
from maillage.appointments.models import Booking, Occupation, Session

from .conftest import MONDAY, paris
from .factories import AgentFactory, ResourceFactory, SessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency tests need PostgreSQL"
    ),
]

THREADS = 50


def run_parallel(function, count: int = THREADS) -> Counter:
    """Run function(i) in `count` threads started together; count outcomes by kind."""
    barrier = threading.Barrier(count)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait()
            function(index)
            outcome = "ok"
        except SlotBusy:
            outcome = "busy"
        except BookingError:
            outcome = "refused"
        except Exception as error:
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _slow_count(monkeypatch):
    """Widen the window between counting seats and writing, as a loaded server would."""
    original = services._seats_taken

    def slow(session):
        taken = original(session)
        time.sleep(0.01)
        return taken

    monkeypatch.setattr(services, "_seats_taken", slow)


def _last_seat_session() -> Session:
    session = SessionFactory(capacity=5)
    for i in range(4):
        services.session_register(session=session, name=f"Inscrit {i}", phone="0600000000")
    return session


def _register(session):
    def book(i):
        services.session_register(
            session=session, name=f"Personne {i}", phone=f"06000000{i:02d}", waitlist=False
        )

    return book


def test_without_the_lock_the_last_seat_is_oversold(settings, monkeypatch):
    settings.MAILLAGE_APPOINTMENTS_LOCKING = False
    _slow_count(monkeypatch)
    session = _last_seat_session()
    outcomes = run_parallel(_register(session))
    assert outcomes["ok"] > 1, outcomes  # the oversell the lock exists to prevent
    assert session.seats_taken_now() > session.capacity


def test_fifty_requests_for_the_last_seat_one_succeeds(monkeypatch):
    _slow_count(monkeypatch)
    session = _last_seat_session()
    outcomes = run_parallel(_register(session))
    assert outcomes["ok"] == 1, outcomes
    assert outcomes["ok"] + outcomes["refused"] + outcomes["busy"] == THREADS, outcomes
    assert session.seats_taken_now() == session.capacity


@pytest.mark.parametrize("locking", [True, False], ids=["locked", "constraint-only"])
def test_fifty_overlapping_bookings_of_one_agent_one_succeeds(visio_setup, settings, locking):
    settings.MAILLAGE_APPOINTMENTS_LOCKING = locking
    service, place = visio_setup["service"], visio_setup["place"]
    ResourceFactory(place=place, organisation=service.organisation)  # rooms are not the limit

    def book(i):
        services.booking_create(
            service=service,
            starts_at=paris(MONDAY, 9, 5 * (i % 6)),  # 09:00 … 09:25, all overlapping
            place=place,
            name=f"Personne {i}",
            phone="0600000000",
        )

    outcomes = run_parallel(book)
    assert outcomes["ok"] == 1, outcomes
    assert set(outcomes) <= {"ok", "refused", "busy"}, outcomes
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 1


def test_fifty_overlapping_bookings_of_one_room_one_succeeds(visio_setup):
    service, place, organisation = (
        visio_setup["service"],
        visio_setup["place"],
        visio_setup["service"].organisation,
    )
    from .factories import WeeklyRuleFactory

    agents = [visio_setup["agent"]]
    for n in range(4):
        agent = AgentFactory(organisation=organisation, name=f"Agent {n}")
        WeeklyRuleFactory(agent=agent, weekday=0)
        agents.append(agent)
    service.agents.set(agents)

    def book(i):
        services.booking_create(
            service=service,
            starts_at=paris(MONDAY, 9, 5 * (i % 6)),
            place=place,
            agent=agents[i % len(agents)],
            name=f"Personne {i}",
            phone="0600000000",
        )

    outcomes = run_parallel(book)
    assert outcomes["ok"] == 1, outcomes
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 1


def test_the_database_refuses_an_overlapping_occupation(visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        name="A",
        phone="0600000000",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Occupation.objects.create(
            booking=booking,
            party_type="agent",
            party_id=visio_setup["agent"].pk,
            starts_at=paris(MONDAY, 9, 30),
            ends_at=paris(MONDAY, 10, 30),
        )
    # Inactive or forced rows are not constrained.
    Occupation.objects.create(
        booking=booking,
        party_type="agent",
        party_id=visio_setup["agent"].pk,
        starts_at=paris(MONDAY, 9, 30),
        ends_at=paris(MONDAY, 10, 30),
        forced=True,
    )


def test_a_lock_held_too_long_answers_busy(settings):
    settings.MAILLAGE_APPOINTMENTS_LOCK_TIMEOUT = "200ms"
    session = SessionFactory(capacity=3)
    locked = threading.Event()
    release = threading.Event()

    def hold_lock():
        with transaction.atomic():
            list(Session.objects.select_for_update().filter(pk=session.pk))
            locked.set()
            release.wait(5)
        connections.close_all()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    locked.wait(5)
    try:
        with pytest.raises(SlotBusy, match="Créneau très demandé, réessayez"):
            services.session_register(session=session, name="A", phone="0600000000")
    finally:
        release.set()
        thread.join()
