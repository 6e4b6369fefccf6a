"""Rules on bookings, sessions, agents' availability and calendar feeds."""

from __future__ import annotations

from django.db.models import Q

from .rule_book import (
    APPOINTMENTS_BOOK_FOR_USER,
    APPOINTMENTS_MANAGE_AGENDA,
    ORGANISATION_MANAGE_MEMBERS,
    _in,
    _is_person,
    _none,
    can,
    can_anywhere,
    is_platform_admin,
    organisations_where,
)

# --- Appointments --------------------------------------------------------------------------
# A booking has two organisations: the one offering the service (whose agents manage it) and
# the one running the place (whose receptionists book there for people).


def is_appointments_staff(user) -> bool:
    """Manages an agenda or books for people somewhere: reaches the staff agenda pages."""
    return can_anywhere(user, APPOINTMENTS_MANAGE_AGENDA, APPOINTMENTS_BOOK_FOR_USER)


def visible_bookings_q(user) -> Q:
    """Bookings `user` sees: of services of organisations where they manage the agenda or
    book for people, and at places of organisations where they book for people."""
    if is_platform_admin(user):
        return Q()
    manage = organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)
    book = organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    return (
        Q(service__organisation__in=manage)
        | Q(place__organisation__in=book)
        | Q(service__organisation__in=book)
    )


def can_see_booking(user, booking) -> bool:
    """`booking` is among `visible_bookings_q`."""
    return _in(visible_bookings_q(user), booking)


def can_manage_booking(user, booking) -> bool:
    """Move, cancel, mark attendance: `appointments.manage_agenda` in the service's
    organisation. Booking for people at a place (receptionists) does not give it."""
    return can(user, APPOINTMENTS_MANAGE_AGENDA, booking.service.organisation)


def can_manage_agenda_of(user, service) -> bool:
    """`appointments.manage_agenda` in the service's organisation: book over an occupied
    time on purpose, manage its workshops."""
    return can(user, APPOINTMENTS_MANAGE_AGENDA, service.organisation)


def can_book_service(user, service, place=None) -> bool:
    """Who may book `service` (at `place`): anyone for public services; for staff services,
    `appointments.book_for_user` in the service's organisation or the place's; for
    partner-only services, `appointments.manage_agenda` in the service's organisation."""
    if service.is_public:
        return True
    if not _is_person(user):
        return False
    if service.is_partner_only:
        return can(user, APPOINTMENTS_MANAGE_AGENDA, service.organisation)
    organisations = [service.organisation]
    if place is not None and place.organisation_id:
        organisations.append(place.organisation)
    return any(can(user, APPOINTMENTS_BOOK_FOR_USER, org) for org in organisations)


def staff_bookable_services_q(user) -> Q:
    """Services offered on the staff booking page: of organisations where `user` manages the
    agenda or books for people, or offered at places of organisations where they book."""
    if is_platform_admin(user):
        return Q()
    book = organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    return (
        Q(organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA))
        | Q(organisation__in=book)
        | Q(places__organisation__in=book)
    )


def visible_sessions_q(user) -> Q:
    """Workshop sessions `user` sees and registers people for: of services whose agenda they
    manage, or at places of organisations where they book for people."""
    if is_platform_admin(user):
        return Q()
    return Q(service__organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        place__organisation__in=organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    )


def can_see_session(user, session) -> bool:
    """`session` is among `visible_sessions_q`."""
    return _in(visible_sessions_q(user), session)


def can_manage_session(user, session) -> bool:
    """Mark attendance at a workshop session: `appointments.manage_agenda` in the service's
    organisation."""
    return can_manage_agenda_of(user, session.service)


def availability_agents_q(user) -> Q:
    """Agents whose weekly availability, absences and leave `user` sets: their own agent
    profile in an organisation where they manage an agenda, and every agent of an
    organisation where they manage the members (its administrators)."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(user=user, organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        organisation__in=organisations_where(user, ORGANISATION_MANAGE_MEMBERS)
    )


def can_manage_availability(user, agent) -> bool:
    """`agent` is among `availability_agents_q`."""
    return _in(availability_agents_q(user), agent)


def feed_places_q(user) -> Q:
    """Places whose calendar feed `user` may create: run by organisations where they manage
    an agenda or book for people."""
    return Q(organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        organisation__in=organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    )
