"""The public access pages before any computation: they say so, never fail."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_before_any_computation_the_page_says_so(client, charente):
    response = client.get(reverse("access:map"))
    assert response.status_code == 200
    assert "ne sont pas encore calculés" in response.content.decode()


def test_the_api_says_when_nothing_is_computed(client, charente):
    response = client.get("/api/acces")
    assert response.status_code == 200
    data = response.json()
    assert data["computed_on"] is None and data["communes"] == []


def test_a_commune_before_any_computation(client, charente):
    response = client.get(reverse("access:commune", args=["16066"]))
    assert response.status_code == 200
    assert "pas encore calculés" in response.content.decode()
