"""From an appointment's attendance to an accompaniment, in one click.

The appointments app records bookings (with attendance present / absent / excused) and
workshop sessions. A reader turns one of them into an `Attendance` (who was present, when,
where); `services.accompaniment_from_attendance` records it once (the accompaniment keeps
`source_model` / `source_id`, a generic reference, so mediation does not depend on the
appointments app's migrations). Readers are looked up by model label, e.g.
"appointments.Session"; another app can add its own to `READERS`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.utils import timezone

from maillage import clock

from .labels import AccompanimentKind, LocationKind
from .services import Attendance, Attendee

PRESENT = "present"


def _minutes(starts_at, ends_at) -> int:
    return max(1, min(24 * 60, int((ends_at - starts_at).total_seconds() // 60)))


def read_session(pk) -> Attendance:
    """A workshop session: the people marked present are its participants."""
    Session = apps.get_model("appointments", "Session")
    session = Session.objects.select_related("service__organisation", "place").get(pk=pk)
    present = session.bookings.filter(attendance=PRESENT).order_by("pk")
    return Attendance(
        source_model="appointments.Session",
        source_id=str(session.pk),
        organisation=session.service.organisation,
        date=timezone.localdate(session.starts_at),
        starts_at=session.starts_at,
        kind=AccompanimentKind.COLLECTIVE,
        duration_minutes=_minutes(session.starts_at, session.ends_at),
        location_kind=LocationKind.PLACE,
        place=session.place,
        title=session.service.name,
        present=[Attendee(name=b.name, commune_id=b.commune_id) for b in present],
    )


def read_booking(pk) -> Attendance:
    """An individual appointment (in a place, at home, by visio or phone), if attended."""
    Booking = apps.get_model("appointments", "Booking")
    booking = Booking.objects.select_related("service__organisation", "place").get(pk=pk)
    if booking.session_id:
        return read_session(booking.session_id)
    service_kind = booking.service.kind
    location = {
        "home_visit": LocationKind.HOME,
        "phone": LocationKind.REMOTE,
    }.get(service_kind, LocationKind.PLACE if booking.place_id else LocationKind.REMOTE)
    present = [Attendee(name=booking.name, commune_id=booking.commune_id)]
    return Attendance(
        source_model="appointments.Booking",
        source_id=str(booking.pk),
        organisation=booking.service.organisation,
        date=timezone.localdate(booking.starts_at),
        starts_at=booking.starts_at,
        kind=AccompanimentKind.INDIVIDUAL,
        duration_minutes=_minutes(booking.starts_at, booking.ends_at),
        location_kind=location,
        place=booking.place if location == LocationKind.PLACE else None,
        title=booking.service.name,
        present=present if booking.attendance == PRESENT else [],
    )


READERS: dict[str, Callable[[object], Attendance]] = {
    "appointments.Session": read_session,
    "appointments.Booking": read_booking,
}


def read(source_model: str, source_id) -> Attendance:
    if source_model not in READERS or not apps.is_installed(
        "maillage." + source_model.split(".")[0]
    ):
        raise LookupError(source_model)
    return READERS[source_model](source_id)


def pending(organisations, *, limit: int = 20) -> list[dict]:
    """Attended sessions and bookings of `organisations` not yet recorded (newest first)."""
    if not apps.is_installed("maillage.appointments"):
        return []
    from .models import Accompaniment

    Session = apps.get_model("appointments", "Session")
    Booking = apps.get_model("appointments", "Booking")
    now = clock.now()
    done = {
        model: set(
            Accompaniment.objects.filter(source_model=model).values_list("source_id", flat=True)
        )
        for model in READERS
    }
    items = []
    sessions = (
        Session.objects.filter(
            service__organisation__in=organisations,
            starts_at__lte=now,
            bookings__attendance=PRESENT,
        )
        .select_related("service", "place")
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    for s in sessions:
        if str(s.pk) not in done["appointments.Session"]:
            items.append(
                {"model": "appointments.Session", "id": s.pk, "label": str(s), "at": s.starts_at}
            )
    bookings = (
        Booking.objects.filter(
            service__organisation__in=organisations,
            starts_at__lte=now,
            attendance=PRESENT,
            session__isnull=True,
        )
        .select_related("service")
        .order_by("-starts_at")[:limit]
    )
    for b in bookings:
        if str(b.pk) not in done["appointments.Booking"]:
            items.append(
                {"model": "appointments.Booking", "id": b.pk, "label": str(b), "at": b.starts_at}
            )
    return sorted(items, key=lambda i: i["at"], reverse=True)[:limit]
