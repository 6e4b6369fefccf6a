"""Every link handed to a person (booking page, calendar file, cancel/move, ride request,
rider's page) works until the appointment or the ride is over plus a day, then answers 404
without a word of the person's details."""

import datetime as dt

import pytest
from django.urls import reverse

from maillage import clock
from maillage.appointments.labels import BookingStatus
from maillage.appointments.tokens import make_link_token
from maillage.transport.tokens import make_ride_token
from tests.appointments.factories import BookingFactory, ServiceFactory

from .fleet import DAY, NOW, at, chalais_place, make_operator, ride

pytestmark = pytest.mark.django_db

PHONE = "06 99 88 77 66"
BOOKING_LINKS = [
    "appointments:book",
    "appointments:confirmation",
    "appointments:booking_ics",
    "appointments:manage",
    "transport:booking_ride",
]


@pytest.fixture
def booking(charente):
    operator, _vehicles = make_operator()
    return BookingFactory(
        service=ServiceFactory(organisation=operator, workshop=True, name="Atelier numérique"),
        place=chalais_place(),
        starts_at=at(14),
        name="M. Martin",
        phone=PHONE,
    )


def _get(client, name, token, moment):
    with clock.travel(moment):
        return client.get(reverse(name, args=[token]))


@pytest.mark.parametrize("name", BOOKING_LINKS)
def test_booking_links_expire_a_day_after_the_appointment(client, booking, name):
    token = make_link_token(booking)
    assert _get(client, name, token, NOW).status_code in (200, 302)
    assert _get(client, name, token, at(15, 30) + dt.timedelta(hours=23)).status_code in (200, 302)
    late = _get(client, name, token, at(15, 30) + dt.timedelta(hours=24))
    assert late.status_code == 404
    assert PHONE not in late.content.decode()
    month_old = _get(client, name, token, at(15, 30) + dt.timedelta(days=30))
    assert month_old.status_code == 404


def test_an_expired_link_cannot_cancel(client, booking):
    token = make_link_token(booking)
    with clock.travel(at(15, 30) + dt.timedelta(days=2)):
        for name in ("appointments:manage_cancel_do", "appointments:manage_move"):
            assert client.post(reverse(name, args=[token])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_a_moved_booking_keeps_its_links_until_its_new_end(client, booking):
    token = make_link_token(booking)
    booking.starts_at += dt.timedelta(days=7)
    booking.ends_at += dt.timedelta(days=7)
    booking.save()
    later = at(15, 30) + dt.timedelta(days=3)
    assert _get(client, "appointments:manage", token, later).status_code == 200


def test_the_grace_period_is_a_setting(client, booking, settings):
    settings.MAILLAGE_LINK_GRACE_HOURS = 2
    token = make_link_token(booking)
    assert _get(client, "appointments:manage", token, at(17, 29)).status_code == 200
    assert _get(client, "appointments:manage", token, at(17, 30)).status_code == 404


def test_the_riders_link_of_a_booking_ride_follows_the_booking(client, booking):
    with clock.travel(NOW):
        from maillage.territory.models import Commune
        from maillage.transport import services

        booked_ride = services.ride_request_create(
            operator=booking.service.organisation,
            booking=booking,
            name=booking.name,
            phone=PHONE,
            address="",
            commune=Commune.objects.get(name="Courlac"),
            via_link=True,
        )
    token = make_ride_token(booked_ride)
    end = at(15, 30) + dt.timedelta(hours=24)
    still = _get(client, "transport:rider_ride", token, end - dt.timedelta(minutes=1))
    assert still.status_code == 200
    late = _get(client, "transport:rider_ride", token, end)
    assert late.status_code == 404 and PHONE not in late.content.decode()
    with clock.travel(end):
        assert client.post(reverse("transport:rider_ride", args=[token])).status_code == 404


def test_the_riders_link_of_a_ride_without_booking_lasts_its_day_plus_one(client, booking):
    with clock.travel(NOW):
        alone = ride(booking.service.organisation, booking.place, "Brossac")
    token = make_ride_token(alone)
    next_midnight = at(0, 0, day=DAY + dt.timedelta(days=1))
    just_before = next_midnight + dt.timedelta(hours=23, minutes=59)
    assert _get(client, "transport:rider_ride", token, just_before).status_code == 200
    expired = _get(client, "transport:rider_ride", token, next_midnight + dt.timedelta(hours=24))
    assert expired.status_code == 404
