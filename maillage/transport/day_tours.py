"""A planned day's tours as plain records, read once for both readers: the operator's day page
draws them on its map (`static/transport/tours.js`) and the API returns them
(`api/transport.py`). Each tour has its colour (the same on the map and in the page's
tables), its road line, and its stops in order with the rider's name and phone (a stop whose
ride was cancelled since the plan is flagged until the re-plan replaces the tour)."""

from django.utils import timezone

from .labels import STOP_CANCELLED
from .models import Tour

TOUR_COLOURS = ["#000091", "#c9191e", "#18753c", "#b34000", "#6e445a", "#0063cb"]


def run_tours(run) -> list[Tour]:
    """The run's tours (none without a run) with vehicle, driver, stops and riders loaded in
    a fixed number of queries, each given its `colour`."""
    if run is None:
        return []
    tours = list(
        run.tours.select_related("vehicle", "driver").prefetch_related("stops__request__commune")
    )
    for index, tour in enumerate(tours):
        tour.colour = TOUR_COLOURS[index % len(TOUR_COLOURS)]
    return tours


def tour_line(tour: Tour) -> list[list[float]]:
    """The tour as [lat, lon] points: OSRM's road geometry when stored, else the stops."""
    geometry = tour.geometry or {}
    coordinates = geometry.get("coordinates") if geometry.get("type") == "LineString" else None
    if coordinates:
        return [[lat, lon] for lon, lat, *_ in coordinates]
    return [[stop.latitude, stop.longitude] for stop in tour.stops.all()]


def _stop_record(stop) -> dict:
    rider = stop.request
    return {
        "order": stop.order,
        "kind": stop.kind,
        "leg": stop.leg,
        "time": stop.service_at,
        "label": stop.label,
        "latitude": stop.latitude,
        "longitude": stop.longitude,
        "request": stop.request_id,
        "name": rider.name if rider else "",
        "phone": rider.phone if rider else "",
        "approximate": bool(rider and rider.approximate),
        "cancelled": stop.rider_cancelled,
        # What the map's marker says: "09:40 Prise en charge — Jeanne (Chalais)".
        "caption": f"{timezone.localtime(stop.service_at):%H:%M} {stop.get_kind_display()}"
        + (f" — {rider.name}" if rider else "")
        + f" ({stop.label})"
        + (f" — {STOP_CANCELLED}" if stop.rider_cancelled else ""),
    }


def tour_records(tours: list[Tour]) -> list[dict]:
    """Tours from `run_tours` as records (the API's `TourOut` fields, and the map's)."""
    return [
        {
            "id": tour.pk,
            "vehicle": tour.vehicle.label,
            "driver": tour.driver.name if tour.driver else "",
            "label": tour.vehicle.label + (f" — {tour.driver.name}" if tour.driver else ""),
            "colour": getattr(tour, "colour", TOUR_COLOURS[0]),
            "starts_at": tour.starts_at,
            "ends_at": tour.ends_at,
            "km": tour.km,
            "minutes": tour.minutes,
            "line": tour_line(tour),
            "stops": [_stop_record(stop) for stop in tour.stops.all()],
        }
        for tour in tours
    ]
