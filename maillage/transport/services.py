"""Writes of the transport app: ride requests (create, cancel, mark), planning runs, plan
confirmation, erasure of personal data. Reads limited to what a person may see live here too.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from maillage import cache_versions, clock
from maillage.appointments.models import Booking
from maillage.organisations import permissions
from maillage.organisations.models import Organisation
from maillage.territory.geocoding import geocode_address

from . import labels
from .current_plan import ride_stops
from .labels import MessageKind, RideStatus, RunKind, RunStatus, StopKind
from .models import PlanningRun, RideRequest, TourStop, Vehicle
from .notify import notify_on_commit


def operators() -> QuerySet[Organisation]:
    """Organisations that run vehicles: the ones a ride can be asked from."""
    return Organisation.objects.filter(vehicles__is_active=True).distinct().order_by("name")


ANY_OPERATOR_VERSION = "transport:any-operator:version"


def any_operator() -> bool:
    """Whether any organisation runs an active vehicle (every booking confirmation asks):
    from the shared cache, under a version that every vehicle saved or deleted renews."""
    if not settings.MAILLAGE_SHARED_CACHE:
        return operators().exists()
    version = cache_versions.current([ANY_OPERATOR_VERSION])[ANY_OPERATOR_VERSION]
    key = f"transport:any-operator:{version}"
    found = cache.get(key)
    if found is None:
        found = operators().exists()
        cache.set(key, found, timeout=3600)
    return found


def forget_any_operator(**_) -> None:
    """A vehicle changed (signal receiver)."""
    cache_versions.renew([ANY_OPERATOR_VERSION])


def visible_requests(user) -> QuerySet[RideRequest]:
    """Rides `user` sees (`permissions.visible_rides_q`)."""
    return RideRequest.objects.filter(permissions.visible_rides_q(user))


def _booking_open_to_rides(booking, *, outbound: bool, return_trip: bool):
    """The booking, locked, if a ride may be asked for it: confirmed (not held, waitlisted or
    cancelled), not started, and no live ride already covering a leg asked for. The lock
    makes two requests at once wait for each other; the constraints back it up."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_confirmed or booking.has_started:
        raise ValidationError(labels.ERR_BOOKING_NOT_CONFIRMED)
    live = RideRequest.objects.active().filter(booking=booking)
    if (outbound and live.filter(outbound=True).exists()) or (
        return_trip and live.filter(return_trip=True).exists()
    ):
        raise ValidationError(labels.ERR_RIDE_EXISTS)
    return booking


def rides_cover_booking(booking) -> bool:
    """Whether live rides already cover both directions of the booking."""
    live = RideRequest.objects.active().filter(booking=booking)
    return live.filter(outbound=True).exists() and live.filter(return_trip=True).exists()


def ride_times_from_booking(booking) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The booking's day, the latest arrival (its start) and the earliest departure (its end)."""
    return timezone.localdate(booking.starts_at), booking.starts_at, booking.ends_at


@transaction.atomic
def ride_request_create(
    *,
    operator: Organisation,
    name: str,
    address: str,
    commune,
    place=None,
    booking=None,
    phone: str = "",
    email: str = "",
    date: dt.date | None = None,
    arrive_by: dt.datetime | None = None,
    leave_after: dt.datetime | None = None,
    outbound: bool = True,
    return_trip: bool = True,
    wheelchair: bool = False,
    companion: bool = False,
    note: str = "",
    by=None,
    via_link: bool = False,
) -> RideRequest:
    """Record a ride request (geocoding the address) and re-plan the day if it has a plan.

    With a booking, the destination and the times follow from it: arrive before it starts,
    leave after it ends. A mediator or receptionist asks on behalf of someone (`by`, who must
    hold `transport.request_ride` somewhere); a person asks through her booking's link
    (`via_link`).
    """
    if not via_link and not (by is not None and permissions.can_request_rides(by)):
        raise PermissionDenied(labels.ERR_NOT_ALLOWED)
    if booking is not None:
        booking = _booking_open_to_rides(booking, outbound=outbound, return_trip=return_trip)
        date, start, end = ride_times_from_booking(booking)
        place = place or booking.place
        arrive_by = arrive_by or start
        leave_after = leave_after or end
    if not (outbound or return_trip):
        raise ValidationError(labels.ERR_NO_LEG)
    if (outbound and arrive_by is None) or (return_trip and leave_after is None):
        raise ValidationError(labels.ERR_NO_TIME)
    if date is None:
        date = timezone.localdate(arrive_by or leave_after)
    position = geocode_address(address, commune=commune)
    if position is None:
        raise ValidationError(labels.ERR_NO_POSITION)
    try:
        with transaction.atomic():  # a savepoint: the constraint's refusal is a clear message
            ride = RideRequest.objects.create(
                operator=operator,
                booking=booking,
                date=date,
                name=name,
                phone=phone,
                email=email,
                address=address,
                commune=position.commune,
                latitude=position.latitude,
                longitude=position.longitude,
                approximate=position.approximate,
                position_note=position.note,
                place=place,
                outbound=outbound,
                return_trip=return_trip,
                arrive_by=arrive_by if outbound else None,
                leave_after=leave_after if return_trip else None,
                wheelchair=wheelchair,
                companion=companion,
                note=note,
                created_by=by if by is not None and by.is_authenticated else None,
            )
    except IntegrityError as error:
        raise ValidationError(labels.ERR_RIDE_EXISTS) from error
    ride.log("created", by=by, note="par le lien du rendez-vous" if via_link else "")
    replan_if_planned(operator=operator, date=date, by=by)
    return ride


