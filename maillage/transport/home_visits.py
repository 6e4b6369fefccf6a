"""A mediator's day of home visits, planned as one tour from the mediator's base.

Each visit has a duration and the person's availability windows (one or several in the day,
e.g. 9:00–11:00 and 14:00–16:00); the mediator leaves the base no earlier than `start` and is
back by `end`. OR-Tools routing with a time dimension: the windows are the cumul variable's
domain (gaps removed with `RemoveInterval`), service time is added to the travel time out of
each visit, waiting is allowed (slack), the objective is the total travel time, and every visit
is optional with a large penalty, so the tour serves all it can and says why it skipped others.
Travel times come from `territory.travel` (OSRM or the estimate), in whole minutes rounded up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from maillage.territory import travel

PENALTY = 1_000_000
REASON_WINDOW = "aucune de ses disponibilités n'est atteignable dans la journée du médiateur"
REASON_DAY = "plus de temps dans la journée pour cette visite sans manquer une autre"


@dataclass(frozen=True)
class Visit:
    label: str
    latitude: float
    longitude: float
    duration: int  # minutes
    windows: tuple[tuple[dt.time, dt.time], ...]  # when the person is at home
    key: object = None  # the caller's reference (a booking id…)


@dataclass
class PlannedVisit:
    visit: Visit
    arrival: dt.datetime
    start: dt.datetime
    end: dt.datetime
    travel_minutes: int


@dataclass
class HomeVisitRound:
    mediator: object
    date: dt.date
    leave_at: dt.datetime | None = None
    back_at: dt.datetime | None = None
    visits: list[PlannedVisit] = field(default_factory=list)
    unserved: list[tuple[Visit, str]] = field(default_factory=list)
    travel_minutes: int = 0
    km: float = 0.0


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def plan_home_visits(
    *,
    mediator,
    date: dt.date,
    visits: Sequence[Visit],
    base: tuple[float, float],
    start: dt.time = dt.time(9),
    end: dt.time = dt.time(17, 30),
    seconds: float = 2.0,
) -> HomeVisitRound:
    """The round of `visits` from and back to `base` on `date` (see the module docstring)."""
    result = HomeVisitRound(mediator=mediator, date=date)
    # Wall-clock arithmetic on a local aware datetime: 14:00 stays 14:00 on DST days.
    origin = timezone.make_aware(dt.datetime.combine(date, dt.time(0)))
    day_start, day_end = _minutes(start), _minutes(end)
    points = [base] + [(visit.latitude, visit.longitude) for visit in visits]
    trips = travel.matrix(points) if len(points) > 1 else [[travel.Trip(0, 0)]]
    minutes = [[math.ceil(trip.minutes - 1e-9) for trip in row] for row in trips]
    service = [0] + [visit.duration for visit in visits]

    # Visits no window of which fits the day at all are refused before the search.
    possible = []
    for index, visit in enumerate(visits, start=1):
        go, back = minutes[0][index], minutes[index][0]
        fits = any(
            max(_minutes(a), day_start + go) + visit.duration <= min(_minutes(b), day_end - back)
            for a, b in visit.windows
        )
        if fits:
            possible.append(index)
        else:
            result.unserved.append((visit, REASON_WINDOW))
    if not possible:
        return result

    nodes = [0, *possible]
    manager = pywrapcp.RoutingIndexManager(len(nodes), 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def transit(from_index: int, to_index: int) -> int:
        a, b = nodes[manager.IndexToNode(from_index)], nodes[manager.IndexToNode(to_index)]
        return service[a] + minutes[a][b]

    def drive(from_index: int, to_index: int) -> int:
        a, b = nodes[manager.IndexToNode(from_index)], nodes[manager.IndexToNode(to_index)]
        return minutes[a][b]

    transit_index = routing.RegisterTransitCallback(transit)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(drive))
    routing.AddDimension(transit_index, 24 * 60, 24 * 60, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    for position, node in enumerate(nodes[1:], start=1):
        index = manager.NodeToIndex(position)
        visit = visits[node - 1]
        # Service must start in a window and end within it; waiting is free.
        ranges = sorted(
            (max(_minutes(a), day_start), min(_minutes(b), day_end) - visit.duration)
            for a, b in visit.windows
        )
        ranges = [(a, b) for a, b in ranges if b >= a]
        cumul = time_dimension.CumulVar(index)
        cumul.SetRange(ranges[0][0], ranges[-1][1])
        for (_, previous_end), (next_start, _) in itertools.pairwise(ranges):
            if next_start > previous_end + 1:
                cumul.RemoveInterval(previous_end + 1, next_start - 1)
        routing.AddDisjunction([index], PENALTY)
    for index in (routing.Start(0), routing.End(0)):
        time_dimension.CumulVar(index).SetRange(day_start, day_end)
    routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(routing.Start(0)))
    routing.AddVariableMaximizedByFinalizer(time_dimension.CumulVar(routing.Start(0)))
    routing.AddVariableMinimizedByFinalizer(time_dimension.CumulVar(routing.End(0)))

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        result.unserved.extend((visits[node - 1], REASON_DAY) for node in possible)
        return result

    def at(value: int) -> dt.datetime:
        return origin + dt.timedelta(minutes=value)

    index = routing.Start(0)
    order = []
    while not routing.IsEnd(index):
        order.append(index)
        index = solution.Value(routing.NextVar(index))
    order.append(index)
    served = set()
    previous_node = 0
    for index in order[1:-1]:
        node = nodes[manager.IndexToNode(index)]
        served.add(node)
        begin = solution.Value(time_dimension.CumulVar(index))
        visit = visits[node - 1]
        result.visits.append(
            PlannedVisit(
                visit=visit,
                arrival=at(begin),
                start=at(begin),
                end=at(begin + visit.duration),
                travel_minutes=minutes[previous_node][node],
            )
        )
        result.km += trips[previous_node][node].km
        previous_node = node
    # Arrival times: straight from the previous stop (waiting happens at the door).
    leave = solution.Value(time_dimension.CumulVar(routing.Start(0)))
    if result.visits:
        first = result.visits[0]
        leave = max(leave, _value(first.start, origin) - first.travel_minutes)
        clock_minutes = leave
        for planned in result.visits:
            planned.arrival = at(clock_minutes + planned.travel_minutes)
            clock_minutes = _value(planned.end, origin)
    back = solution.Value(time_dimension.CumulVar(routing.End(0)))
    result.km += trips[previous_node][0].km
    result.leave_at, result.back_at = at(leave), at(back)
    result.travel_minutes = sum(p.travel_minutes for p in result.visits) + minutes[previous_node][0]
    result.km = round(result.km, 1)
    for node in possible:
        if node not in served:
            result.unserved.append((visits[node - 1], REASON_DAY))
    return result


def _value(moment: dt.datetime, origin: dt.datetime) -> int:
    return round((moment - origin).total_seconds() / 60)
