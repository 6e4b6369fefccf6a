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

from .enumeration import (
    GROUPS_PER_SECOND,
    LABEL_LIMIT,
    _seats,
    best_set,
    chains_trips,
    enumerate_routes,
    shapes,
)
from .halves import solve_by_halves
from .solution import Solution
from .tables import Tables
from .trips import estimate, load_trip_search


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
        # The compiled trip search and choices, loaded at a process's first plan (a second or
        # more on a loaded machine): not the search's time.
        loading = time.monotonic()
        load_trip_search()
        tables.kernel()
        deadline += time.monotonic() - loading
        halves = solve_by_halves(tables, weights, deadline, workers, trips=trips)
        if halves is not None and halves.proven:
            return halves.solution
        if halves is not None and found is not None:
            found["halves"] = halves
    shape = shapes(tables)
    routes = enumerate_routes(tables, shape, deadline, limit, by_trips=by_trips, trips=trips)
    if routes is None:
        return None
    solution = best_set(
        tables,
        shape,
        routes,
        weights,
        deadline,
        workers,
        branch_and_bound=by_trips and chains_trips(tables),
    )
    if solution is None:
        return None
    for route in solution.routes:  # a route of a vehicle of the same shape: its own depots
        if not route.empty:
            route.seq = [route.vehicle.start, *route.seq[1:-1], route.vehicle.end]
            if not route.refresh(tables):  # pragma: no cover - same places, same windows
                return None
    return solution
