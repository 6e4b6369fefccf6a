"""Time to help from each commune, for one kind of help: travel, waiting for opening, delay to
an appointment — three figures kept apart — for the nearest place and for the best one.

From each commune's centroid, the candidate places are the `candidates` nearest as the crow
flies plus every place within `radius_minutes` at the fastest plausible road speed (spatial
index, `matrix.NearestIndex`); their exact travel times come from the territory's provider,
one matrix per batch of communes (one OSRM table request per batch of origins).

**The combined rule (the best place).** Among the candidates, the best place minimises
*travel + waiting for opening* (minutes: the time from leaving home at a random daytime moment
to being received). For a kind that needs an appointment, only places with a free slot within
`appointment_days` days (14 by default, `MAILLAGE_ACCESS_APPOINTMENT_DAYS`) compete — the delay
is a threshold, not added to minutes, since a slot is booked ahead; when no candidate has one,
every candidate competes. A place never open (« aucun créneau ») never wins; a place whose
hours are unknown competes on travel alone (its waiting is unknown, shown as such). Ties go
to the shorter travel, then the place's id. The nearest place is the shortest travel, whatever
its hours. Both are reported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from maillage import clock
from maillage.territory import travel
from maillage.territory.travel import Point

from . import delays, kinds, waiting
from .waiting import Daytime

FASTEST_ROAD_KMH = 90.0  # bounds the crow-flies radius that may hold a place within N minutes


@dataclass(frozen=True)
class AccessParameters:
    """What a computation depends on (kept with each stored run)."""

    daytime: Daytime = field(default_factory=Daytime.from_settings)
    candidates: int = 8
    radius_minutes: float = 45.0
    appointment_days: float = field(
        default_factory=lambda: float(getattr(settings, "MAILLAGE_ACCESS_APPOINTMENT_DAYS", 14))
    )
    appointment_horizon_days: int = field(default_factory=delays.horizon_days)

    def as_dict(self) -> dict:
        return {
            "daytime": self.daytime.as_dict(),
            "candidates": self.candidates,
            "radius_minutes": self.radius_minutes,
            "appointment_days": self.appointment_days,
            "appointment_horizon_days": self.appointment_horizon_days,
        }


@dataclass(frozen=True)
class PlaceFigures:
    """A place serving the kind, and what its hours and free slots give."""

    place_id: int
    name: str
    position: Point
    insee_code: str
    waiting_minutes: float | None  # inf: never open (« aucun créneau »); None: hours unknown
    half_days_per_week: float | None
    appointment_days: float | None  # None: no free slot in the horizon (or none needed)
    next_slot_at: dt.datetime | None

    @property
    def hours_known(self) -> bool:
        return self.waiting_minutes is not None

    @property
    def never_open(self) -> bool:
        return self.waiting_minutes is not None and math.isinf(self.waiting_minutes)


@dataclass(frozen=True)
class Reach:
    """One place as reached from one commune."""

    place: PlaceFigures
    travel_minutes: float
    km: float
    estimated: bool = True

    @property
    def waiting_minutes(self) -> float | None:
        return self.place.waiting_minutes

    @property
    def appointment_days(self) -> float | None:
        return self.place.appointment_days

    @property
    def score_minutes(self) -> float:
        """Travel + waiting for opening (waiting unknown counts 0; never open is inf)."""
        return self.travel_minutes + (self.place.waiting_minutes or 0.0)

    def matches(
        self, *, min_half_days: float | None = None, max_appointment_days: float | None = None
    ) -> bool:
        """Open at least `min_half_days` half-days a week / a free slot within the days given."""
        if min_half_days is not None and (self.place.half_days_per_week or 0) < min_half_days:
            return False
        if max_appointment_days is None:
            return True
        days = self.place.appointment_days
        return days is not None and days <= max_appointment_days


@dataclass(frozen=True)
class CommuneAccess:
    """Access of one commune to one kind: candidates nearest first, the nearest, the best."""

    insee: str
    name: str
    population: int
    epci_id: str
    departement_id: str
    position: Point
    candidates: tuple[Reach, ...]
    nearest: Reach | None
    best: Reach | None

    def nearest_matching(
        self, *, min_half_days: float | None = None, max_appointment_days: float | None = None
    ) -> Reach | None:
        """The nearest candidate open enough / with a free slot soon enough (None: none)."""
        for reach in self.candidates:
            if reach.matches(
                min_half_days=min_half_days, max_appointment_days=max_appointment_days
            ):
                return reach
        return None

    def as_json(self) -> dict:
        """What `maillage access-times --json` prints for the commune (inf → null)."""
        return {
            "insee": self.insee,
            "name": self.name,
            "population": self.population,
            "travel_minutes": _rounded(self.nearest.travel_minutes if self.nearest else None),
            "waiting_minutes": _rounded(self.nearest.waiting_minutes if self.nearest else None),
            "appointment_days": _rounded(self.nearest.appointment_days if self.nearest else None),
            "place": _place_json(self.nearest),
            "best": {
                "place": _place_json(self.best),
                "travel_minutes": _rounded(self.best.travel_minutes if self.best else None),
                "waiting_minutes": _rounded(self.best.waiting_minutes if self.best else None),
                "appointment_days": _rounded(self.best.appointment_days if self.best else None),
                "score_minutes": _rounded(self.best.score_minutes if self.best else None),
            },
        }


def _rounded(value: float | None) -> float | None:
    if value is None or math.isinf(value):
        return None
    return round(value, 1)


def _place_json(reach: Reach | None) -> dict | None:
    if reach is None:
        return None
    return {"id": reach.place.place_id, "name": reach.place.name, "insee": reach.place.insee_code}


def best_reach(
    candidates: Sequence[Reach], *, needs_appointment: bool, appointment_days: float
) -> Reach | None:
    """The best place by the combined rule of this module's docstring."""
    pool = [reach for reach in candidates if not reach.place.never_open]
    if needs_appointment:
        soon = [
            reach
            for reach in pool
            if reach.appointment_days is not None and reach.appointment_days <= appointment_days
        ]
        pool = soon or pool
    if not pool:
        return None
    return min(pool, key=lambda r: (r.score_minutes, r.travel_minutes, r.place.place_id))


