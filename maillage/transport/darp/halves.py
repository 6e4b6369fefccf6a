"""Days in two halves: a lower bound on the optimum, and often the optimum itself, proven.

On a workshop day every ride to the workshop ends before any ride home can begin: the
morning's drop-offs close before the afternoon's pickups open. Whenever the requests split so
that no stop of the second half can come before a stop of the first in any route (`split`),
a route is its start depot, the trips of the first half, the trips of the second half and its
end depot, and its cost is at least

- the cost of its first half, from the start depot to its last stop, plus the cheapest drive
  from there to a pickup of the second half or to the end depot (`closing`), and
- the cost of its second half, from its first stop to the end depot,

each half being zero when the route serves none of its requests (costs are not negative). So
the best choice of first halves (at most one per vehicle, each request at most once, serving
as many as possible, then at least cost) plus the best choice of second halves is a lower
bound on the optimum. Each half has far fewer routes than whole days (the routes of a day
number about the product of its halves'), so both are enumerated as chains of trips
(`enumeration._chain_trips`, the second half's chains starting at the depot's earliest time without
paying the drive from it: every real route reaches them no earlier) and chosen exactly, like
the whole routes of `exact.py`.

When the two halves' routes, joined vehicle by vehicle, are feasible and cost no more than
the bound (on a workshop day whose depots are at the workshop: the drive between the halves
is free and a vehicle waits at the workshop), that plan is the optimum, proven. Otherwise the
bound still proves the search's best plan optimal if it meets it, or bounds its gap.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np

from .enumeration import (
    LABEL_LIMIT,
    _chain_trips,
    _members,
    best_set,
    capacity_trips,
    chains_trips,
    shapes,
)
from .pool import _INTEGER, _highs
from .routes import Route
from .schedule import EPS
from .solution import Solution
from .tables import Tables
from .trips import places


@dataclass
class Halves:
    """What the halves of a day tell: `bound` is a lower bound on any plan's cost plus
    `penalty` times the weight of its unserved requests; `solution` the halves joined if
    feasible, optimal (and so proven) when `proven`."""

    bound: float
    penalty: float
    solution: Solution | None
    proven: bool

    def value(self, solution: Solution, weights: list[float]) -> float:
        return solution.cost + self.penalty * sum(weights[r] for r in solution.unassigned)

    def meets(self, solution: Solution, weights: list[float]) -> bool:
        """Whether `solution` is proven optimal by the bound."""
        return self.value(solution, weights) <= self.bound + 1e-6 + 1e-9 * abs(self.bound)

    def cost_bound(self, solution: Solution, weights: list[float]) -> float:
        """A lower bound on the cost of any plan serving at least the weight `solution` serves."""
        return self.bound - self.penalty * sum(weights[r] for r in solution.unassigned)


def penalty_of(tables: Tables) -> float:
    """The price of an unserved request's weight, as in `pool.py` and `enumeration._best_choice`."""
    return 100.0 * (max((max(row) for row in tables.cost), default=1.0) + 1.0)


def split(tables: Tables) -> tuple[int, int] | None:
    """Two bit masks of requests, each non-empty, such that no stop of the second can come
    before a stop of the first in any route (its earliest end of service plus the drive is
    past the other's window); the most even such split by latest drop-off, or None. Like the
    reachability cuts of `enumeration.py`, this assumes travel times obey the triangle inequality
    (the direct drive is the shortest way from one stop to another)."""
    pickups, deliveries = tables.pickups, tables.deliveries
    early, late, service, travel = tables.early, tables.late, tables.service, tables.travel
    requests = len(pickups)
    if requests < 2:
        return None
    order = sorted(range(requests), key=lambda r: late[deliveries[r]])

    def before(y: int, x: int) -> bool:  # whether node y can precede node x
        return early[y] + service[y] + travel[y][x] <= late[x] + EPS

    # blocked[k]: some stop of order[k:] may precede some stop of order[:k]
    for k in sorted(range(1, requests), key=lambda k: abs(2 * k - requests)):
        first = [node for r in order[:k] for node in (pickups[r], deliveries[r])]
        second = [node for r in order[k:] for node in (pickups[r], deliveries[r])]
        if not any(before(y, x) for y in second for x in first):
            return sum(1 << r for r in order[:k]), sum(1 << r for r in order[k:])
    return None


