"""Server time per page of the booking journey, in process, with the production settings.

    .venv/bin/python bench/page_cpu.py [--rounds 200]
        [--database-url postgres://root@127.0.0.1:5432/maillage_bench_page_cpu]
        [--redis-url redis://127.0.0.1:6379/0] [--profile hold] [--profile-lines 40]
        [--profile-sort tottime]

Creates a throw-away PostgreSQL database (dropped at the end), builds the scenario of
`bench/http_booking.py` (same places, services, agents and workshop sessions), then goes
through the booking journey's pages with Django's test client, one person at a time, each
with its own session and CSRF token (checked, like a browser), `--rounds` times: the legal
notice (the layout and little else), the home page, the service page, hold a slot (POST),
the form, confirm (POST), the confirmation, a workshop's registration form; and `/sante/`
(one trivial query) as the baseline. No network and no gunicorn: what is measured is what
the server spends per page (Python and its queries), the figure that bounds
`http_booking.py`'s throughput on a 2-core machine.

Prints, per page, the mean wall time and the mean and median process CPU time per request
(ms: Python, templates, the driver — not PostgreSQL's own work), the ratio of the mean CPU
to `/sante/`'s measured in the same run, and the number of SQL queries (median).
`--profile PAGE` also runs cProfile over that page's requests and prints the functions with
the most time (`--profile-sort`).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_booking  # bench/ is on the path: the shared scenario and setup

ROOT = http_booking.ROOT
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_BUTTON = re.compile(r'name="slot" value="([^"]+)"')
PAGES = ["sante", "legal", "home", "service", "hold", "form", "confirm", "confirmation", "workshop"]


class Timer:
    """Wall and CPU time and queries per page name, optionally under one profiler for one
    page."""

    def __init__(self, profile: str | None):
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.profile = profile
        self.profiler = cProfile.Profile() if profile else None

    def __call__(self, name: str, call):
        profiling = self.profiler is not None and name == self.profile
        if profiling:
            self.profiler.enable()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = call()
            self.cpu[name].append(time.process_time() - cpu)
            self.wall[name].append(time.perf_counter() - wall)
        self.queries[name].append(len(captured))
        if profiling:
            self.profiler.disable()
        if response.status_code >= 400:
            sys.exit(f"{name} : HTTP {response.status_code}")
        return response


def token(page) -> str:
    return unescape(CSRF_FIELD.search(page.content.decode()).group(1))


def journey(client, timer: Timer, service_id: int, session_id: int, number: int) -> None:
    person = {"name": f"Personne {number}", "phone": f"06 00 00 {number % 100:02d} 00"}
    timer("legal", lambda: client.get("/mentions-legales/"))  # the layout and little else
    timer("home", lambda: client.get("/"))
    path = f"/rendez-vous/motif/{service_id}/"
    page = timer("service", lambda: client.get(path))
    slots = SLOT_BUTTON.findall(page.content.decode())
    slot = unescape(slots[number * 7 % len(slots)])
    held = timer(
        "hold",
        lambda: client.post(f"{path}retenir/", {"slot": slot, "csrfmiddlewaretoken": token(page)}),
    )
    target = urlparse(held["Location"]).path
    if "/reservation/" not in target:
        sys.exit(f"créneau non retenu : {held['Location']}")
    form = timer("form", lambda: client.get(target))
    done = timer(
        "confirm", lambda: client.post(target, {**person, "csrfmiddlewaretoken": token(form)})
    )
    timer("confirmation", lambda: client.get(urlparse(done["Location"]).path))
    timer("workshop", lambda: client.get(f"/rendez-vous/atelier/{session_id}/"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    http_booking.add_store_arguments(parser, "maillage_bench_page_cpu")
    parser.add_argument("--profile", choices=PAGES, help="cProfile this page's requests")
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument("--profile-sort", default="cumulative", help="pstats key, e.g. tottime")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("--database-url doit désigner une base PostgreSQL (postgres://…).")

    http_booking.recreate_database(args.database_url)
    static_root = ROOT / "var" / "bench-static"
    env = http_booking.production_environment(args, str(static_root))
    env["ALLOWED_HOSTS"] = "testserver"
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        if not (static_root / "staticfiles.json").exists():
            call_command("collectstatic", verbosity=0, interactive=False)
        # Many more slots than rounds: every journey finds its own free slot.
        scenario = http_booking.build(places=10, services=10, sessions=4, capacity=8)
        timer = Timer(args.profile)
        # One client (its handler loads the middleware once, as a worker does); a new
        # person is a new cookie jar.
        client = Client(enforce_csrf_checks=True)
        journey(client, Timer(None), scenario["services"][0], scenario["sessions"][0], 0)
        for number in range(1, args.rounds + 1):
            client.cookies = SimpleCookie()
            timer("sante", lambda: client.get("/sante/"))
            services, sessions = scenario["services"], scenario["sessions"]
            journey(
                client,
                timer,
                services[number % len(services)],
                sessions[number % len(sessions)],
                number,
            )
    finally:
        connection.close()
        http_booking.drop_database(args.database_url)
        http_booking.forget_cache_keys(args.redis_url, env["MAILLAGE_CACHE_KEY_PREFIX"])

    base_cpu = sum(timer.cpu["sante"]) / len(timer.cpu["sante"])
    print(f"{args.rounds} parcours, réglages de production, PostgreSQL, client de test Django")
    print(f"{'page':<14}{'mur ms':>9}{'CPU ms':>9}{'CPU p50':>9}{'CPU / sante':>13}{'SQL':>6}")
    for name in PAGES:
        wall = 1000 * sum(timer.wall[name]) / len(timer.wall[name])
        cpu = 1000 * sum(timer.cpu[name]) / len(timer.cpu[name])
        median = 1000 * statistics.median(timer.cpu[name])
        queries = statistics.median(timer.queries[name])
        print(
            f"{name:<14}{wall:>9.2f}{cpu:>9.2f}{median:>9.2f}{cpu / 1000 / base_cpu:>13.2f}"
            f"{queries:>6.0f}"
        )
    journey_cpu = sum(
        1000 * sum(timer.cpu[name]) / len(timer.cpu[name])
        for name in PAGES
        if name not in {"sante", "legal", "home", "workshop"}
    )
    print(f"booking journey (service→confirmation), CPU ms: {journey_cpu:.1f}")
    if timer.profiler is not None:
        print(f"\nprofil de « {args.profile} » ({args.rounds} requêtes), {args.profile_sort} :")
        stats = pstats.Stats(timer.profiler)
        stats.sort_stats(args.profile_sort).print_stats(args.profile_lines)


if __name__ == "__main__":
    main()