def place_figures(
    kind: kinds.AccessKind,
    places: Iterable,
    *,
    now: dt.datetime | None = None,
    parameters: AccessParameters | None = None,
) -> list[PlaceFigures]:
    """Waiting for opening, half-days and first free slot of each place (`Place` objects)."""
    now = now or clock.now()
    parameters = parameters or AccessParameters()
    places = list(places)
    first_day = timezone.localtime(now).date()
    slots = delays.first_free_slots(
        kind, [p.pk for p in places], now=now, days=parameters.appointment_horizon_days
    )
    figures = []
    for place in places:
        opening = waiting.opening(place.opening_hours, first_day, parameters.daytime)
        next_slot = slots.get(place.pk)
        figures.append(
            PlaceFigures(
                place_id=place.pk,
                name=place.name,
                position=place.position,
                insee_code=place.insee_code,
                waiting_minutes=opening.waiting_minutes,
                half_days_per_week=opening.half_days_per_week,
                appointment_days=delays.days_between(now, next_slot),
                next_slot_at=next_slot,
            )
        )
    return figures


@dataclass(frozen=True)
class Origin:
    """Where access is measured from: a commune's centroid (later, populated points)."""

    insee: str
    name: str
    population: int
    epci_id: str
    departement_id: str
    position: Point


def commune_origins(communes=None) -> list[Origin]:
    """The communes of the referential (all by default, or the queryset given), without their
    contours (heavy and not needed)."""
    from maillage.territory.models import Commune

    if communes is None:
        communes = Commune.objects.order_by("insee_code")
    rows = communes.values_list(
        "insee_code", "name", "population", "epci_id", "departement_id", "latitude", "longitude"
    )
    return [
        Origin(insee, name, population or 0, epci or "", departement or "", (latitude, longitude))
        for insee, name, population, epci, departement, latitude, longitude in rows
        if latitude is not None and longitude is not None
    ]


