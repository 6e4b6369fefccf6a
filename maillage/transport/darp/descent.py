"""Local descent on a plan: the moves that removing and re-inserting a few requests rarely makes.

Two neighbourhoods, after Braekers, Caris & Janssens (2014), each move applied only when it
lowers the total cost, until none does:

- **2-opt\\*** between two routes of vehicles of the same shape, cut where both vehicles are
  empty: the first route's beginning followed by the second's end, and the other way round.
  A whole run of trips changes vehicle at once, which the search would have to rebuild request
  by request. The cost change is read off four arcs; only cheaper pairs are re-timed exactly.
- **Relocate**: one request taken out of its route and put at its best place in another
  route (`kernel.insertions` for every request into every route, then kept up to date for the
  two routes a move changes); the best move of all is applied first.

A route left infeasible by taking a request out (possible only without the triangle
inequality) is never produced: such a move is skipped.
"""

from __future__ import annotations

import numpy as np

from .routes import Route, insert
from .solution import Solution
from .tables import Tables

EPS = 1e-7
ROOM = 1  # kernel.ROOM: the room left per dimension, after the pickup position column
UNKNOWN = -2  # kernel.UNKNOWN: an insertion not computed yet


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


def _two_opt_star(tables: Tables, solution: Solution, shape: list[int]) -> bool:
    """Apply every improving tail exchange found in one sweep over pairs of routes."""
    cost = np.asarray(tables.kernel().matrices[1])
    routes = solution.routes
    moved = False
    for a in range(len(routes)):
        for b in range(a + 1, len(routes)):
            if shape[a] != shape[b]:
                continue
            first, second = routes[a], routes[b]
            if first.empty and second.empty:
                continue
            if _exchange_tails(tables, cost, first, second):
                moved = True
    return moved


def _exchange_tails(tables: Tables, cost: np.ndarray, first: Route, second: Route) -> bool:
    """The cheapest feasible exchange of tails between two routes, applied; True if any."""
    ka = _empty_points(tables, first)
    kb = _empty_points(tables, second)
    a_nodes, b_nodes = first.nodes, second.nodes
    a_here, a_next = a_nodes[ka], a_nodes[ka + 1]
    b_here, b_next = b_nodes[kb], b_nodes[kb + 1]
    delta = (
        cost[a_here[:, None], b_next[None, :]]
        + cost[b_here[None, :], a_next[:, None]]
        - cost[a_here, a_next][:, None]
        - cost[b_here, b_next][None, :]
    )
    order = np.argsort(delta, axis=None)
    flat = delta.ravel()
    for index in order.tolist():
        if flat[index] >= -EPS:
            return False
        i, j = divmod(index, delta.shape[1])
        x, y = int(ka[i]), int(kb[j])
        new_first = Route(first.vehicle, [*first.seq[: x + 1], *second.seq[y + 1 :]])
        new_second = Route(second.vehicle, [*second.seq[: y + 1], *first.seq[x + 1 :]])
        if (
            new_first.refresh(tables)
            and new_second.refresh(tables)
            and new_first.cost + new_second.cost < first.cost + second.cost - EPS
        ):
            _take(first, new_first)
            _take(second, new_second)
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
    arrays = tables.kernel()
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
        d, i, j = arrays.insertions(
            route.nodes,
            route.state,
            route.marks,
            todo,
            arrays.pickups,
            arrays.deliveries,
            route.duration,
            arrays.matrices,
            arrays.values,
            arrays.ints,
        )
        deltas[todo], places[0, todo], places[1, todo] = d, i, j
    if known is not None:
        known[key] = (deltas, places)
    return deltas, places
