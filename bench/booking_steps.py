"""CPU and queries of each step of one public booking, in process, with the production settings.

    .venv/bin/python bench/booking_steps.py [--journeys 40]
        [--database-url postgres://root@127.0.0.1:5432/maillage_bench_steps]
        [--redis-url redis://127.0.0.1:6379/0] [--profile page|hold|form|confirm|confirmation]

What `bench/http_booking.py` measures from outside (throughput, latency under 100 clients), seen
from inside one process: the same scenario on a throw-away PostgreSQL database, the same
journey (service page, hold, form, confirm, confirmation) through Django's test client with
`maillage.settings.base` (atomic requests, Redis sessions and cache), one journey after the
other. Prints, per step, the median CPU time of this process (`time.process_time`: Python,
templates, the driver — not PostgreSQL's own work) and the number of queries. With
`--profile STEP`, prints the top of a cProfile of that step over every journey.

The baseline is the same run's `/sante/` (one trivial query): its CPU is what every request
pays before any page's own work.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import http_booking  # noqa: E402

STEPS = ("page", "hold", "form", "confirm", "confirmation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/maillage_bench_steps"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--profile", choices=("health", *STEPS))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("--database-url doit désigner une base PostgreSQL (postgres://…).")

    http_booking.recreate_database(args.database_url)
    prefix = f"bench-steps-{secrets.token_hex(4)}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "maillage.settings.base",
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS": str(10**6),
            "REDIS_URL": args.redis_url,
            "MAILLAGE_CACHE_KEY_PREFIX": prefix,
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    if not (ROOT / "var" / "bench-static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    scenario = http_booking.build(places=10, services=10, sessions=4, capacity=8)

    cpu: dict[str, list[float]] = {step: [] for step in ("health", *STEPS)}
    queries: dict[str, list[int]] = {step: [] for step in ("health", *STEPS)}
    profiler = cProfile.Profile(time.process_time) if args.profile else None

    def timed(step: str, path: str, data: dict | None = None):
        call = client.get if data is None else client.post
        with CaptureQueriesContext(connection) as captured:
            if profiler is not None and step == args.profile:
                profiler.enable()
            started = time.process_time()
            response = call(path, data or {})
            cpu[step].append(time.process_time() - started)
            if profiler is not None and step == args.profile:
                profiler.disable()
        queries[step].append(len(captured))
        return response

    rng = random.Random(1)
    person = {"name": "Personne", "phone": "06 00 00 00 00"}
    # One client (one handler: its middleware, whitenoise's file index, are built once, as in
    # a gunicorn worker), a new visitor each journey: cookies forgotten.
    client = Client()
    client.get("/sante/")
    for journey in range(-3, args.journeys):
        if journey == 0:  # three journeys to warm up (templates compiled, caches filled)
            for step in cpu:
                cpu[step].clear()
                queries[step].clear()
            if profiler is not None:
                profiler = cProfile.Profile(time.process_time)
        client.cookies.clear()
        timed("health", "/sante/")
        service_id = rng.choice(scenario["services"])
        page = timed("page", f"/rendez-vous/motif/{service_id}/")
        slots = http_booking.SLOT_BUTTON.findall(page.content.decode())
        if not slots:
            continue
        slot = http_booking.unescape(rng.choice(slots))
        held = timed("hold", f"/rendez-vous/motif/{service_id}/retenir/", {"slot": slot})
        target = held.headers.get("Location", "")
        if "/reservation/" not in target:
            continue
        timed("form", target)
        done = timed("confirm", target, person)
        target = done.headers.get("Location", "")
        if "/confirmation/" in target:
            timed("confirmation", target)

    connection.close()
    if not args.keep:
        http_booking.drop_database(args.database_url)
        http_booking.forget_cache_keys(args.redis_url, prefix)
    print(f"{args.journeys} parcours")
    for step in ("health", *STEPS):
        if cpu[step]:
            print(
                f"{step:>12}: CPU p50 {1000 * statistics.median(cpu[step]):5.1f} ms, "
                f"requêtes SQL {statistics.median(queries[step]):.0f}"
            )
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"maillage/|template/base|db/models/query", 40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