def solve_by_halves(
    tables: Tables,
    weights: list[float],
    deadline: float,
    workers: int = 1,
    trips: dict | None = None,
) -> Halves | None:
    """The bound of the day's halves and their joined plan; None if the day does not split,
    its shifts may bind, or the enumeration (its trips kept in `trips`, by capacity) or a
    choice does not end by `deadline`."""
    if not chains_trips(tables):
        return None
    parts = split(tables)
    if parts is None:
        return None
    shape = shapes(tables)
    place = places(tables)
    budget = [LABEL_LIMIT]
    halves: tuple[dict, dict] = ({}, {})
    trips = {} if trips is None else trips  # capacity -> trips, shared with `exact.py`
    cost = tables.cost
    second_pickups = [tables.pickups[r] for r in _members(parts[1])]
    alone: dict[int, tuple[float, float]] = {}
    for index, vehicle in enumerate(tables.vehicles):
        if shape[index] != index:
            continue
        found = capacity_trips(tables, vehicle, trips, deadline, budget, place)
        if found is None:
            return None
        closing = [
            min(cost[node][z] for z in [*second_pickups, vehicle.end])
            for node in range(tables.size)
        ]
        ends = [tables.deliveries[r] for r in _members(parts[0])]
        # The least a vehicle pays beyond its half's column for riding one half only.
        alone[index] = (
            min((cost[node][vehicle.end] - closing[node] for node in ends), default=0.0),
            min((cost[vehicle.start][node] for node in second_pickups), default=0.0),
        )
        for mask, routes, options in (
            (parts[0], halves[0], {"closing": closing}),
            (parts[1], halves[1], {"open_start": True}),
        ):
            chosen = [trip for trip in found if trip.requests & ~mask == 0]
            if not _chain_trips(
                tables, vehicle, chosen, routes, deadline, budget, place, **options
            ):
                return None
    # The choices time their routes with the compiled kernel: loading it at a process's first
    # plan (about a second, more on a loaded machine) is not the enumeration's time.
    loading = time.monotonic()
    tables.kernel()
    deadline += time.monotonic() - loading
    penalty = penalty_of(tables)
    bound = 0.0
    picks = []
    for mask, routes in zip(parts, halves, strict=True):
        picked = _choose(tables, shape, routes, weights, deadline, workers)
        if picked is None:
            return None
        covered = {r for key in picked.values() for r in key[1]}
        bound += sum(routes[key][0] for key in picked.values())
        bound += penalty * sum(weights[r] for r in _members(mask) if r not in covered)
        picks.append(picked)
    solution = _join(tables, halves, picks)
    result = Halves(bound, penalty, solution, False)
    result.proven = solution is not None and result.meets(solution, weights)
    if not result.proven:
        coupled = _coupled(tables, shape, halves, alone, weights, penalty, deadline, workers)
        if coupled is not None:
            result.bound = max(result.bound, coupled[0])
            solution = _join(tables, halves, coupled[1])
            if solution is not None and (
                result.solution is None
                or result.value(solution, weights) < result.value(result.solution, weights)
            ):
                result.solution = solution
            result.proven = result.solution is not None and result.meets(result.solution, weights)
    return result


