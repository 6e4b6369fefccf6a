"""Broadband figures at the regulator's scale: reading a national file, applying, the map.

    .venv/bin/python bench/broadband.py                      # SQLite file under var/
    DATABASE_URL=postgres://root@127.0.0.1:5432/maillage_bench .venv/bin/python bench/broadband.py

ARCEP's per-commune files are national (about 35 000 communes); Maillage keeps the
département's. The bench reads and validates a `commune_debit_filaire.csv` holding only the
Charente's 359 communes (the baseline), then the same file padded to 35 000 lines of other
départements, and prints both times and their ratio: only the département's lines go through
frictionless and the checks, so the ratio stays far below the 97× lines. Then it applies twelve
quarters of figures and times the map's figures for one quarter with one quarter stored, then
with twelve: the query count must not change and the time stay flat (ratio ≈ 1).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/maillage-bench-broadband.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maillage.broadband import demo, figures, imports  # noqa: E402
from maillage.broadband.labels import Layout, MapMeasure  # noqa: E402
from maillage.broadband.models import FigureImport, PremisesCount  # noqa: E402
from maillage.broadband.quarters import Quarter  # noqa: E402
from maillage.territory.models import Commune  # noqa: E402

NATIONAL_LINES = 35_000


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def read(content: bytes, name: str) -> float:
    figure_import = imports.figures_import_create(
        content=content, filename=name, layout=Layout.MCI_SPEED_WIRED
    )
    result, seconds = timed(imports.figures_import_read, figure_import)
    assert result.errors == [], result.errors[:3]
    return seconds


def national(content: bytes) -> bytes:
    """The same file with the rest of France: lines of other départements."""
    lines = content.decode().splitlines()
    padding = []
    for index in range(NATIONAL_LINES - len(lines) + 1):
        code = f"{17 + index // 900:02d}{index % 900 + 1:03d}"
        padding.append(
            f"{code};Commune {index};{code[:2]};75;1000;all;0;1000;900;800;700;600;500;2024-09-30"
        )
    return ("\n".join(lines + padding) + "\n").encode()


def map_figures(quarter: Quarter, communes) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        _, seconds = timed(figures.quarter_figures, MapMeasure.SLOW_WIRED, quarter, communes)
    return len(queries), seconds


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("import_communes", verbosity=0)
    PremisesCount.objects.all().delete()
    FigureImport.objects.all().delete()
    communes = list(Commune.objects.filter(departement_id="16"))
    stories = demo._stories(communes)
    quarters = [Quarter(year, 4) for year in range(2017, 2025)] + [
        Quarter(2025, n) for n in (1, 2, 3, 4)
    ]
    departement = demo.speed_file(stories, quarters[-1], wired=True)
    base = read(departement, "commune_debit_filaire.csv")
    full = read(national(departement), "commune_debit_filaire.csv")
    print(f"lecture et contrôle, {len(communes)} lignes du département : {base:.2f} s")
    print(f"lecture et contrôle, fichier national de {NATIONAL_LINES} lignes : {full:.2f} s")
    print(f"ratio : {full / base:.1f} pour {NATIONAL_LINES / len(communes):.0f}× plus de lignes")

    imports.figures_import(content=departement, filename="q.csv", layout=Layout.MCI_SPEED_WIRED)
    one = map_figures(quarters[-1], communes)
    applied = 0.0
    for quarter in quarters[:-1]:
        content = demo.speed_file(stories, quarter, wired=True)
        _, seconds = timed(
            imports.figures_import, content=content, filename="q.csv", layout=Layout.MCI_SPEED_WIRED
        )
        applied += seconds
    twelve = map_figures(quarters[-1], communes)
    average = applied / (len(quarters) - 1)
    print(f"import complet d'un trimestre (lecture, aperçu, écriture) : {average:.2f} s en moyenne")
    print(f"carte, 1 trimestre en base : {one[0]} requêtes, {one[1] * 1000:.1f} ms")
    print(f"carte, 12 trimestres en base : {twelve[0]} requêtes, {twelve[1] * 1000:.1f} ms")
    print(
        f"ratio carte 12/1 trimestres : {twelve[1] / one[1]:.2f} "
        f"({PremisesCount.objects.count()} valeurs en base)"
    )


if __name__ == "__main__":
    main()
