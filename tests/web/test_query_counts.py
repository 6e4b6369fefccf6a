"""Query counts pinned (les-emplois `assertSnapshotQueries`): every list, dashboard and export
page is asked with N rows of each kind, then with 3N, as a person who sees them all; its count of
SQL queries must not grow with the rows, and must equal the number committed in
`query_counts.json` beside this file, so a new query shows in review.

When a change adds or removes queries on purpose, rewrite the file:
`UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/web/test_query_counts.py`, and read the diff.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage import clock
from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Booking
from maillage.organisations.labels import Role
from maillage.organisations.permissions import routes
from maillage.transport.labels import Leg, StopKind
from maillage.transport.models import TourStop
from tests.factories import OrganisationFactory
from tests.mediation.conftest import _commune
from tests.plan.factories import MeetingFactory, PlanFactory

from .test_permission_matrix import PATTERNS, url_for
from .world import NOW, _organisation_records

SNAPSHOT = Path(__file__).with_name("query_counts.json")
# Rows of each kind in the first measure (the world has one; `grow` adds the rest), then x3.
N = 2
# Who asks: the first of these the route lets through (a platform administrator sees every row).
ASKERS = ["superuser", *Role.values, "staff", "anonymous"]

# Every list, dashboard and export page, with the query strings that change what it lists.
CSV, XLSX = {"format": "csv"}, {"format": "xlsx"}
PINNED: dict[str, list[dict]] = {
    "access:export": [{}],
    "access:map": [{}],
    "access:siting_list": [{}],
    "api:access_figures": [{}],
    "api:communes": [{}],
    "api:day_tours": [{}],
    "api:epcis": [{}],
    "api:indicator_sources": [{}],
    "api:list_indicators": [{}],
    "api:list_services": [{}],
    "api:mediation_statistics": [{}],
    "api:organisations": [{}],
    "api:place_counts": [{}],
    "api:places": [{}],
    "api:plan": [{}],
    "api:plans": [{}],
    "appointments:agenda": [{}, CSV],
    "appointments:availability_list": [{}],
    "appointments:feed": [{}],
    "appointments:feeds": [{}],
    "appointments:home": [{}],
    "appointments:indicators": [{}, CSV],
    "appointments:session_attendance": [{}],
    "appointments:session_attendance_pdf": [{}],
    "broadband:export": [{}],
    "broadband:import_list": [{}, CSV],
    "broadband:map": [{}],
    "broadband:programme_detail": [{}, CSV],
    "mediation:accompaniment_list": [{}, CSV, XLSX],
    "mediation:beneficiary_list": [{}, CSV, XLSX],
    "mediation:duplicates": [{}],
    "mediation:home": [{}],
    "mediation:public_stats": [{}],
    "mediation:stats": [{}, CSV],
    "networks:directory": [{}, CSV],
    "networks:home": [{}],
    "networks:index": [{}],
    "networks:meeting_list": [{}, CSV],
    "networks:member_list": [{}, CSV, XLSX],
    "networks:report_pdf": [{}],
    "networks:return_list": [{}, CSV],
    "networks:training_list": [{}, CSV],
    "organisations:export": [{}],
    "organisations:list": [{}],
    "organisations:members": [{}],
    "organisations:my_space": [{}],
    "places:communes_geojson": [{}],
    "places:find_help": [{}],
    "places:help_request_list": [{}, {"export": "csv"}],
    "places:open_data_export": [{}],
    "places:place_manage_list": [{}, {"export": "csv"}],
    "plan:dashboard": [{}],
    "plan:meeting_list": [{}],
    "plan:meetings_ics": [{}],
    "plan:plan_detail": [{}],
    "plan:plan_export": [{}],
    "plan:plan_list": [{}],
    "plan:plan_report": [{}],
    "territory:commune_search": [{}],
    "territory:commune_search_json": [{"q": "commune"}],
    "transport:day": [{}],
    "transport:driver_sheet": [{}],
    "transport:home": [{}, CSV],
    "transport:run": [{}],
    "web:home": [{}],
}
# Pages whose name says "list" or "export" but which list nothing that grows with the data.
NOT_LISTS = {
    "access:siting_pdf": "one scenario",
    "access:siting_template": "a blank CSV template",
    "api:list_slots": "slots of one service (bench/slots.py measures them)",
    "mediation:receipt_pdf": "one receipt",
    "plan:sheet_pdf": "one sheet",
    "transport:day_choose": "redirects to transport:day",
    "transport:home_visits": "a planning form (its answer lists the visits typed in)",
    "broadband:rip_template": "a blank CSV template",
    "mediation:beneficiary_export": "one beneficiary's data",
    "networks:return_template": "a blank CSV template",
    "appointments:waitlist_remove": "confirming the removal of one waitlist entry",
}
# Pages whose length stays the same with more rows, so the check that they show them cannot
# tell: figures of fixed width, or rows the growth does not reach (their query count is pinned
# all the same).
SAME_LENGTH = {
    "access:export": "figures per commune (communes do not grow)",
    "api:access_figures": "figures",
    "api:epcis": "EPCIs (not grown)",
    "api:organisations": "the grown organisations are not listed (filter not looked into)",
    "organisations:export": "the grown organisations are not listed (filter not looked into)",
    "organisations:list": "the grown organisations are not listed (filter not looked into)",
    "api:day_tours": "tours of the world's day from several runs: the latest run only",
    "api:indicator_sources": "the catalogue of sources",
    "api:mediation_statistics": "figures",
    "api:place_counts": "figures",
    "appointments:agenda?format=csv": "the day's bookings of the asker's agenda",
    "appointments:feed": "the feed of one place (grown bookings are at new places)",
    "broadband:export": "figures per commune",
    "broadband:import_list": "figure imports (not grown)",
    "broadband:import_list?format=csv": "figure imports (not grown)",
    "broadband:map": "figures",
    "mediation:duplicates": "no duplicate names in the world",
    "mediation:public_stats": "figures",
    "mediation:stats": "figures",
    "mediation:stats?format=csv": "figures",
    "networks:directory": "published profiles only (none in the world)",
    "networks:directory?format=csv": "published profiles only (none in the world)",
    "networks:index": "published networks",
    "networks:return_list?format=csv": "monthly returns (not grown)",
    "places:communes_geojson": "communes with a place",
    "places:find_help": "a search form until asked",
    "territory:commune_search": "a search form until asked",
    "transport:run": "a run's summary",
    "web:home": "the public home page",
}
LIST_LIKE = re.compile(r"(list|export|index|home|map|dashboard|stats|feeds?|agenda|_pdf|report)")


def _key(name: str, query: dict) -> str:
    return name + ("?" + "&".join(f"{k}={v}" for k, v in sorted(query.items())) if query else "")


def _asker(built, name: str, record) -> str:
    guard = routes.ROUTES[name].methods["GET"]
    for person in ASKERS:
        user = built.people[person] or AnonymousUser()
        if guard.decide(user, record) == routes.ALLOWED:
            return person
    raise AssertionError(f"{name}: nobody may read it")


def _measure(clients, person: str, url: str, query: dict) -> tuple[int, list[str], int]:
    """The answer's status, its SQL statements and its length."""
    client, cookie = clients[person]
    if cookie is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    body = b"".join(response) if response.streaming else response.content
    return response.status_code, [q["sql"] for q in queries.captured_queries], len(body)


