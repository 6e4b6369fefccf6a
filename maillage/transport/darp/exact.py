"""Exact planning of small days: every feasible route enumerated, then the best set of routes.

A day of a few riders has few feasible routes once the windows are tightened: a vehicle can
only chain stops whose windows follow each other. Enumerating every feasible route, keeping the
cheapest route per (vehicle shape, set of requests), and choosing the best set of routes (at
most one per vehicle, each request at most once, serving as many as possible, at least cost)
gives the optimum; when that choice is proven, the day is solved and the search need not run.

When no shift can bind (the depots' windows are no longer than the maximum duration, as in the
transport app's days), routes are chains of trips between empty-vehicle moments (`trips.py`):
the trips are enumerated once, then chained by a depth-first search in which a chain ending at
the same place with the same requests served, leaving no earlier and at no lower cost than one
met before, is dropped. Vehicles of one shape (depots at one place, same windows, capacity and
shift) share their routes; for one or two vehicles of a single shape the best choice is found
by a branch and bound over routes sorted by worth (on a2-16's 21 503 routes: a quarter of a
second, where the MIP took about 20 s), otherwise by the set-partitioning MIP of `pool.py`
(HiGHS, no gap tolerated; on a4-16's four vehicles the branch and bound did not end in 15 s,
the MIP proves it in under a second). A size estimate first tells whether the trips can be
searched in time. A day that splits in two halves (rides to the workshop, then home) is first
planned by its halves (`halves.py`), far fewer routes than whole ones: a lower bound, and the
optimum when the joined halves meet it.

Otherwise routes are searched stop by stop: a route's beginning is extended by the drop-off of
a passenger on board or the pickup of a new one, and abandoned as soon as its least timetable
(`schedule.earliest_times` on the prefix) breaks a window, a ride time or the shift, or a
passenger on board (or the vehicle's return) can no longer be reached in time. Like the
time-window tightening, the reachability cuts assume travel times obey the triangle inequality.

The enumeration gives up past a number of route beginnings or a deadline: larger days go to
the large neighbourhood search.
"""

from __future__ import annotations

import time

import numpy as np

from .pool import RoutePool
from .routes import Route
from .schedule import EPS, earliest_times
from .solution import Solution
from .tables import Tables, VehicleData
from .trips import Trip, enumerate_trips, estimate, places

# Route beginnings examined before giving up (a few seconds of Python at most).
LABEL_LIMIT = 300_000
# Groups of requests that can share a vehicle (`trips.estimate`) whose trips and routes the
# exact method handles per second of budget, measured on generated workshop days: 770 groups
# (10 riders) take 0.5 s of CPU, 1 586 (12 riders) 1.6 s (3.3 s of wall-clock time at load
# 4.6 on the shared 2-core machine), 3 880 (15 riders) do not end in 39 s. Planned by their
# halves (`halves.py`), 10 and 12 riders take 0.3 and 0.7 s of CPU (load 3 to 4.5), but 15
# riders' trips alone take about 20 s: this rate still keeps them out of a 5 s attempt.
GROUPS_PER_SECOND = 400
# Routes beyond which the set-partitioning MIP is not tried: HiGHS overran its time limit on
# a3-18's 32 370 routes and three vehicles (30 s for 5 s); a4-16's 4 049 take under a second.
MIP_COLUMNS = 8000


def enumerate_routes(
    tables: Tables,
    shape: list[int],
    deadline: float,
    limit: int = LABEL_LIMIT,
    *,
    by_trips: bool = True,
    trips: dict | None = None,
) -> dict[tuple, tuple[float, list[int]]] | None:
    """Cheapest feasible route per (vehicle shape, sorted requests), or None if cut short.

    A vehicle whose shift cannot bind chains trips (`trips.py`, unless `by_trips` is false);
    the others are searched stop by stop. `trips` maps a capacity to its vehicles' trips
    (`capacity_trips`), filled as they are enumerated and reused if already there.
    """
    routes: dict[tuple, tuple[float, list[int]]] = {}
    budget = [limit]
    place = places(tables)
    trips = {} if trips is None else trips
    for index, vehicle in enumerate(tables.vehicles):
        if shape[index] != index:
            continue  # vehicles of the same shape have the same routes
        if by_trips and _duration_free(tables, vehicle):
            found = capacity_trips(tables, vehicle, trips, deadline, budget, place)
            if found is None or not _chain_trips(
                tables, vehicle, found, routes, deadline, budget, place
            ):
                return None
        elif not _enumerate_vehicle(tables, vehicle, routes, deadline, budget):
            return None
    return routes


