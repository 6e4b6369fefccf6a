"""Slot search at scale: 100 places × 30 services × 60 days.

    .venv/bin/python bench/slots.py [--places 100] [--services 30] [--days 60] [--repeat 3]

Builds, in a temporary SQLite database (or the one in DATABASE_URL), 100 Points Visio with a
room each (open weekdays 09:00–12:00 and 14:00–17:00), 30 visio services with 2 remote agents
each (four half-days a week), about 20 bookings per agent and a few absences. Then times the
public search — every free slot of one service at every place over 60 days, loading rules,
absences and occupations from the database — for each service, and the search across all
services and places (first slot of each pair, nearest first), and prints p50/p95.

In the same run it times the oracle (`naive_service_slots`: every day × agent × room of every
place scanned minute by minute, nothing shared between places) for a sample of services,
checks it finds exactly the slots of the search, and prints the ratio oracle / search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
_tmp = None
if "DATABASE_URL" not in os.environ:
    _tmp = tempfile.TemporaryDirectory(prefix="maillage-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp.name}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from maillage import clock  # noqa: E402
from maillage.appointments.labels import PartyType, ResourceKind, ServiceKind  # noqa: E402
from maillage.appointments.models import (  # noqa: E402
    Absence,
    Agent,
    Booking,
    Occupation,
    Resource,
    Service,
    WeeklyRule,
)
from maillage.appointments.slot_oracle import naive_service_slots  # noqa: E402
from maillage.appointments.slots import (  # noqa: E402
    search,
    service_slots,
)
from maillage.organisations.models import Organisation  # noqa: E402
from maillage.places.labels import PlaceKind  # noqa: E402
from maillage.places.models import Place  # noqa: E402

START = dt.date(2030, 3, 4)
NOW = dt.datetime(2030, 3, 4, 7, 0, tzinfo=dt.UTC)


def build(places: int, services: int, days: int) -> list[Service]:
    rng = random.Random(16)
    organisation = Organisation.objects.create(name="Bench", slug="bench-slots")
    place_objs = Place.objects.bulk_create(
        Place(
            standard_id=f"bench-{n}",
            pivot="43493312300029",
            name=f"Point Visio {n}",
            commune_name="Chalais",
            postcode="16210",
            address="Mairie",
            kind=PlaceKind.POINT_VISIO,
            latitude=45.2 + n / 1000,
            longitude=0.0 + n / 1000,
        )
        for n in range(places)
    )
    rooms = Resource.objects.bulk_create(
        Resource(
            organisation=organisation, place=p, kind=ResourceKind.VISIO_ROOM, name=f"Salle {p.pk}"
        )
        for p in place_objs
    )
    WeeklyRule.objects.bulk_create(
        WeeklyRule(resource=r, weekday=d, start_time=dt.time(h), end_time=dt.time(h + 3))
        for r in rooms
        for d in range(5)
        for h in (9, 14)
    )
    result = []
    for s in range(services):
        service = Service.objects.create(
            organisation=organisation,
            name=f"Motif {s}",
            kind=ServiceKind.VISIO,
            duration_minutes=rng.choice([30, 45, 60]),
            buffer_after_minutes=rng.choice([0, 10, 15]),
            min_delay_hours=2,
            max_delay_days=days + 1,
        )
        agents = Agent.objects.bulk_create(
            Agent(organisation=organisation, name=f"Agent {s}-{a}") for a in range(2)
        )
        WeeklyRule.objects.bulk_create(
            WeeklyRule(agent=agent, weekday=d, start_time=dt.time(h), end_time=dt.time(h + 3))
            for agent in agents
            for d in rng.sample(range(5), 2)
            for h in (9, 14)
        )
        service.agents.set(agents)
        service.places.set(place_objs)
        for agent in agents:
            bookings = []
            for _ in range(20):
                day = START + dt.timedelta(days=rng.randrange(days))
                start = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(
                    minutes=15 * rng.randrange(12)
                )
                bookings.append(
                    Booking(
                        service=service,
                        place=rng.choice(place_objs),
                        agent=agent,
                        starts_at=start,
                        ends_at=start + service.duration,
                        status="booked",
                        name="bench",
                    )
                )
            Booking.objects.bulk_create(bookings)
            Occupation.objects.bulk_create(
                Occupation(
                    booking=b,
                    party_type=PartyType.AGENT,
                    party_id=agent.pk,
                    starts_at=b.starts_at,
                    ends_at=b.ends_at + service.buffer_after,
                )
                for b in bookings
            )
            start = dt.datetime.combine(
                START + dt.timedelta(days=rng.randrange(days)), dt.time(0), tzinfo=dt.UTC
            )
            Absence.objects.create(
                agent=agent, starts_at=start, ends_at=start + dt.timedelta(days=2)
            )
        result.append(service)
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=100)
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-sample", type=int, default=2)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    clock.set_now(NOW)
    t0 = time.perf_counter()
    with transaction.atomic():
        services = build(args.places, args.services, args.days)
    print(
        f"données : {args.places} lieux × {args.services} motifs × {args.days} jours "
        f"({Occupation.objects.count()} occupations) en {time.perf_counter() - t0:.1f} s"
    )
    end = START + dt.timedelta(days=args.days - 1)
    # As the server does at start-up (maillage/wsgi.py): what is loaded so far is frozen out
    # of the garbage collector's sight, so a full collection walks only the requests' objects.
    gc.collect()
    gc.freeze()

    timings = []
    slot_count = 0
    for _ in range(args.repeat):
        for service in services:
            t = time.perf_counter()
            found = service_slots(service, start=START, end=end)
            timings.append(time.perf_counter() - t)
            slot_count = sum(len(v) for v in found.values())
    print(
        f"recherche d'un motif dans {args.places} lieux sur {args.days} jours "
        f"({len(timings)} recherches, ~{slot_count} créneaux chacune) : "
        f"p50 {1000 * statistics.median(timings):.0f} ms, "
        f"p95 {1000 * percentile(timings, 0.95):.0f} ms"
    )

    # The same searches, every slot then read (made into a `Slot`), as the API's full listing
    # does; a page reads only the few days it shows.
    materialised = []
    for _ in range(args.repeat):
        for service in services:
            t = time.perf_counter()
            found = service_slots(service, start=START, end=end)
            read = sum(1 for place_slots in found.values() for _slot in place_slots)
            materialised.append(time.perf_counter() - t)
    print(
        f"la même recherche, chacun des ~{read} créneaux lu : "
        f"p50 {1000 * statistics.median(materialised):.0f} ms, "
        f"p95 {1000 * percentile(materialised, 0.95):.0f} ms"
    )

    across = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        rows = search(services, start=START, end=end, origin=(45.27, 0.03))
        across.append(time.perf_counter() - t)
    print(
        f"recherche tous motifs × tous lieux sur {args.days} jours, la plus proche d'abord "
        f"({len(rows)} couples motif-lieu) : p50 {1000 * statistics.median(across):.0f} ms, "
        f"p95 {1000 * percentile(across, 0.95):.0f} ms"
    )

    # The fast search against the oracle (per-minute scan of every day × agent × room of
    # every place, nothing shared), same database, same results required.
    fast_time = naive_time = 0.0
    checked = 0
    for service in services[: args.naive_sample]:
        t = time.perf_counter()
        fast = service_slots(service, start=START, end=end)
        fast_time += time.perf_counter() - t
        t = time.perf_counter()
        slow = naive_service_slots(service, start=START, end=end)
        naive_time += time.perf_counter() - t
        assert fast == slow, "la recherche et l'oracle minute par minute diffèrent"
        checked += sum(len(v) for v in slow.values())
    print(
        f"recherche {1000 * fast_time:.0f} ms, oracle naïf minute par minute "
        f"{1000 * naive_time:.0f} ms pour {args.naive_sample} motifs ({checked} créneaux "
        f"identiques) : ratio oracle / recherche = {naive_time / fast_time:.1f}×"
    )


if __name__ == "__main__":
    main()
