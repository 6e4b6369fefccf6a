"""What can be booked, and when next: per place (the places pages, through
`places.booking_offers`) and across places near a person (the booking home's first free
times, workshops included).

Only services anyone may book online (`Service.objects.public()`) are offered; a workshop's
next times are its scheduled sessions, a full one offering its waiting list.
"""

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from maillage import clock
from maillage.places.booking_offers import BookingOffer, OfferTime
from maillage.territory import travel

from .intervals import day_bounds
from .labels import ServiceKind, SessionStatus
from .models import Service, Session
from .slots import SlotFinder, service_slots
from .slots import search as search_slots

SEARCH_DAYS = 14
TIMES_PER_OFFER = 3


def _window(start: dt.date | None, days: int) -> tuple[dt.date, dt.date]:
    start = start or clock.today()
    return start, start + dt.timedelta(days=days - 1)


def upcoming_sessions(services, *, place_ids=None, start: dt.date, end: dt.date):
    """Scheduled sessions of these workshops still to start within [start, end], with their
    seats taken (`seats_taken`), earliest first."""
    sessions = (
        Session.objects.with_seats()
        .filter(
            service__in=services,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=max(clock.now(), day_bounds(start)[0]),
            starts_at__lt=day_bounds(end)[1],
        )
        .select_related("service__organisation", "place")
        .order_by("starts_at", "pk")
    )
    if place_ids is not None:
        sessions = sessions.filter(place_id__in=place_ids)
    return sessions


def _session_time(session: Session) -> OfferTime:
    return OfferTime(
        starts_at=session.starts_at,
        register_url=reverse("appointments:session_register", args=[session.pk]),
        seats_left=max(0, session.capacity - session.seats_taken),
    )


def _offer(service: Service, place_id: int, times: list[OfferTime]) -> BookingOffer:
    return BookingOffer(
        place_id=place_id,
        title=service.name,
        kind_label=service.get_kind_display(),
        organisation=service.organisation.name,
        duration_minutes=service.duration_minutes,
        price_text=service.price_text,
        url=reverse("appointments:service_detail", args=[service.pk]) + f"?lieu={place_id}",
        is_workshop=service.kind == ServiceKind.WORKSHOP,
        times=tuple(times),
    )


def offers_by_place(
    place_ids: list[int], *, start: dt.date | None = None, days: int = SEARCH_DAYS
) -> dict[int, list[BookingOffer]]:
    """Every public service and workshop offered at these places, with its next free times
    (the first day having free slots, at most three; a workshop's next sessions)."""
    start, end = _window(start, days)
    services = list(
        Service.objects.public()
        .filter(places__in=place_ids)
        .distinct()
        .select_related("organisation")
        .prefetch_related("places")
        .order_by("kind", "name", "pk")
    )
    wanted = set(place_ids)
    result: dict[int, list[BookingOffer]] = defaultdict(list)
    workshops = [s for s in services if s.kind == ServiceKind.WORKSHOP]
    by_workshop_place: dict[tuple[int, int], list[OfferTime]] = defaultdict(list)
    for session in upcoming_sessions(workshops, place_ids=place_ids, start=start, end=end):
        times = by_workshop_place[(session.service_id, session.place_id)]
        if len(times) < TIMES_PER_OFFER:
            times.append(_session_time(session))
    appointments = [s for s in services if s.kind != ServiceKind.WORKSHOP]
    finder = SlotFinder.for_services(appointments, start, end) if appointments else None
    for service in services:
        offered_at = [p.pk for p in service.places.all() if p.pk in wanted]
        if service.kind == ServiceKind.WORKSHOP:
            found = {p: by_workshop_place.get((service.pk, p), []) for p in offered_at}
        else:
            hold_url = reverse("appointments:hold", args=[service.pk])
            found = {
                p: [
                    OfferTime(starts_at=slot.starts_at, hold_url=hold_url, key=slot.key)
                    for slot in slots[:TIMES_PER_OFFER]
                ]
                for p, slots in service_slots(
                    service,
                    start=start,
                    end=end,
                    place_ids=offered_at,
                    finder=finder,
                ).items()
            }
        for place_id, times in found.items():
            result[place_id].append(_offer(service, place_id, times))
    return dict(result)


def first_free_times(
    services, *, origin: tuple[float, float] | None, start: dt.date | None = None, days: int
) -> list[dict]:
    """Across places: the first free slot of each (service, place) and the next session with a
    seat of each (workshop, place), nearest place first, then earliest. Rows carry `service`,
    `place`, `minutes`, `starts_at` and either `slot` or `session`."""
    start, end = _window(start, days)
    services = list(services)
    rows = [
        {**row, "starts_at": row["slot"].starts_at, "session": None}
        for row in search_slots(services, start=start, end=end, origin=origin)
    ]
    workshops = [s for s in services if s.kind == ServiceKind.WORKSHOP]
    seen: set[tuple[int, int]] = set()
    session_rows = []
    for session in upcoming_sessions(workshops, start=start, end=end):
        pair = (session.service_id, session.place_id)
        if pair in seen or session.seats_taken >= session.capacity:
            continue
        seen.add(pair)
        session_rows.append(
            {
                "service": session.service,
                "place": session.place,
                "slot": None,
                "session": session,
                "starts_at": session.starts_at,
                "minutes": None,
            }
        )
    located = [r for r in session_rows if r["place"].position]
    if origin is not None and located:
        trips = travel.trips(origin, [r["place"].position for r in located])
        for row, trip in zip(located, trips, strict=True):
            row["minutes"] = trip.rounded_minutes
    rows.extend(session_rows)
    rows.sort(
        key=lambda r: (
            r["minutes"] if r["minutes"] is not None else (0 if r["place"] is None else 10**6),
            r["starts_at"],
        )
    )
    return rows


def register_offers() -> None:
    """Called from `AppointmentsConfig.ready`: the places pages show these offers."""
    from maillage.places import booking_offers

    booking_offers.register(offers_by_place)
