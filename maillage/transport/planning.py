"""From an operator's day of ride requests and vehicles to planned tours, and back again.

`build_day` turns the day's active ride requests (each leg a pickup-and-delivery request) and the
available vehicles (each driver's shift, or the vehicle's own availability when no shift is set)
into a neutral `darp.Instance`, with travel times from `territory.travel` (OSRM or the estimate)
in minutes since local midnight. `plan_day` solves it and stores the tours; `replan_day` starts
from the current plan and keeps confirmed pickups within the tolerance
(`MAILLAGE_TRANSPORT_CONFIRMED_TOLERANCE_MINUTES`).

Windows, for a workshop from 14:00 to 15:30: outbound, arrive at the place between 13:30 and
14:00 (`MAILLAGE_TRANSPORT_ARRIVAL_WINDOW_MINUTES` before `arrive_by`); return, be picked up at
the place between 15:30 and 16:00. Nobody rides longer than the direct trip plus
`MAILLAGE_TRANSPORT_EXTRA_RIDE_MINUTES`. Loads count seats and wheelchair places.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage import clock
from maillage.territory import travel

from . import darp
from .current_plan import current_run
from .darp.checker import Stop
from .darp.replan import replan as darp_replan
from .labels import (
    ACTIVE_STATUSES,
    HalfDay,
    Leg,
    MessageKind,
    RideStatus,
    RunKind,
    RunStatus,
    StopKind,
)
from .models import Driver, PlanningRun, RideRequest, Shift, Tour, TourStop, Vehicle
from .notify import notify_on_commit

DIMENSIONS = ("places", "wheelchairs")
NOON = 13 * 60  # half-days: before 13:00 is the morning
SERVICE_MINUTES = 2.0
WHEELCHAIR_SERVICE_MINUTES = 5.0
Progress = Callable[[int, str], None]


@dataclass
class NodeInfo:
    kind: str  # StopKind
    latitude: float
    longitude: float
    label: str
    request: RideRequest | None = None
    leg: str = ""


@dataclass
class DayVehicle:
    vehicle: Vehicle
    driver: Driver | None
    shift: Shift | None
    start: float
    end: float

    @property
    def key(self) -> tuple[int, int | None]:
        return (self.vehicle.pk, self.shift.pk if self.shift else None)


@dataclass
class Day:
    """A day's problem and how to read its answer back into ride requests and vehicles."""

    instance: darp.Instance
    origin: dt.datetime  # local midnight: minute 0
    nodes: list[NodeInfo]
    vehicles: list[DayVehicle]
    legs: list[tuple[RideRequest, str]]  # darp request id → (ride request, leg)
    trips: list[list[travel.Trip]]
    requests: list[RideRequest] = field(default_factory=list)

    def moment(self, minutes: float) -> dt.datetime:
        return self.origin + dt.timedelta(minutes=minutes)

    def minutes(self, moment: dt.datetime) -> float:
        return (moment - self.origin).total_seconds() / 60


