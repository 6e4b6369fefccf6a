"""Hostile input in every public form: NUL and control characters, right-to-left marks,
10 000-character strings, spreadsheet formula prefixes, `javascript:` addresses and
markup, drawn by hypothesis into every field of every form a person without an account can
post (the routes whose POST guard asks no login), then into the importers' cells.

Each answer is a clear one — the form shown again with its errors, a 400 saying why, a
redirection when accepted — never a server error; and a refused request writes nothing.
"""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage import clock
from maillage.organisations.permissions import routes
from maillage.places import exchange, standard
from maillage.places.models import Place

from .test_nul_bytes import _first_record
from .test_permission_matrix import PATTERNS, WRITES, _Rollback, url_for
from .world import NOW

HOSTILE = [
    "\x00",
    "Lieu\x00de test",
    "\u202egnp.exe\u202c",  # right-to-left override
    "\u200f\u200eMairie",
    "\x1b[31mrouge\x07\x08",
    "\u0085\u2028\u2029",
    "x" * 10_000,
    '=HYPERLINK("https://exemple.fr/piege","Cliquez")',
    "+33 6 00 00 00 00+cmd",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),  # control characters included
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=10)),
)
# The refused requests write nothing; these tables record the refusal itself.
REFUSAL_RECORDS = ("axes_", "django_session")
CLEAR_ANSWERS = {200, 302, 303, 400, 403, 404, 405, 409, 422, 429}


def _public_post_routes() -> list[str]:
    return [
        name
        for name in PATTERNS
        if name in routes.ROUTES
        and (guard := routes.ROUTES[name].methods["POST"]) is not None
        and not guard.login
        and not name.startswith("api:")  # the API: Schemathesis (tests/api)
        and name != "logout"
    ]


PUBLIC_POSTS = _public_post_routes()


def _post_form(client, cookie, url: str, data: dict):
    """One form POST in a savepoint rolled back after it; returns (response, writes)."""
    client.cookies[django_settings.SESSION_COOKIE_NAME] = cookie.value if cookie else ""
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
            raise _Rollback
    except _Rollback:
        pass
    return response, [q["sql"][:120] for q in queries.captured_queries if WRITES.match(q["sql"])]


def _form_fields(client, url) -> dict[str, forms.Field]:
    response = client.get(url)
    context = response.context or {}
    found = {}
    for key in ("form", "login_form"):
        form = context.get(key) if hasattr(context, "get") else None
        if isinstance(form, forms.BaseForm):
            found.update({form.add_prefix(name): field for name, field in form.fields.items()})
    return found


def test_the_public_forms_are_found():
    assert len(PUBLIC_POSTS) >= 5, PUBLIC_POSTS


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_POSTS)
def test_a_public_form_answers_hostile_input_clearly(name, world):
    built, clients = world
    client, cookie = clients["anonymous"]
    with clock.travel(NOW):
        url = url_for(name, _first_record(built, name))
        fields = _form_fields(client, url) or {"nom": None, "q": None}

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries(dict.fromkeys(fields, hostile_text)))
    def post(data):
        with clock.travel(NOW):
            response, writes = _post_form(client, cookie, url, data)
        assert response.status_code in CLEAR_ANSWERS, f"{url}: {response.status_code}"
        if response.status_code not in {302, 303}:
            kept = [w for w in writes if not any(t in w for t in REFUSAL_RECORDS)]
            assert not kept, f"{url} refused but wrote {kept}"
        form = (response.context or {}).get("form") if response.status_code == 200 else None
        if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
            assert all(all(messages) for messages in form.errors.values())  # says why

    post()


@pytest.mark.django_db
@given(st.lists(hostile_text, min_size=3, max_size=3))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_places_importer_answers_hostile_cells_clearly(values):
    """Name, description and website of an otherwise valid file: accepted only when each is
    acceptable (no NUL, an http(s) website), else refused line by line, nothing written."""
    with open(standard.EXAMPLE_PATH, "rb") as handle:
        rows = exchange.validation.read_csv(handle.read()).rows[:1]
    row = dict(rows[0])
    row["nom"], row["presentation_detail"], row["site_web"] = values
    data = exchange.to_csv([row]).replace(b"'", b"")  # the cells as typed, not as exported
    before = Place.objects.count()
    report = exchange.import_places(data, "csv")
    if report.ok:
        place = Place.objects.get(standard_id=row["id"])
        assert "\x00" not in place.name + place.description
        assert all(site.startswith(("http://", "https://")) for site in place.websites)
        place.delete()
    else:
        assert all(str(error) for error in report.errors)
        assert Place.objects.count() == before
