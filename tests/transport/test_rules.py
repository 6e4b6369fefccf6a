"""The rules the transport pages ask the models (templates only render them): what may still be
done with a ride, which stops are at the rider's home, the colour of each status."""

import datetime as dt

import pytest

from maillage import clock
from maillage.transport import notify, planning
from maillage.transport.labels import RIDE_TRANSITIONS, Leg, RideStatus, StopKind
from maillage.transport.models import PlanningRun, RideRequest, TourStop
from maillage.transport.services import ride_requests_anonymise

from .fleet import DAY, NOW, chalais_place, make_operator, ride

HOME = {(StopKind.PICKUP, Leg.OUTBOUND), (StopKind.DROPOFF, Leg.RETURN)}


@pytest.mark.parametrize("status", RideStatus.values)
def test_a_ride_may_be_cancelled_until_it_is_over(status):
    ride = RideRequest(status=status)
    assert ride.may_be_cancelled == (RideStatus.CANCELLED in RIDE_TRANSITIONS[status])
    assert ride.may_be_cancelled == (
        status in {RideStatus.REQUESTED, RideStatus.PLANNED, RideStatus.CONFIRMED}
    )
    assert ride.may_be_marked == (status == RideStatus.CONFIRMED)
    assert ride.is_cancelled == (status == RideStatus.CANCELLED)


def test_each_ride_status_has_its_badge():
    assert {status: RideRequest(status=status).status_badge for status in RideStatus} == {
        RideStatus.REQUESTED: "new",
        RideStatus.PLANNED: "info",
        RideStatus.CONFIRMED: "success",
        RideStatus.DONE: "success",
        RideStatus.CANCELLED: "error",
        RideStatus.NO_SHOW: "error",
    }


@pytest.mark.parametrize("kind", StopKind.values)
@pytest.mark.parametrize("leg", ["", *Leg.values])
def test_a_stop_is_at_home_when_picked_up_on_the_way_out_or_dropped_on_the_way_back(kind, leg):
    stop = TourStop(kind=kind, leg=leg, request=RideRequest(approximate=True))
    assert stop.at_home == ((kind, leg) in HOME)
    assert stop.position_is_approximate == stop.at_home
    assert not TourStop(
        kind=kind, leg=leg, request=RideRequest(approximate=False)
    ).position_is_approximate
    assert not TourStop(kind=kind, leg=leg).position_is_approximate


def test_the_unserved_legs_are_named_in_words():
    run = PlanningRun(unserved=[{"request": 1, "leg": "outbound"}, {"request": 2, "leg": "return"}])
    assert [row["leg_label"] for row in run.unserved_rows] == ["aller", "retour"]
    assert run.unserved_rows[0]["request"] == 1
    assert PlanningRun(status="failed").has_failed and not PlanningRun(status="done").has_failed


@pytest.mark.django_db
def test_the_home_stops_are_the_same_in_the_database_and_anonymised_alone(charente):
    with clock.travel(NOW):
        operator, _vehicles = make_operator()
        place = chalais_place()
        for commune in ["Brossac", "Courlac"]:
            ride(operator, place, commune)
        planning.plan_day(operator=operator, date=DAY, seconds=0.3)
    stops = list(TourStop.objects.select_related("request"))
    home = {stop.pk for stop in stops if stop.at_home}
    assert home and home != {stop.pk for stop in stops}
    assert set(TourStop.objects.at_home().values_list("pk", flat=True)) == home
    TourStop.objects.update(label="12 rue des Lilas")  # as if every stop named an address

    assert ride_requests_anonymise(now=NOW + dt.timedelta(days=400)) == 2

    for stop in TourStop.objects.select_related("request__commune"):
        expected = stop.request.commune.name if stop.pk in home else "12 rue des Lilas"
        assert stop.label == expected


@pytest.mark.django_db
def test_the_messages_say_the_pickup_is_at_home_on_the_way_out_only(charente):
    with clock.travel(NOW):
        operator, _vehicles = make_operator()
        place = chalais_place()
        rider = ride(operator, place, "Brossac")
        planning.plan_day(operator=operator, date=DAY, seconds=0.3)
        pickups = notify.pickups(rider)
    assert [(pickup["leg"], pickup["where"]) for pickup in pickups] == [
        ("aller", "à votre domicile"),
        ("retour", TourStop.objects.get(kind=StopKind.PICKUP, leg=Leg.RETURN).label),
    ]
