"""Delay to an appointment: the first free slot at each place, from the appointments app's slot
search — the very search the public booking pages use, so the figure is what a person would
be offered.

- a Point Visio kind: the public visio services given at the place (only the named operator's
  when the kind names one), first free slot of any of them (`slots.search`);
- a service kind: that service at the place (`slots.service_slots`), or for a workshop the
  next scheduled session with a seat left (as the service page lists them).

Slots are searched from `now` over `MAILLAGE_ACCESS_APPOINTMENT_HORIZON_DAYS` (60) days; a place
with none has no delay (None: « aucun rendez-vous libre »).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .kinds import AccessKind


def horizon_days() -> int:
    return int(getattr(settings, "MAILLAGE_ACCESS_APPOINTMENT_HORIZON_DAYS", 60))


def first_free_slots(
    kind: AccessKind, place_ids: Iterable[int], *, now: dt.datetime, days: int | None = None
) -> dict[int, dt.datetime]:
    """The start of the first free slot of `kind` at each place (places without one are absent)."""
    from maillage.appointments import slots
    from maillage.appointments.labels import ServiceKind, SessionStatus
    from maillage.appointments.models import Service, Session

    place_ids = set(place_ids)
    if not kind.needs_appointment or not place_ids:
        return {}
    start = timezone.localtime(now).date()
    end = start + dt.timedelta(days=days or horizon_days())
    found: dict[int, dt.datetime] = {}

    def keep(place_id: int | None, moment: dt.datetime) -> None:
        if place_id in place_ids and (place_id not in found or moment < found[place_id]):
            found[place_id] = moment

    if kind.service_id is not None:
        service = Service.objects.get(pk=kind.service_id)
        if service.kind == ServiceKind.WORKSHOP:
            sessions = (
                Session.objects.with_seats()
                .filter(
                    service=service,
                    status=SessionStatus.SCHEDULED,
                    starts_at__gt=now,
                    starts_at__lt=now + dt.timedelta(days=days or horizon_days()),
                    place_id__in=place_ids,
                    seats_taken__lt=F("capacity"),
                )
                .order_by("starts_at")
            )
            for session in sessions:
                keep(session.place_id, session.starts_at)
            return found
        by_place = slots.service_slots(
            service, start=start, end=end, place_ids=place_ids, now=now, days_with_slots=1
        )
        for place_id, place_slots in by_place.items():
            if place_slots:
                keep(place_id, place_slots[0].starts_at)
        return found
    services = Service.objects.public().filter(kind=ServiceKind.VISIO, places__in=place_ids)
    if kind.operator_id is not None:
        services = services.filter(organisation_id=kind.operator_id)
    for row in slots.search(services.distinct(), start=start, end=end, now=now):
        keep(row["place_id"], row["slot"].starts_at)
    return found


def days_between(now: dt.datetime, moment: dt.datetime | None) -> float | None:
    """Days (fractional) from `now` to `moment`; None when there is no moment."""
    if moment is None:
        return None
    return max(0.0, (moment - now).total_seconds() / 86400)
