"""Every feasible route of a small day, and the best set of them (`exact.py` says how).

Routes are chains of trips (`trips.py`) when no shift can bind, else searched stop by stop;
`_best_choice` picks the best set of routes for one or two vehicles of a single shape by a
branch and bound, `pool.RoutePool` (HiGHS) otherwise. Shared by whole days (`exact.py`) and
days planned by their halves (`halves.py`).
"""

from __future__ import annotations

import time

import numpy as np

from .pool import RoutePool
from .routes import Route
from .schedule import EPS, earliest_times
from .solution import Solution
from .tables import Tables, VehicleData
from .trips import Trip, enumerate_trips, places

# Route beginnings examined before giving up (a few seconds of Python at most).
LABEL_LIMIT = 300_000
# Groups of requests that can share a vehicle (`trips.estimate`) whose trips and routes the
# exact method handles per second of budget, measured on generated workshop days (bench/darp.py
# --days, seeds 0 to 2, CPU time at load 4 to 5 on the shared 2-core machine): with the compiled
# trip search, 12 riders (1 586 groups) take 0.04 to 0.4 s for their trips, 15 riders (3 880)
# 0.2 to 1.1 s, and their halves prove the optimum in about 1.5 s in all; 20 riders (12 390)
# take 1 to 13 s for their trips alone. This rate lets 15 riders into a 5 s attempt (the
# planner's default), not 20.
GROUPS_PER_SECOND = 1000
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


def best_set(
    tables: Tables,
    shape: list[int],
    routes: dict,
    weights: list[float],
    deadline: float,
    workers: int,
    *,
    branch_and_bound: bool,
) -> Solution | None:
    """The best set of these routes (at most one per vehicle), proven by `deadline`, else
    None: the branch and bound for one or two vehicles of a single shape (when the routes
    allow it), the set-partitioning MIP otherwise (at most MIP_COLUMNS routes)."""
    if branch_and_bound and len(set(shape)) == 1 and len(shape) <= 2:
        return _best_choice(tables, routes, weights, deadline)
    if len(routes) > MIP_COLUMNS:
        return None
    pool = RoutePool(tables, shape, weights, limit=len(routes) + 1)
    pool.merge(routes)
    empty = Solution([Route(vehicle) for vehicle in tables.vehicles], set())
    for route in empty.routes:
        route.refresh(tables)
    solution = pool.recombine(empty, deadline, workers=workers)
    return solution if solution is not None and pool.proven else None
