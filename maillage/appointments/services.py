"""Writes of the appointments app: holds, bookings, moves, cancellations, seats, waitlists
(joined, promoted, left).

Every function that takes something scarce follows the same shape, inside one transaction:
lock the parties (`locking.lock`, sorted row locks, short timeout), expire stale holds that
stand in the way, re-check availability under the lock, then write the booking and its
occupation rows. The database has the last word: on PostgreSQL an exclusion constraint
refuses any overlap of one agent or room that slipped through (`locking.translate_errors`
turns it into `SlotTaken`). Messages leave through tasks enqueued on commit.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from maillage import clock
from maillage.organisations import permissions

from . import labels, notifications, signals, slot_cache, visio
from .intervals import local_interval
from .labels import (
    Attendance,
    BookedVia,
    BookingStatus,
    MessageKind,
    PartyType,
    ServiceKind,
    SessionStatus,
)
from .locking import BookingError, SlotTaken, for_update, lock, translate_errors
from .models import Agent, Booking, BookingEvent, Occupation, Resource, Service, Session
from .parties import Parties
from .slot_lists import service_setup
from .slots import SlotFinder
from .tokens import make_link_token


def hold_duration() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "MAILLAGE_APPOINTMENTS_HOLD_MINUTES", 5))


def _check_manage(by, booking: Booking) -> None:
    """Staff acting on a booking must manage its service's agenda (`by` None: the person
    themselves, through the signed link of their booking)."""
    if by is not None and not permissions.can_manage_booking(by, booking):
        raise BookingError(labels.ERR_NOT_ALLOWED)


def _log(booking: Booking, action: str, *, before: str = "", by=None, note: str = "") -> None:
    BookingEvent.objects.create(
        booking=booking,
        at=clock.now(),
        action=action,
        from_status=before,
        to_status=booking.status,
        user=by if by is not None and by.is_authenticated else None,
        note=note,
    )


# --- Occupations -------------------------------------------------------------------------


def _parties(booking: Booking) -> list[tuple[str, int]]:
    parties = []
    if booking.agent_id:
        parties.append((PartyType.AGENT, booking.agent_id))
    if booking.resource_id:
        parties.append((PartyType.RESOURCE, booking.resource_id))
    return parties


def _occupy(booking: Booking, *, forced: bool = False) -> None:
    service = booking.service
    Occupation.objects.bulk_create(
        Occupation(
            booking=booking,
            party_type=party_type,
            party_id=party_id,
            starts_at=booking.starts_at - service.buffer_before,
            ends_at=booking.ends_at + service.buffer_after,
            active=True,
            forced=forced,
            hold_expires_at=booking.hold_expires_at,
        )
        for party_type, party_id in _parties(booking)
    )
    slot_cache.touch_booking(booking)


def _release(booking: Booking) -> None:
    booking.occupations.update(active=False)
    slot_cache.touch_booking(booking)


def _expire_stale_holds(
    *, agent_ids: Iterable[int] = (), resource_ids: Iterable[int | None] = (), session_id=None
) -> None:
    """Expired holds of these parties stop occupying them (done under their lock), in one
    query whatever the number of parties."""
    now = clock.now()
    stale = Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__lte=now)
    conditions = Q()
    if agents := [a for a in agent_ids if a]:
        conditions |= Q(agent_id__in=agents)
    if rooms := [r for r in resource_ids if r]:
        conditions |= Q(resource_id__in=rooms)
    if session_id:
        conditions |= Q(session_id=session_id)
    if not conditions:
        return
    ids = list(stale.filter(conditions).values_list("pk", flat=True))
    if ids:
        Booking.objects.filter(pk__in=ids).update(status=BookingStatus.EXPIRED)
        Occupation.objects.filter(booking_id__in=ids).update(active=False)


def holds_expire() -> int:
    """Mark every expired hold as such and free what it occupied (periodic task)."""
    now = clock.now()
    with transaction.atomic():
        ids = list(
            Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__lte=now).values_list(
                "pk", flat=True
            )
        )
        Booking.objects.filter(pk__in=ids).update(status=BookingStatus.EXPIRED)
        Occupation.objects.filter(booking_id__in=ids).update(active=False)
    return len(ids)


# --- Choosing the parties ------------------------------------------------------------------


def _offered(service: Service) -> Parties:
    """Who and where the service books (active agents, places, rooms of the kind it needs):
    the shared cache's copy, read by its booking page too, until the configuration changes
    (`slot_cache.cached_by_configuration`)."""
    return service_setup(service)[1]


def _candidate_agents(service: Service, agent: Agent | None) -> list[int]:
    """The service's active agents by id, or the one asked for if it is one of them."""
    agent_ids = _offered(service).agent_ids
    if agent is not None:
        if agent.pk not in agent_ids:
            raise BookingError(labels.ERR_SLOT_UNAVAILABLE)
        return [agent.pk]
    return list(agent_ids)


