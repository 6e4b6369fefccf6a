"""A NUL byte anywhere a request is read (path, query string, form field, JSON body) is
refused before any view runs: 404 in a path, 400 elsewhere (the API's 422), never a server
error and never a write — on every route of the URL configuration, as a platform
administrator (who reaches every page). PostgreSQL cannot store U+0000: there, a NUL reaching
a query was a 500 (CI's PostgreSQL pass runs this module too)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage import clock
from maillage.organisations.permissions import routes

from .test_permission_matrix import PATTERNS, url_for
from .world import NOW

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _first_record(built, name):
    route = routes.ROUTES[name]
    return built.records[route.record][0] if route.record else None


def _writes(queries) -> list[str]:
    return [
        q["sql"][:100]
        for q in queries.captured_queries
        if WRITES.match(q["sql"]) and "django_session" not in q["sql"]
    ]


def _with_nul_in_path(url: str) -> str:
    """The URL with a NUL in its last segment (or appended where it has none)."""
    stem, _, last = url.rstrip("/").rpartition("/")
    return f"{stem}/{last}%00{'/' if url.endswith('/') else ''}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PATTERNS))
def test_a_nul_byte_is_refused_before_any_view(name, world):
    built, clients = world
    client, _cookie = clients["superuser"]
    with clock.travel(NOW):
        url = url_for(name, _first_record(built, name))
        attempts = {
            "path": lambda: client.get(_with_nul_in_path(url)),
            "query": lambda: client.get(url, {"q": "a\x00b", "insee_code": "\x00"}),
            "form": lambda: client.post(
                url, "name=Lieu%00&q%00=x", content_type="application/x-www-form-urlencoded"
            ),
            "multipart form": lambda: client.post(url, {"name": "Lieu\x00", "q\x00": "x"}),
            "json": lambda: client.post(
                url, json.dumps({"value": "1\u0000"}), content_type="application/json"
            ),
        }
        problems = []
        if url.startswith("/api/"):  # the API takes files this way, not text (series import)
            del attempts["multipart form"]
        for where, send in attempts.items():
            with CaptureQueriesContext(connection) as queries:
                response = send()
            expected = {404} if where == "path" else {400, 422 if url.startswith("/api/") else 400}
            if response.status_code not in expected:
                problems.append(f"{where}: {response.status_code} (expected {expected})")
            if _writes(queries):
                problems.append(f"{where}: wrote {_writes(queries)}")
    assert not problems, f"{url}: " + "; ".join(problems)


@pytest.mark.django_db
def test_the_api_answers_nul_in_its_own_error_shape(client):
    response = client.get("/api/places", {"insee_code": "\x00"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "insee_code"]
    assert "caractère nul" in response.json()["detail"][0]["msg"]
    response = client.get("/api/communes/%00")
    assert response.status_code == 404 and "caractère nul" in response.json()["detail"]


@pytest.mark.django_db
def test_a_page_says_why_in_french(client):
    response = client.get("/communes/", {"q": "Barbe\x00"})
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
    assert client.get("/communes/%00/").status_code == 404


@pytest.mark.django_db
def test_file_contents_are_not_judged_here(client):
    """A spreadsheet is binary: its NUL bytes are the importer's business, not the door's."""
    upload = SimpleUploadedFile("classeur.xlsx", b"PK\x03\x04\x00\x00", "application/zip")
    response = client.post("/connexion/", {"file": upload})
    assert response.status_code != 400 or "caractère nul" not in response.content.decode()
