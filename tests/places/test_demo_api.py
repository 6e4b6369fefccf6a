"""Demonstration data (idempotent, marked, valid against the standard) and the JSON API."""

import datetime as dt

import pytest
import time_machine

from maillage.organisations.referential import load_referential_organisations
from maillage.places import exchange
from maillage.places.counts import library_mediation_points_open, points_visio_open
from maillage.places.demo import load_demo_places
from maillage.places.models import HelpRequest, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(charente):
    load_referential_organisations()
    return list(load_demo_places())


def test_demo_is_idempotent_marked_and_credible(demo):
    count = Place.objects.count()
    assert list(load_demo_places())  # again
    assert Place.objects.count() == count
    assert HelpRequest.objects.count() == 3
    assert not Place.objects.filter(is_demo=False).exists()
    assert all(p.standard_id.startswith("demo-") for p in Place.objects.all())
    communes = set(
        Place.objects.filter(organisation__slug="espace-numerique-sud-charente").values_list(
            "insee_code", flat=True
        )
    )
    assert {"16230", "16046", "16350", "16073", "16025", "16408", "16028", "16066"} <= communes
    assert Place.objects.filter(
        kind="mobility_space", name__contains="château de Barbezieux"
    ).exists()
    assert library_mediation_points_open(dt.date(2019, 12, 31)) < library_mediation_points_open(
        dt.date(2022, 12, 31)
    )
    assert points_visio_open(dt.date(2022, 12, 31)) == points_visio_open(dt.date(2023, 1, 1)) + 1


def test_export_of_the_demo_data_passes_the_validator(demo):
    for fmt in exchange.EXPORT_FORMATS:
        assert exchange.export_places(fmt)
        assert exchange.last_skipped() is None  # no demo place left out of the open data
    rows = exchange.export_rows(exchange.exportable_places())
    from maillage.places.validation import validate_rows

    assert validate_rows(rows) == []


def test_demo_round_trip(demo):
    first = exchange.export_places("csv")
    HelpRequest.objects.all().delete()
    Place.objects.all().delete()
    assert exchange.import_places(first, "csv").ok
    assert exchange.export_places("csv") == first


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_api(client, demo):
    listing = client.get("/api/places", {"kind": "point_visio", "open_on": "2022-12-31"}).json()
    assert len(listing) == points_visio_open(dt.date(2022, 12, 31))
    place = Place.objects.get(standard_id="demo-chateau-barbezieux")
    detail = client.get(f"/api/places/{place.pk}").json()
    assert detail["standard"]["id"] == "demo-chateau-barbezieux"
    assert detail["open_now"] is True
    near = client.get("/api/places/near", {"q": "Chalais", "need": "procedure"}).json()
    assert near["approximate"] and near["results"][0]["minutes"] <= near["results"][-1]["minutes"]
    assert client.get("/api/places/near", {"q": "Trifouilly"}).status_code == 404
    figures = {
        c["source"]: c["value"]
        for c in client.get("/api/places/counts", {"on": "2022-12-31"}).json()
    }
    assert figures["places.points_visio_open"] == points_visio_open(dt.date(2022, 12, 31))


def test_brossac_resident_is_routed_to_the_brossac_place(demo):
    """The Espace Numérique Sud Charente takes call-backs (at Chalais) and holds a workshop at
    Brossac: a Brossac resident goes there, not to Chalais nor to Brossac's town hall Point
    Visio, whose organisation takes no call-backs."""
    from maillage.places.labels import HelpNeed
    from maillage.places.services import help_request_create
    from maillage.territory.models import Commune

    request = help_request_create(
        name="Jo",
        phone="0600000000",
        email="",
        commune=Commune.objects.get(name="Brossac"),
        need=HelpNeed.DIGITAL,
        preferred_times=[],
    )
    assert request.place.name == "Espace Numérique Sud Charente — Brossac"