def _check_offered(service: Service, place_id: int | None, agent_id: int | None) -> None:
    """The place is one of the service's (when it books at places) and the chosen agent one
    of its active agents."""
    offered = _offered(service)
    if service.at_place and place_id not in offered.place_ids:
        raise BookingError(labels.ERR_SLOT_UNAVAILABLE)
    if agent_id is not None and agent_id not in offered.agent_ids:
        raise BookingError(labels.ERR_SLOT_UNAVAILABLE)


def _candidate_resources(
    service: Service, place_id: int | None, resource_id: int | None
) -> list[int | None]:
    """The active rooms of the kind the service needs at the place, one of its places
    ([None]: it needs none); a room asked for (the slot key a page sent back) must be one of
    them."""
    if not service.needed_resource_kind:
        return [None]
    rooms = _offered(service).rooms.get(place_id, []) if place_id else []
    if resource_id is not None:
        rooms = [resource_id] if resource_id in rooms else []
    if not rooms:
        raise BookingError(labels.ERR_SLOT_UNAVAILABLE)
    return list(rooms)


def _pick_free_parties(
    service: Service,
    *,
    place_id: int | None,
    starts_at: dt.datetime,
    agent_ids: list[int],
    resource_ids: list[int | None],
    exclude_booking_id: int | None = None,
) -> tuple[int, int | None]:
    """Lock the candidate parties, then return the first (agent, resource) pair free at
    `starts_at`, re-checked under the lock."""
    lock(agents=agent_ids, resources=[r for r in resource_ids if r])
    _expire_stale_holds(agent_ids=agent_ids, resource_ids=resource_ids)
    local_day = timezone.localtime(starts_at).date()
    rooms = {r for r in resource_ids if r}
    offered = _offered(service)
    # The service's rules from the shared cache, unless a party is no longer the service's
    # (a booking moved with its former agent): then read from the database.
    in_offer = set(agent_ids) <= set(offered.agent_ids) and rooms <= offered.room_ids
    finder = SlotFinder(
        local_day,
        local_day,
        set(agent_ids),
        rooms,
        exclude_booking_id=exclude_booking_id,
        rule_rows=slot_cache.cached_rule_rows(service, offered) if in_offer else None,
    )
    for agent_id in agent_ids:
        for resource_id in resource_ids:
            if finder.is_free(
                service,
                place_id=place_id,
                agent_id=agent_id,
                resource_id=resource_id,
                starts_at=starts_at,
            ):
                return agent_id, resource_id
    raise SlotTaken(labels.ERR_SLOT_UNAVAILABLE)


# --- Holds and bookings ------------------------------------------------------------------


