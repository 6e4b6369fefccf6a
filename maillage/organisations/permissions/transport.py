"""Rules on ride requests and their carriers."""

from __future__ import annotations

from django.db.models import Q

from ..models import Membership
from .rule_book import (
    TRANSPORT_MANAGE_RIDES,
    TRANSPORT_REQUEST_RIDE,
    _in,
    _is_person,
    _none,
    can,
    can_anywhere,
    is_platform_admin,
    organisations_where,
)

# --- Transport -----------------------------------------------------------------------------
# "The organisation" of a ride is its carrier (operator).


def can_request_rides(user) -> bool:
    """`transport.request_ride` somewhere: ask for rides, plan home visits."""
    return can_anywhere(user, TRANSPORT_REQUEST_RIDE)


def can_manage_rides(user, operator) -> bool:
    """`transport.manage_rides` in the carrier: plan its days, confirm tours, print drivers'
    sheets, mark rides done, see riders' addresses and phone numbers."""
    return can(user, TRANSPORT_MANAGE_RIDES, operator)


def sees_rider_details(user, ride) -> bool:
    """Riders' addresses and phone numbers: only for the carrier's staff (`can_manage_rides`)."""
    return can_manage_rides(user, ride.operator)


def visible_rides_q(user) -> Q:
    """Rides `user` sees: of the carriers where they manage rides, the ones they asked for
    (they may cancel those), and — where they may ask for rides (mediators, receptionists) —
    the rides of the people their organisation booked or that a colleague asked for."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    asking = organisations_where(user, TRANSPORT_REQUEST_RIDE)
    colleagues = Membership.objects.filter(organisation__in=asking).values("user_id")
    return (
        Q(operator__in=organisations_where(user, TRANSPORT_MANAGE_RIDES))
        | Q(created_by=user)
        | Q(booking__service__organisation__in=asking)
        | Q(created_by__in=colleagues)
    )


def can_see_ride(user, ride) -> bool:
    """`ride` is among `visible_rides_q`."""
    return _in(visible_rides_q(user), ride)
