"""The current plan of a day and a ride's place in it: reads, no planning.

The plan of an operator's day (or half-day) is its latest finished run; planning writes runs
(`planning.py`), pages, the API and riders' messages read them through here.
"""

from __future__ import annotations

import datetime as dt

from .labels import HalfDay, RunStatus
from .models import PlanningRun, RideRequest, TourStop


def current_run(operator, date: dt.date, half_day: str = "") -> PlanningRun | None:
    """The plan of the day: the latest finished run."""
    return (
        PlanningRun.objects.filter(
            operator=operator, date=date, half_day=half_day, status=RunStatus.DONE
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def ride_stops(ride: RideRequest) -> list[TourStop]:
    """The ride's stops in the current plans of its day (whole day and half-days), by time."""
    runs = [current_run(ride.operator, ride.date, half_day) for half_day in ("", *HalfDay.values)]
    ids = [run.pk for run in runs if run is not None]
    if not ids:
        return []
    return list(
        TourStop.objects.filter(tour__run_id__in=ids, request=ride)
        .select_related("tour__run")
        .order_by("service_at")
    )
