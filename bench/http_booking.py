"""Booking over HTTP under load: gunicorn with the production settings, PostgreSQL, N clients.

    .venv/bin/python bench/http_booking.py [--clients 100] [--seconds 20] [--workers 4]
        [--database-url postgres://root@127.0.0.1:5432/maillage_bench_http] [--port 8180]
        [--redis-url redis://127.0.0.1:6379/0]

Creates a throw-away PostgreSQL database (dropped at the end; `--keep` keeps it), migrates it,
collects the static files, builds a scenario (places, individual services with agents working
at every place for the next two weeks, workshop sessions with few seats), then starts
gunicorn on 127.0.0.1 with `maillage.settings.base` (production: CONN_MAX_AGE, atomic
requests, statement timeouts; plain HTTP on the loopback, so no HTTPS redirect or secure
cookies). Then, for a bounded time, N clients — each with its own session and CSRF token,
like a browser — go through the real public pages: the service page, hold a slot shown there
(POST), the form (GET), confirm it (POST), the confirmation; or one workshop's registration
form and POST. Every HTTP request is timed.

Baseline in the same run: the same clients on `/sante/` (one trivial query per request) for a
few seconds, so the booking figures read as a ratio to what this machine serves right now.

Prints `throughput: N req/s`, `p50: N ms`, `p95: N ms`, `p99: N ms`, then, counted from the
database afterwards: `oversold seats: N` (seats beyond a session's capacity) and
`double bookings: N` (pairs of booked appointments of one agent or room that overlap).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlsplit

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_BUTTON = re.compile(r'name="slot" value="([^"]+)"')


def admin_url(url: str) -> str:
    return urlparse(url)._replace(path="/postgres").geturl()


def recreate_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def forget_cache_keys(redis_url: str, prefix: str) -> None:
    """Delete this run's keys (sessions, counters) from the shared Redis."""
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def production_environment(args, static_root: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "maillage.settings.base",
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback, no proxy in front
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": static_root,
        # Every client comes from 127.0.0.1: the per-address cap on holds would stop them.
        "MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS": str(10**6),
        # Shared cache and sessions in Redis, as production with several workers must have.
        "REDIS_URL": args.redis_url,
        "MAILLAGE_CACHE_KEY_PREFIX": f"bench-http-{secrets.token_hex(4)}",
    }
    return env


def build(
    places: int, services: int, sessions: int, capacity: int, agents_per_service: int = 2
) -> dict:
    """The scenario, relative to today (gunicorn runs on the real clock): each individual
    service has `agents_per_service` agents, each at every place 9–12 h and 14–17 h on
    weekdays, so about `agents_per_service` × 120 slots of 30 minutes over its two weeks."""
    from maillage.appointments.labels import ServiceKind
    from maillage.appointments.models import Agent, Service, Session, WeeklyRule
    from maillage.organisations.models import Organisation
    from maillage.places.labels import PlaceKind
    from maillage.places.models import Place

    organisation = Organisation.objects.create(name="Banc HTTP", slug="banc-http")
    place_objs = Place.objects.bulk_create(
        Place(
            standard_id=f"banc-http-{n}",
            pivot="43493312300029",
            name=f"Espace numérique {n}",
            commune_name="Chalais",
            postcode="16210",
            address="Mairie",
            kind=PlaceKind.EPN,
            latitude=45.2 + n / 100,
            longitude=0.0 + n / 100,
        )
        for n in range(places)
    )
    service_ids = []
    for s in range(services):
        service = Service.objects.create(
            organisation=organisation,
            name=f"Accompagnement {s}",
            kind=ServiceKind.INDIVIDUAL,
            duration_minutes=30,
            min_delay_hours=0,
            max_delay_days=14,
        )
        agents = Agent.objects.bulk_create(
            Agent(organisation=organisation, name=f"Médiateur {s}-{a}")
            for a in range(agents_per_service)
        )
        WeeklyRule.objects.bulk_create(
            WeeklyRule(
                agent=agent, place=place, weekday=d, start_time=dt.time(h), end_time=dt.time(h + 3)
            )
            for agent in agents
            for place in place_objs
            for d in range(5)
            for h in (9, 14)
        )
        service.agents.set(agents)
        service.places.set(place_objs)
        service_ids.append(service.pk)
    workshop = Service.objects.create(
        organisation=organisation,
        name="Atelier",
        kind=ServiceKind.WORKSHOP,
        duration_minutes=90,
        max_delay_days=30,
    )
    start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    session_ids = [
        Session.objects.create(
            service=workshop,
            place=place_objs[n % places],
            starts_at=start + dt.timedelta(days=3 + n),
            ends_at=start + dt.timedelta(days=3 + n, minutes=90),
            capacity=capacity,
        ).pk
        for n in range(sessions)
    ]
    return {"services": service_ids, "sessions": session_ids}