def capacity_trips(
    tables: Tables, vehicle: VehicleData, trips: dict, deadline, budget, place
) -> list[Trip] | None:
    """The trips of vehicles of `vehicle`'s capacity, latest arrival first, kept in `trips`
    by capacity; None if the enumeration is cut short."""
    if vehicle.capacity not in trips:
        ends = [v.end for v in tables.vehicles if v.capacity == vehicle.capacity]
        found = enumerate_trips(tables, vehicle.capacity, ends, deadline, budget, place)
        if found is not None:
            found.sort(key=lambda trip: -trip.latest)
        trips[vehicle.capacity] = found
    return trips[vehicle.capacity]


def chains_trips(tables: Tables) -> bool:
    """Whether every vehicle's routes are searched as chains of trips (no shift can bind)."""
    return (
        bool(tables.vehicles)
        and len(tables.pickups) < 63
        and all(_duration_free(tables, vehicle) for vehicle in tables.vehicles)
    )


def _seats(tables: Tables) -> int:
    """The most passengers a vehicle can carry at once (its largest capacity)."""
    return max(
        vehicle.capacity if tables.single else max(vehicle.capacity, default=0)
        for vehicle in tables.vehicles
    )


def _duration_free(tables: Tables, vehicle: VehicleData) -> bool:
    """Whether the depots' windows are too narrow for the shift limit to bind."""
    shift = vehicle.max_duration + tables.service[vehicle.start]
    return tables.late[vehicle.end] - tables.early[vehicle.start] <= shift + EPS


def _chain_trips(
    tables: Tables,
    vehicle: VehicleData,
    trips: list[Trip],
    routes: dict,
    deadline: float,
    budget: list[int],
    place: list[int],
    *,
    closing: list[float] | None = None,
    open_start: bool = False,
) -> bool:
    """Every route of `vehicle` as a chain of trips, by depth-first search with dominance.

    Between trips the vehicle is empty, so what follows depends only on where it is, when it
    leaves and which requests are served: a chain ending at the same place with the same
    requests served, leaving no earlier and no cheaper than one met before, is dropped.
    `trips` are sorted by latest arrival, latest first. For the halves of a day
    (`halves.py`): `closing[node]` replaces the cost of the drive from a chain's last stop to
    the end depot, and an `open_start` chain does not pay the drive to its first stop.
    """
    travel, cost, early, late = tables.travel, tables.cost, tables.early, tables.late
    start, end = vehicle.start, vehicle.end
    horizon = late[end] + EPS
    found: dict[int, tuple[float, tuple]] = {}  # requests served -> (cost, chain of trips)
    seen: dict[tuple[int, int], list[tuple[float, float]]] = {}
    stack: list[tuple[int, float, int, float, tuple]] = [
        (start, early[start] + tables.service[start], 0, 0.0, ())
    ]
    while stack:
        last, leave, served, spent, chain = stack.pop()
        budget[0] -= 1
        if budget[0] < 0 or (budget[0] % 2048 == 0 and time.monotonic() > deadline):
            return False
        if served:
            labels = seen.setdefault((place[last], served), [])
            if any(c <= spent + EPS and t <= leave + EPS for c, t in labels):
                continue
            labels.append((spent, leave))
            if max(leave + travel[last][end], early[end]) <= horizon:
                total = spent + (cost[last][end] if closing is None else closing[last])
                known = found.get(served)
                if known is None or total < known[0] - EPS:
                    found[served] = (total, chain)
        row, cost_row = travel[last], cost[last]
        for trip in trips:
            if trip.latest < leave - EPS:
                break  # and every later trip: arriving takes at least until `leave`
            if trip.requests & served:
                continue
            first = trip.seq[0]
            arrival = leave + row[first]
            if arrival > trip.latest + EPS:
                continue
            out = trip.ready if trip.ready > arrival + trip.span else arrival + trip.span
            tail = trip.seq[-1]
            if out + travel[tail][end] > horizon:
                continue
            stack.append(
                (
                    tail,
                    out,
                    served | trip.requests,
                    spent + (0.0 if open_start and not served else cost_row[first]) + trip.cost,
                    (*chain, trip),
                )
            )
    for served, (total, chain) in found.items():
        key = (vehicle.index, _members(served))
        known = routes.get(key)
        if known is None or total < known[0] - EPS:
            routes[key] = (total, [start, *(n for trip in chain for n in trip.seq), end])
    return True