@translate_errors
def booking_hold(
    *,
    service: Service,
    starts_at: dt.datetime,
    place=None,
    agent: Agent | None = None,
    resource: Resource | None = None,
    place_id: int | None = None,
    agent_id: int | None = None,
    resource_id: int | None = None,
    by=None,
    via: str = BookedVia.SELF,
) -> tuple[Booking, str]:
    """Keep a slot for a few minutes while the form is filled; returns (booking, token).
    The place, agent and room are given as rows or, by the public page that only has the
    ids of the slot it was sent, as ids: they are checked here either way."""
    starts_at = starts_at.astimezone(dt.UTC)  # elapsed time, not clock time, across DST
    if service.kind == ServiceKind.WORKSHOP:
        raise BookingError(labels.ERR_NOT_ALLOWED)
    place_id = place.pk if place is not None else place_id
    agent_id = agent.pk if agent is not None else agent_id
    resource_id = resource.pk if resource is not None else resource_id
    if not service.is_public and place is None and place_id is not None:
        place = Booking.place.field.related_model.objects.filter(pk=place_id).first()
    if not permissions.can_book_service(by, service, place):
        raise BookingError(labels.ERR_NOT_ALLOWED)
    _check_offered(service, place_id, agent_id)
    agent_id, resource_id = _pick_free_parties(
        service,
        place_id=place_id,
        starts_at=starts_at,
        agent_ids=[agent_id] if agent_id is not None else _candidate_agents(service, None),
        resource_ids=_candidate_resources(service, place_id, resource_id),
    )
    booking = Booking(
        service=service,
        place_id=place_id if service.at_place else None,
        agent_id=agent_id,
        resource_id=resource_id,
        starts_at=starts_at,
        ends_at=starts_at + service.duration,
        status=BookingStatus.HELD,
        hold_expires_at=clock.now() + hold_duration(),
        booked_via=via,
        booked_by=by if by is not None and by.is_authenticated else None,
    )
    booking.save()
    token = make_link_token(booking)
    _occupy(booking)
    _log(booking, "hold", by=by)
    return booking, token


def booking_release_hold(*, booking_id: int) -> bool:
    """Give back a slot held and not confirmed (the visitor held another one); True if freed."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .filter(pk=booking_id, status=BookingStatus.HELD)
            .first()
        )
        if booking is None:
            return False
        booking.status = BookingStatus.EXPIRED
        booking.save(update_fields=["status"])
        _release(booking)
        _log(booking, "hold_released")
    return True


# What confirming a hold writes.
CONFIRMED_FIELDS = [
    "status",
    "hold_expires_at",
    "name",
    "phone",
    "email",
    "consent_reminders",
    "commune",
    "address",
    "note",
    "visio_room",
    "modified_at",
]


@translate_errors
def booking_confirm(
    *,
    booking: Booking,
    name: str,
    phone: str = "",
    email: str = "",
    consent_reminders: bool = False,
    commune=None,
    address: str = "",
    note: str = "",
    by=None,
) -> Booking:
    """Turn a live hold into a booking with the person's details; messages on commit."""
    lock(agents=[booking.agent_id], resources=[booking.resource_id])
    # Its own row locked last (the helper's order) and reloaded; its service (read below)
    # stays the one loaded with it (reloading forgets it).
    service = booking.service
    booking.refresh_from_db(from_queryset=for_update(Booking._base_manager.all()))
    booking.service = service
    if booking.status != BookingStatus.HELD or not booking.hold_is_live:
        raise BookingError(labels.ERR_HOLD_EXPIRED)
    if not (phone or email) and booking.booked_via == BookedVia.SELF:
        raise BookingError(labels.ERR_CONTACT_REQUIRED)
    before = booking.status
    booking.status = BookingStatus.BOOKED
    booking.hold_expires_at = None
    booking.name, booking.phone, booking.email = name, phone, email
    booking.consent_reminders = consent_reminders
    booking.commune = commune
    booking.address = address
    booking.note = note
    if booking.service.is_visio and not booking.visio_room:
        booking.visio_room = visio.new_room_name()
    booking.save(update_fields=CONFIRMED_FIELDS)
    booking.occupations.update(hold_expires_at=None)
    # A page computed after the hold expired and before this commit showed the slot free.
    slot_cache.touch_booking(booking)
    _log(booking, "confirm", before=before, by=by)
    notifications.notify_on_commit(booking.pk, MessageKind.CONFIRMATION, booking=booking)
    return booking


