"""The transport factories make rows the models accept (constraints and validation), with the
stops a driver's sheet lists."""

import datetime as dt

import pytest

from maillage.transport.labels import StopKind
from tests.appointments.factories import BookingFactory
from tests.places.factories import PlaceFactory

from .factories import RideRequestFactory, TourFactory, VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("trait", ["outbound_only", "return_only", "wheelchair_user", "planned"])
def test_ride_request_traits_are_valid_rows(trait):
    ride = RideRequestFactory(**{trait: True})
    ride.full_clean()
    assert ride.legs


def test_a_ride_for_a_booking_takes_its_day_place_and_times():
    booking = BookingFactory(place=PlaceFactory())
    ride = RideRequestFactory(booking=booking)
    ride.full_clean()
    assert (ride.date, ride.place) == (dt.date(2030, 3, 4), booking.place)
    assert (ride.arrive_by, ride.leave_after) == (booking.starts_at, booking.ends_at)


def test_vehicle_traits():
    assert VehicleFactory(wheelchair=True).wheelchair_places == 1
    assert not VehicleFactory(inactive=True).is_active


def test_a_tour_with_rides_has_a_pickup_and_a_drop_off_per_ride():
    rides = RideRequestFactory.create_batch(2)
    tour = TourFactory(rides=rides)
    kinds = list(tour.stops.values_list("kind", flat=True))
    assert kinds == [
        StopKind.DEPART,
        StopKind.PICKUP,
        StopKind.DROPOFF,
        StopKind.PICKUP,
        StopKind.DROPOFF,
        StopKind.ARRIVE,
    ]
    assert tour.run.operator == tour.vehicle.operator == tour.driver.operator