def local_midnight(date: dt.date) -> dt.datetime:
    """Minute 0 of the day, in UTC so that minutes are real elapsed time (DST days too)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(0)), zone).astimezone(dt.UTC)


def _in_half_day(minutes: float, half_day: str) -> bool:
    if half_day == HalfDay.MORNING:
        return minutes < NOON
    if half_day == HalfDay.AFTERNOON:
        return minutes >= NOON
    return True


def _half_day_bounds(half_day: str) -> tuple[float, float]:
    if half_day == HalfDay.MORNING:
        return 0.0, NOON
    if half_day == HalfDay.AFTERNOON:
        return NOON, 24 * 60.0
    return 0.0, 24 * 60.0


def _minutes_of(date: dt.date, time: dt.time) -> float:
    """Minutes from local midnight to `time` (local) on `date`."""
    zone = ZoneInfo(settings.TIME_ZONE)
    moment = timezone.make_aware(dt.datetime.combine(date, time), zone)
    return (moment - local_midnight(date)).total_seconds() / 60


def day_vehicles(operator, date: dt.date, half_day: str = "") -> list[DayVehicle]:
    """Each shift of the day; vehicles without a shift, over their own availability."""
    low, high = _half_day_bounds(half_day)
    result = []
    vehicles = list(Vehicle.objects.filter(operator=operator, is_active=True))
    shifts = Shift.objects.filter(vehicle__operator=operator, date=date).select_related(
        "driver", "vehicle"
    )
    with_shift = set()
    for shift in shifts:
        if not shift.vehicle.is_active:
            continue
        with_shift.add(shift.vehicle_id)
        start = max(_minutes_of(date, shift.start), low)
        end = min(_minutes_of(date, shift.end), high)
        if end > start:
            result.append(DayVehicle(shift.vehicle, shift.driver, shift, start, end))
    for vehicle in vehicles:
        if vehicle.pk in with_shift or not vehicle.available_on(date):
            continue
        start = max(_minutes_of(date, vehicle.available_from), low)
        end = min(_minutes_of(date, vehicle.available_until), high)
        if end > start:
            result.append(DayVehicle(vehicle, None, None, start, end))
    return result


def build_day(
    *, operator, date: dt.date, half_day: str = "", requests: list[RideRequest] | None = None
) -> Day:
    """The day's planning problem (see the module docstring)."""
    origin = local_midnight(date)
    window = settings.MAILLAGE_TRANSPORT_ARRIVAL_WINDOW_MINUTES
    if requests is None:
        requests = list(
            RideRequest.objects.filter(operator=operator, date=date, status__in=ACTIVE_STATUSES)
            .select_related("place", "commune")
            .order_by("pk")
        )
    vehicles = day_vehicles(operator, date, half_day)
    nodes: list[NodeInfo] = []
    for item in vehicles:
        depot = (item.vehicle.depot_latitude, item.vehicle.depot_longitude)
        label = item.vehicle.depot_address
        nodes.append(NodeInfo(StopKind.DEPART, *depot, label))
        nodes.append(NodeInfo(StopKind.ARRIVE, *depot, label))
    legs: list[tuple[RideRequest, str, float]] = []
    for ride in requests:
        if ride.outbound and ride.arrive_by:
            key = (ride.arrive_by - origin).total_seconds() / 60
            if _in_half_day(key, half_day):
                legs.append((ride, Leg.OUTBOUND, key))
        if ride.return_trip and ride.leave_after:
            key = (ride.leave_after - origin).total_seconds() / 60
            if _in_half_day(key, half_day):
                legs.append((ride, Leg.RETURN, key))
    for ride, leg, _ in legs:
        home = NodeInfo("", ride.latitude, ride.longitude, _home_label(ride), ride, leg)
        place = NodeInfo("", ride.place.latitude, ride.place.longitude, ride.place.name, ride, leg)
        if leg == Leg.OUTBOUND:
            nodes.append(
                NodeInfo(StopKind.PICKUP, home.latitude, home.longitude, home.label, ride, leg)
            )
            nodes.append(
                NodeInfo(StopKind.DROPOFF, place.latitude, place.longitude, place.label, ride, leg)
            )
        else:
            nodes.append(
                NodeInfo(StopKind.PICKUP, place.latitude, place.longitude, place.label, ride, leg)
            )
            nodes.append(
                NodeInfo(StopKind.DROPOFF, home.latitude, home.longitude, home.label, ride, leg)
            )
    trips = _matrix(nodes)
    minutes = [[trip.minutes for trip in row] for row in trips]
    darp_nodes = []
    for index, item in enumerate(vehicles):
        for k in (2 * index, 2 * index + 1):
            info = nodes[k]
            darp_nodes.append(
                darp.Node(k, info.longitude, info.latitude, 0.0, (0, 0), item.start, item.end)
            )
    darp_requests = []
    day_end = 24 * 60.0
    base = 2 * len(vehicles)
    for number, (ride, leg, key) in enumerate(legs):
        p, d = base + 2 * number, base + 2 * number + 1
        load = (ride.seats_needed, 1 if ride.wheelchair else 0)
        service = WHEELCHAIR_SERVICE_MINUTES if ride.wheelchair else SERVICE_MINUTES
        if leg == Leg.OUTBOUND:
            p_window, d_window = (0.0, key), (key - window, key)
        else:
            p_window, d_window = (key, key + window), (key, day_end)
        for node_id, node_load, (early, late) in (
            (p, load, p_window),
            (d, tuple(-x for x in load), d_window),
        ):
            info = nodes[node_id]
            darp_nodes.append(
                darp.Node(node_id, info.longitude, info.latitude, service, node_load, early, late)
            )
        max_ride = minutes[p][d] + settings.MAILLAGE_TRANSPORT_EXTRA_RIDE_MINUTES
        darp_requests.append(darp.Request(number, p, d, max_ride))
    darp_vehicles = [
        darp.Vehicle(
            index,
            2 * index,
            2 * index + 1,
            (item.vehicle.seats, item.vehicle.wheelchair_places),
            item.end - item.start,
        )
        for index, item in enumerate(vehicles)
    ]
    instance = darp.Instance(
        name=f"{operator.slug}-{date.isoformat()}{'-' + half_day if half_day else ''}",
        nodes=darp_nodes,
        requests=darp_requests,
        vehicles=darp_vehicles,
        travel=minutes,
        dimensions=DIMENSIONS,
    )
    return Day(
        instance=instance,
        origin=origin,
        nodes=nodes,
        vehicles=vehicles,
        legs=[(ride, leg) for ride, leg, _ in legs],
        trips=trips,
        requests=requests,
    )