def _enumerate_vehicle(
    tables: Tables, vehicle: VehicleData, routes: dict, deadline: float, budget: list[int]
) -> bool:
    travel, service, late, cost = tables.travel, tables.service, tables.late, tables.cost
    load, pickups, deliveries = tables.load, tables.pickups, tables.deliveries
    early, limit = tables.early, tables.limit
    start, end, capacity = vehicle.start, vehicle.end, vehicle.capacity
    max_duration, single = vehicle.max_duration, tables.single
    shift = max_duration + service[start]
    duration_free = late[end] - early[start] <= shift + EPS
    requests = len(pickups)
    empty_load = 0 if single else (0,) * len(capacity)
    # (last node, requests served) -> [(cost, time at the last node)] of empty-vehicle beginnings
    seen: dict[tuple[int, int], list[tuple[float, float]]] = {}
    start_times = earliest_times([start], tables, max_duration, prefix=True)
    if start_times is None:
        return True
    stack = [([start], start_times, 0, 0, empty_load, 0.0)]
    while stack:
        seq, times, served, on_board, carried, spent = stack.pop()
        budget[0] -= 1
        if budget[0] < 0 or (budget[0] % 2048 == 0 and time.monotonic() > deadline):
            return False
        last = seq[-1]
        now = times[-1]
        if not on_board and served:
            if duration_free:
                labels = seen.setdefault((last, served), [])
                if any(c <= spent + EPS and t <= now + EPS for c, t in labels):
                    continue
                labels.append((spent, now))
            back = max(now + service[last] + travel[last][end], early[end])
            closed = [*seq, end]
            if back <= late[end] + EPS and (
                duration_free
                or back - times[0] <= shift + EPS
                or earliest_times(closed, tables, max_duration) is not None
            ):
                key = (vehicle.index, _members(served))
                total = spent + cost[last][end]
                known = routes.get(key)
                if known is None or total < known[0] - EPS:
                    routes[key] = (total, closed)
        leave = now + service[last]
        for request in range(requests):
            bit = 1 << request
            if on_board & bit:
                node = deliveries[request]
                next_served, next_on_board = served, on_board & ~bit
                next_carried = (
                    carried - load[pickups[request]]
                    if single
                    else tuple(a - b for a, b in zip(carried, load[pickups[request]], strict=True))
                )
            elif served & bit:
                continue
            else:
                node = pickups[request]
                next_carried = (
                    carried + load[node]
                    if single
                    else tuple(a + b for a, b in zip(carried, load[node], strict=True))
                )
                if not tables.fits(next_carried, capacity):
                    continue
                next_served, next_on_board = served | bit, on_board | bit
            arrival = leave + travel[last][node]
            if arrival > late[node] + EPS:
                continue
            extended = [*seq, node]
            # The prefix's least timetable stays as it was, with the new stop at its earliest,
            # unless the new stop breaks a ride time or the shift: then re-time it all.
            at = arrival if arrival > early[node] else early[node]
            if (on_board & bit and at - times[seq.index(pickups[request])] > limit[node] + EPS) or (
                not duration_free and at - times[0] > shift + EPS
            ):
                new_times = earliest_times(extended, tables, max_duration, prefix=True)
                if new_times is None:
                    continue
            else:
                new_times = [*times, at]
            out = new_times[-1] + service[node]
            if out + travel[node][end] > late[end] + EPS:
                continue
            if next_on_board and any(
                out + travel[node][deliveries[other]] > late[deliveries[other]] + EPS
                for other in _members(next_on_board)
            ):
                continue
            stack.append(
                (
                    extended,
                    new_times,
                    next_served,
                    next_on_board,
                    next_carried,
                    spent + cost[last][node],
                )
            )
    return True


def _members(mask: int) -> tuple[int, ...]:
    found = []
    index = 0
    while mask:
        if mask & 1:
            found.append(index)
        mask >>= 1
        index += 1
    return tuple(found)