@translate_errors
def booking_create(
    *,
    service: Service,
    starts_at: dt.datetime,
    place=None,
    agent: Agent | None = None,
    by=None,
    via: str = BookedVia.STAFF,
    **person,
) -> tuple[Booking, str]:
    """Hold and confirm in one go (someone books for the person in front of them)."""
    booking, token = booking_hold(
        service=service, starts_at=starts_at, place=place, agent=agent, by=by, via=via
    )
    booking_confirm(booking=booking, by=by, **person)
    return booking, token


@translate_errors
def booking_force(
    *,
    service: Service,
    starts_at: dt.datetime,
    agent: Agent,
    place=None,
    by,
    reason: str,
    **person,
) -> Booking:
    """An agent books over an existing appointment on purpose: explicit, logged, and
    exempt from the overlap constraint (its occupation rows are marked forced)."""
    starts_at = starts_at.astimezone(dt.UTC)  # elapsed time, not clock time, across DST
    if not permissions.can_manage_agenda_of(by, service):
        raise BookingError(labels.ERR_NOT_ALLOWED)
    if not reason.strip():
        raise BookingError(labels.ERR_FORCE_REASON)
    booking = Booking(
        service=service,
        place=place,
        agent=agent,
        starts_at=starts_at,
        ends_at=starts_at + service.duration,
        status=BookingStatus.BOOKED,
        forced=True,
        booked_via=BookedVia.PARTNER,
        booked_by=by,
        name=person.get("name", ""),
        phone=person.get("phone", ""),
        email=person.get("email", ""),
        consent_reminders=person.get("consent_reminders", False),
        commune=person.get("commune"),
    )
    if service.is_visio:
        booking.visio_room = visio.new_room_name()
    booking.save()
    _occupy(booking, forced=True)
    _log(booking, "force_overlap", by=by, note=reason)
    notifications.notify_on_commit(booking.pk, MessageKind.CONFIRMATION)
    return booking


@translate_errors
def booking_cancel(*, booking: Booking, by=None, reason: str = "") -> Booking:
    """Cancel; a freed workshop seat goes to the first person on the waitlist."""
    _check_manage(by, booking)
    lock(
        agents=[booking.agent_id],
        resources=[booking.resource_id],
        sessions=[booking.session_id],
        bookings=[booking.pk],
    )
    booking.refresh_from_db()
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED):
        return booking
    if booking.has_started:
        raise BookingError(labels.ERR_TOO_LATE)
    before = booking.status
    was_seat = booking.status in (BookingStatus.BOOKED, BookingStatus.HELD)
    booking.status = BookingStatus.CANCELLED
    booking.sequence += 1
    booking.save(update_fields=["status", "sequence", "modified_at"])
    _release(booking)
    _log(booking, "cancel", before=before, by=by, note=reason)
    signals.booking_cancelled.send(sender=Booking, booking_id=booking.pk, by=by)
    if before == BookingStatus.BOOKED:
        notifications.notify_on_commit(booking.pk, MessageKind.CANCELLATION)
    if booking.session_id and was_seat:
        _waitlist_promote(booking.session)
    return booking


