"""A moved appointment takes its rides along: new day and times, back to "requested" so the
day is planned again, a rider already told her pickup time hears it no longer holds; rides
over, or asked to another place, keep what they must."""

import datetime as dt

import pytest

from maillage.appointments import services as appointments
from maillage.appointments import sms
from maillage.organisations.labels import Role
from maillage.territory.models import Commune
from maillage.transport import planning, services
from maillage.transport.current_plan import current_run
from maillage.transport.labels import Leg, RideStatus, RunKind, StopKind
from maillage.transport.models import PlanningRun, RideRequest, Shift
from tests.appointments.factories import AgentFactory, ServiceFactory, WeeklyRuleFactory

from .fleet import DAY, at, chalais_place, make_operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fleet_day")]

INTRO = "Votre rendez-vous a été déplacé, votre transport aussi."
NEXT_DAY = DAY + dt.timedelta(days=1)


@pytest.fixture
def booked(charente, member, django_capture_on_commit_callbacks):
    """A booking on DAY at 14:00 with both legs of a ride, planned and confirmed (the vehicle
    runs 12:00–18:00 on DAY and the day after)."""
    operator, vehicles = make_operator(vehicles=1)
    shift = Shift.objects.get(vehicle=vehicles[0])
    Shift.objects.create(
        driver=shift.driver, vehicle=vehicles[0], date=NEXT_DAY, start=shift.start, end=shift.end
    )
    place = chalais_place()
    agent = AgentFactory(organisation=operator)
    for weekday in (DAY.weekday(), NEXT_DAY.weekday()):
        WeeklyRuleFactory(
            agent=agent, place=place, weekday=weekday, start_time=dt.time(9), end_time=dt.time(17)
        )
    service = ServiceFactory(
        organisation=operator, duration_minutes=60, agents=[agent], places=[place]
    )
    booking, _token = appointments.booking_create(
        service=service, starts_at=at(14), place=place, name="M. Martin", phone="06 99 88 77 66"
    )
    ride = services.ride_request_create(
        operator=operator,
        booking=booking,
        name="M. Martin",
        address="",
        commune=Commune.objects.get(name="Courlac"),
        phone="06 99 88 77 66",
        via_link=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = planning.plan_day(operator=operator, date=DAY)
        services.plan_confirm(run=run)
    ride.refresh_from_db()
    assert ride.status == RideStatus.CONFIRMED
    sms.outbox.clear()
    staff = member(Role.MEDIATOR, organisation=operator)
    return operator, place, booking, ride, staff


def told(ride) -> list[str]:
    return [m.text for m in sms.outbox if m.text.startswith(INTRO) and m.to == ride.phone]


def test_the_ride_follows_the_moved_booking_and_the_rider_is_told_once(
    booked, django_capture_on_commit_callbacks
):
    operator, place, booking, ride, staff = booked
    with django_capture_on_commit_callbacks(execute=True):
        appointments.booking_move(booking=booking, starts_at=at(15), by=staff)
    ride.refresh_from_db()
    assert (ride.date, ride.arrive_by, ride.leave_after) == (DAY, at(15), at(16))
    assert ride.place == place
    event = ride.events.get(action="moved")
    assert (event.from_status, event.to_status) == (RideStatus.CONFIRMED, RideStatus.REQUESTED)
    assert event.user == staff and event.note == "rendez-vous déplacé au mardi 5 mars à 15h00"
    assert told(ride) == [
        f"{INTRO} Trajet du mardi 5 mars vers Espace numérique de Chalais (aller et retour) :"
        " nouvelle heure de passage envoyée dès la planification."
        f" Annuler : {told(ride)[0].split('Annuler : ')[1]}"
    ]
    # The day had a plan: it is planned again, with the ride at its new times.
    replan = PlanningRun.objects.filter(operator=operator, date=DAY, kind=RunKind.REPLAN).get()
    assert current_run(operator, DAY) == replan
    ride.refresh_from_db()
    assert ride.status == RideStatus.PLANNED
    dropoff = ride.stops.get(tour__run=replan, leg=Leg.OUTBOUND, kind=StopKind.DROPOFF)
    assert at(14) < dropoff.service_at <= at(15)


def test_a_move_to_another_day_plans_both_days_that_had_a_plan(
    booked, django_capture_on_commit_callbacks
):
    operator, _place, booking, ride, staff = booked
    with django_capture_on_commit_callbacks(execute=True):
        planning.plan_day(operator=operator, date=NEXT_DAY)
        appointments.booking_move(booking=booking, starts_at=at(13, day=NEXT_DAY), by=staff)
    ride.refresh_from_db()
    assert (ride.date, ride.arrive_by) == (NEXT_DAY, at(13, day=NEXT_DAY))
    replanned = PlanningRun.objects.filter(operator=operator, kind=RunKind.REPLAN)
    assert sorted(replanned.values_list("date", flat=True)) == [DAY, NEXT_DAY]
    assert not ride.stops.filter(tour__run=current_run(operator, DAY)).exists()
    assert ride.stops.filter(tour__run=current_run(operator, NEXT_DAY)).exists()
    assert len(told(ride)) == 1


def test_rides_over_or_asked_elsewhere_keep_what_they_must(
    booked, django_capture_on_commit_callbacks
):
    _operator, _place, booking, ride, staff = booked
    elsewhere = chalais_place()
    RideRequest.objects.filter(pk=ride.pk).update(place=elsewhere, status=RideStatus.REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        appointments.booking_move(booking=booking, starts_at=at(16), by=staff)
    ride.refresh_from_db()
    assert (ride.place, ride.arrive_by) == (elsewhere, at(16))  # its own destination kept
    assert ride.events.get(action="moved").to_status == RideStatus.REQUESTED
    assert told(ride) == []  # never told a pickup time: nothing to take back
    RideRequest.objects.filter(pk=ride.pk).update(status=RideStatus.DONE)
    appointments.booking_move(booking=booking, starts_at=at(15), by=staff)
    ride.refresh_from_db()
    assert (ride.status, ride.arrive_by) == (RideStatus.DONE, at(16))