class Response:
    """What a journey reads of an answer: status, headers (case-insensitive), body text."""

    def __init__(self, status: int, headers, text: str):
        self.status_code = status
        self.headers = headers
        self.text = text


class Client:
    """One person with a browser: own cookies (session, CSRF), requests timed one by one.

    Plain `http.client` (one connection per request, as gunicorn's sync workers close it)
    and a cookie jar of its own: `requests` cost about four times as much CPU per request,
    and the clients share the machine (and one interpreter) with the server they measure."""

    def __init__(self, base: str, timings: list, outcomes: Counter, lock: threading.Lock):
        address = urlparse(base)
        self.host, self.port = address.hostname, address.port
        self.base = base
        self.cookies: dict[str, str] = {}
        self.timings = timings
        self.outcomes = outcomes
        self.lock = lock

    def request(self, method: str, path: str, data: dict | None = None, headers=None) -> Response:
        if path.startswith("http"):
            address = urlsplit(path)
            path = address.path + (f"?{address.query}" if address.query else "")
        headers = dict(headers or {})
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.timings.append(elapsed)
        for line in answer.msg.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if answer.status >= 500:
            self.count("server error")
        return Response(answer.status, answer.msg, text)

    def count(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1

    def post_form(self, path: str, page: Response, data: dict) -> Response:
        token = unescape(CSRF_FIELD.search(page.text).group(1))
        return self.request(
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={"Referer": self.base + path},
        )

    def book(self, service_id: int, rng: random.Random, person: dict) -> None:
        path = f"/rendez-vous/motif/{service_id}/"
        page = self.request("GET", path)
        slots = SLOT_BUTTON.findall(page.text)
        if not slots:
            self.count("no slot shown")
            return
        held = self.post_form(
            f"/rendez-vous/motif/{service_id}/retenir/", page, {"slot": unescape(rng.choice(slots))}
        )
        target = held.headers.get("Location", "")
        if "/reservation/" not in target:
            self.count("slot taken at hold")
            return
        form = self.request("GET", target)
        done = self.post_form(urlparse(target).path, form, person)
        target = done.headers.get("Location", "")
        if "/confirmation/" not in target:
            self.count("hold lost")
            return
        self.request("GET", target)
        self.count("booked")

    def register(self, session_id: int, person: dict) -> None:
        path = f"/rendez-vous/atelier/{session_id}/"
        page = self.request("GET", path)
        answer = self.post_form(path, page, person)
        self.count(
            "registered"
            if "/confirmation/" in answer.headers.get("Location", "")
            else "turned away"
        )


def run_clients(count: int, seconds: float, journey) -> tuple[list[float], Counter, float]:
    timings: list[float] = []
    outcomes: Counter = Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def work(number: int) -> None:
        rng = random.Random(number)
        client = Client(BASE, timings, outcomes, lock)
        person = {"name": f"Personne {number}", "phone": f"06 00 00 {number % 100:02d} 00"}
        while time.perf_counter() < deadline:
            try:
                journey(client, rng, person)
            except (OSError, http.client.HTTPException, AttributeError) as error:
                client.count(f"client error: {type(error).__name__}")

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, outcomes, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit("gunicorn s'est arrêté au démarrage.")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn ne répond pas.")


def count_violations() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(SUM(GREATEST(taken - capacity, 0)), 0) FROM (
                SELECT s.capacity, COUNT(b.id) AS taken
                FROM appointments_session s
                LEFT JOIN appointments_booking b ON b.session_id = s.id AND b.status = 'booked'
                GROUP BY s.id, s.capacity
            ) seats
            """
        )
        oversold = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT COUNT(*) FROM appointments_booking a
            JOIN appointments_booking b ON a.id < b.id
                AND (a.agent_id = b.agent_id OR a.resource_id = b.resource_id)
                AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
            WHERE a.status = 'booked' AND b.status = 'booked'
                AND a.session_id IS NULL AND b.session_id IS NULL
            """
        )
        double = cursor.fetchone()[0]
    return int(oversold), int(double)


