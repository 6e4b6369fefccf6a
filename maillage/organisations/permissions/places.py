"""Rules on places of help and help requests."""

from __future__ import annotations

from django.db.models import Q

from .rule_book import (
    PLACES_EDIT_PLACE,
    PLACES_HANDLE_HELP_REQUESTS,
    can,
    is_platform_admin,
    organisations_where,
)

# --- Places --------------------------------------------------------------------------------
# "The organisation" of a place is the one running it; for a help request it is the one
# running the place the request was routed to.


def editable_places_q(user) -> Q:
    """Places `user` may edit: `places.edit_place` in the organisation running them (a place
    without organisation: platform administrators only)."""
    if is_platform_admin(user):
        return Q()
    return Q(organisation__in=organisations_where(user, PLACES_EDIT_PLACE))


def can_edit_place(user, place) -> bool:
    """`place` is among `editable_places_q`."""
    if is_platform_admin(user):
        return True
    return place.organisation_id is not None and can(user, PLACES_EDIT_PLACE, place.organisation)


def visible_help_requests_q(user) -> Q:
    """Help requests `user` reads and handles: `places.handle_help_requests` in the
    organisation running the place they were routed to; requests no place could take are
    seen by platform administrators only."""
    if is_platform_admin(user):
        return Q()
    return Q(place__organisation__in=organisations_where(user, PLACES_HANDLE_HELP_REQUESTS))


def can_handle_help_request(user, help_request) -> bool:
    """`help_request` is among `visible_help_requests_q`."""
    if is_platform_admin(user):
        return True
    place = help_request.place
    return (
        place is not None
        and place.organisation_id is not None
        and can(user, PLACES_HANDLE_HELP_REQUESTS, place.organisation)
    )
