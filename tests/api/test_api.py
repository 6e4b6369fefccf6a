import pytest

from maillage.organisations.labels import Role
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/communes" in schema["paths"]
    assert "/api/organisations" in schema["paths"]


def test_api_docs_are_served_without_outside_network(client):
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html


def test_commune_search_endpoint_forgives_spelling(client, charente):
    response = client.get("/api/communes", {"q": "st severin"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["name"] == "Saint-Séverin"
    assert first["insee_code"] == "16350"
    assert "16390" in first["postcodes"]
    assert first["epci"]["name"]


def test_commune_detail_endpoint_has_the_contour(client, charente):
    data = client.get("/api/communes/16015").json()
    assert data["name"] == "Angoulême"
    assert data["contour"]["type"] in {"Polygon", "MultiPolygon"}
    assert client.get("/api/communes/99999").status_code == 404


def test_organisations_endpoint_requires_login(client):
    assert client.get("/api/organisations").status_code == 401


def test_organisations_endpoint_lists_only_what_the_person_may_see(login, user):
    mine = OrganisationFactory(name="Espace numérique")
    theirs = OrganisationFactory(name="Autre structure")
    MembershipFactory(user=user, organisation=mine, role=Role.MEDIATOR)
    client = login(user)
    names = [o["name"] for o in client.get("/api/organisations").json()]
    assert names == ["Espace numérique"]
    assert client.get(f"/api/organisations/{theirs.slug}").status_code == 404
    assert client.get(f"/api/organisations/{mine.slug}").json()["name"] == "Espace numérique"