def _grown(fewer: list[str], more: list[str]) -> str:
    """The statements (numbers blanked) asked more often with more rows."""
    shape = re.compile(r"\b\d+\b|'[^']*'")
    before = Counter(shape.sub("?", sql) for sql in fewer)
    after = Counter(shape.sub("?", sql) for sql in more)
    return "\n".join(f"  +{n}: {sql[:300]}" for sql, n in (after - before).items())


@dataclass
class Measure:
    asker: str
    status: int
    sql: list[str]  # with N rows of each kind
    length: int
    sql_3n: list[str] = field(default_factory=list)  # with 3N
    length_3n: int = 0


_serial = itertools.count(1)


def grow(built, times: int) -> None:
    """`times` more rows of each kind for the people's organisation: one record of every kind
    (`_organisation_records`: under the same plan, network and programme), a registration to
    its first workshop session, a stop of its first tour, a meeting of the plan about its
    network's sheet, a commune, an organisation and a plan."""
    own = built.records["organisations.Organisation"][0]
    plan = built.records["plan.Plan"][0]
    commune = built.records["territory.Commune"][0]
    session = built.records["appointments.Session"][0]
    tour = built.records["transport.Tour"][0]
    sheet = built.records["plan.ActionSheet"][0]
    for _ in range(times):
        records = _organisation_records(
            own, plan, commune, built.people[Role.PILOT], confidential=False
        )
        number = next(_serial)
        _commune(f"16{900 + number}", f"Commune {number}", "16000", commune.epci)
        OrganisationFactory(name=f"Organisation ajoutée {number}")
        PlanFactory()
        MeetingFactory(plan=plan).sheets.add(sheet)
        ride = records["transport.RideRequest"]
        TourStop.objects.create(
            tour=tour,
            order=number,
            kind=StopKind.PICKUP,
            request=ride,
            leg=Leg.OUTBOUND,
            arrival_at=tour.starts_at,
            service_at=tour.starts_at,
            latitude=ride.latitude,
            longitude=ride.longitude,
            label=f"Domicile {number}",
        )
        Booking.objects.create(
            service=session.service,
            session=session,
            place=session.place,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            status=BookingStatus.BOOKED,
            name=f"Inscrite {number}",
        )