def ride_request_cancel(*, ride: RideRequest, by=None, note: str = "") -> RideRequest:
    """Cancel a ride (by the rider's link, the staff, or with the booking it serves) and tell
    the rider once the transaction commits; the day is re-planned if it had a plan. A ride
    already over (done, absent, cancelled) cannot be cancelled: `ValidationError`."""
    with transaction.atomic():
        ride = RideRequest.objects.select_for_update().get(pk=ride.pk)
        ride.transition(RideStatus.CANCELLED, by=by, note=note, action="cancelled")
        notify_on_commit(ride.pk, MessageKind.CANCELLATION)
        replan_if_planned(operator=ride.operator, date=ride.date, by=by)
    return ride


def rides_cancel_with_booking(*, booking_id: int, by=None) -> list[RideRequest]:
    """The booking a ride serves was cancelled: its live rides are cancelled too (same
    transaction, through `appointments.signals.booking_cancelled`)."""
    return [
        ride_request_cancel(ride=ride, by=by, note=labels.NOTE_BOOKING_CANCELLED)
        for ride in RideRequest.objects.active().filter(booking_id=booking_id).order_by("pk")
    ]


def rides_follow_booking(*, booking_id: int, place_id_before: int | None, by=None):
    """The booking a ride serves was moved (same transaction, through
    `appointments.signals.booking_moved`): its live rides take the booking's new day and times
    (and its new place, unless the ride was asked to another one), go back to "requested" when
    they were planned, and both days are re-planned where they had a plan. A rider already told
    her pickup time hears that it no longer holds; the new one comes with the re-planned day's
    confirmation, like any ride's."""
    booking = Booking.objects.get(pk=booking_id)
    date, arrive_by, leave_after = ride_times_from_booking(booking)
    when = date_format(timezone.localtime(booking.starts_at), r"l j F \à H\hi")
    note = labels.NOTE_BOOKING_MOVED.format(when=when)
    rides = RideRequest.objects.select_for_update().active().filter(booking_id=booking_id)
    followed, days = [], set()
    for ride in rides.order_by("pk"):
        day_before, was_confirmed = ride.date, ride.status == RideStatus.CONFIRMED
        if ride.status != RideStatus.REQUESTED:
            ride.transition(RideStatus.REQUESTED, by=by, note=note, action="moved")
        else:
            ride.log("moved", by=by, note=note)
        ride.date = date
        ride.arrive_by = arrive_by if ride.outbound else None
        ride.leave_after = leave_after if ride.return_trip else None
        if ride.place_id == place_id_before:
            ride.place_id = booking.place_id
        ride.save(update_fields=["date", "arrive_by", "leave_after", "place", "modified_at"])
        if was_confirmed:
            notify_on_commit(ride.pk, MessageKind.REPLANNING)
        days |= {(ride.operator_id, day_before), (ride.operator_id, date)}
        followed.append(ride)
    operators = {ride.operator_id: ride.operator for ride in followed}
    for operator_id, day in sorted(days):  # once per day, however many legs moved
        replan_if_planned(operator=operators[operator_id], date=day, by=by)
    return followed


def move_rides_of_moved_booking(
    sender, *, booking_id: int, place_id_before: int | None, by=None, **kwargs
) -> None:
    """Receiver of `appointments.signals.booking_moved`."""
    rides_follow_booking(booking_id=booking_id, place_id_before=place_id_before, by=by)


def cancel_rides_of_cancelled_booking(sender, *, booking_id: int, by=None, **kwargs) -> None:
    """Receiver of `appointments.signals.booking_cancelled`."""
    rides_cancel_with_booking(booking_id=booking_id, by=by)


def rider_may_cancel(ride: RideRequest) -> bool:
    """Online cancellation until the first pickup (or the time asked) is past."""
    if not ride.may_be_cancelled:
        return False
    first = ride.arrive_by if ride.outbound else ride.leave_after
    pickups = [stop.service_at for stop in ride_stops(ride) if stop.kind == StopKind.PICKUP]
    return (pickups[0] if pickups else first) > clock.now()


def ride_request_mark(*, ride: RideRequest, status: str, by=None) -> RideRequest:
    """Done or no-show, after the ride (the operator)."""
    ride.transition(status, by=by)
    return ride


