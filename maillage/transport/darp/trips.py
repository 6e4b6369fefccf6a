"""Trips: the pieces of a route between two moments its vehicle is empty (for `exact.py`).

A vehicle's route is its start depot, a sequence of trips, and its end depot, where a trip
starts with a pickup into an empty vehicle and ends with the drop-off that empties it again.
Passengers never ride across two trips, so every ride-time rule stays inside one trip; when
the shift limit cannot bind (the depots' windows are narrower than the shift), what a trip
does to the rest of the route is only *when* the vehicle leaves its last stop.

That moment is a simple function of the arrival time `a` at the trip's first stop. All timing
rules are difference constraints (`schedule.py`), so the least timetable of a fixed trip is a
longest-path value from a source with an edge of weight `a` into the first stop and an edge of
weight e_k (its window's opening) into each stop k: the least start at stop k is
max(C_k, a + D_k), where C_k is the least start with the windows alone and D_k the longest
path from the first stop (travel, service and the ride-time back edges, no windows). The trip
is feasible for `a` exactly when every max(C_k, a + D_k) stays under its window's closing, that
is when `a` is at most min_k(l_k − D_k). So a trip is summed up by four numbers: its cost,
`ready` (the least leaving time of its last stop whatever the arrival), `span` (the least
leaving time after an arrival `a` is a + span) and `latest` (the latest arrival). Two trips
serving the same requests between the same places, one no dearer, no later, no longer and no
less tolerant of a late arrival than the other, can always replace it: the other is dropped.

Nodes at the same place (same rows and columns in the travel and cost matrices: a workshop's
drop-offs, a depot's start and end) are interchangeable for what follows a trip, so trips and
vehicles are compared by place.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from .schedule import EPS, earliest_times
from .tables import Tables


@dataclass(frozen=True, slots=True)
class Trip:
    """Stops from a pickup into an empty vehicle to the drop-off that empties it."""

    seq: tuple[int, ...]
    requests: int  # bit mask of the requests served
    cost: float  # from the first stop to the last
    ready: float  # the last stop is left at max(ready, arrival at the first stop + span)
    span: float
    latest: float  # latest arrival at the first stop that keeps the trip feasible

    def leave(self, arrival: float) -> float:
        return max(self.ready, arrival + self.span)

    def dominates(self, other: Trip) -> bool:
        return (
            self.cost <= other.cost + EPS
            and self.ready <= other.ready + EPS
            and self.span <= other.span + EPS
            and self.latest >= other.latest - EPS
        )


def places(tables: Tables) -> list[int]:
    """The first node at the same place as each node (same travel and cost, to and from)."""
    travel, cost = tables.travel, tables.cost
    first: dict[tuple, int] = {}
    result = []
    for node in range(tables.size):
        key = (
            tuple(travel[node]),
            tuple(row[node] for row in travel),
            tuple(cost[node]),
            tuple(row[node] for row in cost),
        )
        result.append(first.setdefault(key, node))
    return result


def enumerate_trips(
    tables: Tables, capacity, ends: list[int], deadline: float, budget: list[int], place: list[int]
) -> list[Trip] | None:
    """Every non-dominated feasible trip for a vehicle of `capacity` ending at one of `ends`.

    A depth-first search from each pickup, like `exact.py`'s over routes: a trip's beginning is
    extended by a drop-off of a passenger on board or a new pickup, and abandoned as soon as its
    least timetable (windows only: the earliest the trip could ever run) breaks a rule, or a
    passenger on board or every end depot can no longer be reached in time. `budget[0]` counts
    the beginnings left before giving up (None), as does `deadline` (time.monotonic()).
    """
    travel, service, late, cost = tables.travel, tables.service, tables.late, tables.cost
    load, pickups, deliveries = tables.load, tables.pickups, tables.deliveries
    early, limit, single = tables.early, tables.limit, tables.single
    requests = len(pickups)
    best: dict[tuple[int, int, int], list[Trip]] = {}
    # The pickups that can follow each stop at all (windows only).
    reach = [
        tuple(
            request
            for request in range(requests)
            if early[node] + service[node] + travel[node][pickups[request]]
            <= late[pickups[request]] + EPS
            and pickups[request] != node
        )
        for node in range(tables.size)
    ]
    if single:

        def fits(carried) -> bool:
            return carried <= capacity

    else:

        def fits(carried) -> bool:
            return all(a <= b for a, b in zip(carried, capacity, strict=True))

    for first in range(requests):
        node = pickups[first]
        if not tables.fits(load[node], capacity) or early[node] > late[node] + EPS:
            continue
        bit = 1 << first
        stack = [((node,), [early[node]], bit, bit, load[node], 0.0)]
        while stack:
            seq, times, served, on_board, carried, spent = stack.pop()
            budget[0] -= 1
            if budget[0] < 0 or (budget[0] % 2048 == 0 and time.monotonic() > deadline):
                return None
            last = seq[-1]
            if not on_board:
                trip = _trip(seq, times, served, spent, tables)
                if trip is not None:
                    _keep(best.setdefault((served, place[seq[0]], place[last]), []), trip)
                continue
            leave = times[-1] + service[last]
            waiting = [request for request in reach[last] if not served >> request & 1]
            for request in (*_members(on_board), *waiting):
                bit = 1 << request
                if on_board & bit:
                    node = deliveries[request]
                    next_served, next_on_board = served, on_board & ~bit
                    next_carried = (
                        carried - load[pickups[request]]
                        if single
                        else tuple(
                            a - b for a, b in zip(carried, load[pickups[request]], strict=True)
                        )
                    )
                else:
                    node = pickups[request]
                    next_carried = (
                        carried + load[node]
                        if single
                        else tuple(a + b for a, b in zip(carried, load[node], strict=True))
                    )
                    if not fits(next_carried):
                        continue
                    next_served, next_on_board = served | bit, on_board | bit
                arrival = leave + travel[last][node]
                if arrival > late[node] + EPS:
                    continue
                extended = (*seq, node)
                at = arrival if arrival > early[node] else early[node]
                if on_board & bit and at - times[seq.index(pickups[request])] > limit[node] + EPS:
                    new_times = earliest_times(list(extended), tables, math.inf, prefix=True)
                    if new_times is None:
                        continue
                else:
                    new_times = [*times, at]
                out = new_times[-1] + service[node]
                if all(out + travel[node][end] > late[end] + EPS for end in ends):
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
    return [trip for trips in best.values() for trip in trips]


def _trip(seq, times, served, spent, tables: Tables) -> Trip | None:
    """The trip's summary (see the module's docstring); `times` is its windows-only timetable."""
    travel, service, late, limit = tables.travel, tables.service, tables.late, tables.limit
    m = len(seq)
    span = [0.0] * m  # D_k: longest path from the arrival at the first stop, windows ignored
    for k in range(1, m):
        span[k] = span[k - 1] + service[seq[k - 1]] + travel[seq[k - 1]][seq[k]]
    position = {node: k for k, node in enumerate(seq)}
    rides = [
        (position[tables.partner[node]], k, limit[node])
        for k, node in enumerate(seq)
        if not tables.is_pickup[node]
    ]
    for _ in range(m + 1):
        first = m
        for pickup_position, delivery_position, bound in rides:
            need = span[delivery_position] - bound
            if need > span[pickup_position] + EPS:
                span[pickup_position] = need
                first = min(first, pickup_position)
        if first == m:
            break
        for k in range(first + 1, m):
            step = span[k - 1] + service[seq[k - 1]] + travel[seq[k - 1]][seq[k]]
            if step > span[k]:
                span[k] = step
    else:  # pragma: no cover - a positive cycle, but the windows-only timetable exists
        return None
    last = seq[-1]
    return Trip(
        seq=seq,
        requests=served,
        cost=spent,
        ready=times[-1] + service[last],
        span=span[-1] + service[last],
        latest=min(late[node] - span[k] for k, node in enumerate(seq)),
    )


def _keep(trips: list[Trip], trip: Trip) -> None:
    """Add `trip` to a Pareto set unless one there dominates it; drop those it dominates."""
    if any(known.dominates(trip) for known in trips):
        return
    trips[:] = [known for known in trips if not trip.dominates(known)]
    trips.append(trip)


def _members(mask: int) -> tuple[int, ...]:
    found = []
    index = 0
    while mask:
        if mask & 1:
            found.append(index)
        mask >>= 1
        index += 1
    return tuple(found)