def _coupled(tables, shape, halves, alone, weights, penalty, deadline, workers):
    """Both halves chosen at once, a vehicle riding one half only paying `alone` (per shape:
    the least extra of a first half alone, of a second half alone): (the optimum, the choice
    by half, each by vehicle index: key), or None if not proven by `deadline`.

    Per shape, the vehicles riding one half only are at least the difference between the
    numbers of first and second halves chosen (two variables bounded below by it).
    """
    requests = len(tables.pickups)
    keys = [(half, key) for half, routes in enumerate(halves) for key in routes]
    kinds = sorted(set(shape))
    n = len(keys)
    columns = n + 2 * len(kinds) + requests  # halves, alone (first, second), unserved
    costs = [halves[half][key][0] for half, key in keys]
    costs += [alone[kind][side] for kind in kinds for side in (0, 1)]
    costs += [penalty * weights[r] for r in range(requests)]
    rows: list[tuple[float, float, list[int], list[float]]] = []
    for r in range(requests):
        covering = [c for c, (_, key) in enumerate(keys) if r in key[1]]
        rows.append((1.0, 1.0, [*covering, n + 2 * len(kinds) + r], [1.0] * (len(covering) + 1)))
    for k, kind in enumerate(kinds):
        count = float(shape.count(kind))
        first = [c for c, (half, key) in enumerate(keys) if half == 0 and key[0] == kind]
        second = [c for c, (half, key) in enumerate(keys) if half == 1 and key[0] == kind]
        rows.append((-math.inf, count, first, [1.0] * len(first)))
        rows.append((-math.inf, count, second, [1.0] * len(second)))
        # alone_first >= #first - #second, alone_second >= #second - #first
        rows.append(
            (
                0.0,
                math.inf,
                [n + 2 * k, *first, *second],
                [1.0, *[-1.0] * len(first), *[1.0] * len(second)],
            )
        )
        rows.append(
            (
                0.0,
                math.inf,
                [n + 2 * k + 1, *first, *second],
                [1.0, *[1.0] * len(first), *[-1.0] * len(second)],
            )
        )
    left = deadline - time.monotonic()
    if left < 0.05:
        return None
    highs = _highs(left, workers)
    upper = np.ones(columns)
    upper[n : n + 2 * len(kinds)] = [shape.count(kind) for kind in kinds for _ in (0, 1)]
    highs.addCols(
        columns,
        np.asarray(costs, dtype=np.float64),
        np.zeros(columns),
        upper,
        0,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    integer = n + 2 * len(kinds)
    highs.changeColsIntegrality(
        integer, np.arange(integer, dtype=np.int32), np.full(integer, _INTEGER, dtype=np.uint8)
    )
    inf = highspy.kHighsInf
    for lower, upper_, indices, values in rows:
        highs.addRow(
            -inf if lower == -math.inf else lower,
            inf if upper_ == math.inf else upper_,
            len(indices),
            np.asarray(indices, dtype=np.int32),
            np.asarray(values, dtype=np.float64),
        )
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = highs.getSolution().col_value
    picks: list[dict] = [{}, {}]
    for half in (0, 1):
        free = {kind: [v for v in range(len(shape)) if shape[v] == kind] for kind in kinds}
        for c, (h, key) in enumerate(keys):
            if h == half and values[c] > 0.5:
                picks[half][free[key[0]].pop(0)] = key
    return highs.getInfo().objective_function_value, picks


def _choose(tables: Tables, shape, routes, weights, deadline, workers) -> dict | None:
    """The best choice of half routes, by vehicle index: key; None if not proven in time."""
    if not routes:
        return {}
    solution = best_set(tables, shape, routes, weights, deadline, workers, branch_and_bound=True)
    if solution is None:
        return None
    return {
        index: (shape[index], tuple(sorted(route.requests(tables))))
        for index, route in enumerate(solution.routes)
        if not route.empty
    }


def _join(tables: Tables, halves, picks) -> Solution | None:
    """Each vehicle's first and second halves as one route; None if one is infeasible."""
    routes = []
    covered: set[int] = set()
    for index, vehicle in enumerate(tables.vehicles):
        seq = [vehicle.start]
        for routes_of_half, picked in zip(halves, picks, strict=True):
            key = picked.get(index)
            if key is not None:
                seq.extend(routes_of_half[key][1][1:-1])
                covered.update(key[1])
        route = Route(vehicle, [*seq, vehicle.end] if len(seq) > 1 else None)
        if not route.refresh(tables):
            return None
        routes.append(route)
    return Solution(routes, set(range(len(tables.pickups))) - covered)
