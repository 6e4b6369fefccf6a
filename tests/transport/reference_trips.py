"""The trip search of `maillage.transport.darp.trips` in Python, as it was before it was
compiled (`trip_kernel.py`): the oracle the tests compare the compiled search with."""

from __future__ import annotations

import itertools
import math
import time

from maillage.transport.darp.schedule import EPS
from maillage.transport.darp.tables import Tables
from maillage.transport.darp.trips import Trip, _packed


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
