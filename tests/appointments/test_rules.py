"""The rules the booking pages ask a booking (templates only render them): whether it may still
be cancelled or moved, whether the person is expected, what goes into a calendar, its colour."""

import datetime as dt

import pytest

from maillage import clock
from maillage.appointments.labels import BookingStatus, ServiceKind
from maillage.appointments.models import Booking, Service


def _booking(status: str, *, started: bool, seat: bool) -> Booking:
    starts_at = clock.now() + dt.timedelta(hours=-1 if started else 1)
    return Booking(
        status=status,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=30),
        session_id=7 if seat else None,
    )


@pytest.mark.parametrize("status", BookingStatus.values)
@pytest.mark.parametrize("started", [False, True])
@pytest.mark.parametrize("seat", [False, True])
def test_what_may_still_be_done_with_a_booking(status, started, seat):
    booking = _booking(status, started=started, seat=seat)
    booked = status == BookingStatus.BOOKED
    assert booking.is_upcoming == (booked and not started)
    assert booking.can_be_moved == (booked and not started and not seat)
    assert booking.can_be_cancelled == (
        status in (BookingStatus.BOOKED, BookingStatus.WAITLISTED) and not started
    )
    assert booking.offers_calendar_file == booked
    assert booking.is_waitlisted == (status == BookingStatus.WAITLISTED)
    assert booking.is_cancelled == (status == BookingStatus.CANCELLED)


def test_a_booking_shows_confirmed_in_green_and_cancelled_in_red_the_rest_in_grey():
    badges = {status: Booking(status=status).status_badge for status in BookingStatus}
    assert badges == {
        BookingStatus.HELD: "",
        BookingStatus.BOOKED: "success",
        BookingStatus.CANCELLED: "error",
        BookingStatus.EXPIRED: "",
        BookingStatus.WAITLISTED: "",
    }


@pytest.mark.parametrize("kind", ServiceKind.values)
def test_only_a_workshop_is_booked_seat_by_seat(kind):
    assert Service(kind=kind).is_workshop == (kind == ServiceKind.WORKSHOP)
