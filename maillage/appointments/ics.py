"""Calendar files (RFC 5545, with the icalendar library).

One VEVENT per booking, whose UID never changes (`booking-<uuid>@maillage`): a move raises
its SEQUENCE, a cancellation sends STATUS:CANCELLED with METHOD:CANCEL, so calendar
programs update or remove the event they already have. Feeds of an agent or a place list
the active bookings and workshop sessions of the last 30 days and the next year.

icalendar is imported when a calendar is written (`_icalendar`), not with this module: the
public pages import it, and most processes never write a calendar.
"""

from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import TYPE_CHECKING

from django.conf import settings

from maillage import clock

from .labels import BookingStatus

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//Maillage//Rendez-vous//FR"


def booking_uid(booking) -> str:
    return f"booking-{booking.uid}@maillage"


def _icalendar() -> ModuleType:
    import icalendar

    return icalendar


def _calendar(method: str | None = None) -> Calendar:
    calendar = _icalendar().Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _location(booking) -> str:
    if booking.place_id:
        place = booking.place
        return f"{place.name}, {place.address}, {place.postcode} {place.commune_name}"
    return booking.address or booking.service.get_kind_display()


def booking_event(booking, *, for_staff: bool = False) -> Event:
    from . import visio

    icalendar = _icalendar()
    event = icalendar.Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", clock.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("sequence", booking.sequence)
    summary = booking.service.name
    if for_staff and booking.name:
        summary += f" — {booking.name}"
    event.add("summary", summary)
    event["location"] = icalendar.vText(_location(booking))
    lines = [f"{booking.service.organisation.name}"]
    if booking.service.document_list:
        lines.append("À apporter : " + ", ".join(booking.service.document_list))
    if for_staff and booking.visio_room:
        lines.append("Visio : " + visio.room_url(booking))
    event.add("description", "\n".join(lines))
    cancelled = booking.status not in (BookingStatus.BOOKED, BookingStatus.HELD)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def booking_ics(booking) -> bytes:
    """The .ics attached to the person's messages (REQUEST, or CANCEL once cancelled)."""
    cancelled = booking.status == BookingStatus.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = booking_event(booking)
    organiser = settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip()
    event.add("organizer", f"mailto:{organiser}")
    calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(bookings, sessions=(), *, name: str) -> bytes:
    icalendar = _icalendar()
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(booking_event(booking, for_staff=True))
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"session-{session.pk}@maillage")
        event.add("dtstamp", clock.now())
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{session.service.name} (atelier)")
        event["location"] = icalendar.vText(session.place.name)
        event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def feed_window() -> tuple[dt.datetime, dt.datetime]:
    now = clock.now()
    return now - dt.timedelta(days=30), now + dt.timedelta(days=366)