def planning_run_start(
    *,
    operator,
    date: dt.date,
    half_day: str = "",
    by=None,
    kind: str = RunKind.PLAN,
    submission: uuid.UUID | None = None,
) -> PlanningRun:
    """Queue the planner for an operator's day (or half-day), or join the run already queued.

    A run waiting for the worker reads the day's requests only when it starts, so it absorbs
    every later request: ten requests in a row make one run, not ten. A plan from scratch asked
    while a re-plan waits turns it into a plan. `submission` is the "Planifier" form's one-time
    id: the same form sent twice (a double click) gives the same run, even one already done.
    """
    from .planning import plan_day_task

    scope = {"operator": operator, "date": date, "half_day": half_day}
    with transaction.atomic():
        if submission is not None:
            sent = PlanningRun.objects.filter(submission=submission).first()
            if sent is not None and (sent.operator_id, sent.date, sent.half_day) == (
                operator.pk,
                date,
                half_day,
            ):
                return sent
            if sent is not None:  # a form of another day sent here: not a repeat
                submission = None
        pending = (
            PlanningRun.objects.select_for_update()
            .filter(status=RunStatus.PENDING, **scope)
            .first()
        )
        if pending is None:
            try:
                with transaction.atomic():
                    run = PlanningRun.objects.create(
                        kind=kind,
                        created_by=by,
                        step="En attente du calcul",
                        submission=submission,
                        **scope,
                    )
            except IntegrityError:  # queued by another request at the same moment
                pending = PlanningRun.objects.get(status=RunStatus.PENDING, **scope)
            else:
                transaction.on_commit(lambda: plan_day_task.enqueue(run.pk))
                return run
        if kind == RunKind.PLAN and pending.kind != RunKind.PLAN:
            pending.kind = RunKind.PLAN
            pending.save(update_fields=["kind"])
        return pending


def replan_if_planned(*, operator, date: dt.date, by=None) -> list[PlanningRun]:
    """After a request is added or cancelled: re-plan each half-day or day that has a plan."""
    runs = []
    scopes = (
        PlanningRun.objects.filter(operator=operator, date=date, status=RunStatus.DONE)
        .values_list("half_day", flat=True)
        .distinct()
    )
    for half_day in sorted(set(scopes)):
        runs.append(
            planning_run_start(
                operator=operator, date=date, half_day=half_day, by=by, kind=RunKind.REPLAN
            )
        )
    return runs


def rides_to_confirm(run: PlanningRun):
    """The planned rides of a run that "confirm and notify" would confirm and message."""
    return (
        RideRequest.objects.filter(stops__tour__run=run, status=RideStatus.PLANNED)
        .select_related("commune")
        .distinct()
        .order_by("name", "pk")
    )


def plan_confirm(*, run: PlanningRun, by=None) -> int:
    """Confirm the planned rides of a run and tell each rider her pickup time."""
    count = 0
    with transaction.atomic():
        for ride in rides_to_confirm(run):
            ride.transition(RideStatus.CONFIRMED, by=by, action="confirmed")
            notify_on_commit(ride.pk, MessageKind.CONFIRMATION)
            count += 1
    return count


def ride_requests_anonymise(*, now: dt.datetime | None = None) -> int:
    """Erase riders' personal data after the retention period (RGPD)."""
    now = now or clock.now()
    months = settings.MAILLAGE_TRANSPORT_RETENTION_MONTHS
    limit = timezone.localdate(now) - dt.timedelta(days=round(months * 30.44))
    count = 0
    for ride in RideRequest.objects.filter(date__lt=limit, anonymised_at__isnull=True):
        ride.name = "(effacé)"
        ride.phone = ride.email = ride.address = ride.note = ride.position_note = ""
        ride.latitude, ride.longitude = ride.commune.latitude, ride.commune.longitude
        ride.approximate = True
        ride.uid = uuid.uuid4()
        ride.anonymised_at = now
        ride.save()
        # The tours keep the commune only for the rider's home stops.
        TourStop.objects.at_home().filter(request=ride).update(
            label=ride.commune.name, latitude=ride.latitude, longitude=ride.longitude
        )
        count += 1
    return count


def vehicles_of(operator) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(operator=operator)


def booking_ride_url(booking, token: str) -> str:
    """The path of the link offered on a booking's confirmation (page and messages) to ask
    for a ride, or "" when no operator runs vehicles or the place has no position, or the
    booking is past. The appointments app makes it absolute for messages only.

    For the appointments app: `{% if ride_url %}<a href="{{ ride_url }}">Demander un
    transport</a>{% endif %}` on the confirmation page, and in `how_to_come`.
    """
    from django.urls import reverse

    place = booking.place
    if (
        place is None
        or place.latitude is None
        or booking.starts_at <= clock.now()
        or not any_operator()
    ):
        return ""
    return reverse("transport:booking_ride", args=[token])
