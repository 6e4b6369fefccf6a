"""Local descent on a plan: the moves that removing and re-inserting a few requests rarely makes.

Two neighbourhoods, after Braekers, Caris & Janssens (2014), each move applied only when it
lowers the total cost, until none does:

- **2-opt\\*** between two routes of vehicles of the same shape, cut where both vehicles are
  empty: the first route's beginning followed by the second's end, and the other way round.
  A whole run of trips changes vehicle at once, which the search would have to rebuild request
  by request. The cost change is read off four arcs; only cheaper pairs where each vehicle can
  reach the other's next stop in time are re-timed exactly.
- **Relocate**: one request taken out of its route and put at its best place in another
  route (`routes.insertions` of every request into every route, shared with the search's
  cache of insertions, then kept up to date for the two routes a move changes); the best
  move of all is applied first.

A route left infeasible by taking a request out (possible only without the triangle
inequality) is never produced: such a move is skipped.
"""

from __future__ import annotations

import numpy as np

from .routes import Route, insert, insertions
from .solution import Solution
from .tables import Tables

EPS = 1e-7
# The kernel's layouts (`kernel.py`; this module does not import numba).
ROOM = 1  # marks: the room left per dimension, after the pickup position column
CEILING, STEP = 2, 3  # state rows: latest start + tolerance, service and travel to the next
SERVICE, EARLY = 0, 1  # values rows: service time, start of the (tightened) window
UNKNOWN = -2  # an insertion not computed yet


def descend(
    tables: Tables, solution: Solution, shape: list[int], known: dict | None = None
) -> bool:
    """Improve `solution` in place by 2-opt* and relocate moves; True if it changed.

    `known`: the search's best insertions by route (`alns.Search`), read and completed.
    """
    changed = False
    while True:
        moved = _two_opt_star(tables, solution, shape)
        moved = _relocate(tables, solution, shape, known) or moved
        if not moved:
            return changed
        changed = True


def _empty_points(tables: Tables, route: Route) -> np.ndarray:
    """Positions k (before the end depot) after which the vehicle carries nobody."""
    capacity = tables.kernel().capacities[route.vehicle.index]
    room = route.marks[:-1, ROOM:]
    return np.flatnonzero((room == capacity).all(axis=1))


def _cuts(tables: Tables, route: Route) -> tuple[np.ndarray, ...]:
    """Where a route can be cut for 2-opt*: the positions after which it is empty, the stops
    there and next, a lower bound on when the vehicle can leave the first and the latest start
    the rest of the route allows at the next (rounding tolerance included)."""
    positions = _empty_points(tables, route)
    here, after = route.nodes[positions], route.nodes[positions + 1]
    values = tables.kernel().values
    # The earliest start at each stop with the windows and legs alone (a lower bound for any
    # route beginning with these stops): the route's own timetable may start later because
    # its shift binds, which another end would not ask for.
    reach = np.concatenate(([0.0], np.cumsum(route.state[STEP, :-1])))
    earliest = reach + np.maximum.accumulate(values[EARLY, route.nodes] - reach)
    leave = earliest[positions] + values[SERVICE, here]
    return positions, here, after, leave, route.state[CEILING, positions + 1]


def _two_opt_star(tables: Tables, solution: Solution, shape: list[int]) -> bool:
    """Apply every improving tail exchange found in one sweep over pairs of routes."""
    routes = solution.routes
    cuts = [_cuts(tables, route) for route in routes]
    moved = False
    for a in range(len(routes)):
        for b in range(a + 1, len(routes)):
            if shape[a] != shape[b] or (routes[a].empty and routes[b].empty):
                continue
            if _exchange_tails(tables, routes[a], routes[b], cuts[a], cuts[b]):
                cuts[a], cuts[b] = _cuts(tables, routes[a]), _cuts(tables, routes[b])
                moved = True
    return moved


def _exchange_tails(tables: Tables, first: Route, second: Route, one: tuple, two: tuple) -> bool:
    """The cheapest feasible exchange of tails between two routes, applied; True if any.

    A pair of cuts is re-timed exactly only if it saves cost and each vehicle, leaving its
    cut at the earliest, reaches the other route's next stop by the latest start there (the
    beginning's least timetable cannot get earlier by what follows it)."""
    travel, cost = tables.kernel().matrices
    ka, a_here, a_next, a_leave, a_latest = one
    kb, b_here, b_next, b_leave, b_latest = two
    delta = (
        cost[a_here[:, None], b_next[None, :]]
        + cost[b_here[None, :], a_next[:, None]]
        - cost[a_here, a_next][:, None]
        - cost[b_here, b_next][None, :]
    )
    late = (a_leave[:, None] + travel[a_here[:, None], b_next[None, :]] > b_latest[None, :]) | (
        b_leave[None, :] + travel[b_here[None, :], a_next[:, None]] > a_latest[:, None]
    )
    delta[late] = np.inf
    return _apply_first(
        tables,
        delta,
        (first, second),
        lambda i, j: (
            [*first.seq[: ka[i] + 1], *second.seq[kb[j] + 1 :]],
            [*second.seq[: kb[j] + 1], *first.seq[ka[i] + 1 :]],
        ),
    )


