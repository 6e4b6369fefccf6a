"""What the appointment views share: reading a person's details from a form, a date or a
commune from the query string, the guard of the staff pages and the booking they act on, and
moving a booking to the slot a move page posted (the person's page and the staff page move the
same way)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from maillage.organisations import permissions
from maillage.territory.search import search_communes

from .. import labels, services
from ..locking import BookingError
from ..models import Agent, Booking
from ..slots import parse_slot_key

# Logged in, and managing an agenda or booking for people somewhere.
staff_required = permissions.permission_required_anywhere(
    permissions.APPOINTMENTS_MANAGE_AGENDA, permissions.APPOINTMENTS_BOOK_FOR_USER
)


def visible_booking(request, pk: int) -> Booking:
    """A booking the person sees (404 otherwise: its existence is not revealed)."""
    return get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "service__organisation", "place", "agent", "session"
        ),
        pk=pk,
    )


def managed_booking(request, pk: int) -> Booking:
    """A booking the person sees (404 otherwise) and manages (403 otherwise)."""
    booking = visible_booking(request, pk)
    if not permissions.can_manage_booking(request.user, booking):
        raise PermissionDenied
    return booking


def person_kwargs(data: dict) -> dict:
    """The person's details from a cleaned `PersonForm`, as the booking services take them."""
    return {
        "name": data["name"],
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "consent_reminders": data.get("consent_reminders", False),
        "commune": data.get("commune"),
    }


def parse_date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def parse_id(text: str | None) -> int | None:
    """A record id from the query string or a form, None when absent or not a number."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def commune_from_text(text: str):
    """The commune a visitor typed (best match), None when empty or not found."""
    text = (text or "").strip()
    if not text:
        return None
    found = search_communes(text, limit=1)
    return found[0] if found else None


def move_to_posted_slot(request, booking: Booking, *, by) -> bool:
    """Move `booking` to the slot the form posted (`slot`, a key from the move page's
    buttons), with the message saying how it went; `by` None: the person, by signed link."""
    try:
        _place, agent_id, _resource, starts_at = parse_slot_key(request.POST.get("slot", ""))
    except (ValueError, TypeError):
        messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        return False
    try:
        services.booking_move(
            booking=booking,
            starts_at=starts_at,
            agent=Agent.objects.filter(pk=agent_id).first(),
            by=by,
        )
    except BookingError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, labels.MSG_MOVED)
    return True
