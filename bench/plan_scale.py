"""Scale check of the plan: dashboard and exports for 10 vs 1 000 sheets (100 000 measurements).

    .venv/bin/python bench/plan_scale.py [--sheets 1000] [--measurements 100000]

Builds both plans in a temporary SQLite database (or the one in DATABASE_URL), renders the
dashboard and the CSV/XLSX exports for each as an anonymous visitor, and prints each time, the
number of SQL queries and the ratio large / small. Time should grow about linearly with the
number of sheets (ratio ≈ 100 for 10 → 1 000 sheets, less when fixed costs dominate) and the
number of queries must not grow at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from maillage.plan.labels import ActorRole, SheetStatus, TargetKind  # noqa: E402
from maillage.plan.models import (  # noqa: E402
    ActionSheet,
    Indicator,
    Measurement,
    Plan,
    SheetActor,
    Target,
)

INDICATORS_PER_SHEET = 2


def build_plan(slug: str, sheets: int, measurements: int) -> Plan:
    rng = random.Random(slug)
    plan = Plan.objects.create(name=f"Plan {slug}", slug=slug, period_start=2018, period_end=2023)
    statuses = SheetStatus.values
    ActionSheet.objects.bulk_create(
        ActionSheet(
            plan=plan,
            ref=f"Num{i:04d}",
            theme=rng.choice(["Numérique", "Services", "Mobilité"]),
            action="Développement des usages du numérique",
            sub_action=f"Sous-action {i}",
            status=rng.choice(statuses),
            physical=rng.random() < 0.3,
            digital=True,
            order=i,
        )
        for i in range(sheets)
    )
    sheet_ids = list(plan.sheets.values_list("pk", flat=True))
    SheetActor.objects.bulk_create(
        SheetActor(sheet_id=pk, name=f"Pilote {n % 40}", role=ActorRole.PILOT)
        for n, pk in enumerate(sheet_ids)
    )
    Indicator.objects.bulk_create(
        Indicator(sheet_id=pk, label=f"Indicateur {k} de la fiche {pk}", unit="personnes", order=k)
        for pk in sheet_ids
        for k in range(INDICATORS_PER_SHEET)
    )
    indicator_ids = list(Indicator.objects.filter(sheet__plan=plan).values_list("pk", flat=True))
    Target.objects.bulk_create(
        target
        for pk in indicator_ids
        for target in (
            Target(indicator_id=pk, kind=TargetKind.INITIAL, value=0, year=2017),
            Target(indicator_id=pk, kind=TargetKind.INTERMEDIATE, value=50, year=2020),
            Target(indicator_id=pk, kind=TargetKind.FINAL, value=100, year=2023),
        )
    )
    per_indicator = max(1, measurements // len(indicator_ids))
    start = dt.date(2018, 1, 1)
    batch = []
    for pk in indicator_ids:
        for j in range(per_indicator):
            batch.append(
                Measurement(
                    indicator_id=pk,
                    value=Decimal(rng.randint(0, 100)),
                    date=start + dt.timedelta(days=j * 3),
                )
            )
        if len(batch) >= 20_000:
            Measurement.objects.bulk_create(batch)
            batch = []
    Measurement.objects.bulk_create(batch)
    return plan


def timed(client: Client, url: str, repeat: int = 3) -> tuple[float, int, int]:
    """Best of `repeat` wall-clock times (s), number of queries, response size."""
    best = float("inf")
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        best = min(best, elapsed)
    return best, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--measurements", type=int, default=100_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    Plan.objects.filter(slug__in=["bench-small", "bench-large"]).delete()
    started = time.perf_counter()
    small_measurements = args.measurements * args.small // args.sheets
    small = build_plan("bench-small", args.small, small_measurements)
    large = build_plan("bench-large", args.sheets, args.measurements)
    print(
        f"Données : {args.small} fiches / {small_measurements} mesures et {args.sheets} fiches"
        f" / {Measurement.objects.filter(indicator__sheet__plan=large).count()} mesures,"
        f" créées en {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    pages = {
        "tableau de bord": "plan:dashboard",
        "page du schéma": "plan:plan_detail",
        "export CSV fiches": ("plan:plan_export", "fiches", "csv"),
        "export CSV indicateurs": ("plan:plan_export", "indicateurs", "csv"),
        "export XLSX": ("plan:plan_export", "schema", "xlsx"),
    }
    print(f"{'':24} {'petit':>10} {'grand':>10} {'ratio':>8}  requêtes SQL (petit/grand)")
    worst = 0.0
    for label, target in pages.items():
        name, *extra = target if isinstance(target, tuple) else (target,)
        t_small, q_small, _ = timed(client, reverse(name, args=[small.slug, *extra]))
        t_large, q_large, _ = timed(client, reverse(name, args=[large.slug, *extra]))
        ratio = t_large / t_small
        worst = max(worst, ratio)
        print(
            f"{label:24} {t_small * 1000:8.1f}ms {t_large * 1000:8.1f}ms {ratio:8.1f}"
            f"  {q_small}/{q_large}"
        )
        if q_large > q_small:
            print(f"  ⚠ le nombre de requêtes croît avec la taille ({label})")
    scale = args.sheets / args.small
    print(f"Rapport de taille : ×{scale:.0f} ; pire rapport de temps : ×{worst:.1f}")
    print(
        "OK : croissance au plus linéaire"
        if worst <= scale * 1.5
        else "⚠ croissance supérieure à linéaire"
    )


if __name__ == "__main__":
    main()
