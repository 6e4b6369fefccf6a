"""Exact planning of small days: every feasible route enumerated, then set partitioning.

A day of a few riders has few feasible routes once the windows are tightened: a vehicle can
only chain stops whose windows follow each other. Enumerating every feasible route by a
depth-first search over its stops, keeping the cheapest route per (vehicle shape, set of
requests), and choosing by set partitioning the best set of routes (at most one per vehicle,
each request at most once, serving as many as possible, at least cost) gives the optimum; when
CP-SAT proves the partitioning optimal, the day is solved and proven, and the search need not
run at all.

The search extends a route's beginning by the drop-off of a passenger on board or the pickup
of a new one, and abandons it as soon as its least timetable (`schedule.earliest_times` on the
prefix) breaks a window, a ride time or the shift, or a passenger on board (or the vehicle's
return) can no longer be reached in time. When the vehicle is empty and the shift limit cannot
bind (the depots' windows are narrower than the shift), the future depends only on the time
and the stops already served, so a beginning that ends at the same stop with the same requests
served, no earlier and at no lower cost than one met before is dropped (dominance). Like the
time-window tightening, the reachability cuts assume travel times obey the triangle inequality.

The enumeration gives up past a number of route beginnings or a deadline: larger days go to
the large neighbourhood search.
"""

from __future__ import annotations

import time

from .pool import RoutePool
from .routes import Route
from .schedule import EPS, earliest_times
from .solution import Solution
from .tables import Tables, VehicleData

# Route beginnings examined before giving up (a few seconds of Python at most).
LABEL_LIMIT = 300_000


def enumerate_routes(
    tables: Tables, shape: list[int], deadline: float, limit: int = LABEL_LIMIT
) -> dict[tuple, tuple[float, list[int]]] | None:
    """Cheapest feasible route per (vehicle shape, sorted requests), or None if cut short."""
    routes: dict[tuple, tuple[float, list[int]]] = {}
    budget = [limit]
    for index, vehicle in enumerate(tables.vehicles):
        if shape[index] != index:
            continue  # vehicles of the same shape have the same routes
        if not _enumerate_vehicle(tables, vehicle, routes, deadline, budget):
            return None
    return routes


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
    shape: list[int],
    weights: list[float],
    deadline: float,
    workers: int = 1,
) -> Solution | None:
    """The optimal solution, proven, by `deadline`; None if the day is too large for that."""
    routes = enumerate_routes(tables, shape, deadline)
    if routes is None:
        return None
    pool = RoutePool(tables, shape, weights, limit=len(routes) + 1)
    pool.merge(routes)
    empty = Solution([Route(vehicle) for vehicle in tables.vehicles], set())
    for route in empty.routes:
        route.refresh(tables)
    solution = pool.recombine(empty, deadline, workers=workers)
    if solution is None or not pool.proven:
        return None
    return solution
