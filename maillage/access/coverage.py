"""Population figures: who is within 10, 15, 20, 30 minutes of a kind of help, medians, the
worst-served communes — for the whole territory, each département and each EPCI.

Each commune counts with its whole population at its centroid's travel time to the nearest
place that passes the filters: `min_half_days` (open at least N half-days a week on average
over the coming weeks) and `max_appointment_days` (a free appointment within D days). A
commune with no such place among its candidates (see `times`) is beyond every threshold.

The figures are read from a stored computation (`runs.latest_run()` by default) or from
access figures just computed (`accesses=`), so pages, exports, indicators and the command line
share one counting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .times import CommuneAccess, population_weighted_median

THRESHOLDS = (10, 15, 20, 30)
WORST_COUNT = 20


@dataclass(frozen=True)
class CommuneFigure:
    """A commune's figures for the nearest place passing the filters (None: no such place)."""

    insee: str
    name: str
    population: int
    epci_id: str
    departement_id: str
    travel_minutes: float | None
    km: float | None
    waiting_minutes: float | None  # inf: never open; None: unknown or no place
    appointment_days: float | None
    place_id: int | None
    place_name: str
    best_place_id: int | None
    best_place_name: str
    best_travel_minutes: float | None
    best_waiting_minutes: float | None
    best_score_minutes: float | None

    @property
    def sort_minutes(self) -> float:
        return math.inf if self.travel_minutes is None else self.travel_minutes


@dataclass(frozen=True)
class Share:
    minutes: int
    population: int
    communes: int
    share: float  # 0–1 of the area's population


@dataclass(frozen=True)
class AreaFigures:
    """Figures of one area: the whole territory, a département or an EPCI."""

    level: str  # "territory", "departement", "epci"
    code: str
    name: str
    population: int
    communes: int
    shares: tuple[Share, ...]
    median_travel_minutes: float | None  # population-weighted; inf when half have no place
    median_waiting_minutes: float | None
    median_appointment_days: float | None

    def share(self, minutes: int) -> Share | None:
        return next((s for s in self.shares if s.minutes == minutes), None)


@dataclass(frozen=True)
class PopulationFigures:
    kind: str
    kind_label: str
    thresholds: tuple[int, ...]
    min_half_days: float | None
    max_appointment_days: float | None
    run_id: int | None
    computed_on: dt.date | None
    whole: AreaFigures
    by_departement: tuple[AreaFigures, ...]
    by_epci: tuple[AreaFigures, ...]
    worst: tuple[CommuneFigure, ...]
    communes: tuple[CommuneFigure, ...]


def commune_figures(
    accesses: Sequence[CommuneAccess],
    *,
    min_half_days: float | None = None,
    max_appointment_days: float | None = None,
) -> list[CommuneFigure]:
    """One figure per commune, for the nearest place passing the filters."""
    rows = []
    for access in accesses:
        reach = access.nearest_matching(
            min_half_days=min_half_days, max_appointment_days=max_appointment_days
        )
        best = access.best
        rows.append(
            CommuneFigure(
                insee=access.insee,
                name=access.name,
                population=access.population,
                epci_id=access.epci_id,
                departement_id=access.departement_id,
                travel_minutes=reach.travel_minutes if reach else None,
                km=reach.km if reach else None,
                waiting_minutes=reach.waiting_minutes if reach else None,
                appointment_days=reach.appointment_days if reach else None,
                place_id=reach.place.place_id if reach else None,
                place_name=reach.place.name if reach else "",
                best_place_id=best.place.place_id if best else None,
                best_place_name=best.place.name if best else "",
                best_travel_minutes=best.travel_minutes if best else None,
                best_waiting_minutes=best.waiting_minutes if best else None,
                best_score_minutes=best.score_minutes if best else None,
            )
        )
    return rows


def _median(rows: Sequence[CommuneFigure], attribute: str) -> float | None:
    values, weights = [], []
    for row in rows:
        value = getattr(row, attribute)
        if value is None and attribute != "travel_minutes":
            continue
        values.append(math.inf if value is None else value)
        weights.append(row.population)
    return population_weighted_median(values, weights)


