"""Booking under load on PostgreSQL: many clients racing for overlapping slots and last seats.

    DATABASE_URL=postgres://root@127.0.0.1:5432/maillage_bench \\
        .venv/bin/python bench/booking_load.py [--clients 32] [--attempts 60] [--no-lock]

Creates the database if needed and migrates it, then builds a fresh scenario: one place
with 4 agents (individual 30-minute appointments, Monday 09:00–12:00), 3 partner agents
sharing 2 Point Visio rooms (45-minute visio appointments, same morning), and 12 workshop
sessions of 5 seats. Every client thread (its own connection) makes random attempts: an
individual or visio appointment at a random 5-minute start (so most attempts overlap
others), or a seat in a random session. It prints the throughput and the outcomes, then,
counted afterwards from the database itself for this scenario's rows:

    double bookings: N   (pairs of active bookings of one agent or room that overlap)
    oversold seats: N    (seats taken beyond a session's capacity)

Both must be 0. `--no-lock` switches the locking helper off: seats get oversold (the
exclusion constraint still keeps agents and rooms single-booked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("DATABASE_URL doit désigner une base PostgreSQL (postgres://…).")


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from maillage import clock  # noqa: E402
from maillage.appointments import services  # noqa: E402
from maillage.appointments.labels import ResourceKind, ServiceKind  # noqa: E402
from maillage.appointments.locking import BookingError, SlotBusy, SlotTaken  # noqa: E402
from maillage.appointments.models import (  # noqa: E402
    Agent,
    Resource,
    Service,
    Session,
    WeeklyRule,
)
from maillage.organisations.models import Organisation  # noqa: E402
from maillage.places.labels import PlaceKind  # noqa: E402
from maillage.places.models import Place  # noqa: E402

NOW = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)
MONDAY_9 = dt.datetime(2030, 3, 4, 8, 0, tzinfo=dt.UTC)  # 09:00 in Paris


def build(run: str):
    organisation = Organisation.objects.create(name=f"Bench {run}", slug=f"bench-{run}")
    place = Place.objects.create(
        standard_id=f"bench-{run}",
        pivot="43493312300029",
        name=f"Lieu bench {run}",
        commune_name="Chalais",
        postcode="16210",
        address="Mairie",
        kind=PlaceKind.POINT_VISIO,
    )
    individual = Service.objects.create(
        organisation=organisation,
        name="Individuel",
        kind=ServiceKind.INDIVIDUAL,
        duration_minutes=30,
        buffer_after_minutes=5,
        min_delay_hours=0,
    )
    visio = Service.objects.create(
        organisation=organisation,
        name="Visio",
        kind=ServiceKind.VISIO,
        duration_minutes=45,
        min_delay_hours=0,
    )
    individual.places.set([place])
    visio.places.set([place])
    agents = [Agent.objects.create(organisation=organisation, name=f"A{n}") for n in range(4)]
    partners = [Agent.objects.create(organisation=organisation, name=f"P{n}") for n in range(3)]
    for agent in agents:
        WeeklyRule.objects.create(
            agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
        )
    for agent in partners:
        WeeklyRule.objects.create(
            agent=agent, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
        )
    individual.agents.set(agents)
    visio.agents.set(partners)
    rooms = [
        Resource.objects.create(
            organisation=organisation, place=place, kind=ResourceKind.VISIO_ROOM, name=f"R{n}"
        )
        for n in range(2)
    ]
    workshop = Service.objects.create(
        organisation=organisation, name="Atelier", kind=ServiceKind.WORKSHOP, duration_minutes=90
    )
    sessions = [
        Session.objects.create(
            service=workshop,
            place=place,
            starts_at=MONDAY_9 + dt.timedelta(days=n),
            ends_at=MONDAY_9 + dt.timedelta(days=n, minutes=90),
            capacity=5,
        )
        for n in range(12)
    ]
    return {
        "place": place,
        "individual": individual,
        "visio": visio,
        "agents": agents,
        "partners": partners,
        "rooms": rooms,
        "sessions": sessions,
    }


def attempt(scenario, rng: random.Random, index: int) -> str:
    kind = rng.random()
    try:
        if kind < 0.4:
            services.booking_create(
                service=scenario["individual"],
                starts_at=MONDAY_9 + dt.timedelta(minutes=5 * rng.randrange(30)),
                place=scenario["place"],
                agent=rng.choice([None, *scenario["agents"]]),
                name=f"c{index}",
            )
        elif kind < 0.7:
            services.booking_create(
                service=scenario["visio"],
                starts_at=MONDAY_9 + dt.timedelta(minutes=5 * rng.randrange(27)),
                place=scenario["place"],
                name=f"c{index}",
            )
        else:
            services.session_register(
                session=rng.choice(scenario["sessions"]),
                name=f"c{index}",
                phone="0600000000",
                waitlist=False,
            )
    except SlotBusy:
        return "très demandé (verrou)"
    except SlotTaken:
        return "créneau pris"
    except BookingError:
        return "refusé (complet ou indisponible)"
    except Exception as error:  # reported, not hidden: the run goes on
        return f"erreur {type(error).__name__}"
    return "réservé"


DOUBLE_BOOKINGS = """
SELECT count(*) FROM appointments_booking a
JOIN appointments_booking b ON a.id < b.id
  AND a.status IN ('booked', 'held') AND b.status IN ('booked', 'held')
  AND NOT a.forced AND NOT b.forced
  AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
  AND (a.agent_id = b.agent_id OR a.resource_id = b.resource_id)
