"""Transport à la demande: the operator's planned tours for a day (session login, operators
and admins only: the stops carry riders' names, addresses and phone numbers)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from maillage.organisations import permissions
from maillage.transport.current_plan import current_run
from maillage.transport.day_tours import run_tours, tour_records
from maillage.transport.labels import HalfDay

from .errors import errors

router = Router(tags=["Transport à la demande"])


class StopOut(Schema):
    order: int
    kind: str
    leg: str
    time: dt.datetime
    label: str
    latitude: float
    longitude: float
    request: int | None
    name: str
    phone: str
    approximate: bool
    cancelled: bool = Field(
        description="La demande a été annulée depuis ce plan : ne pas passer (jusqu'au "
        "nouveau calcul des tournées)."
    )


class TourOut(Schema):
    id: int
    vehicle: str
    driver: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    km: float
    minutes: float
    stops: list[StopOut]


class UnservedOut(Schema):
    request: int
    leg: str
    reason: str
    message: str


class DayOut(Schema):
    operator: str
    date: dt.date
    half_day: str
    planned_at: dt.datetime | None
    tours: list[TourOut]
    unserved: list[UnservedOut]


@router.get(
    "/transport/operators/{slug}/days/{date}",
    response={200: DayOut, **errors(401, 403, 404, 422)},
    summary="Tournées planifiées d'un transporteur pour un jour",
)
def day_tours(request, slug: str, date: dt.date, half_day: HalfDay | None = None):
    """`date` as YYYY-MM-DD; `half_day` "am", "pm" or none for the whole day."""
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "Connexion requise.")
    operator = get_object_or_404(permissions.visible_organisations(user), slug=slug)
    if not permissions.can_manage_rides(user, operator):
        raise HttpError(403, "Accès réservé au transporteur.")
    half_day = half_day or ""
    run = current_run(operator, date, half_day)
    tours = tour_records(run_tours(run))
    return {
        "operator": operator.slug,
        "date": date,
        "half_day": half_day,
        "planned_at": run.finished_at if run else None,
        "tours": tours,
        "unserved": [
            {k: item[k] for k in ("request", "leg", "reason", "message")}
            for item in (run.unserved if run else [])
        ],
    }
