"""Anonymous visitors reach only the public pages: every other URL of every app sends them to
the login page (or answers 401/403 for the API). A new public page is a decision: add its
name to PUBLIC below."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

PUBLIC = {
    "web:home",
    "web:accessibility",
    "web:legal",
    "web:health",
    "login",
    "login_code",  # sends back to the login without a password step in progress
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",  # the emailed link carries a one-time token
    "password_reset_complete",
    "territory:commune_search",
    "territory:commune_search_json",
    "territory:commune_detail",
    "plan:plan_list",
    "plan:plan_detail",
    "plan:dashboard",
    "plan:plan_report",
    "plan:plan_export",
    "plan:meeting_list",
    "plan:meetings_ics",
    "plan:meeting_detail",
    "plan:sheet_detail",
    "plan:sheet_pdf",
    "plan:indicator_detail",
    "places:find_help",
    "places:place_detail",
    "places:communes_geojson",
    "places:open_data_export",
    "places:help_request_create",
    "places:help_request_sent",
    # Booking without an account; links carry an unguessable signed token.
    "appointments:home",
    "appointments:service_detail",
    "appointments:hold",
    "appointments:session_register",
    "appointments:book",
    "appointments:confirmation",
    "appointments:booking_ics",
    "appointments:manage",
    "appointments:feed",
    "mediation:public_stats",
    # Transport: the rider's link and the request from a booking link carry a signed token.
    "transport:booking_ride",
    "transport:rider_ride",
    # Broadband: aggregates by commune, EPCI and département, the regulator's open data.
    "broadband:map",
    "broadband:export",
    "broadband:commune",
    "broadband:epci",
    "broadband:rip_template",
    "broadband:programme_detail",
}
PUBLIC_API = {
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:communes",
    "api:commune",
    "api:epcis",
    "api:plans",
    "api:plan",
    "api:sheet",
    "api:places",
    "api:near",
    "api:place_counts",
    "api:place",
    "api:list_services",
    "api:list_slots",
    "api:list_indicators",
    "api:indicator_sources",
    "api:mediation_statistics",
}
DUMMY = {"int": "1", "slug": "inconnu", "str": "inconnu", "path": "inconnu"}


def _patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _url(name: str, pattern: URLPattern) -> str:
    route = str(pattern.pattern)
    kwargs = {}
    for converter, key in re.findall(r"<(?:(\w+):)?(\w+)>", route):
        kwargs[key] = DUMMY.get(converter or "str", "inconnu")
    for key, alternatives in re.findall(r"\(\?P<(\w+)>([^)]*)\)", route):
        kwargs[key] = alternatives.split("|")[0].strip("\\")
    return reverse(name, kwargs=kwargs or None)


ALL = sorted(_patterns(), key=lambda item: item[0])


@pytest.mark.parametrize("name,pattern", ALL, ids=[name for name, _ in ALL])
def test_anonymous_reaches_only_public_pages(client, name, pattern):
    if name in PUBLIC or name in PUBLIC_API:
        return
    response = client.get(_url(name, pattern))
    if name.startswith("api:"):
        assert response.status_code in {401, 403, 405}, name
    else:
        assert response.status_code == 302, f"{name} répond {response.status_code}"
        assert response["Location"].startswith(reverse("login")), name


def test_every_public_name_exists():
    names = {name for name, _ in ALL}
    assert names >= (PUBLIC | PUBLIC_API), sorted((PUBLIC | PUBLIC_API) - names)


def test_admin_is_closed_to_anonymous_visitors(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
