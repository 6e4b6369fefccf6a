"""Indicators for the plan: bookings, attendance and no-shows by service, place, operator
(the service's organisation) and commune; Num06 (Points Visio: users, operators present)
and Num07 (workshops held, participants).

Counted from the booking rows themselves, which retention anonymises but keeps.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .labels import Attendance, BookingStatus, ServiceKind, SessionStatus
from .models import Booking, Session

DIMENSIONS = {
    "service": ("service__name", "Motif"),
    "place": ("place__name", "Lieu"),
    "operator": ("service__organisation__name", "Organisme"),
    "commune": ("commune__name", "Commune de la personne"),
}


def _period(queryset, start: dt.datetime | None, end: dt.datetime | None):
    if start:
        queryset = queryset.filter(starts_at__gte=start)
    if end:
        queryset = queryset.filter(starts_at__lt=end)
    return queryset


def breakdown(dimension: str, *, start=None, end=None, bookings=None) -> list[dict]:
    """Rows of {label, booked, cancelled, present, absent, excused, no_show_rate}."""
    field, _ = DIMENSIONS[dimension]
    bookings = _period(bookings if bookings is not None else Booking.objects.all(), start, end)
    rows = (
        bookings.exclude(status__in=[BookingStatus.HELD, BookingStatus.EXPIRED])
        .values(field)
        .annotate(
            booked=Count("pk", filter=Q(status=BookingStatus.BOOKED)),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
        )
        .order_by(field)
    )
    result = []
    for row in rows:
        marked = row["present"] + row["absent"]
        result.append(
            {
                "label": row[field] or "(non renseigné)",
                **{
                    k: row[k]
                    for k in ("booked", "cancelled", "waitlisted", "present", "absent", "excused")
                },
                "no_show_rate": round(100 * row["absent"] / marked) if marked else None,
            }
        )
    return result


@dataclass
class PlanIndicators:
    visio_users: int
    visio_appointments_held: int
    visio_operators: int
    workshops_held: int
    workshop_participants: int


def plan_indicators(*, start=None, end=None) -> PlanIndicators:
    visio = _period(
        Booking.objects.filter(
            service__kind=ServiceKind.VISIO,
            status=BookingStatus.BOOKED,
            attendance=Attendance.PRESENT,
        ),
        start,
        end,
    )
    # People are counted by contact (phone or email, else name); erased rows count once each.
    people = set()
    for pk, phone, email, name in visio.values_list("pk", "phone", "email", "name"):
        people.add(phone or email or name or f"#{pk}")
    sessions = _period(Session.objects.filter(status=SessionStatus.SCHEDULED), start, end)
    held = sessions.filter(
        bookings__attendance=Attendance.PRESENT, bookings__status=BookingStatus.BOOKED
    ).distinct()
    participants = _period(
        Booking.objects.filter(
            session__isnull=False, status=BookingStatus.BOOKED, attendance=Attendance.PRESENT
        ),
        start,
        end,
    ).count()
    return PlanIndicators(
        visio_users=len(people),
        visio_appointments_held=visio.count(),
        visio_operators=visio.values("service__organisation").distinct().count(),
        workshops_held=held.count(),
        workshop_participants=participants,
    )


def year_bounds(year: int | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """A calendar year in local time, or no bounds."""
    if year is None or not dt.MINYEAR <= year < dt.MAXYEAR:
        return None, None
    zone = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def breakdown_header(dimension: str) -> list[str]:
    """The CSV export's columns for `breakdown(dimension)`."""
    return [
        DIMENSIONS[dimension][1],
        "confirmés",
        "annulés",
        "en attente",
        "présents",
        "absents",
        "excusés",
        "taux d'absence (%)",
    ]


def breakdown_rows(rows: list[dict]):
    for r in rows:
        yield [
            r["label"],
            r["booked"],
            r["cancelled"],
            r["waitlisted"],
            r["present"],
            r["absent"],
            r["excused"],
            "" if r["no_show_rate"] is None else r["no_show_rate"],
        ]