def add_store_arguments(parser: argparse.ArgumentParser, database: str) -> None:
    """`--database-url` (a throw-away PostgreSQL database, `database` by default) and
    `--redis-url`: the options of every bench that runs the site on its production stores."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", f"postgres://root@127.0.0.1:5432/{database}"),
        help="a throw-away database: dropped and created again",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="the shared cache (keys under a prefix of this run); '' for none",
    )


BASE = ""


def main() -> None:
    global BASE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--baseline-seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument(
        "--agents",
        type=int,
        default=3,
        help="agents per service: enough slots that the clients never book them all",
    )
    add_store_arguments(parser, "maillage_bench_http")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("--database-url doit désigner une base PostgreSQL (postgres://…).")
    BASE = f"http://127.0.0.1:{args.port}"
    # Stopped from outside (timeout, Ctrl-C): still stop gunicorn and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("interrompu"))

    recreate_database(args.database_url)
    # Collected (and compressed) once, then reused: it takes minutes on a busy machine.
    static_root = ROOT / "var" / "bench-static"
    env = production_environment(args, str(static_root))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    print(f"base migrée, fichiers statiques : {time.perf_counter() - step:.0f} s", flush=True)
    scenario = build(args.places, args.services, args.sessions, args.capacity, args.agents)
    connection.close()

    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "maillage.wsgi",
            "--preload",
            "--timeout",
            "120",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(BASE + "/sante/", server)

        def health(client: Client, rng: random.Random, person: dict) -> None:
            client.request("GET", "/sante/")

        base_timings, _, base_elapsed = run_clients(args.clients, args.baseline_seconds, health)
        base_rate = len(base_timings) / base_elapsed

        def journey(client: Client, rng: random.Random, person: dict) -> None:
            if rng.random() < 0.2:
                client.register(rng.choice(scenario["sessions"]), person)
            else:
                client.book(rng.choice(scenario["services"]), rng, person)

        timings, outcomes, elapsed = run_clients(args.clients, args.seconds, journey)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    rate = len(timings) / elapsed
    oversold, double = count_violations()
    connection.close()
    if not args.keep:
        drop_database(args.database_url)
        forget_cache_keys(args.redis_url, env["MAILLAGE_CACHE_KEY_PREFIX"])

    print(
        f"{args.clients} clients, {args.workers} workers gunicorn, {elapsed:.1f} s, "
        f"{len(timings)} requêtes ; parcours : {dict(sorted(outcomes.items()))}"
    )
    print(
        f"référence /sante/ dans la même exécution : {base_rate:.0f} req/s, "
        f"p95 {1000 * percentile(base_timings, 0.95):.0f} ms"
    )
    print(f"throughput: {rate:.0f} req/s")
    print(f"p50: {1000 * statistics.median(timings):.0f} ms")
    print(f"p95: {1000 * percentile(timings, 0.95):.0f} ms")
    print(f"p99: {1000 * percentile(timings, 0.99):.0f} ms")
    print(f"oversold seats: {oversold}")
    print(f"double bookings: {double}")
    print(f"ratio débit réservation / débit /sante/ : {rate / base_rate:.2f}")


if __name__ == "__main__":
    main()