def reach_places(
    origins: Sequence[Origin],
    places: Sequence[PlaceFigures],
    *,
    kind: kinds.AccessKind,
    parameters: AccessParameters | None = None,
    provider=None,
) -> list[CommuneAccess]:
    """Candidates, nearest and best place of every origin (see the module docstring)."""
    parameters = parameters or AccessParameters()
    provider = provider or travel.provider()
    if not places:
        return [
            CommuneAccess(
                o.insee,
                o.name,
                o.population,
                o.epci_id,
                o.departement_id,
                o.position,
                (),
                None,
                None,
            )
            for o in origins
        ]
    # The matrix module (numpy, scipy) is imported when times are computed, not with this
    # module: the plan's indicator sources import it at start-up.
    from . import matrix

    index = matrix.NearestIndex([p.position for p in places])
    positions = [o.position for o in origins]
    nearest = index.nearest(positions, parameters.candidates)
    radius_km = parameters.radius_minutes * FASTEST_ROAD_KMH / 60
    around = index.within_km(positions, radius_km)
    results: list[CommuneAccess] = []
    per_batch = matrix.ORIGINS_PER_REQUEST
    for first in range(0, len(origins), per_batch):
        batch = range(first, min(first + per_batch, len(origins)))
        chosen = [sorted(set(nearest[i].tolist()) | set(around[i])) for i in batch]
        columns = sorted(set().union(*chosen))
        table = matrix.travel_matrix(
            [positions[i] for i in batch],
            [places[c].position for c in columns],
            provider=provider,
        )
        column_of = {c: j for j, c in enumerate(columns)}
        minutes_rows, km_rows = table.minutes.tolist(), table.km.tolist()
        estimated_rows = table.estimated.tolist()
        for row, (i, wanted) in enumerate(zip(batch, chosen, strict=True)):
            origin = origins[i]
            minutes, km, estimated = minutes_rows[row], km_rows[row], estimated_rows[row]
            reaches = [
                Reach(places[c], minutes[column_of[c]], km[column_of[c]], estimated[column_of[c]])
                for c in wanted
            ]
            reaches.sort(key=lambda r: (r.travel_minutes, r.place.place_id))
            # keep the k quickest and every place within the radius (by travel time)
            reaches = [
                reach
                for rank, reach in enumerate(reaches)
                if rank < parameters.candidates or reach.travel_minutes <= parameters.radius_minutes
            ]
            results.append(
                CommuneAccess(
                    origin.insee,
                    origin.name,
                    origin.population,
                    origin.epci_id,
                    origin.departement_id,
                    origin.position,
                    tuple(reaches),
                    reaches[0] if reaches else None,
                    best_reach(
                        reaches,
                        needs_appointment=kind.needs_appointment,
                        appointment_days=parameters.appointment_days,
                    ),
                )
            )
    return results


def compute_commune_access(
    kind: kinds.AccessKind | str,
    *,
    communes=None,
    now: dt.datetime | None = None,
    parameters: AccessParameters | None = None,
    provider=None,
) -> list[CommuneAccess]:
    """Access of every commune (all of the referential, or those given) to `kind` (a key or an
    `AccessKind`), computed now from the places, their hours and their free slots."""
    kind = kinds.get_kind(kind) if isinstance(kind, str) else kind
    now = now or clock.now()
    parameters = parameters or AccessParameters()
    places = kinds.places_for(kind, timezone.localtime(now).date())
    figures = place_figures(kind, places, now=now, parameters=parameters)
    return reach_places(
        commune_origins(communes), figures, kind=kind, parameters=parameters, provider=provider
    )


def population_weighted_median(values: Sequence[float], weights: Sequence[int]) -> float | None:
    """The value below which half of the population lives (inf counts as farthest)."""
    if not len(values):
        return None
    import numpy as np

    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    sorted_values = np.asarray(values, dtype=float)[order]
    cumulative = np.cumsum(np.asarray(weights, dtype=float)[order])
    if cumulative[-1] <= 0:
        return None
    position = int(np.searchsorted(cumulative, cumulative[-1] / 2))
    return float(sorted_values[min(position, len(sorted_values) - 1)])
