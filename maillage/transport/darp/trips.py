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
vehicles are compared by place. On a real day, riders board one after the other at the
workshop, and every order of them is a different trip: the search takes such a batch as a set
and times its orders only once the trip is complete (`enumerate_trips`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .schedule import EPS
from .tables import Tables

# Beginnings of trips the compiled search examines per second (it cannot look at the clock:
# this turns the time left into a number of them). Measured: 547 000 in 0.95 to 1.1 s of CPU
# (15 riders, bench/darp.py's day, load 5 on the shared 2-core machine); faster on an idle
# machine, where the search then stops early rather than late. And per label of the shared
# budget (`enumeration.LABEL_LIMIT`, counted in labels of the Python searches).
BEGINNINGS_PER_SECOND = 600_000
BEGINNINGS_PER_LABEL = 16


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


def estimate(tables: Tables, seats: int, limit: int = 100_000) -> int:
    """A cheap measure of the trip search's size: the groups of at most `seats` requests that
    can pairwise share the vehicle (one boards while the other is on board, windows only),
    counted up to `limit`. The search's time grows a little faster than this count."""
    travel, service, early, late = tables.travel, tables.service, tables.early, tables.late
    pickups, deliveries = tables.pickups, tables.deliveries
    requests = len(pickups)

    def board_while(a: int, b: int) -> bool:
        at = max(
            early[pickups[b]],
            early[pickups[a]] + service[pickups[a]] + travel[pickups[a]][pickups[b]],
        )
        return (
            at <= late[pickups[b]] + EPS
            and at + service[pickups[b]] + travel[pickups[b]][deliveries[a]]
            <= late[deliveries[a]] + EPS
        )

    later = [
        [b for b in range(a + 1, requests) if board_while(a, b) or board_while(b, a)]
        for a in range(requests)
    ]
    count = 0
    stack = [(set(later[a]), 1) for a in range(requests)]  # (who can join the group, size)
    while stack and count < limit:
        common, size = stack.pop()
        count += 1
        if size < seats:
            stack.extend((common.intersection(later[b]), size + 1) for b in common)
    return count


def enumerate_trips(
    tables: Tables, capacity, ends: list[int], deadline: float, budget: list[int], place: list[int]
) -> list[Trip] | None:
    """Every non-dominated feasible trip for a vehicle of `capacity` ending at one of `ends`.

    A depth-first search from each pickup: a trip's beginning is extended by a drop-off of a
    passenger on board or a new pickup. Stops in a row at the same place and of the same kind
    (riders boarding at a workshop, or leaving at it) form a batch, searched as a set (in
    request order): their order changes neither the cost nor the load after the batch, only
    who waits, so it is chosen when the trip is complete, by timing every order of every batch
    exactly. Meanwhile a beginning is abandoned when a bound valid for every order of its
    batches breaks a rule: a window (each stop as if first in its batch, a batch left no
    earlier than its start plus every service in it), a ride time (the travel and the batches
    a passenger rode through whole), a passenger on board or every end depot no longer
    reachable in time (the triangle inequality: the direct trip is the shortest). A complete
    trip whose orders a known trip beats on bounds valid for all of them is not timed.

    The search runs compiled (`trip_kernel.py`, the Python version it replaced is
    `tests/transport/reference_trips.py`). It cannot look at the clock: it examines at most
    the beginnings `deadline` leaves time for (`BEGINNINGS_PER_SECOND`) and `budget[0]`'s
    labels allow (`BEGINNINGS_PER_LABEL` each), then gives up (None); `budget[0]` loses the
    labels of the beginnings examined.
    """
    from .trip_kernel import search  # numba: imported by the planner only, never by pages

    travel, late, service = tables.travel, tables.late, tables.service
    pickups, deliveries, limit = tables.pickups, tables.deliveries, tables.limit
    early = tables.early
    loads, room, guard = _packed(tables, capacity)
    if room >= 1 << 62:  # pragma: no cover - loads too large to pack in 64 bits
        return None
    requests = len(pickups)
    home = [max(late[end] - travel[node][end] for end in ends) for node in range(tables.size)]
    rides_left = [limit[deliveries[r]] - service[pickups[r]] for r in range(requests)]
    reach = np.full((tables.size, max(requests, 1)), -1, dtype=np.int64)
    counts = np.zeros(tables.size, dtype=np.int64)
    for node in range(tables.size):
        row = sorted(
            (
                request
                for request in range(requests)
                if pickups[request] != node
                and (
                    early[node] + service[node] + travel[node][pickups[request]]
                    <= late[pickups[request]] + EPS
                    or place[pickups[request]] == place[node]
                )
            ),
            key=lambda request: -late[pickups[request]],
        )
        reach[node, : len(row)] = row
        counts[node] = len(row)
    # Loading the compiled search (once per process, about a second) is not the search's time.
    loading = time.monotonic()
    load_trip_search()
    deadline += time.monotonic() - loading
    left = max(0.0, deadline - time.monotonic())
    allowed = min(budget[0] * BEGINNINGS_PER_LABEL, left * BEGINNINGS_PER_SECOND)
    ok, examined, seqs, served, values = search(
        np.asarray(travel, dtype=np.float64),
        np.asarray(tables.cost, dtype=np.float64),
        np.asarray(service, dtype=np.float64),
        np.asarray(early, dtype=np.float64),
        np.asarray(late, dtype=np.float64),
        np.asarray(limit, dtype=np.float64),
        np.asarray(tables.is_pickup, dtype=np.bool_),
        np.asarray(tables.partner, dtype=np.int64),
        np.asarray(tables.request, dtype=np.int64),
        np.asarray(place, dtype=np.int64),
        np.asarray(loads, dtype=np.int64),
        np.asarray(pickups, dtype=np.int64),
        np.asarray(deliveries, dtype=np.int64),
        np.asarray(home, dtype=np.float64),
        np.asarray(rides_left, dtype=np.float64),
        reach,
        counts,
        room,
        guard,
        int(min(allowed, 2**62)),
    )
    budget[0] -= -(-examined // BEGINNINGS_PER_LABEL)
    if not ok:
        return None
    return [
        Trip(
            tuple(int(node) for node in seq if node >= 0),
            int(mask),
            float(row[0]),
            float(row[1]),
            float(row[2]),
            float(row[3]),
        )
        for seq, mask, row in zip(seqs.tolist(), served.tolist(), values.tolist(), strict=True)
    ]


def load_trip_search() -> None:
    """Load the compiled trip search (importing numba), once per process."""
    from .trip_kernel import warm_up

    warm_up()


def _packed(tables: Tables, capacity) -> tuple[list[int], int, int]:
    """Loads and capacity packed in one integer, a field per dimension, so that a load fits
    when `(room - load) & guard == guard` (no field borrowed from its guard bit)."""
    dimensions = 1 if tables.single else len(capacity)
    capacities = (capacity,) if tables.single else capacity
    amounts = [[abs(a) for a in ((load,) if tables.single else load)] for load in tables.load]
    largest = max([*capacities, *(a for row in amounts for a in row), 1])
    width = largest.bit_length() + 2  # a capacity plus a load never reaches the guard bit
    guard = sum(1 << (width * d + width - 1) for d in range(dimensions))
    room = guard + sum(c << (width * d) for d, c in enumerate(capacities))
    loads = [sum(a << (width * d) for d, a in enumerate(row)) for row in amounts]
    return loads, room, guard
