"""The staff agenda: the appointments and workshop sessions a person sees over a day or a
week, filtered by place, agent and status; the week drawn as seven columns; the same list as a
table for the CSV export."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maillage.organisations import permissions
from maillage.places.models import Place

from .labels import BookingStatus
from .models import Agent, Booking, Session


@dataclass(frozen=True)
class Window:
    """The days shown: one day, or the week (Monday first) holding `day`."""

    day: dt.date
    week: bool

    @property
    def start_day(self) -> dt.date:
        return self.day - dt.timedelta(days=self.day.weekday()) if self.week else self.day

    @property
    def end_day(self) -> dt.date:
        """The day after the last one shown."""
        return self.start_day + dt.timedelta(days=7 if self.week else 1)

    @property
    def last_day(self) -> dt.date:
        return self.end_day - dt.timedelta(days=1)

    @property
    def previous(self) -> dt.date:
        return self.start_day - dt.timedelta(days=7 if self.week else 1)

    @property
    def next(self) -> dt.date:
        return self.end_day

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start_day, dt.time.min, tzinfo=zone),
            dt.datetime.combine(self.end_day, dt.time.min, tzinfo=zone),
        )


def agenda_bookings(user, window: Window, *, place_id=None, agent_id=None, status=""):
    """Appointments the person sees in the window (holds and expired holds left out)."""
    low, high = window.bounds()
    bookings = (
        Booking.objects.visible_to(user)
        .filter(starts_at__gte=low, starts_at__lt=high)
        .exclude(status__in=[BookingStatus.HELD, BookingStatus.EXPIRED])
        .select_related("service__organisation", "place", "agent", "session")
    )
    if place_id is not None:
        bookings = bookings.filter(place_id=place_id)
    if agent_id is not None:
        bookings = bookings.filter(agent_id=agent_id)
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    return bookings.order_by("starts_at", "pk")


def agenda_sessions(user, window: Window):
    low, high = window.bounds()
    return (
        Session.objects.with_seats()
        .filter(permissions.visible_sessions_q(user))
        .filter(starts_at__gte=low, starts_at__lt=high)
        .select_related("service", "place")
    )


def filter_places(user):
    """Places of the appointments the person sees (the agenda's place filter)."""
    visible_ids = Booking.objects.visible_to(user).values("pk")
    return Place.objects.filter(bookings__in=visible_ids).distinct().order_by("name")


def filter_agents(user):
    """Agents of those appointments, and agents whose availability the person sets."""
    visible_ids = Booking.objects.visible_to(user).values("pk")
    return (
        Agent.objects.filter(Q(bookings__in=visible_ids) | permissions.availability_agents_q(user))
        .distinct()
        .order_by("name")
    )


def week_calendar(start_day: dt.date, bookings, sessions, today: dt.date) -> list[dict]:
    """Seven columns, Monday first: each day's appointments and workshop sessions by time."""
    days = [{"date": start_day + dt.timedelta(days=n), "items": []} for n in range(7)]
    for booking in bookings:
        local = timezone.localtime(booking.starts_at)
        days[(local.date() - start_day).days]["items"].append(
            {
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "title": booking.service.name,
                "who": booking.person_label,
                "where": booking.place.name
                if booking.place
                else booking.service.get_kind_display(),
                "url": reverse("appointments:staff_booking", args=[booking.pk]),
                "cancelled": booking.status == BookingStatus.CANCELLED,
                "status": booking.get_status_display(),
            }
        )
    for session in sessions:
        local = timezone.localtime(session.starts_at)
        days[(local.date() - start_day).days]["items"].append(
            {
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "title": session.service.name,
                "who": f"{session.seats_taken}/{session.capacity} inscrits",
                "where": session.place.name,
                "url": reverse("appointments:session_attendance", args=[session.pk]),
                "cancelled": False,
                "status": "Atelier",
            }
        )
    for day in days:
        day["items"].sort(key=lambda item: item["starts_at"])
        day["is_today"] = day["date"] == today
    return days


AGENDA_HEADER = [
    "début",
    "fin",
    "motif",
    "organisme",
    "lieu",
    "agent",
    "personne",
    "téléphone",
    "courriel",
    "statut",
    "présence",
]


def agenda_rows(bookings):
    """The agenda as rows of the CSV export (AGENDA_HEADER's columns)."""
    for b in bookings:
        yield [
            timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(b.ends_at).strftime("%Y-%m-%d %H:%M"),
            b.service.name,
            b.service.organisation.name,
            b.place.name if b.place else "",
            b.agent.name if b.agent else "",
            b.name,
            b.phone,
            b.email,
            b.get_status_display(),
            b.get_attendance_display(),
        ]