def _apply_first(tables: Tables, delta: np.ndarray, pair: tuple[Route, Route], build) -> bool:
    """Try the moves of `delta` (the cost change read off the arcs, by row and column) that
    look cheaper, cheapest first: `build(row, column)` gives both routes' new stops, which
    are re-timed exactly; the first feasible move that lowers the cost is applied."""
    one, two = pair
    flat = delta.ravel()
    for index in np.argsort(flat).tolist():
        if flat[index] >= -EPS:
            return False
        first_seq, second_seq = build(*divmod(index, delta.shape[1]))
        new_one, new_two = Route(one.vehicle, first_seq), Route(two.vehicle, second_seq)
        if (
            new_one.refresh(tables)
            and new_two.refresh(tables)
            and new_one.cost + new_two.cost < one.cost + two.cost - EPS
        ):
            _take(one, new_one)
            _take(two, new_two)
            return True
    return False


def _take(route: Route, other: Route) -> None:
    route.seq, route.nodes, route.state, route.marks, route.cost = (
        other.seq,
        other.nodes,
        other.state,
        other.marks,
        other.cost,
    )


def _relocate(tables: Tables, solution: Solution, shape: list[int], known: dict | None) -> bool:
    """Move single requests to their best place in another route while that saves cost."""
    arrays = tables.kernel()
    routes = solution.routes
    count = len(tables.pickups)
    where = np.full(count, -1, np.int64)
    gains = np.zeros(count)
    added = np.full((len(routes), count), np.inf)
    firsts = np.zeros((len(routes), count), np.int64)
    seconds = np.zeros((len(routes), count), np.int64)

    def survey(index: int) -> None:
        route = routes[index]
        where[where == index] = -1
        if not route.empty:
            saved, positions = arrays.removal_gains(
                route.nodes, route.marks, arrays.matrices, arrays.ints
            )
            served = [tables.request[route.seq[k]] for k in positions.tolist()]
            where[served] = index
            gains[served] = saved
        deltas, places = _insertions(tables, route, (shape[index], tuple(route.seq)), known)
        added[index] = np.where(places[0] >= 0, deltas, np.inf)
        firsts[index], seconds[index] = places

    for index in range(len(routes)):
        survey(index)
    moved = False
    refused: set[tuple[int, int]] = set()
    while True:
        served = where >= 0
        worth = np.where(served[None, :], gains[None, :] - added, -np.inf)
        worth[where[served], np.flatnonzero(served)] = -np.inf  # not into its own route
        for key in refused:
            worth[key] = -np.inf
        target, request = np.unravel_index(int(np.argmax(worth)), worth.shape)
        if worth[target, request] <= EPS:
            return moved
        source = int(where[request])
        route = routes[source]
        pickup, delivery = tables.pickups[request], tables.deliveries[request]
        smaller = Route(route.vehicle, [n for n in route.seq if n not in (pickup, delivery)])
        if not smaller.refresh(tables):  # travel times without the triangle inequality
            refused.add((int(target), int(request)))
            continue
        _take(route, smaller)
        i, j = int(firsts[target, request]), int(seconds[target, request])
        insert(routes[target], int(request), i, j, tables)
        survey(source)
        survey(int(target))
        refused.clear()
        moved = True


def _insertions(
    tables: Tables, route: Route, key: tuple, known: dict | None
) -> tuple[np.ndarray, np.ndarray]:
    """The best insertion of every request into `route`: (added costs, positions i and j),
    i = -1 where none fits (the requests it serves included), read from and added to the
    search's answers `known` (by vehicle shape and stops) when given."""
    count = len(tables.pickups)
    found = known.get(key) if known is not None else None
    if found is None:
        deltas = np.empty(count)
        places = np.full((2, count), UNKNOWN, np.int64)
    else:
        deltas, places = found
    missing = places[0] == UNKNOWN
    missing[[tables.request[node] for node in route.seq if tables.is_pickup[node]]] = False
    places[0, ~missing & (places[0] == UNKNOWN)] = -1
    todo = np.flatnonzero(missing)
    if len(todo):
        deltas[todo], places[0, todo], places[1, todo] = insertions(route, todo, tables)
    if known is not None:
        known[key] = (deltas, places)
    return deltas, places