WHERE a.service_id = ANY(%s) AND b.service_id = ANY(%s)
"""
OVERLAPPING_OCCUPATIONS = """
SELECT count(*) FROM appointments_occupation a
JOIN appointments_occupation b ON a.id < b.id
  AND a.party_type = b.party_type AND a.party_id = b.party_id
  AND a.active AND b.active AND NOT a.forced AND NOT b.forced
  AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
JOIN appointments_booking ab ON ab.id = a.booking_id
WHERE ab.service_id = ANY(%s)
"""
OVERSOLD = """
SELECT coalesce(sum(greatest(taken - capacity, 0)), 0) FROM (
  SELECT s.id, s.capacity, count(b.id) AS taken FROM appointments_session s
  LEFT JOIN appointments_booking b ON b.session_id = s.id AND b.status IN ('booked', 'held')
  WHERE s.id = ANY(%s) GROUP BY s.id, s.capacity
) t
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--attempts", type=int, default=60, help="par client")
    parser.add_argument("--no-lock", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    settings.MAILLAGE_APPOINTMENTS_LOCKING = not args.no_lock
    clock.set_now(NOW)
    run = f"{int(time.time())}-{os.getpid()}"
    scenario = build(run)
    outcomes: Counter = Counter()
    guard = threading.Lock()
    barrier = threading.Barrier(args.clients)

    def client(number: int) -> None:
        rng = random.Random(number)
        local: Counter = Counter()
        barrier.wait()
        for i in range(args.attempts):
            local[attempt(scenario, rng, number * 10_000 + i)] += 1
        connections.close_all()
        with guard:
            outcomes.update(local)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(outcomes.values())
    print(
        f"{args.clients} clients × {args.attempts} tentatives = {total} en {elapsed:.1f} s : "
        f"{total / elapsed:.0f} tentatives/s, {outcomes['réservé'] / elapsed:.0f} réservations/s"
        f"{' (verrou désactivé)' if args.no_lock else ''}"
    )
    for outcome, count in outcomes.most_common():
        print(f"  {outcome} : {count}")

    service_ids = [scenario["individual"].pk, scenario["visio"].pk]
    with connection.cursor() as cursor:
        cursor.execute(DOUBLE_BOOKINGS, [service_ids, service_ids])
        double = cursor.fetchone()[0]
        cursor.execute(OVERLAPPING_OCCUPATIONS, [service_ids])
        double += cursor.fetchone()[0]
        cursor.execute(OVERSOLD, [[s.pk for s in scenario["sessions"]]])
        oversold = cursor.fetchone()[0]
    print(f"double bookings: {double}")
    print(f"oversold seats: {oversold}")


if __name__ == "__main__":
    main()