def _home_label(ride: RideRequest) -> str:
    return f"{ride.address}, {ride.commune.name}" if ride.address else ride.commune.name


def _matrix(nodes: list[NodeInfo]) -> list[list[travel.Trip]]:
    """Trips between the nodes, asking the provider once per distinct point."""
    points: list[tuple[float, float]] = []
    index_of: dict[tuple[float, float], int] = {}
    for node in nodes:
        point = (round(node.latitude, 6), round(node.longitude, 6))
        if point not in index_of:
            index_of[point] = len(points)
            points.append(point)
    if not points:
        return []
    table = travel.matrix(points)
    positions = [index_of[(round(n.latitude, 6), round(n.longitude, 6))] for n in nodes]
    return [[table[i][j] for j in positions] for i in positions]


# --- running the planner -------------------------------------------------------------------


def _noop(percent: int, step: str) -> None:
    return None


def plan_day(
    *,
    operator,
    date: dt.date,
    half_day: str = "",
    seconds: float | None = None,
    run: PlanningRun | None = None,
    progress: Progress = _noop,
    by=None,
) -> PlanningRun:
    """Plan the day from scratch: tours for every request the fleet can serve."""
    seconds = settings.MAILLAGE_TRANSPORT_PLAN_SECONDS if seconds is None else seconds
    run = run or PlanningRun.objects.create(
        operator=operator, date=date, half_day=half_day, created_by=by
    )
    progress(10, "Calcul des temps de trajet")
    day = build_day(operator=operator, date=date, half_day=half_day)
    progress(30, "Recherche des meilleures tournées")
    if day.instance.requests and day.instance.vehicles:
        solution = darp.solve(day.instance, seconds, workers=1)
    else:
        solution = darp.DarpSolution(instance=day.instance.name, requests=0)
    progress(90, "Enregistrement des tournées")
    _store(run, day, solution)
    return run


def replan_day(
    *,
    operator,
    date: dt.date,
    half_day: str = "",
    seconds: float | None = None,
    run: PlanningRun | None = None,
    progress: Progress = _noop,
    by=None,
) -> PlanningRun:
    """Re-plan after a request was added or cancelled, keeping confirmed pickups in tolerance."""
    previous = current_run(operator, date, half_day)
    if previous is None:
        return plan_day(
            operator=operator,
            date=date,
            half_day=half_day,
            seconds=seconds,
            run=run,
            progress=progress,
            by=by,
        )
    seconds = settings.MAILLAGE_TRANSPORT_PLAN_SECONDS if seconds is None else seconds
    tolerance = settings.MAILLAGE_TRANSPORT_CONFIRMED_TOLERANCE_MINUTES
    run = run or PlanningRun.objects.create(
        operator=operator, date=date, half_day=half_day, kind=RunKind.REPLAN, created_by=by
    )
    progress(10, "Calcul des temps de trajet")
    day = build_day(operator=operator, date=date, half_day=half_day)
    progress(30, "Re-planification autour des heures confirmées")
    before, confirmed = _previous_solution(day, previous)
    if not (day.instance.requests and day.instance.vehicles):
        solution = darp.DarpSolution(instance=day.instance.name, requests=0)
    else:
        try:
            solution, _ = darp_replan(
                day.instance, before, confirmed=confirmed, tolerance=tolerance, seconds=seconds
            )
        except ValueError:  # the previous tours no longer fit (fleet changed): start afresh
            solution = darp.solve(day.instance, seconds, workers=1)
    progress(90, "Enregistrement des tournées")
    _store(run, day, solution, previous=previous)
    return run


