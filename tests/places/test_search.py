"""Travel time estimates, geocoding and the ranking of places near a person."""

import datetime as dt

import pytest
from django.test import override_settings

from maillage.places.labels import Need
from maillage.places.search import answers, find_places
from maillage.territory.geocoding import geocode
from maillage.territory.travel import CrowFliesEstimate, great_circle_km, trips

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db

CHALAIS = (45.27469, 0.03866)
BARBEZIEUX = (45.47762, -0.15759)
ANGOULEME = (45.6484, 0.1562)


def test_great_circle_distance():
    assert great_circle_km(CHALAIS, CHALAIS) == 0
    assert great_circle_km(CHALAIS, BARBEZIEUX) == pytest.approx(27.0, abs=0.5)
    assert great_circle_km(CHALAIS, BARBEZIEUX) == great_circle_km(BARBEZIEUX, CHALAIS)


def test_estimate_is_detour_times_distance_over_speeds():
    estimate = CrowFliesEstimate(
        detour_factor=1.3, speed_kmh=50, urban_speed_kmh=30, urban_radius_km=3
    )
    trip = estimate.trip(CHALAIS, BARBEZIEUX)
    km = great_circle_km(CHALAIS, BARBEZIEUX) * 1.3
    assert trip.km == pytest.approx(km)
    assert trip.minutes == pytest.approx((3 / 30 + (km - 3) / 50) * 60)
    assert trip.rounded_minutes % 5 == 0


@override_settings(MAILLAGE_TRAVEL_SPEED_KMH=100, MAILLAGE_TRAVEL_URBAN_RADIUS_KM=0)
def test_speed_is_configurable():
    [trip] = trips(CHALAIS, [BARBEZIEUX])
    assert trip.minutes == pytest.approx(great_circle_km(CHALAIS, BARBEZIEUX) * 1.3 / 100 * 60)


def test_geocode_commune_postcode_and_address(charente):
    chalais = geocode("chalais")
    assert chalais.commune.insee_code == "16073"
    assert chalais.approximate and chalais.note == "position approximative : centre de la commune"
    assert geocode("16300").commune.name == "Barbezieux-Saint-Hilaire"
    address = geocode("2 place du Château 16300 Barbezieux-Saint-Hilaire")
    assert address.commune.insee_code == "16028"
    assert geocode("12 rue de la Gare, Saint-Séverin").commune.insee_code == "16350"
    assert geocode("Trifouilly-les-Oies") is None
    assert geocode("") is None


def test_nearest_places_by_travel_time_answering_the_need(charente):
    far = PlaceFactory(name="Angoulême", latitude=ANGOULEME[0], longitude=ANGOULEME[1])
    near = PlaceFactory(name="Chalais", latitude=45.275, longitude=0.04)
    middle = PlaceFactory(name="Barbezieux", latitude=BARBEZIEUX[0], longitude=BARBEZIEUX[1])
    PlaceFactory(
        name="Sans démarches",
        latitude=45.275,
        longitude=0.04,
        services=["Loisirs et créations numériques"],
    )
    PlaceFactory(
        name="Fermé",
        latitude=45.275,
        longitude=0.04,
        closed_on=dt.date(2020, 1, 1),
        opened_on=dt.date(2019, 1, 1),
    )
    PlaceFactory(
        name="Pas encore ouvert", latitude=45.275, longitude=0.04, opened_on=dt.date(2099, 1, 1)
    )
    PlaceFactory(
        name="Sans public",
        latitude=45.275,
        longitude=0.04,
        access_modes=["Ce lieu n'accueille pas de public"],
    )
    results = find_places(CHALAIS, Need.PROCEDURE)
    assert [r.place for r in results] == [near, middle, far]
    assert results[0].minutes < results[1].minutes < results[2].minutes
    assert [r.place for r in find_places(CHALAIS, Need.PROCEDURE, limit=1)] == [near]


def test_place_without_coordinates_uses_its_commune(charente):
    place = PlaceFactory(latitude=None, longitude=None, commune_id="16073")
    [result] = find_places(CHALAIS, None)
    assert result.place == place and result.km < 1


def test_needs():
    visio = PlaceFactory.build(point_visio=True, services=[])
    library = PlaceFactory.build(library=True, services=["Accès internet et matériel informatique"])
    mobility = PlaceFactory.build(mobility_help=True, services=[])
    assert answers(visio, Need.VISIO) and not answers(library, Need.VISIO)
    assert answers(library, Need.EQUIPMENT) and not answers(library, Need.PROCEDURE)
    assert answers(mobility, Need.MOBILITY) and not answers(library, Need.MOBILITY)
    assert not answers(library, Need.LEARN)