def solve_exactly(
    tables: Tables,
    weights: list[float],
    deadline: float,
    workers: int = 1,
    limit: int = LABEL_LIMIT,
    *,
    by_trips: bool = True,
    seconds: float | None = None,
    found: dict | None = None,
) -> Solution | None:
    """The optimal solution, proven, by `deadline`; None if the day is too large for that.

    A day planned by chaining trips is first measured (`trips.estimate`): if the search is not
    expected to end within `seconds` (by default: by the deadline), nothing is tried. A
    deterministic caller passes an infinite deadline and a nominal `seconds`. A day that
    splits in two halves is first planned by them (`halves.py`); their bound is left in
    `found["halves"]` when it does not prove their joined plan.
    """
    if seconds is None:
        seconds = deadline - time.monotonic()
    if (
        by_trips
        and chains_trips(tables)
        and estimate(tables, _seats(tables)) > GROUPS_PER_SECOND * seconds
    ):
        return None
    trips: dict = {}
    if by_trips and chains_trips(tables):
        from .halves import solve_by_halves  # it builds on this module

        halves = solve_by_halves(tables, weights, deadline, workers, trips=trips)
        if halves is not None and halves.proven:
            return halves.solution
        if halves is not None and found is not None:
            found["halves"] = halves
    shape = shapes(tables)
    routes = enumerate_routes(tables, shape, deadline, limit, by_trips=by_trips, trips=trips)
    if routes is None:
        return None
    if by_trips and chains_trips(tables) and len(set(shape)) == 1 and len(shape) <= 2:
        solution = _best_choice(tables, routes, weights, deadline)
    elif len(routes) > MIP_COLUMNS:
        return None
    else:
        pool = RoutePool(tables, shape, weights, limit=len(routes) + 1)
        pool.merge(routes)
        empty = Solution([Route(vehicle) for vehicle in tables.vehicles], set())
        for route in empty.routes:
            route.refresh(tables)
        solution = pool.recombine(empty, deadline, workers=workers)
        if solution is not None and not pool.proven:
            solution = None
    if solution is None:
        return None
    for route in solution.routes:  # a route of a vehicle of the same shape: its own depots
        if not route.empty:
            route.seq = [route.vehicle.start, *route.seq[1:-1], route.vehicle.end]
            if not route.refresh(tables):  # pragma: no cover - same places, same windows
                return None
    return solution


def _best_choice(tables: Tables, routes: dict, weights: list[float], deadline: float):
    """The best set of disjoint routes for identical vehicles, by branch and bound; None if the
    deadline passes first.

    A route is worth the penalty of the requests it serves (as in `pool.py`: serving comes
    first) minus its cost. Routes are tried by decreasing worth, each choice followed only by
    later routes (the vehicles are interchangeable), and a branch is cut when its worth plus the
    next routes' (conflicting or not) cannot beat the best choice found.
    """
    vehicles = len(tables.vehicles)
    penalty = 100.0 * (max((max(row) for row in tables.cost), default=1.0) + 1.0)
    keys = list(routes)
    worth = np.asarray([penalty * sum(weights[r] for r in key[1]) - routes[key][0] for key in keys])
    order = np.argsort(-worth, kind="stable")
    worth = worth[order]
    masks = np.asarray([sum(1 << r for r in keys[index][1]) for index in order], dtype=np.uint64)
    best: list = [0.0, []]
    cut_short = [False]

    def search(begin: int, used: int, left: int, total: float, chosen: list[int]) -> None:
        if total > best[0] + EPS:
            best[0], best[1] = total, chosen
        if left == 0 or cut_short[0]:
            return
        if time.monotonic() > deadline:
            cut_short[0] = True
            return
        free = begin + np.flatnonzero((masks[begin:] & np.uint64(used)) == 0)
        for position, index in enumerate(free):
            bound = total + worth[free[position : position + left]].sum()
            if bound <= best[0] + EPS:
                return  # later routes are worth no more
            search(
                int(index) + 1,
                used | int(masks[index]),
                left - 1,
                total + worth[index],
                [*chosen, int(index)],
            )
            if cut_short[0]:
                return

    search(0, 0, vehicles, 0.0, [])
    if cut_short[0]:
        return None
    solution = Solution([Route(vehicle) for vehicle in tables.vehicles], set())
    covered: set[int] = set()
    for route, index in zip(solution.routes, best[1], strict=False):
        key = keys[order[index]]
        route.seq = list(routes[key][1])
        covered.update(key[1])
    for route in solution.routes:
        route.refresh(tables)
    solution.unassigned = set(range(len(tables.pickups))) - covered
    return solution


def shapes(tables: Tables) -> list[int]:
    """For each vehicle, the first one that has the same routes, up to depots at one place."""
    place, early, late, service = places(tables), tables.early, tables.late, tables.service

    def signature(vehicle: VehicleData) -> tuple:
        return (
            place[vehicle.start],
            place[vehicle.end],
            early[vehicle.start],
            late[vehicle.start],
            service[vehicle.start],
            early[vehicle.end],
            late[vehicle.end],
            service[vehicle.end],
            vehicle.capacity,
            vehicle.max_duration,
        )

    first: dict[tuple, int] = {}
    return [first.setdefault(signature(vehicle), vehicle.index) for vehicle in tables.vehicles]
