"""The API keeps its OpenAPI contract: one schema per name, every error answer documented, and
Schemathesis (property-based requests generated from the schema, sent to the WSGI app) finds no
server error and no answer outside the schema — anonymous and logged in as a platform
administrator (who reaches every endpoint), on SQLite and on PostgreSQL (CI's second pass).
"""

from __future__ import annotations

import json
import re
import typing
from enum import Enum

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, settings
from pydantic import BaseModel
from schemathesis.specs.openapi.checks import ignored_auth

from maillage import clock
from maillage.api.api import api
from maillage.organisations.permissions import routes
from tests.web.world import API_BODIES, NOW, url_kwargs

# A CSRF secret the API's session authentication accepts for POST (cookie = header).
CSRF = "k" * 32


def _models(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, (BaseModel, Enum)):
        if annotation in found:
            return
        found.add(annotation)
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def _schema_classes() -> set:
    found: set = set()
    for bound in api._get_bound_routers():  # what ninja walks to write the document
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models(model, found)
    return {cls for cls in found if cls.__module__.startswith("maillage.")}


def test_no_two_schemas_share_a_name():
    """ninja names each schema after its class and silently keeps one of two namesakes (two
    `PlanOut` made /api/plans document the appointments' indicators)."""
    by_name: dict[str, set] = {}
    for cls in _schema_classes():
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, f"Rename these schemas (one name each in the OpenAPI document): {clashes}"
    components = _document()["components"]["schemas"]
    assert set(by_name) <= set(components)


def _document() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def test_plans_document_their_own_response():
    document = _document()
    ref = document["paths"]["/api/plans"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]["items"]["$ref"]
    plan = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"slug", "name", "period_start", "status"} <= set(plan["properties"])


def test_every_endpoint_with_a_parameter_or_a_login_documents_its_errors():
    document = _document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            parameters = operation.get("parameters", [])
            if any(p["in"] == "path" for p in parameters):
                assert "404" in codes or "422" in codes, f"{method} {path}"
            if "requestBody" in operation:  # unreadable JSON, invalid fields
                assert {"400", "422"} <= codes, f"{method} {path}"
            for code in codes - {"200", "201"}:
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                refs = [s["$ref"] for s in schema.get("anyOf", [schema])]
                assert any(r.endswith(("/ErrorOut", "/InvalidInputOut")) for r in refs), code


# Settings shared with the command line: schemathesis.toml.
contract = schemathesis.openapi.from_dict(api.get_openapi_schema())
contract.app = get_wsgi_application()  # requests go to the WSGI app, in the test's transaction
HYPOTHESIS = settings(
    max_examples=15,
    derandomize=True,  # the same cases every run: CI stays reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def connection_kept_between_requests():
    """A WSGI request closes the database connection when it ends, which would end the test's
    transaction (and the world's); Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _call_and_validate(case, world, person: str, excluded: list):
    _, clients = world
    _client, session = clients[person]
    cookies = {"csrftoken": CSRF}
    if session is not None:
        cookies[session.key] = session.value
    with clock.travel(NOW):
        return case.call_and_validate(
            cookies=cookies,
            headers={"X-CSRFToken": CSRF},
            excluded_checks=excluded,
        )


@pytest.mark.django_db
@contract.parametrize()
@HYPOTHESIS
def test_the_api_keeps_its_contract_for_anyone(case, world):
    _call_and_validate(case, world, "anonymous", excluded=[])


@pytest.mark.django_db
@contract.parametrize()
@HYPOTHESIS
def test_the_api_keeps_its_contract_for_a_platform_administrator(case, world):
    # The session cookie goes with every call, so a call "without authentication" still
    # carries it: refusing anonymous callers is the anonymous run's business.
    _call_and_validate(case, world, "superuser", excluded=[ignored_auth])


@pytest.mark.django_db
@pytest.mark.parametrize("person", ["anonymous", "superuser"])
def test_every_endpoint_answers_about_real_records_as_documented(world, person):
    """Generated values mostly name nothing (404): here each endpoint is asked about a real
    record of the world, and its answer must still be the documented one."""
    built, _ = world
    statuses = {}
    for path, operations in _document()["paths"].items():
        keys = re.findall(r"{(\w+)}", path)
        name = "api:" + resolve(re.sub(r"{\w+}", "1", path)).url_name
        route = routes.ROUTES[name]
        record = built.records[route.record][0] if route.record else None
        for method in operations:
            body = API_BODIES[name]() if name in API_BODIES else schemathesis.core.NOT_SET
            if name == "api:import_series":  # multipart: the file's bytes
                body = {"file": body["file"].read()}
            case = contract[path][method.upper()].Case(
                path_parameters=url_kwargs(keys, record),
                query={"q": "Barbezieux"} if name == "api:near" else None,
                body=body,
                media_type=next(
                    iter(operations[method].get("requestBody", {}).get("content", {})), None
                ),
            )
            response = _call_and_validate(case, world, person, excluded=[ignored_auth])
            statuses[f"{method.upper()} {path}"] = response.status_code
    if person == "superuser":
        refused = {call: status for call, status in statuses.items() if status not in {200, 201}}
        # The series file names no indicator: a 422 saying so, as documented.
        assert refused == {"POST /api/plans/{slug}/series": 422}
    else:
        assert statuses["GET /api/organisations"] == 401
        assert statuses["GET /api/plans/{slug}/sheets/{ref}"] == 200