@translate_errors
def booking_move(
    *,
    booking: Booking,
    starts_at: dt.datetime,
    agent: Agent | None = None,
    place=None,
    by=None,
) -> Booking:
    """Move a booking to another start (same service), keeping its calendar UID."""
    starts_at = starts_at.astimezone(dt.UTC)  # elapsed time, not clock time, across DST
    _check_manage(by, booking)
    if booking.session_id:
        raise BookingError(labels.ERR_NOT_ALLOWED)
    if booking.has_started or booking.status != BookingStatus.BOOKED:
        raise BookingError(labels.ERR_TOO_LATE)
    service = booking.service
    place = place or booking.place
    agents = _candidate_agents(service, agent) if agent else [booking.agent_id]
    if booking.agent_id not in agents and agent is None:
        agents.append(booking.agent_id)
    resources = (
        _candidate_resources(service, place.pk if place else None, None)
        if place != booking.place
        else [booking.resource_id]
    )
    # One call, so the rows are locked in the helper's global order (agents, resources,
    # sessions, bookings); `_pick_free_parties` then re-locks rows already held.
    lock(agents=agents, resources=[r for r in resources if r], bookings=[booking.pk])
    agent_id, resource_id = _pick_free_parties(
        service,
        place_id=place.pk if place else None,
        starts_at=starts_at,
        agent_ids=sorted(agents),
        resource_ids=resources,
        exclude_booking_id=booking.pk,
    )
    _release(booking)
    booking.occupations.all().delete()
    old, place_id_before = booking.starts_at, booking.place_id
    booking.starts_at = starts_at
    booking.ends_at = starts_at + service.duration
    booking.agent_id, booking.resource_id = agent_id, resource_id
    booking.place = place
    booking.sequence += 1
    booking.save()
    _occupy(booking)
    _log(booking, "move", before=booking.status, by=by, note=f"ancien début : {old.isoformat()}")
    signals.booking_moved.send(
        sender=Booking, booking_id=booking.pk, place_id_before=place_id_before, by=by
    )
    notifications.notify_on_commit(booking.pk, MessageKind.CHANGE)
    return booking


def booking_mark_attendance(*, booking: Booking, attendance: str, by=None) -> Booking:
    _check_manage(by, booking)
    if attendance not in Attendance.values:
        raise BookingError("Présence inconnue.")
    if attendance and booking.starts_at > clock.now():
        raise BookingError(labels.ERR_ATTENDANCE_NOT_YET)
    previous = booking.attendance
    booking.attendance = attendance
    booking.save(update_fields=["attendance", "modified_at"])
    _log(booking, "attendance", before=booking.status, by=by, note=f"{previous} → {attendance}")
    transaction.on_commit(
        lambda: signals.attendance_marked.send(
            sender=Booking, booking_id=booking.pk, attendance=attendance
        )
    )
    return booking


# --- Workshops -----------------------------------------------------------------------------


def _seats_taken(session: Session) -> int:
    return session.bookings.filter(status__in=[BookingStatus.HELD, BookingStatus.BOOKED]).count()


@translate_errors
def session_register(
    *,
    session: Session,
    name: str,
    phone: str = "",
    email: str = "",
    consent_reminders: bool = False,
    commune=None,
    by=None,
    via: str = BookedVia.SELF,
    waitlist: bool = True,
) -> tuple[Booking, str]:
    """A seat in a workshop session, counted under the session's lock; when full, a place on
    the waitlist (with `waitlist=False`, a `BookingError`: the session is full)."""
    if not permissions.can_book_service(by, session.service, session.place):
        raise BookingError(labels.ERR_NOT_ALLOWED)
    if not (phone or email) and via == BookedVia.SELF:
        raise BookingError(labels.ERR_CONTACT_REQUIRED)
    lock(sessions=[session.pk])
    session.refresh_from_db()
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= clock.now():
        raise BookingError(labels.ERR_SLOT_UNAVAILABLE)
    _expire_stale_holds(session_id=session.pk)
    full = _seats_taken(session) >= session.capacity
    if full and not waitlist:
        raise BookingError(labels.ERR_SESSION_FULL)
    booking = Booking(
        service=session.service,
        place=session.place,
        session=session,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        status=BookingStatus.WAITLISTED if full else BookingStatus.BOOKED,
        name=name,
        phone=phone,
        email=email,
        consent_reminders=consent_reminders,
        commune=commune,
        booked_via=via,
        booked_by=by if by is not None and by.is_authenticated else None,
    )
    if full:
        last = session.bookings.filter(status=BookingStatus.WAITLISTED).aggregate(
            m=Max("waitlist_position")
        )["m"]
        booking.waitlist_position = (last or 0) + 1
    booking.save()
    token = make_link_token(booking)
    _log(booking, "waitlist" if full else "register", by=by)
    if not full:
        notifications.notify_on_commit(booking.pk, MessageKind.CONFIRMATION)
    return booking, token


