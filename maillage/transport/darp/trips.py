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

import itertools
import math
import time
from dataclasses import dataclass

from .schedule import EPS
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
    exactly (`_trip`). Meanwhile a beginning is abandoned when a bound valid for every order of
    its batches breaks a rule: a window (each stop as if first in its batch, a batch left no
    earlier than its start plus every service in it), a ride time (the travel and the batches
    a passenger rode through whole), a passenger on board or every end depot no longer
    reachable in time (the triangle inequality: the direct trip is the shortest). `budget[0]`
    counts the beginnings left before giving up (None), as does `deadline` (time.monotonic()).
    """
    travel, service, late, cost = tables.travel, tables.service, tables.late, tables.cost
    pickups, deliveries = tables.pickups, tables.deliveries
    early, is_pickup, limit = tables.early, tables.is_pickup, tables.limit
    load, room, guard = _packed(tables, capacity)
    # The latest a stop can be left for the vehicle to reach one of `ends` in time.
    home = [max(late[end] - travel[node][end] for end in ends) for node in range(tables.size)]
    requests = len(pickups)
    # The longest each passenger may ride from the end of their pickup to their drop-off.
    rides_left = [limit[deliveries[r]] - service[pickups[r]] for r in range(requests)]
    best: dict[tuple[int, int, int], list[Trip]] = {}
    # The pickups that can follow each stop at all (windows only; at the same place, they may
    # join its batch and come first), latest closing first.
    reach = [
        sorted(
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
        for node in range(tables.size)
    ]
    for first in range(requests):
        node = pickups[first]
        if (room - load[node]) & guard != guard or early[node] > late[node] + EPS:
            continue
        # Batch: (arrival at its place, least window opening, services and moves inside it,
        # latest window opening plus service): it is left no earlier than
        # max(max(arrival, opening) + inside, latest opening + service).
        batch = (-math.inf, early[node], service[node], early[node] + service[node], 1)
        # `rides`: per passenger on board, a lower bound on the time since the end of their
        # pickup (travel between batches, services of the batches they rode through whole).
        stack = [((node,), batch, 1 << first, (first,), (0.0,), load[node], 0.0)]
        while stack:
            seq, batch, served, riders, rides, carried, spent = stack.pop()
            budget[0] -= 1
            if budget[0] < 0 or (budget[0] % 2048 == 0 and time.monotonic() > deadline):
                return None
            last = seq[-1]
            if not riders:
                known = best.setdefault((served, place[seq[0]], place[last]), [])
                if not known or not _beaten(known, seq, spent, batch, tables, place):
                    for trip in _orders(seq, served, spent, tables, place):
                        _keep(known, trip)
                continue
            arrived, opening, inside, closing, fresh = batch
            leave = max(max(arrived, opening) + inside, closing)
            last_kind, last_place = is_pickup[last], place[last]
            waiting = []
            # A pickup joining this batch may start as soon as the batch does.
            soonest = arrived if last_kind else leave
            for request in reach[last]:
                if late[pickups[request]] < soonest - EPS:
                    break
                if not served >> request & 1:
                    waiting.append(request)
            on_board = len(riders)
            # Passengers who rode through the whole batch (not boarded in it) count its time.
            boarded = fresh if last_kind else 0
            after = tuple(
                ride + inside if index < on_board - boarded else ride
                for index, ride in enumerate(rides)
            )
            for index, request in enumerate((*riders, *waiting)):
                if index < on_board:
                    node = deliveries[request]
                    next_served, next_riders = served, riders[:index] + riders[index + 1 :]
                    next_carried = carried - load[pickups[request]]
                else:
                    node = pickups[request]
                    next_carried = carried + load[node]
                    if (room - next_carried) & guard != guard:
                        continue
                    next_served, next_riders = served | 1 << request, (*riders, request)
                step = travel[last][node]
                if place[node] == last_place and is_pickup[node] == last_kind:
                    if request < tables.request[last]:
                        continue  # a batch is searched in request order
                    if max(arrived, early[node]) > late[node] + EPS:
                        continue
                    next_batch = (
                        arrived,
                        min(opening, early[node]),
                        inside + step + service[node],
                        max(closing, early[node] + service[node]),
                        fresh + 1,
                    )
                    next_rides = rides
                else:
                    arrival = leave + step
                    if max(arrival, early[node]) > late[node] + EPS:
                        continue
                    next_batch = (
                        arrival,
                        early[node],
                        service[node],
                        early[node] + service[node],
                        1,
                    )
                    next_rides = tuple(ride + step for ride in after)
                if index < on_board:
                    if next_rides[index] > rides_left[request] + EPS:
                        continue
                    next_rides = next_rides[:index] + next_rides[index + 1 :]
                else:
                    next_rides = (*next_rides, 0.0)
                out = max(max(next_batch[0], next_batch[1]) + next_batch[2], next_batch[3])
                if out > home[node] + EPS:
                    continue
                # A passenger leaving at this drop-off's place may still leave before it, in
                # the same batch: only the others must be reachable after the batch.
                # And no passenger's ride can fit if the drive to their drop-off alone (the
                # shortest way, by the triangle inequality) takes too long.
                if any(
                    (
                        out + travel[node][deliveries[other]] > late[deliveries[other]] + EPS
                        and (index >= on_board or place[deliveries[other]] != place[node])
                    )
                    or ride + travel[node][deliveries[other]] > rides_left[other] + EPS
                    for other, ride in zip(next_riders, next_rides, strict=True)
                ):
                    continue
                stack.append(
                    (
                        (*seq, node),
                        next_batch,
                        next_served,
                        next_riders,
                        next_rides,
                        next_carried,
                        spent + cost[last][node],
                    )
                )
    return [trip for trips in best.values() for trip in trips]


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


def _beaten(known: list[Trip], seq, spent: float, batch, tables: Tables, place) -> bool:
    """Whether a trip of `known` dominates every order of `seq`'s batches, before timing
    them: all have its cost, leave no earlier than the search's bound (`batch`), take at
    least its services and drives (`span`), and reach each stop at least the services and
    drives before its batch after their arrival (`latest`)."""
    arrived, opening, inside, closing, _ = batch
    ready = max(max(arrived, opening) + inside, closing)
    travel, service, late, is_pickup = tables.travel, tables.service, tables.late, tables.is_pickup
    elapsed = before_run = 0.0
    latest = late[seq[0]]
    for previous, node in itertools.pairwise(seq):
        elapsed += service[previous] + travel[previous][node]
        if place[node] != place[previous] or is_pickup[node] != is_pickup[previous]:
            before_run = elapsed
        if late[node] - before_run < latest:
            latest = late[node] - before_run
    span = elapsed + service[seq[-1]]
    return any(
        trip.cost <= spent + EPS
        and trip.ready <= ready + EPS
        and trip.span <= span + EPS
        and trip.latest >= latest - EPS
        for trip in known
    )


def _orders(seq, served, spent, tables: Tables, place: list[int]):
    """The feasible trips made of `seq` with each batch in any order."""
    runs: list[list[int]] = []
    for node in seq:
        if (
            runs
            and place[node] == place[runs[-1][-1]]
            and tables.is_pickup[node] == tables.is_pickup[runs[-1][-1]]
        ):
            runs[-1].append(node)
        else:
            runs.append([node])
    for orders in itertools.product(*(itertools.permutations(run) for run in runs)):
        trip = _trip(tuple(node for run in orders for node in run), served, spent, tables)
        if trip is not None:
            yield trip


def _trip(seq: tuple[int, ...], served: int, spent: float, tables: Tables) -> Trip | None:
    """The trip's summary (see the module's docstring), or None if it is infeasible."""
    travel, service, late, limit = tables.travel, tables.service, tables.late, tables.limit
    m = len(seq)
    steps = [service[seq[k - 1]] + travel[seq[k - 1]][seq[k]] for k in range(1, m)]
    position = {node: k for k, node in enumerate(seq)}
    rides = [
        (k, position[tables.partner[node]], limit[node])
        for k, node in enumerate(seq)
        if not tables.is_pickup[node]
    ]
    # C_k: the least timetable with the windows alone; D_k: longest path from the arrival.
    ready = _longest([tables.early[node] for node in seq], steps, rides, seq, late)
    if ready is None:
        return None
    span = _longest([0.0] + [-math.inf] * (m - 1), steps, rides, seq, None)
    if span is None:  # pragma: no cover - a positive cycle, but the timetable exists
        return None
    tail = service[seq[-1]]
    return Trip(
        seq=seq,
        requests=served,
        cost=spent,
        ready=ready[-1] + tail,
        span=span[-1] + tail,
        latest=min(late[node] - span[k] for k, node in enumerate(seq)),
    )


def _longest(values: list[float], steps, rides, seq, late) -> list[float] | None:
    """Least solution of the trip's timing rules from `values` (longest paths); None if it
    breaks a window's closing (`late`, if given) or the rules have a positive cycle."""
    m = len(values)
    for _ in range(m + 1):
        for k in range(1, m):
            value = values[k - 1] + steps[k - 1]
            if value > values[k]:
                values[k] = value
        if late is not None and any(values[k] > late[node] + EPS for k, node in enumerate(seq)):
            return None
        changed = False
        for delivery_position, pickup_position, bound in rides:
            value = values[delivery_position] - bound
            if value > values[pickup_position] + EPS:
                values[pickup_position] = value
                changed = True
        if not changed:
            return values
    return None


def _keep(trips: list[Trip], trip: Trip) -> None:
    """Add `trip` to a Pareto set unless one there dominates it; drop those it dominates."""
    if any(known.dominates(trip) for known in trips):
        return
    trips[:] = [known for known in trips if not trip.dominates(known)]
    trips.append(trip)