@pytest.fixture(scope="module")
def counts(world, django_db_blocker):
    """`{key: Measure}` for every pinned page, each asked once before measuring (caches warm)."""
    built, clients = world
    pages = []
    for name, queries in PINNED.items():
        route = routes.ROUTES[name]
        record = built.records[route.record][0] if route.record else None
        person = _asker(built, name, record)
        for query in queries:
            pages.append((_key(name, query), person, url_for(name, record), query))
    measured = {}
    with django_db_blocker.unblock(), clock.travel(NOW):
        grow(built, N - 1)
        for key, person, url, query in pages:
            _measure(clients, person, url, query)
            status, sql, length = _measure(clients, person, url, query)
            measured[key] = Measure(person, status, sql, length)
        grow(built, 2 * N)
        for key, person, url, query in pages:
            _status, measured[key].sql_3n, measured[key].length_3n = _measure(
                clients, person, url, query
            )
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        pinned = {key: len(measure.sql) for key, measure in measured.items()}
        SNAPSHOT.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n")
    return measured


def test_every_list_and_export_page_is_pinned():
    """A new list, dashboard or export page joins PINNED (or NOT_LISTS, saying why)."""
    candidates = {
        name
        for name, route in routes.ROUTES.items()
        if name in PATTERNS and route.methods.get("GET") and LIST_LIKE.search(name)
    }
    missing = sorted(candidates - set(PINNED) - set(NOT_LISTS))
    assert not missing, f"Pin the query count of {missing} in PINNED (or explain in NOT_LISTS)."
    assert not set(PINNED) - set(PATTERNS), "PINNED names URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", [_key(name, query) for name, queries in PINNED.items() for query in queries]
)
def test_query_count_does_not_grow_with_the_rows(key, counts):
    measure = counts[key]
    assert measure.status == 200, f"{key} as {measure.asker}: {measure.status}"
    if key not in SAME_LENGTH:
        assert measure.length_3n != measure.length, f"{key}: the page did not change with the rows"
    with_n, with_3n = len(measure.sql), len(measure.sql_3n)
    assert with_n == with_3n, (
        f"{key} as {measure.asker}: {with_n} queries with {N} rows of each kind, {with_3n} with "
        f"{3 * N} (an N+1: select_related/prefetch_related, or one query per family):\n"
        + _grown(measure.sql, measure.sql_3n)
    )
    pinned = json.loads(SNAPSHOT.read_text()).get(key) if SNAPSHOT.exists() else None
    assert with_n == pinned, (
        f"{key}: {with_n} queries, {pinned} pinned in {SNAPSHOT.name} "
        "(rewrite it with UPDATE_QUERY_COUNTS=1 when the change is on purpose)"
    )
