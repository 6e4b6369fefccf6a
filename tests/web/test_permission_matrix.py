"""The permission matrix: every route of the URL configuration × every kind of person
(anonymous, each role, staff, platform administrator) × a record of their own organisation and
one of another organisation × GET and POST, each answered as its guard in
`maillage/organisations/permissions/routes.py` decides (login page or 401, 403, 404, 405, or
let through). A refused POST writes nothing.

The expected answers come from the permissions package; nothing here types a status per role.
Every request runs in a savepoint rolled back after it, so an accepted POST (a deletion, a
cancellation) leaves the world as it was for the next one. Where a guard lets every kind of
person through for a record, three of them (no account, no right, every right) stand for all.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maillage import clock
from maillage.organisations.labels import Role
from maillage.organisations.permissions import routes
from tests.factories import UserFactory

from .world import API_BODIES, NOW, PEOPLE, url_kwargs

ROUTES_MODULE = "maillage/organisations/permissions/routes.py"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Who stands for everyone when a guard lets everyone through: no account, no right, every right.
SAMPLE = ("anonymous", Role.VIEWER, "superuser")
REFUSED = {routes.LOGIN, routes.FORBIDDEN, routes.HIDDEN, "not allowed"}


def _patterns(resolver=None, namespace=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the Django admin has its own permissions (staff, model rights)
            yield from _patterns(
                pattern, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


PATTERNS = dict(sorted(_patterns()))


def url_for(name: str, record) -> str:
    """Fill the URL's keywords from the record it names (and a few literal values)."""
    pattern = PATTERNS[name]
    keys = re.findall(r"<(?:\w+:)?(\w+)>", pattern) + re.findall(r"\(\?P<(\w+)>", pattern)
    return reverse(name, kwargs=url_kwargs(keys, record) or None)


class _Rollback(Exception):
    pass


def _request(client, cookie, method: str, url: str, body=None):
    """One request in a savepoint rolled back after it; returns (response, writes)."""
    if cookie is not None:  # a logout or a login may have replaced it
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.value
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            data = body() if body is not None else {}
            if method == "GET":
                response = client.get(url)
            elif body is None or any(isinstance(v, UploadedFile) for v in data.values()):
                response = client.post(url, data)  # a form (with its file)
            else:
                response = client.post(url, data, content_type="application/json")
            raise _Rollback
    except _Rollback:
        pass
    writes = [
        q["sql"][:120]
        for q in queries.captured_queries
        if WRITES.match(q["sql"]) and "django_session" not in q["sql"]
    ]
    return response, writes


def _expected(built, guard, person: str, record) -> str:
    """The guard's verdict (the same guard protects many routes: asked once per record)."""
    if guard is None:
        return "not allowed"
    key = (guard, person, record._meta.label if record else "", record.pk if record else None)
    if key not in built.verdicts:
        built.verdicts[key] = guard.decide(built.people[person] or AnonymousUser(), record)
    return built.verdicts[key]


def _outcome(response) -> str:
    status = response.status_code
    if status == 405:
        return "not allowed"
    if status == 401 or (
        status == 302 and response["Location"].startswith(reverse("login") + "?next=")
    ):
        return routes.LOGIN
    if status == 403:
        return routes.FORBIDDEN
    if status == 404:
        return routes.HIDDEN
    return routes.ALLOWED


def test_every_route_declares_its_guard():
    missing = sorted(set(PATTERNS) - set(routes.ROUTES))
    stale = sorted(set(routes.ROUTES) - set(PATTERNS))
    assert not missing, (
        f"No permission declared for {missing}: add each to ROUTES in {ROUTES_MODULE}, e.g. "
        '"app:name": Route(get=anywhere(permissions.APP_ACTION), record="app.Model") '
        "(see the module's docstring), then run `maillage permissions-doc`."
    )
    assert not stale, f"ROUTES in {ROUTES_MODULE} names URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PATTERNS))
def test_route_answers_as_the_permissions_module_says(name, world):
    route = routes.ROUTES.get(name)
    assert route is not None, (
        f"{name} has no expectation: declare its guard in ROUTES in {ROUTES_MODULE}."
    )
    built, clients = world
    records = built.records[route.record] if route.record else (None,)
    records = list(dict.fromkeys(records))  # one shared record is asked once
    mismatches = []
    with clock.travel(NOW):
        for record in records:
            url = url_for(name, record)
            for method, guard in route.methods.items():
                expected = {person: _expected(built, guard, person, record) for person in PEOPLE}
                # When the guard lets everyone through, a few people stand for all.
                if set(expected.values()) == {routes.ALLOWED}:
                    expected = {person: expected[person] for person in SAMPLE}
                for person, outcome in expected.items():
                    client, cookie = clients[person]
                    response, writes = _request(client, cookie, method, url, API_BODIES.get(name))
                    got = _outcome(response)
                    if got != outcome:
                        mismatches.append(
                            f"{method} {url} as {person}: expected {outcome}, "
                            f"got {response.status_code} ({got})"
                        )
                    if outcome in REFUSED and writes:
                        mismatches.append(f"{method} {url} as {person} refused but wrote {writes}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(client, login, member):
    """The Django admin keeps its own rights (staff flag, model permissions): outside the
    matrix, so checked here."""
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = login(member(Role.ADMIN)).get("/admin/")  # an organisation admin is not staff
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert login(UserFactory(staff=True)).get("/admin/").status_code == 200