def _waitlist_promote(session: Session) -> list[Booking]:
    """Give freed seats to waitlisted people, in order (caller holds the session lock)."""
    promoted = []
    free = session.capacity - _seats_taken(session)
    if free <= 0 or session.starts_at <= clock.now():
        return promoted
    for booking in session.bookings.filter(status=BookingStatus.WAITLISTED).order_by(
        "waitlist_position", "pk"
    )[:free]:
        booking.status = BookingStatus.BOOKED
        booking.waitlist_position = None
        booking.save(update_fields=["status", "waitlist_position", "modified_at"])
        _log(booking, "waitlist_promote", before=BookingStatus.WAITLISTED)
        notifications.notify_on_commit(booking.pk, MessageKind.WAITLIST_SEAT)
        promoted.append(booking)
    return promoted


@translate_errors
def waitlist_remove(*, booking: Booking, by, reason: str = "") -> Booking:
    """Staff take a person off a session's waitlist (she asked by phone, a duplicate…): the
    entry is cancelled, logged, and the person told, as for the staff's other cancellations.
    Those after her move up: the waitlist is ordered by position, so nothing is renumbered."""
    _check_manage(by, booking)
    lock(sessions=[booking.session_id], bookings=[booking.pk])
    booking.refresh_from_db()
    if booking.status != BookingStatus.WAITLISTED:
        raise BookingError(labels.ERR_NOT_WAITLISTED)
    if booking.has_started:
        raise BookingError(labels.ERR_TOO_LATE)
    booking.status = BookingStatus.CANCELLED
    booking.waitlist_position = None
    booking.save(update_fields=["status", "waitlist_position", "modified_at"])
    _log(booking, "waitlist_remove", before=BookingStatus.WAITLISTED, by=by, note=reason)
    signals.booking_cancelled.send(sender=Booking, booking_id=booking.pk, by=by)
    notifications.notify_on_commit(booking.pk, MessageKind.WAITLIST_REMOVED)
    return booking


@translate_errors
def session_promote_waitlist(*, session: Session) -> list[Booking]:
    lock(sessions=[session.pk])
    session.refresh_from_db()
    return _waitlist_promote(session)


def session_mark_attendance(*, session: Session, marks: dict[int, str], by=None) -> int:
    """Attendance of a workshop's seated people at once (`marks`: booking id → attendance);
    unknown values and unchanged ones are left alone. Returns how many changed."""
    if by is not None and not permissions.can_manage_session(by, session):
        raise BookingError(labels.ERR_NOT_ALLOWED)
    changed = 0
    for booking in session.bookings.filter(status=BookingStatus.BOOKED):
        value = marks.get(booking.pk)
        if value is not None and value in Attendance.values and value != booking.attendance:
            booking_mark_attendance(booking=booking, attendance=value, by=by)
            changed += 1
    return changed


@translate_errors
def series_generate_sessions(*, series) -> int:
    """Create the sessions of a series (idempotent), occupying the animator. Weeks when the
    place says it is closed at that hour (a public holiday, a closing day) get no session."""
    from maillage.places import hours

    created = 0
    day = series.starts_on
    while day.weekday() != series.weekday:
        day += dt.timedelta(days=1)
    duration = series.service.duration
    while day <= series.ends_on:
        start, _ = local_interval(day, series.start_time, series.start_time)
        if hours.is_open(series.place.opening_hours, start) is False:
            day += dt.timedelta(days=7)
            continue
        session, was_created = Session.objects.get_or_create(
            series=series,
            starts_at=start,
            defaults={
                "service": series.service,
                "place": series.place,
                "agent": series.agent,
                "ends_at": start + duration,
                "capacity": series.capacity,
            },
        )
        if was_created:
            created += 1
            if series.agent_id:
                Occupation.objects.create(
                    session=session,
                    party_type=PartyType.AGENT,
                    party_id=series.agent_id,
                    starts_at=start - series.service.buffer_before,
                    ends_at=start + duration + series.service.buffer_after,
                )
        day += dt.timedelta(days=7)
    return created
