"""Ride requests from a booking's link cannot be multiplied: one per booking and direction,
only for a confirmed booking to come, a few attempts an hour; planning runs of a day merge,
and a double click on "Planifier" plans once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from maillage import clock
from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Booking
from maillage.appointments.tokens import make_link_token
from maillage.organisations.labels import Role
from maillage.territory.models import Commune
from maillage.transport import planning, services
from maillage.transport.labels import RideStatus, RunKind, RunStatus
from maillage.transport.models import PlanningRun, RideRequest
from tests.appointments.factories import BookingFactory, ServiceFactory

from .fleet import DAY, at, chalais_place, make_operator, ride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fleet_day")]

FORM = {"address": "", "commune": "Courlac", "outbound": "on", "return_trip": "on"}
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def setup(charente):
    operator, _vehicles = make_operator()
    place = chalais_place()
    service = ServiceFactory(organisation=operator, workshop=True, name="Atelier numérique")
    return operator, place, service


def _booking(setup, status=BookingStatus.BOOKED) -> Booking:
    _operator, place, service = setup
    return BookingFactory(
        service=service,
        place=place,
        starts_at=at(14),
        status=status,
        hold_expires_at=at(9) if status == BookingStatus.HELD else None,
        name="M. Martin",
        phone="06 99 88 77 66",
    )


def _url(booking) -> str:
    return reverse("transport:booking_ride", args=[make_link_token(booking)])


def test_ten_posts_from_the_link_give_one_ride_and_one_run(setup, client):
    operator, _place, _service = setup
    planning.plan_day(operator=operator, date=DAY, seconds=0.3)  # the day has a plan
    booking = _booking(setup)
    runs_before = PlanningRun.objects.count()
    responses = [client.post(_url(booking), FORM) for _ in range(10)]
    assert RideRequest.objects.filter(booking=booking).count() == 1
    assert PlanningRun.objects.count() == runs_before + 1  # the one re-plan of the first request
    assert responses[0].status_code == 302 and "/transport/mon-trajet/" in responses[0].url
    again = responses[-1].content.decode()
    assert "Transport déjà demandé" in again and "Demander le transport" not in again


@pytest.mark.parametrize(
    "status", [BookingStatus.WAITLISTED, BookingStatus.CANCELLED, BookingStatus.HELD]
)
def test_only_a_confirmed_booking_may_have_a_ride(setup, client, status):
    booking = _booking(setup, status)
    page = client.get(_url(booking)).content.decode()
    assert "Demander le transport" not in page
    assert "Il n'est pas possible de demander un transport en ligne" in page
    client.post(_url(booking), FORM)
    assert not RideRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        _ask(setup, booking)
    assert "rendez-vous confirmé et à venir" in str(refused.value)


def test_no_ride_once_the_appointment_has_started(setup, client):
    booking = _booking(setup)
    with clock.travel(at(14, 5)):
        client.post(_url(booking), FORM)
    assert not RideRequest.objects.exists()


def _ask(setup, booking, **legs):
    operator, _place, _service = setup
    return services.ride_request_create(
        operator=operator,
        booking=booking,
        name=booking.name,
        address="",
        commune=Commune.objects.get(name="Courlac"),
        via_link=True,
        **legs,
    )


def test_one_ride_per_booking_and_direction(setup, client):
    booking = _booking(setup)
    _ask(setup, booking, outbound=True, return_trip=False)
    # The return trip may still be asked, from the same link; the outbound not again.
    page = client.get(_url(booking)).content.decode()
    assert "Transport déjà demandé" in page and "Demander le transport" in page
    response = client.post(_url(booking), {**FORM, "return_trip": ""})
    assert "Un transport est déjà demandé pour ce rendez-vous" in response.content.decode()
    client.post(_url(booking), {**FORM, "outbound": ""})
    assert list(
        RideRequest.objects.filter(booking=booking).values_list("outbound", "return_trip")
    ) == [(True, False), (False, True)]
    # A cancelled ride frees its direction.
    services.ride_request_cancel(ride=RideRequest.objects.get(booking=booking, outbound=True))
    assert _ask(setup, booking, outbound=True, return_trip=False).status == RideStatus.REQUESTED


def test_the_database_refuses_a_second_live_ride_for_a_direction(setup):
    """The constraint holds even past the service (two requests racing, a script)."""
    booking = _booking(setup)
    first = _ask(setup, booking)
    copy = {
        field.name: getattr(first, field.name)
        for field in RideRequest._meta.concrete_fields
        if field.name not in {"id", "uid"}
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        RideRequest.objects.create(**{**copy, "return_trip": False})
    RideRequest.objects.create(**{**copy, "status": RideStatus.CANCELLED})  # not live: fine


def test_link_requests_are_rate_limited(setup, client, settings):
    settings.MAILLAGE_TRANSPORT_LINK_REQUESTS_PER_HOUR = 3
    first, second = _booking(setup), _booking(setup)
    bad = {**FORM, "commune": "Commune qui n'existe pas"}
    for _ in range(3):
        assert "trop de demandes" not in client.post(_url(first), bad).content.decode().lower()
    refused = client.post(_url(first), FORM).content.decode()
    assert "Trop de demandes de transport" in refused
    assert not RideRequest.objects.exists()
    # Another booking from another address is not affected.
    other = client.post(_url(second), FORM, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 302


@override_settings(TASKS=QUEUED)
def test_a_queued_run_absorbs_the_next_requests(setup, member, login):
    operator, place, _service = setup
    planning.plan_day(operator=operator, date=DAY, seconds=0.3)
    for commune in ("Brossac", "Courlac", "Bardenac"):
        ride(operator, place, commune)
    pending = PlanningRun.objects.get(status=RunStatus.PENDING)
    assert pending.kind == RunKind.REPLAN
    # "Planifier" while it waits: the same run, now a plan from scratch.
    dispatcher = member(Role.TRANSPORT_OPERATOR, organisation=operator)
    response = login(dispatcher).post(reverse("transport:plan", args=[operator.slug, DAY]))
    assert response.url == reverse("transport:run", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.kind == RunKind.PLAN
    assert PlanningRun.objects.filter(status=RunStatus.PENDING).count() == 1
    # Once it has run, the next request queues a new run.
    planning.plan_day_task.call(pending.pk)
    pending.refresh_from_db()
    assert pending.status == RunStatus.DONE and pending.summary["legs"] == 6
    ride(operator, place, "Montboyer")
    assert PlanningRun.objects.filter(status=RunStatus.PENDING).exclude(pk=pending.pk).count() == 1


def test_two_clicks_on_plan_plan_once(setup, member, login, django_capture_on_commit_callbacks):
    """Tasks run as soon as the request commits here: the first click's run is already done
    when the second click arrives, and still the same form gives the same run."""
    operator, place, _service = setup
    ride(operator, place, "Brossac")
    client = login(member(Role.TRANSPORT_OPERATOR, organisation=operator))
    day_page = client.get(reverse("transport:day", args=[operator.slug, DAY])).content.decode()
    submission = day_page.split('name="submission" value="')[1].split('"')[0]
    url = reverse("transport:plan", args=[operator.slug, DAY])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"submission": submission})
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, {"submission": submission})
    assert first.url == second.url
    assert PlanningRun.objects.count() == 1
    assert PlanningRun.objects.get().status == RunStatus.DONE
    # A new form (the page shown again) plans again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission": "pas-un-identifiant"})
    assert PlanningRun.objects.count() == 2