@task()
def plan_day_task(run_id: int) -> dict:
    """Run a planning run (plan or re-plan) in the background, updating its progress."""
    run = PlanningRun.objects.select_related("operator").get(pk=run_id)
    if run.is_finished:
        return {"run": run.pk, "status": run.status}

    def progress(percent: int, step: str) -> None:
        PlanningRun.objects.filter(pk=run.pk).update(progress=percent, step=step)

    run.status = RunStatus.RUNNING
    run.started_at = clock.now()
    run.save(update_fields=["status", "started_at"])
    planner = replan_day if run.kind == RunKind.REPLAN else plan_day
    try:
        planner(
            operator=run.operator,
            date=run.date,
            half_day=run.half_day,
            run=run,
            progress=progress,
        )
    except Exception as error:
        PlanningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=f"{error}\n{traceback.format_exc()}",
            step="Échec",
            finished_at=clock.now(),
        )
        return {"run": run.pk, "status": RunStatus.FAILED}
    return {"run": run.pk, "status": RunStatus.DONE}


def _previous_solution(day: Day, previous: PlanningRun):
    """The previous plan's tours in the new problem's node ids; the confirmed pickup times."""
    vehicle_index = {item.key: index for index, item in enumerate(day.vehicles)}
    key_of = {}
    for node_id, info in enumerate(day.nodes):
        if info.request is not None:
            key_of[(info.kind, info.request.pk, info.leg)] = node_id
    leg_of = {(ride.pk, leg): number for number, (ride, leg) in enumerate(day.legs)}
    tours = []
    confirmed: dict[int, float] = {}
    for tour in previous.tours.prefetch_related("stops__request"):
        key = (tour.vehicle_id, tour.shift_id)
        index = vehicle_index.get(key)
        if index is None:
            continue
        stops = []
        for stop in tour.stops.all():
            if stop.kind == StopKind.DEPART:
                node = 2 * index
            elif stop.kind == StopKind.ARRIVE:
                node = 2 * index + 1
            else:
                node = key_of.get((stop.kind, stop.request_id, stop.leg))
                if node is None:
                    continue
                if stop.kind == StopKind.PICKUP and stop.request.status == RideStatus.CONFIRMED:
                    number = leg_of.get((stop.request_id, stop.leg))
                    if number is not None:
                        confirmed[number] = day.minutes(stop.service_at)
            stops.append(Stop(node, day.minutes(stop.arrival_at), day.minutes(stop.service_at)))
        tours.append(darp.Tour(vehicle=index, stops=stops, cost=0.0))
    solution = darp.DarpSolution(
        instance=day.instance.name, requests=len(day.instance.requests), tours=tours
    )
    return solution, confirmed


