"""Cold start: what every command, test worker and server process pays before its first line.

    .venv/bin/python bench/cold_start.py [--runs 7] [--settings maillage.settings.dev]

Fresh Python processes run `django.setup(); import maillage.urls`, alternating with processes
that then also import the heavy libraries the code imports on first use
(`LIBRARIES`: those `maillage/wsgi.py` preloads): the second figure is what the
start cost when the URL configuration imported them. Prints the median CPU time (user + sys,
steadier than the wall clock on a shared machine) and wall time of each, and their ratio.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', {settings!r}); "
    "django.setup(); import maillage.urls"
)
WITH_LIBRARIES = "; import importlib; [importlib.import_module(n) for n in {names!r}]"
LIBRARIES = [
    "numpy",
    "scipy.spatial",
    "openpyxl",
    "frictionless",
    "icalendar",
    "shapely",
    "pygal",
    "highspy",
    "holidays",
]


def measure(code: str) -> tuple[float, float]:
    """CPU seconds (user + sys) and wall seconds of one fresh process running `code`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--settings", default="maillage.settings.dev")
    options = parser.parse_args()
    start = START.format(settings=options.settings)
    eager = start + WITH_LIBRARIES.format(names=LIBRARIES)
    figures: dict[str, list[tuple[float, float]]] = {"now": [], "eager": []}
    for _ in range(options.runs):  # alternate, so both meet the same load
        figures["now"].append(measure(start))
        figures["eager"].append(measure(eager))
    medians = {
        name: (statistics.median(c for c, _ in runs), statistics.median(w for _, w in runs))
        for name, runs in figures.items()
    }
    (cpu, wall), (eager_cpu, eager_wall) = medians["now"], medians["eager"]
    print(f"cold start, libraries on first use : {cpu:.2f} s CPU, {wall:.2f} s wall")
    print(f"cold start, libraries imported too  : {eager_cpu:.2f} s CPU, {eager_wall:.2f} s wall")
    print(
        f"ratio (median of {options.runs}): CPU {cpu / eager_cpu:.2f}, wall {wall / eager_wall:.2f}"
    )


if __name__ == "__main__":
    main()
