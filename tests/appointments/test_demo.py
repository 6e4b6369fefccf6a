"""Demonstration appointments: idempotent, marked, and bookable."""

import datetime as dt

import pytest

from maillage.appointments.demo import load_demo_appointments
from maillage.appointments.labels import ServiceKind
from maillage.appointments.models import Agent, Resource, Service, Session
from maillage.appointments.slots import service_slots
from maillage.organisations.referential import load_referential_organisations
from maillage.places.demo import load_demo_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(charente):
    load_referential_organisations()
    list(load_demo_places())
    return list(load_demo_appointments())


def test_demo_is_idempotent_and_marked(demo):
    counts = (Service.objects.count(), Agent.objects.count(), Session.objects.count())
    assert list(load_demo_appointments())
    assert (Service.objects.count(), Agent.objects.count(), Session.objects.count()) == counts
    assert all(s.is_demo for s in Service.objects.all())
    assert all("(démo)" in a.name for a in Agent.objects.all())


def test_demo_shows_the_sheets(demo):
    visio = Service.objects.filter(kind=ServiceKind.VISIO)
    assert {s.organisation.slug for s in visio} == {
        "caf-charente",
        "cpam-charente",
        "msa-des-charentes",
    }
    assert Resource.objects.filter(place__name__contains="Chalais").exists()
    tuesdays = Session.objects.filter(place__standard_id="demo-ensc-16073")
    assert tuesdays.exists()
    assert {s.starts_at.astimezone(dt.UTC).weekday() for s in tuesdays} == {1}
    caf = visio.get(organisation__slug="caf-charente")
    today = dt.date(2030, 3, 1)
    found = service_slots(caf, start=today, end=today + dt.timedelta(days=13))
    assert sum(len(v) for v in found.values()) > 0


def test_demo_has_past_appointments_to_record_and_coming_ones(demo):
    """The mediator finds an attended appointment to turn into an accompaniment and one whose
    attendance is still to note; the Caf agent has appointments coming in the Points Visio."""
    from maillage import clock
    from maillage.appointments.labels import Attendance, BookingStatus
    from maillage.appointments.models import Booking

    now = clock.now()
    past = Booking.objects.filter(service__kind=ServiceKind.INDIVIDUAL, ends_at__lt=now)
    assert sorted(past.values_list("attendance", flat=True)) == sorted(
        [Attendance.PRESENT, Attendance.ABSENT, Attendance.UNKNOWN]
    )
    assert all(b.status == BookingStatus.BOOKED and b.occupations.exists() for b in past)
    coming = Booking.objects.filter(service__organisation__slug="caf-charente", starts_at__gt=now)
    assert coming.count() == 2 and all(b.place.kind == "point_visio" for b in coming)
    booked = Booking.objects.count()
    list(load_demo_appointments())
    assert Booking.objects.count() == booked  # once


def test_demo_workshops_happen_where_and_when_their_place_is_open_at_its_fees(demo):
    """Every demonstration session starts and ends while its place says it is open, and a
    paying workshop takes place where the place says it charges."""
    from maillage.places import hours

    sessions = Session.objects.select_related("place", "service")
    assert sessions.exists()
    for session in sessions:
        last_minute = session.ends_at - dt.timedelta(minutes=1)
        assert hours.is_open(session.place.opening_hours, session.starts_at), session
        assert hours.is_open(session.place.opening_hours, last_minute), session
        if session.service.price_cents:
            assert "Payant" in session.place.fees, session