@transaction.atomic
def _store(run: PlanningRun, day: Day, solution, previous: PlanningRun | None = None) -> None:
    served: dict[int, set[str]] = {}
    previous_pickups: dict[tuple[int, str], dt.datetime] = {}
    if previous is not None:
        for stop in TourStop.objects.filter(tour__run=previous, kind=StopKind.PICKUP):
            previous_pickups[(stop.request_id, stop.leg)] = stop.service_at
    total_minutes = total_km = 0.0
    for tour in solution.tours:
        item = day.vehicles[tour.vehicle]
        first, last = tour.stops[0], tour.stops[-1]
        km = sum(
            day.trips[a.node][b.node].km for a, b in zip(tour.stops, tour.stops[1:], strict=False)
        )
        minutes = sum(
            day.trips[a.node][b.node].minutes
            for a, b in zip(tour.stops, tour.stops[1:], strict=False)
        )
        total_minutes += minutes
        total_km += km
        # The vehicle leaves the depot just in time for its first stop.
        second = tour.stops[1] if len(tour.stops) > 1 else last
        departure = max(
            first.start_of_service, second.arrival - day.trips[first.node][second.node].minutes
        )
        row = Tour.objects.create(
            run=run,
            vehicle=item.vehicle,
            driver=item.driver,
            shift=item.shift,
            starts_at=day.moment(departure),
            ends_at=day.moment(last.arrival),
            minutes=round(minutes, 1),
            km=round(km, 1),
        )
        stops = []
        for order, stop in enumerate(tour.stops):
            info = day.nodes[stop.node]
            when = departure if order == 0 else stop.start_of_service
            stops.append(
                TourStop(
                    tour=row,
                    order=order,
                    kind=info.kind,
                    request=info.request,
                    leg=info.leg,
                    arrival_at=day.moment(departure if order == 0 else stop.arrival),
                    service_at=day.moment(when),
                    latitude=info.latitude,
                    longitude=info.longitude,
                    label=info.label,
                )
            )
            if info.request is not None and info.kind == StopKind.PICKUP:
                served.setdefault(info.request.pk, set()).add(info.leg)
        TourStop.objects.bulk_create(stops)
        row.geometry = _road_geometry([(stop.latitude, stop.longitude) for stop in stops])
        if row.geometry:
            row.save(update_fields=["geometry"])
    unserved = []
    for item in solution.unserved:
        ride, leg = day.legs[item.request]
        unserved.append(
            {
                "request": ride.pk,
                "leg": leg,
                "name": ride.name,
                "reason": item.reason,
                "message": item.message,
            }
        )
    if not day.vehicles and day.legs:
        for ride, leg in day.legs:
            unserved.append(
                {
                    "request": ride.pk,
                    "leg": leg,
                    "name": ride.name,
                    "reason": "shift",
                    "message": "aucun véhicule disponible ce jour-là",
                }
            )
    # Statuses follow the plan.
    moved = []
    in_scope = {ride.pk: ride for ride, _ in day.legs}
    # Current statuses and the new pickup times in two queries, not two per ride.
    for pk, status in RideRequest.objects.filter(pk__in=in_scope).values_list("pk", "status"):
        in_scope[pk].status = status
    new_pickups: dict[tuple[int, str], dt.datetime] = {}
    for request_id, leg, service_at in (
        TourStop.objects.filter(tour__run=run, request_id__in=in_scope, kind=StopKind.PICKUP)
        .order_by("tour", "order")
        .values_list("request_id", "leg", "service_at")
    ):
        new_pickups.setdefault((request_id, leg), service_at)
    legs_of: dict[int, set[str]] = {}
    for ride, leg in day.legs:
        legs_of.setdefault(ride.pk, set()).add(leg)
    for ride in in_scope.values():
        legs_here = legs_of[ride.pk]
        if legs_here <= served.get(ride.pk, set()):
            if ride.status == RideStatus.REQUESTED:
                ride.transition(RideStatus.PLANNED, action="planned")
            elif ride.status == RideStatus.CONFIRMED:
                for leg in legs_here:
                    old = previous_pickups.get((ride.pk, leg))
                    new = new_pickups.get((ride.pk, leg))
                    if old and new and abs((new - old).total_seconds()) >= 120:
                        moved.append(ride.pk)
                        break
        elif ride.status in (RideStatus.PLANNED, RideStatus.CONFIRMED):
            ride.transition(RideStatus.REQUESTED, action="unplanned", note="non servi par le plan")
    run.summary = {
        "requests": len(in_scope),
        "legs": len(day.legs),
        "served_legs": len(day.legs) - len(unserved),
        "unserved_legs": len(unserved),
        "tours": len(solution.tours),
        "vehicles": len(day.vehicles),
        "minutes": round(total_minutes, 1),
        "km": round(total_km, 1),
        "estimated": any(trip.estimated for row in day.trips for trip in row),
        "seconds": round(solution.seconds, 2),
    }
    run.unserved = unserved
    run.status = RunStatus.DONE
    run.progress = 100
    run.step = "Terminé"
    run.finished_at = clock.now()
    run.save()
    for ride_id in moved:
        notify_on_commit(ride_id, MessageKind.CHANGE)


def _road_geometry(points: list[tuple[float, float]]) -> dict | None:
    """The tour's road geometry from OSRM's route service, or None (no server, or it failed:
    the map then draws straight lines between the stops)."""
    if not settings.MAILLAGE_OSRM_URL or len(points) < 2:
        return None
    from maillage.territory.osrm import OsrmClient, OsrmError

    try:
        return OsrmClient().route(points).geometry
    except OsrmError:
        return None
