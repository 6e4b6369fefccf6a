"""Transport à la demande: the operator's planned tours for a day (session login, operators
and admins only: the stops carry riders' names, addresses and phone numbers)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from maillage.organisations import permissions
from maillage.transport.current_plan import current_run
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
    tours = []
    if run is not None:
        for tour in run.tours.select_related("vehicle", "driver").prefetch_related(
            "stops__request"
        ):
            tours.append(
                {
                    "id": tour.pk,
                    "vehicle": tour.vehicle.label,
                    "driver": tour.driver.name if tour.driver else "",
                    "starts_at": tour.starts_at,
                    "ends_at": tour.ends_at,
                    "km": tour.km,
                    "minutes": tour.minutes,
                    "stops": [
                        {
                            "order": stop.order,
                            "kind": stop.kind,
                            "leg": stop.leg,
                            "time": stop.service_at,
                            "label": stop.label,
                            "latitude": stop.latitude,
                            "longitude": stop.longitude,
                            "request": stop.request_id,
                            "name": stop.request.name if stop.request else "",
                            "phone": stop.request.phone if stop.request else "",
                            "approximate": bool(stop.request and stop.request.approximate),
                        }
                        for stop in tour.stops.all()
                    ],
                }
            )
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
