"""Time to help from the demo's communes: Brossac's nearest places are right, the three
figures are kept apart, and the best place follows the documented rule."""

import math

import pytest

from maillage.access import kinds
from maillage.access.times import (
    AccessParameters,
    PlaceFigures,
    Reach,
    best_reach,
    compute_commune_access,
)
from maillage.access.waiting import opening
from maillage.places.labels import PlaceKind
from maillage.places.models import Place
from maillage.places.search import find_places
from maillage.territory.models import Commune
from maillage.territory.travel import trips

pytestmark = pytest.mark.django_db

BROSSAC = "16066"


def access_of(kind, insee=BROSSAC):
    communes = Commune.objects.filter(insee_code=insee)
    (access,) = compute_commune_access(kind, communes=communes)
    return access


def test_brossac_nearest_places_are_the_ones_find_help_ranks_first(demo):
    brossac = Commune.objects.get(pk=BROSSAC)
    origin = (brossac.latitude, brossac.longitude)
    access = access_of(kinds.DIGITAL)
    ranked = find_places(origin, None, limit=5)
    assert [r.place.place_id for r in access.candidates[:5]] == [r.place.pk for r in ranked]
    assert access.nearest.place.insee_code == BROSSAC  # a place in Brossac itself
    assert access.nearest.travel_minutes < 5
    assert access.as_json()["place"]["name"] == access.nearest.place.name


def test_brossac_nearest_library_is_chalais_with_its_travel_hours_and_no_appointment(demo):
    access = access_of(kinds.MEDIATION)
    libraries = list(Place.objects.open_on().filter(kind=PlaceKind.LIBRARY))
    assert {r.place.place_id for r in access.candidates} <= {p.pk for p in libraries}
    brossac = Commune.objects.get(pk=BROSSAC)
    times = trips((brossac.latitude, brossac.longitude), [p.position for p in libraries])
    nearest, trip = min(zip(libraries, times, strict=True), key=lambda pair: pair[1].minutes)
    assert nearest.name == "Bibliothèque de Chalais"
    assert access.nearest.place.place_id == nearest.pk
    assert access.nearest.travel_minutes == pytest.approx(trip.minutes)
    assert 10 < access.nearest.travel_minutes < 25
    assert access.nearest.waiting_minutes == pytest.approx(
        opening(nearest.opening_hours, access_first_day()).waiting_minutes
    )
    assert access.nearest.appointment_days is None
    assert access.as_json()["appointment_days"] is None


def access_first_day():
    from django.utils import timezone

    from maillage import clock

    return timezone.localtime(clock.now()).date()


def test_brossac_point_visio_has_a_delay_to_the_first_free_slot(demo):
    access = access_of(kinds.VISIO)
    assert access.nearest.place.name == "Point Visio — mairie de Brossac"
    assert access.nearest.appointment_days is not None
    assert 0 <= access.nearest.appointment_days <= 60
    assert access.nearest.place.next_slot_at is not None
    # the Point Visio closed on 1 January 2023 is never proposed
    closed = Place.objects.get(kind=PlaceKind.POINT_VISIO, closed_on__isnull=False)
    assert closed.pk not in {r.place.place_id for r in access.candidates}


def test_operator_kinds_only_count_points_reaching_the_operator(demo):
    key = next(k.key for k in kinds.all_kinds() if k.key.startswith("visio-caf"))
    kind = kinds.get_kind(key)
    places = kinds.places_for(kind)
    assert places
    assert all(kind.operator_id in {o.pk for o in p.visio_operators.all()} for p in places)
    access = access_of(kind)
    assert {r.place.place_id for r in access.candidates} <= {p.pk for p in places}


def test_unknown_kind_is_refused():
    with pytest.raises(kinds.UnknownKind, match="inconnu"):
        kinds.get_kind("piscine")


def place(pk, *, waiting, appointment=None, half_days=4.0):
    return PlaceFigures(
        pk, f"Lieu {pk}", (45.0, 0.0), "16066", waiting, half_days, appointment, None
    )


def test_a_farther_place_open_every_day_beats_a_near_one_open_twice_a_week():
    near = Reach(place(1, waiting=2000.0, half_days=2), 5.0, 4.0)
    far = Reach(place(2, waiting=0.0, half_days=12), 25.0, 20.0)
    assert best_reach([near, far], needs_appointment=False, appointment_days=14) is far


def test_a_place_never_open_never_wins_and_unknown_hours_compete_on_travel():
    never = Reach(place(1, waiting=math.inf), 1.0, 1.0)
    unknown = Reach(place(2, waiting=None), 8.0, 6.0)
    slow = Reach(place(3, waiting=30.0), 9.0, 7.0)
    assert best_reach([never], needs_appointment=False, appointment_days=14) is None
    assert best_reach([never, unknown, slow], needs_appointment=False, appointment_days=14) is (
        unknown
    )


def test_the_appointment_delay_is_a_threshold_not_minutes():
    soon = Reach(place(1, waiting=600.0, appointment=3.0), 20.0, 15.0)
    late = Reach(place(2, waiting=0.0, appointment=30.0), 5.0, 4.0)
    assert best_reach([soon, late], needs_appointment=True, appointment_days=14) is soon
    # nobody within the threshold: every place competes again
    assert best_reach([soon, late], needs_appointment=True, appointment_days=1) is late


def test_filters_pick_the_nearest_place_open_enough(demo):
    access = access_of(kinds.DIGITAL)
    open_often = access.nearest_matching(min_half_days=8)
    assert open_often is not None
    assert open_often.place.half_days_per_week >= 8
    assert open_often.travel_minutes >= access.nearest.travel_minutes


def test_parameters_are_kept_as_json():
    data = AccessParameters().as_dict()
    assert data["daytime"]["start"] == "08:00"
    assert data["appointment_days"] == 14
