"""Re-planning after a request is added or cancelled, without moving confirmed pickups much.

Passengers who were told a pickup time keep it within a tolerance: their pickup window becomes
[t - tolerance, t + tolerance] (intersected with the window they asked for). The search starts
from the published tours minus the cancelled requests, inserts the new ones, and improves the
whole; a confirmed request weighs ten times more than a new one, so when something must give,
the new request is refused (with its reason) rather than a confirmed one dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .instance import Instance
from .solution import DarpSolution
from .solver import solve
from .tables import Tables

CONFIRMED_WEIGHT = 10.0


def confirmed_pickups(solution: DarpSolution, instance: Instance) -> dict[int, float]:
    """Request id → published start of service at its pickup, for every served request."""
    pickup_of = {request.pickup: request.id for request in instance.requests}
    return {
        pickup_of[stop.node]: stop.start_of_service
        for tour in solution.tours
        for stop in tour.stops
        if stop.node in pickup_of
    }


def with_confirmed_windows(
    instance: Instance, confirmed: Mapping[int, float], tolerance: float
) -> Instance:
    """A copy of `instance` whose confirmed pickups must start within `tolerance` of their time."""
    nodes = list(instance.nodes)
    for request in instance.requests:
        if request.id not in confirmed:
            continue
        promised = confirmed[request.id]
        node = nodes[request.pickup]
        nodes[request.pickup] = replace(
            node,
            earliest=max(node.earliest, promised - tolerance),
            latest=min(node.latest, promised + tolerance),
        )
    return replace(instance, nodes=nodes)


def replan(
    instance: Instance,
    previous: DarpSolution,
    *,
    confirmed: Mapping[int, float] | None = None,
    tolerance: float = 10.0,
    seconds: float = 5.0,
    seed: int = 0,
    workers: int = 1,
    max_iterations: int | None = None,
) -> tuple[DarpSolution, Instance]:
    """Plan `instance` (the requests after the change) starting from `previous` tours.

    `previous` uses the node ids of `instance`; stops of requests no longer in it (cancelled)
    are dropped. `confirmed` maps request ids to promised pickup times (default: every pickup
    published in `previous`). Returns the new solution and the instance with the confirmed
    windows, against which it is feasible.
    """
    if confirmed is None:
        confirmed = confirmed_pickups(previous, instance)
    constrained = with_confirmed_windows(instance, confirmed, tolerance)
    tables = Tables(constrained)
    index_of_vehicle = {vehicle.id: index for index, vehicle in enumerate(instance.vehicles)}
    known = set(tables.pickups) | set(tables.deliveries)
    start = {
        index_of_vehicle[tour.vehicle]: [
            stop.node
            for position, stop in enumerate(tour.stops)
            if stop.node in known or position in (0, len(tour.stops) - 1)
        ]
        for tour in previous.tours
        if tour.vehicle in index_of_vehicle
    }
    weights = [
        CONFIRMED_WEIGHT if request.id in confirmed else 1.0 for request in instance.requests
    ]
    solution = solve(
        constrained,
        seconds,
        seed=seed,
        workers=workers,
        start=start,
        weights=weights,
        max_iterations=max_iterations,
        tables=tables,
    )
    return solution, constrained