def area_figures(
    rows: Sequence[CommuneFigure],
    *,
    level: str,
    code: str,
    name: str,
    thresholds: Sequence[int] = THRESHOLDS,
) -> AreaFigures:
    population = sum(row.population for row in rows)
    shares = []
    for minutes in thresholds:
        within = [row for row in rows if row.sort_minutes <= minutes]
        people = sum(row.population for row in within)
        shares.append(
            Share(minutes, people, len(within), people / population if population else 0.0)
        )
    return AreaFigures(
        level=level,
        code=code,
        name=name,
        population=population,
        communes=len(rows),
        shares=tuple(shares),
        median_travel_minutes=_median(rows, "travel_minutes"),
        median_waiting_minutes=_median(rows, "waiting_minutes"),
        median_appointment_days=_median(rows, "appointment_days"),
    )


def worst_served(rows: Sequence[CommuneFigure], count: int = WORST_COUNT) -> list[CommuneFigure]:
    """The `count` communes farthest from the nearest place (no place first), then the most
    populated first."""
    return sorted(rows, key=lambda r: (-r.sort_minutes, -r.population, r.insee))[:count]


def population_figures(
    kind: str,
    *,
    run=None,
    accesses: Sequence[CommuneAccess] | None = None,
    thresholds: Sequence[int] = THRESHOLDS,
    min_half_days: float | None = None,
    max_appointment_days: float | None = None,
    territory: str = "",
    worst: int = WORST_COUNT,
) -> PopulationFigures:
    """Every population figure of `kind` (a kind key).

    From `accesses` when given, else from `run` (the latest finished run by default; `NoRun`
    when there is none). `territory` narrows to an EPCI (SIREN) or a département (code).
    """
    from maillage.territory.models import Departement, Epci

    from . import kinds, runs

    label = kinds.label_of(kind)
    if accesses is None:
        run = run or runs.latest_run()
        if run is None:
            raise runs.NoRun
        accesses = runs.load_accesses(run, kind)
    accesses = [a for a in accesses if _in_territory(a, territory)]
    rows = commune_figures(
        accesses, min_half_days=min_half_days, max_appointment_days=max_appointment_days
    )
    thresholds = tuple(thresholds)
    by_epci: dict[str, list[CommuneFigure]] = defaultdict(list)
    by_departement: dict[str, list[CommuneFigure]] = defaultdict(list)
    for row in rows:
        if row.epci_id:
            by_epci[row.epci_id].append(row)
        by_departement[row.departement_id].append(row)
    epci_names = dict(Epci.objects.filter(pk__in=by_epci).values_list("siren", "name"))
    departement_names = dict(
        Departement.objects.filter(pk__in=by_departement).values_list("code", "name")
    )
    if len(by_departement) == 1:
        code = next(iter(by_departement))
        whole_code, whole_name = code, departement_names.get(code, code)
    else:
        whole_code, whole_name = "", "Ensemble du territoire"
    return PopulationFigures(
        kind=kind,
        kind_label=label,
        thresholds=thresholds,
        min_half_days=min_half_days,
        max_appointment_days=max_appointment_days,
        run_id=run.pk if run is not None else None,
        computed_on=run.computed_on if run is not None else None,
        whole=area_figures(
            rows, level="territory", code=whole_code, name=whole_name, thresholds=thresholds
        ),
        by_departement=tuple(
            area_figures(
                part,
                level="departement",
                code=code,
                name=departement_names.get(code, code),
                thresholds=thresholds,
            )
            for code, part in sorted(by_departement.items())
        ),
        by_epci=tuple(
            sorted(
                (
                    area_figures(
                        part,
                        level="epci",
                        code=siren,
                        name=epci_names.get(siren, siren),
                        thresholds=thresholds,
                    )
                    for siren, part in by_epci.items()
                ),
                key=lambda area: area.name,
            )
        ),
        worst=tuple(worst_served(rows, worst)),
        communes=tuple(rows),
    )


def _in_territory(access: CommuneAccess, territory: str) -> bool:
    if not territory:
        return True
    if len(territory) == 9:
        return access.epci_id == territory
    if len(territory) == 5:
        return access.insee == territory
    return access.departement_id == territory
