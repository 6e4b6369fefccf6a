"""Access times at the scale of a département and of France.

    .venv/bin/python bench/access.py [--communes 35000] [--places 10000] [--sample 100]
                                     [--skip-charente] [--seed 1]

1. Charente (359 communes, the demonstration places and appointments), in a temporary SQLite
   database (or the one in DATABASE_URL): every kind of help recomputed live (travel, waiting
   for opening, delay to the first free slot, nearest and best place), time per kind and in
   total; then the same kinds computed and stored as a run (`access_run_execute`).
2. France, synthetic but French-like: 35 000 communes clustered around ~100 département
   centres across the mainland (log-normal populations, ~67 million people in all) and
   10 000 places drawn among the communes with a weight growing with population. Nearest-place
   travel for every commune with the spatial index (`matrix.nearest_travel`: cKDTree on
   projected coordinates, exact times on the 5 nearest), timed; and in the same run, on a sample
   of communes, the brute-force scan through the territory's provider (`travel.trips` from the
   commune to every place), extrapolated to every commune: the ratio is printed, and the
   sample's nearest places are checked to be the same.
"""

from __future__ import annotations

import argparse
import math
import os
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

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from maillage.access import kinds, matrix  # noqa: E402
from maillage.access.models import AccessRun  # noqa: E402
from maillage.access.runs import access_run_execute  # noqa: E402
from maillage.access.times import compute_commune_access  # noqa: E402
from maillage.territory import travel  # noqa: E402

# Mainland France, roughly: latitude and longitude bounds of the hexagon.
LAT_RANGE = (42.5, 50.9)
LON_RANGE = (-4.5, 7.8)


def charente() -> None:
    from maillage.appointments.demo import load_demo_appointments
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places
    from maillage.territory.importer import (
        CHARENTE_CONTOURS,
        CHARENTE_CSV,
        CHARENTE_DEPARTEMENT_CONTOUR,
        import_communes,
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    import_communes(
        csv_path=CHARENTE_CSV,
        contours_path=CHARENTE_CONTOURS,
        departement_contour_path=CHARENTE_DEPARTEMENT_CONTOUR,
        departement_code="16",
        departement_name="Charente",
    )
    load_referential_organisations()
    from maillage.places.models import Place

    list(load_demo_places())
    list(load_demo_appointments())
    print(
        f"Charente: 359 communes, {Place.objects.count()} demo places loaded "
        f"in {time.perf_counter() - started:.1f} s"
    )
    import holidays

    holidays.France(years=2026)  # the first use imports every country's calendar (~1 s)
    every = kinds.all_kinds()
    total = 0.0
    for kind in every:
        started = time.perf_counter()
        accesses = compute_commune_access(kind)
        seconds = time.perf_counter() - started
        total += seconds
        served = sum(1 for a in accesses if a.nearest is not None)
        print(f"  {seconds * 1000:7.0f} ms  {kind.key:<22} {served} communes reach a place")
    print(f"Charente, all {len(every)} kinds recomputed live: {total:.2f} s")
    run = AccessRun.objects.create(computed_on=django.utils.timezone.localdate())
    started = time.perf_counter()
    access_run_execute(run)
    print(
        f"Charente, all {len(run.kinds)} kinds computed and stored as run {run.pk}: "
        f"{time.perf_counter() - started:.2f} s"
    )


def synthetic_france(communes: int, places: int, seed: int):
    """Communes clustered like France's (dense around cities, sparse in between)."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack(
        [rng.uniform(*LAT_RANGE, size=100), rng.uniform(*LON_RANGE, size=100)]
    )
    weights = rng.dirichlet(np.full(100, 2.0))
    which = rng.choice(100, size=communes, p=weights)
    spread = rng.uniform(0.25, 0.6, size=100)[which]  # degrees: a département's extent
    latitudes = np.clip(centres[which, 0] + rng.normal(0, spread), *LAT_RANGE)
    longitudes = np.clip(
        centres[which, 1] + rng.normal(0, spread / math.cos(math.radians(46.5))), *LON_RANGE
    )
    population = np.maximum(30, rng.lognormal(mean=6.4, sigma=1.5, size=communes)).astype(int)
    points = np.column_stack([latitudes, longitudes])
    chance = population**0.7
    hosts = rng.choice(communes, size=places, p=chance / chance.sum())
    jitter = rng.normal(0, 0.01, size=(places, 2))
    return points, population, points[hosts] + jitter


def national(communes: int, places: int, sample: int, seed: int) -> None:
    points, population, place_points = synthetic_france(communes, places, seed)
    print(
        f"\nFrance (synthetic): {communes} communes, {population.sum() / 1e6:.1f} million "
        f"people, {places} places"
    )
    provider = travel.provider()
    started = time.perf_counter()
    nearest, minutes = matrix.nearest_travel(points, place_points, k=5, provider=provider)
    indexed = time.perf_counter() - started
    print(
        f"nearest-place travel for every commune with the spatial index: {indexed:.2f} s "
        f"(median {np.median(minutes):.1f} min, max {minutes.max():.0f} min)"
    )
    rng = np.random.default_rng(seed + 1)
    chosen = rng.choice(communes, size=sample, replace=False)
    destinations = [tuple(p) for p in place_points]
    started = time.perf_counter()
    mismatches = 0
    for row in chosen:
        trips = provider.trips(tuple(points[row]), destinations)
        best = min(range(len(trips)), key=lambda j: trips[j].minutes)
        same_time = math.isclose(trips[best].minutes, minutes[row], rel_tol=1e-9, abs_tol=1e-9)
        if best != nearest[row] and not same_time:  # a tie may pick either place
            mismatches += 1
    brute = (time.perf_counter() - started) / sample * communes
    print(
        f"brute-force scan (provider.trips to every place) on {sample} communes, extrapolated "
        f"to {communes}: {brute:.0f} s — ratio brute force / index: {brute / indexed:.0f}×; "
        f"sample's nearest places identical: {sample - mismatches}/{sample}"
    )
    started = time.perf_counter()
    for first in range(0, sample, 100):
        block = points[chosen[first : first + 100]]
        full = matrix.travel_minutes(block, place_points, provider=provider)
        assert np.allclose(full.min(axis=1), minutes[chosen[first : first + 100]])
    vectorised = (time.perf_counter() - started) / sample * communes
    print(
        f"vectorised full matrix (numpy, every pair) extrapolated: {vectorised:.1f} s — "
        f"ratio / index: {vectorised / indexed:.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-charente", action="store_true")
    options = parser.parse_args()
    if not options.skip_charente:
        charente()
    national(options.communes, options.places, options.sample, options.seed)


if __name__ == "__main__":
    main()
