"""Find help near me: the places answering a need, nearest first by estimated travel time.

A département has at most a few hundred places, so candidates are filtered and ranked in
Python (the multi-valued fields are JSON lists, which SQLite cannot search inside); travel
times come from `territory.travel`, behind which a routing engine can later replace the
estimate without changing this module.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from maillage import clock
from maillage.territory.travel import Point, Trip, trips

from .hours import OpenState
from .labels import NEED_SERVICES, HelpNeed, Need
from .models import Place

# What a place must offer to take a call-back for digital help: procedures or learning.
DIGITAL_HELP_SERVICES = NEED_SERVICES[Need.PROCEDURE] | NEED_SERVICES[Need.LEARN]


@dataclass(frozen=True)
class PlaceResult:
    place: Place
    trip: Trip
    open_state: OpenState

    @property
    def minutes(self) -> int:
        return self.trip.rounded_minutes

    @property
    def km(self) -> float:
        return round(self.trip.km, 1)


def answers(place: Place, need: str | None, operator_id: int | None = None) -> bool:
    """Whether `place` answers `need` (any need when None)."""
    if not place.receives_public:
        return False
    if not need:
        return True
    if need == Need.VISIO:
        if not place.offers_visio():
            return False
        if operator_id is None:
            return True
        return any(o.pk == operator_id for o in place.visio_operators.all())
    if need == Need.MOBILITY:
        return place.mobility_help
    return bool(NEED_SERVICES[Need(need)] & set(place.services))


def candidate_places(day: dt.date | None = None):
    return (
        Place.objects.open_on(day)
        .select_related("commune", "organisation")
        .prefetch_related("visio_operators")
    )


def find_places(
    origin: Point,
    need: str | None = None,
    *,
    operator_id: int | None = None,
    limit: int = 10,
    at: dt.datetime | None = None,
    places=None,
) -> list[PlaceResult]:
    """The `limit` places nearest to `origin` (latitude, longitude) answering `need`.

    Only places open on the day of `at` (now by default: not closed, already opened) and
    receiving the public are considered; ties on time are broken by name.
    """
    at = at or clock.now()
    pool = candidate_places(timezone.localtime(at).date()) if places is None else places
    chosen = [
        place for place in pool if place.position is not None and answers(place, need, operator_id)
    ]
    estimated = trips(origin, [place.position for place in chosen])
    ranked = sorted(
        zip(chosen, estimated, strict=True), key=lambda pair: (pair[1].minutes, pair[0].name)
    )
    return [
        PlaceResult(place=place, trip=trip, open_state=place.open_state(at))
        for place, trip in ranked[:limit]
    ]


def help_request_candidates(need: str, day: dt.date | None = None) -> list[Place]:
    """Places a call-back request for `need` may be routed to.

    Call-backs are handled by organisations (their mediators' queue), not by a room: an
    organisation that takes requests at one of its places (`accepts_help_requests`) takes them
    at every place it runs that receives the public and answers the need — a Brossac resident
    goes to the Brossac workshop of the association that also takes requests in Chalais, not to
    Chalais. Places of organisations taking no requests (a town hall's Point Visio) are never
    chosen. For a mobility need, places helping with mobility are preferred when there are any.
    """
    pool = [p for p in candidate_places(day) if p.organisation_id and p.receives_public]
    taking = {p.organisation_id for p in pool if p.accepts_help_requests}
    pool = [p for p in pool if p.organisation_id in taking]
    if need == HelpNeed.MOBILITY:
        suited = [p for p in pool if p.mobility_help]
    else:
        suited = [
            p for p in pool if p.accepts_help_requests or DIGITAL_HELP_SERVICES & set(p.services)
        ]
    return suited or [p for p in pool if p.accepts_help_requests]


def nearest_place_for_help_request(origin: Point, need: str) -> Place | None:
    """The nearest place suited to a call-back request (see `help_request_candidates`)."""
    results = find_places(origin, None, limit=1, places=help_request_candidates(need))
    return results[0].place if results else None
