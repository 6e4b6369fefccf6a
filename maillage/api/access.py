"""Public endpoints on access to help: the population figures and each commune's figures of the
latest computation, as the page « Accès aux services numériques » shows them (open data: counts
by commune, EPCI and département, nothing personal)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from ninja import Query, Router, Schema

from maillage.access import coverage, kinds, runs

from .errors import errors

router = Router(tags=["Accès aux services"])

HalfDays = Annotated[float | None, Query(ge=0, le=14)]
# A kind's key (kinds.py); a well-formed key no computation holds answers with no commune.
KindKey = Annotated[
    str,
    Query(pattern=r"^(digital|mediation|visio|visio-[-a-zA-Z0-9_]{1,100}|service-[0-9]{1,9})$"),
]
Days = Annotated[float | None, Query(ge=0, le=366)]


def _finite(value: float | None) -> float | None:
    """JSON has no infinity: « none » (no place, never open, no slot) is null."""
    return None if value is None or math.isinf(value) else round(value, 1)


class AccessShareOut(Schema):
    minutes: int
    population: int
    communes: int
    share: float


class AccessAreaOut(Schema):
    level: str
    code: str
    name: str
    population: int
    communes: int
    shares: list[AccessShareOut]
    median_travel_minutes: float | None
    median_waiting_minutes: float | None
    median_appointment_days: float | None

    @staticmethod
    def resolve_median_travel_minutes(obj) -> float | None:
        return _finite(obj.median_travel_minutes)

    @staticmethod
    def resolve_median_waiting_minutes(obj) -> float | None:
        return _finite(obj.median_waiting_minutes)

    @staticmethod
    def resolve_median_appointment_days(obj) -> float | None:
        return _finite(obj.median_appointment_days)


class AccessCommuneOut(Schema):
    insee: str
    name: str
    population: int
    epci_id: str
    travel_minutes: float | None
    km: float | None
    waiting_minutes: float | None
    appointment_days: float | None
    place_id: int | None
    place_name: str
    best_place_id: int | None
    best_place_name: str
    best_score_minutes: float | None

    @staticmethod
    def resolve_travel_minutes(obj) -> float | None:
        return _finite(obj.travel_minutes)

    @staticmethod
    def resolve_km(obj) -> float | None:
        return _finite(obj.km)

    @staticmethod
    def resolve_waiting_minutes(obj) -> float | None:
        return _finite(obj.waiting_minutes)

    @staticmethod
    def resolve_appointment_days(obj) -> float | None:
        return _finite(obj.appointment_days)

    @staticmethod
    def resolve_best_score_minutes(obj) -> float | None:
        return _finite(obj.best_score_minutes)


class AccessFiguresOut(Schema):
    kind: str
    kind_label: str
    computed_on: dt.date | None
    min_half_days: float | None
    max_appointment_days: float | None
    whole: AccessAreaOut
    by_epci: list[AccessAreaOut]
    worst: list[AccessCommuneOut]
    communes: list[AccessCommuneOut]


@router.get(
    "/acces",
    response={200: AccessFiguresOut, **errors(422)},
    summary="Temps d'accès à un type d'aide et population à portée",
    url_name="access_figures",
)
def access_figures(
    request,
    kind: KindKey = kinds.DIGITAL,
    min_half_days: HalfDays = None,
    max_appointment_days: Days = None,
):
    """The latest computation's figures for `kind` (`digital`, `mediation`, `visio`,
    `visio-<organisation>`, `service-<id>`): share of the population within 10, 15, 20 and
    30 minutes, medians, by EPCI, the 20 worst-served communes and every commune. Only places
    open at least `min_half_days` half-days a week / with a free appointment within
    `max_appointment_days` days count when given. Null stands for « none » (no place, never
    open, no free slot). Before any computation, or for a kind it does not hold (a service
    created since), `computed_on` is null or no commune is listed; a key of no kind's shape is
    a 422."""
    run = runs.latest_run()
    return coverage.population_figures(
        kind,
        run=run,
        accesses=None if run else [],
        min_half_days=min_half_days,
        max_appointment_days=max_appointment_days,
    )
