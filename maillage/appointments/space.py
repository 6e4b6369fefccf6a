"""The appointments' panel of "Mon espace": the day's agenda of the people who run one or
book for others (mediators, partner agents at the Points Visio, receptionists), what comes
next, and the past appointments whose attendance is still to be noted."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from maillage import clock
from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .labels import Attendance, BookingStatus, SessionStatus
from .models import Booking, Session

UPCOMING = 5
TO_NOTE = 5
# How far back an appointment whose attendance nobody noted is still worth a reminder.
NOTE_WITHIN = dt.timedelta(days=30)


def agenda_panel(user, *, today: dt.date) -> Panel | None:
    """Today's confirmed appointments and workshop sessions the person sees, the next ones
    after today, and (for those who mark attendance) past ones still unmarked."""
    if not permissions.is_appointments_staff(user):
        return None
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    high = low + dt.timedelta(days=1)
    visible = (
        Booking.objects.visible_to(user)
        .filter(status=BookingStatus.BOOKED, session__isnull=True)
        .select_related("service", "place")
        .order_by("starts_at", "pk")
    )
    bookings = list(visible.filter(starts_at__gte=low, starts_at__lt=high))
    sessions = list(
        Session.objects.with_seats()
        .filter(permissions.visible_sessions_q(user), status=SessionStatus.SCHEDULED)
        .filter(starts_at__gte=low, starts_at__lt=high)
        .select_related("service", "place")
        .order_by("starts_at", "pk")
    )
    upcoming_sessions = (
        Session.objects.filter(permissions.visible_sessions_q(user), status=SessionStatus.SCHEDULED)
        .filter(starts_at__gte=high)
        .select_related("service", "place")
        .order_by("starts_at", "pk")[:UPCOMING]
    )
    upcoming = sorted(
        [*visible.filter(starts_at__gte=high)[:UPCOMING], *upcoming_sessions],
        key=lambda item: item.starts_at,
    )[:UPCOMING]
    to_note = []
    if permissions.can_anywhere(user, permissions.APPOINTMENTS_MANAGE_AGENDA):
        now = clock.now()
        to_note = list(
            visible.filter(
                service__organisation__in=permissions.organisations_where(
                    user, permissions.APPOINTMENTS_MANAGE_AGENDA
                ),
                attendance=Attendance.UNKNOWN,
                ends_at__lte=now,
                ends_at__gte=now - NOTE_WITHIN,
            ).order_by("-starts_at", "-pk")[:TO_NOTE]
        )
    agenda = reverse("appointments:agenda")
    return Panel(
        title="Agenda du jour",
        template="appointments/space/agenda.html",
        context={
            "today": today,
            "bookings": bookings,
            "sessions": sessions,
            "upcoming": upcoming,
            "to_note": to_note,
        },
        links=(
            ("Agenda du jour", agenda),
            ("Agenda de la semaine", f"{agenda}?vue=semaine"),
            ("Prendre un rendez-vous pour une personne", reverse("appointments:staff_book")),
        ),
    )


def register() -> None:
    register_panel("appointments.agenda", 20, agenda_panel)
