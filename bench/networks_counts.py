"""Counting Promeneurs du Net at a date, and summing their contacts, at national scale.

    .venv/bin/python bench/networks_counts.py            # SQLite file in /tmp
    DATABASE_URL=postgres://root@127.0.0.1:5432/DB .venv/bin/python bench/networks_counts.py

France has about 2 500 Promeneurs du Net; the bench builds 3 000 members (then 30 000), each
with a dated status history (in training → active, some paused, some gone), an initial
training for most, and a year of monthly returns with their counts. It times the database
count of active members on a date (`Member.objects.active_on`, what the Num02 indicator runs)
and the year's contacts (`networks.contacts`), against a baseline measured in the same run:
the same figures computed in Python from every row fetched. The queries must not grow with
the members (one each) and the database should beat the baseline by a wide margin.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/maillage-bench-networks.sqlite3")

if os.environ["DATABASE_URL"].startswith("postgres"):
    import psycopg

    url = os.environ["DATABASE_URL"]
    name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maillage.networks.indicator_sources import sum_contacts  # noqa: E402
from maillage.networks.labels import CountKind, MemberStatus, Presence, TrainingKind  # noqa: E402
from maillage.networks.models import (  # noqa: E402
    Member,
    MemberStatusChange,
    MonthlyReturn,
    Network,
    ReturnCount,
    TrainingAttendance,
    TrainingSession,
)
from maillage.organisations.models import Organisation  # noqa: E402

DAY = dt.date(2025, 6, 30)
MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]
CHANNELS = ["instagram", "snapchat", "tiktok"]


def build(network: Network, organisation: Organisation, start: int, stop: int) -> None:
    """Members [start, stop) with histories, trainings and a year of returns."""
    members = Member.objects.bulk_create(
        Member(
            network=network,
            first_name=f"P{i}",
            last_name="Bench",
            job="youth_worker",
            organisation=organisation,
            status=MemberStatus.ACTIVE,
        )
        for i in range(start, stop)
    )
    session = TrainingSession.objects.create(
        network=network,
        kind=TrainingKind.INITIAL,
        title=f"Formation {start}",
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 9, 2),
    )
    changes, attendances, returns = [], [], []
    for i, member in zip(range(start, stop), members, strict=True):
        joined = dt.date(2022, 1, 1) + dt.timedelta(days=i % 900)
        changes.append(MemberStatusChange(member=member, status="in_training", effective_on=joined))
        changes.append(
            MemberStatusChange(
                member=member, status="active", effective_on=joined + dt.timedelta(days=120)
            )
        )
        if i % 7 == 0:
            changes.append(
                MemberStatusChange(member=member, status="paused", effective_on=dt.date(2025, 3, 1))
            )
        if i % 11 == 0:
            changes.append(
                MemberStatusChange(member=member, status="left", effective_on=dt.date(2025, 5, 1))
            )
        if i % 5:
            attendances.append(
                TrainingAttendance(session=session, member=member, presence=Presence.PRESENT)
            )
        returns += [MonthlyReturn(member=member, month=month) for month in MONTHS]
    MemberStatusChange.objects.bulk_create(changes, batch_size=5000)
    TrainingAttendance.objects.bulk_create(attendances, batch_size=5000)
    returns = MonthlyReturn.objects.bulk_create(returns, batch_size=5000)
    ReturnCount.objects.bulk_create(
        (
            ReturnCount(monthly_return=r, kind=CountKind.CHANNEL, code=code, count=1 + r.pk % 9)
            for r in returns
            for code in CHANNELS
        ),
        batch_size=10000,
    )
    with connection.cursor() as cursor:  # fresh statistics for the planner, as in production
        cursor.execute("ANALYZE")


def baseline(network: Network) -> tuple[int, int]:
    """The same two figures from every row, in Python."""
    last: dict[int, tuple[dt.date, int, str]] = {}
    for member_id, status, on, pk in MemberStatusChange.objects.filter(
        member__network=network, effective_on__lte=DAY
    ).values_list("member_id", "status", "effective_on", "pk"):
        if member_id not in last or (on, pk) > last[member_id][:2]:
            last[member_id] = (on, pk, status)
    trained = set(
        TrainingAttendance.objects.filter(
            member__network=network,
            presence=Presence.PRESENT,
            session__kind=TrainingKind.INITIAL,
            session__ends_on__lte=DAY,
        ).values_list("member_id", flat=True)
    )
    active = sum(1 for m, (_, _, s) in last.items() if s == MemberStatus.ACTIVE and m in trained)
    contacts = sum(
        ReturnCount.objects.filter(
            monthly_return__member__network=network,
            kind=CountKind.CHANNEL,
            monthly_return__month__gte=dt.date(2025, 1, 1),
            monthly_return__month__lte=DAY,
        ).values_list("count", flat=True)
    )
    return active, contacts


def timed(function, repeat: int = 5):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def measure(network: Network, members: int) -> None:
    filters = {"network": network.slug}

    def database():
        active = Member.objects.filter(network=network).active_on(DAY).count()
        contacts = sum_contacts(filters, start=dt.date(2025, 1, 1), end=DAY)
        return active, int(contacts)

    with CaptureQueriesContext(connection) as queries:
        database()
    (active, contacts), t_db = timed(database)
    reference, t_py = timed(lambda: baseline(network))
    assert (active, contacts) == reference, ((active, contacts), reference)
    print(
        f"{members:>6} membres : {active} actifs au {DAY:%d/%m/%Y}, {contacts} contacts — "
        f"base {t_db * 1000:.1f} ms en {len(queries)} requêtes ; Python {t_py * 1000:.1f} ms ; "
        f"rapport {t_py / t_db:.1f}×"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    with transaction.atomic():  # a previous run's network goes first
        Member.objects.filter(network__slug="bench").delete()
        Network.objects.filter(slug="bench").delete()
    organisation, _ = Organisation.objects.get_or_create(
        slug="bench-structure", defaults={"name": "Structure du banc", "kind": "association"}
    )
    network = Network.objects.create(slug="bench", name="Réseau du banc", organisation=organisation)
    build(network, organisation, 0, 3000)
    measure(network, 3000)
    build(network, organisation, 3000, 30000)
    measure(network, 30000)


if __name__ == "__main__":
    main()
