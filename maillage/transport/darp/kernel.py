"""The search's hot loops, compiled with numba: a route's timetable bounds, and the cheapest
feasible insertion of a request into a route (screening, one-pass check, shift check, exact
re-timing). This is one of the two modules that import numba (with `trip_kernel.py`).

The method is the one `routes.py` describes; this module runs it on NumPy arrays, with the
same floating-point operations in the same order as the Python version it replaced (kept in
`tests/transport/reference_routes.py`), so every answer is the same to the last bit: the tests
compare both on random routes, tight shifts and ride limits included. No `fastmath`: it would
let LLVM reorder sums.

Compilation happens at the first call and is cached on disk (`cache=True`, in `__pycache__`
beside this file, or `NUMBA_CACHE_DIR`): 10 to 12 s of CPU once per change of this file
(`make setup` and `make suite` do it ahead), then about 0.4 s to load in a new process, plus
0.3 s to import numba (`warm_up`, called when `Arrays` are built: before the solver forks).

Layouts (one array per kind of value, so a call passes few arguments):
- per instance (`Arrays`): `matrices[0]` travel times, `matrices[1]` costs (n × n);
  `values` rows SERVICE, EARLY, LATE, LIMIT (n); `ints` columns PARTNER, IS_PICKUP, then the
  load per dimension (n × (2 + D));
- per route: `nodes` (m); `state` rows TIMES, LATEST, CEILING, STEP, ARC, WAITED, SLACK (m)
  as `routes.Route` describes them; `marks` columns PAIR (position of the pickup of the
  delivery there, -1 elsewhere) then the room left per dimension (m × (1 + D)).
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9

SERVICE, EARLY, LATE, LIMIT = 0, 1, 2, 3
PARTNER, IS_PICKUP, LOAD = 0, 1, 2
TIMES, LATEST, CEILING, STEP, ARC, WAITED, SLACK = 0, 1, 2, 3, 4, 5, 6
PAIR, ROOM = 0, 1

# An insertion not computed yet (the repair's known answers).
UNKNOWN = -2

# Verdicts of the one-pass check.
INFEASIBLE, FEASIBLE, UNSURE, RETRY = 0, 1, 2, 3


class Arrays:
    """An instance's tables as the kernel reads them (built once per `Tables`, at first use),
    with the kernel's entry points, `refresh`, `insertions`, `repair`, `removal_gains` and
    `shaw_choice` (so callers need not import this module before)."""

    __slots__ = (
        "capacities",
        "deliveries",
        "dimensions",
        "insertions",
        "ints",
        "matrices",
        "pickups",
        "refresh",
        "removal_gains",
        "repair",
        "shaw_choice",
        "values",
    )

    def __init__(self, tables) -> None:
        size = tables.size
        self.matrices = np.array([tables.travel, tables.cost], dtype=np.float64)
        self.values = np.array(
            [tables.service, tables.early, tables.late, tables.limit], dtype=np.float64
        )
        loads = [[load] if tables.single else list(load) for load in tables.load]
        self.dimensions = len(loads[0]) if loads else 1
        ints = np.zeros((size, 2 + self.dimensions), dtype=np.int64)
        ints[:, PARTNER] = tables.partner
        ints[:, IS_PICKUP] = tables.is_pickup
        if size:
            ints[:, LOAD:] = loads
        self.ints = ints
        self.capacities = [
            np.array([v.capacity] if tables.single else v.capacity, dtype=np.int64)
            for v in tables.vehicles
        ]
        self.pickups = np.array(tables.pickups, dtype=np.int64)
        self.deliveries = np.array(tables.deliveries, dtype=np.int64)
        self.insertions = insertions
        self.refresh = refresh
        self.removal_gains = removal_gains
        self.repair = repair
        self.shaw_choice = shaw_choice
        warm_up()  # compiled or loaded now, so that worker processes forked later share it


@njit(cache=True)
def earliest_times(nodes, matrices, values, ints, max_duration, times):
    """`schedule.earliest_times` of a whole route into `times`; False if infeasible."""
    travel = matrices[0]
    service, early, late, limit = values[SERVICE], values[EARLY], values[LATE], values[LIMIT]
    m = nodes.shape[0]
    where = np.full(travel.shape[0], -1, np.int64)
    ride_pickup = np.empty(m, np.int64)
    ride_delivery = np.empty(m, np.int64)
    ride_bound = np.empty(m, np.float64)
    rides = 0
    pickups = 0
    previous = nodes[0]
    current = early[previous]
    times[0] = current
    for k in range(1, m):
        node = nodes[k]
        arrival = current + service[previous] + travel[previous, node]
        current = arrival if arrival > early[node] else early[node]
        if current > late[node] + EPS:
            return False
        times[k] = current
        if ints[node, IS_PICKUP]:
            if where[node] < 0:
                pickups += 1
            where[node] = k
        elif ints[node, PARTNER] >= 0:
            pickup_position = where[ints[node, PARTNER]]
            if pickup_position < 0:
                return False  # delivery before its pickup, or pickup in another route
            ride_pickup[rides] = pickup_position
            ride_delivery[rides] = k
            ride_bound[rides] = limit[node]
            rides += 1
        previous = node
    if pickups != rides:
        return False  # a passenger picked up and never delivered
    duration_bound = max_duration + service[nodes[0]]
    for _ in range(m + 1):
        first = m
        pushed = -1
        for r in range(rides):
            pickup_position = ride_pickup[r]
            need = times[ride_delivery[r]] - ride_bound[r]
            if need > times[pickup_position] + EPS:
                times[pickup_position] = need
                if pickup_position < first:
                    first = pickup_position
                if pickup_position > pushed:
                    pushed = pickup_position
        need = times[m - 1] - duration_bound
        if need > times[0] + EPS:
            times[0] = need
            first = 0
            if pushed < 0:
                pushed = 0
        if first == m:
            return True
        previous = nodes[first]
        current = times[first]
        if current > late[previous] + EPS:
            return False
        for k in range(first + 1, m):
            node = nodes[k]
            arrival = current + service[previous] + travel[previous, node]
            current = times[k]
            if arrival > current:
                current = arrival
                times[k] = arrival
            elif k > pushed:
                break  # past the last pushed pickup, the push died out: nothing else moves
            if current > late[node] + EPS:
                return False
            previous = node
    return False


@njit(cache=True)
def refresh(nodes, matrices, values, ints, capacity, max_duration):
    """A route's (feasible, cost, state, marks); see the module's layouts and `Route`."""
    travel, cost = matrices[0], matrices[1]
    service, late = values[SERVICE], values[LATE]
    m = nodes.shape[0]
    dimensions = capacity.shape[0]
    state = np.zeros((7, m), np.float64)
    marks = np.empty((m, 1 + dimensions), np.int64)
    times = state[TIMES]
    if not earliest_times(nodes, matrices, values, ints, max_duration, times):
        return False, 0.0, state, marks
    latest, ceiling, step, arc = state[LATEST], state[CEILING], state[STEP], state[ARC]
    waited, slack = state[WAITED], state[SLACK]
    bound = late[nodes[m - 1]]
    latest[m - 1] = bound
    for k in range(m - 2, -1, -1):
        node = nodes[k]
        after = nodes[k + 1]
        leg = service[node] + travel[node, after]
        step[k] = leg
        arc[k] = cost[node, after]
        bound -= leg
        if late[node] < bound:
            bound = late[node]
        latest[k] = bound
    where = np.full(travel.shape[0], -1, np.int64)
    first = nodes[0]
    for d in range(dimensions):
        marks[0, ROOM + d] = capacity[d] - ints[first, LOAD + d]
    marks[0, PAIR] = -1
    where[first] = 0
    wait = 0.0
    least = late[first] - times[0]
    slack[0] = least
    for k in range(1, m):
        node = nodes[k]
        wait += times[k] - times[k - 1] - step[k - 1]
        waited[k] = wait
        here = wait + late[node] - times[k]
        if here < least:
            least = here
        slack[k] = least
        for d in range(dimensions):
            marks[k, ROOM + d] = marks[k - 1, ROOM + d] - ints[node, LOAD + d]
        where[node] = k
        partner = ints[node, PARTNER]
        marks[k, PAIR] = where[partner] if partner >= 0 and not ints[node, IS_PICKUP] else -1
    total = 0.0
    for k in range(m):
        ceiling[k] = latest[k] + EPS
        total += arc[k]
    return True, total, state, marks


@njit(cache=True)
def _fits(ints, node, marks, k):
    """Whether the load picked up at `node` fits the room left after position k."""
    for d in range(marks.shape[1] - 1):  # noqa: SIM110 (a loop, not all(), compiles to a loop)
        if ints[node, LOAD + d] > marks[k, ROOM + d]:
            return False
    return True


@njit(cache=True)
def candidates(nodes, state, marks, u, w, matrices, values, ints, deltas, firsts, seconds):
    """Position pairs that pass the O(1) necessary conditions, written to `deltas` (added
    costs), `firsts` (i's) and `seconds` (j's), of at least m (m + 1) / 2 + 1 places, in the
    order of i then j (`routes.py` describes the screening); returns their count."""
    travel, cost = matrices[0], matrices[1]
    service, early, late, limit = values[SERVICE], values[EARLY], values[LATE], values[LIMIT]
    times, latest, ceiling = state[TIMES], state[LATEST], state[CEILING]
    step, arc = state[STEP], state[ARC]
    m = nodes.shape[0]
    last = m - 1
    count = 0
    e_u, l_u, s_u = early[u], late[u], service[u]
    e_w, s_w = early[w], service[w]
    late_w = late[w] + EPS
    ride_bound = limit[w] + EPS
    t_uw = travel[u, w]
    c_uw = cost[u, w]
    begin = np.searchsorted(latest, e_u) - 1
    if begin < 0:
        begin = 0
    for i in range(begin, last):
        a = nodes[i]
        b_u = times[i] + (service[a] + travel[a, u])
        if b_u > l_u + EPS:
            break  # the earliest times only grow along the route
        if b_u < e_u:
            b_u = e_u
        if not _fits(ints, u, marks, i):
            continue
        b = nodes[i + 1]
        latest_u = latest[i + 1] - s_u - travel[u, b]
        if latest_u > l_u:
            latest_u = l_u
        cut = latest_u + ride_bound
        if cut > late_w:
            cut = late_w
        to_u = cost[a, u]
        b_w = b_u + s_u + t_uw
        if b_w < e_w:
            b_w = e_w
        if b_w <= cut and b_w + s_w + travel[w, b] <= ceiling[i + 1]:
            deltas[count] = to_u + c_uw + cost[w, b] - arc[i]
            firsts[count] = i
            seconds[count] = i
            count += 1
        t = b_u + s_u + travel[u, b]
        if t > ceiling[i + 1]:
            continue
        if t < times[i + 1]:
            t = times[i + 1]
        pickup_delta = to_u + cost[u, b] - arc[i]
        for j in range(i + 1, last):
            if not _fits(ints, u, marks, j):
                break
            c = nodes[j]
            b_w = t + (service[c] + travel[c, w])
            if b_w > cut:
                break
            if b_w < e_w:
                b_w = e_w
            d = nodes[j + 1]
            if b_w + s_w + travel[w, d] <= ceiling[j + 1]:
                deltas[count] = pickup_delta + cost[c, w] + cost[w, d] - arc[j]
                firsts[count] = i
                seconds[count] = j
                count += 1
            t += step[j]
            if t > ceiling[j + 1]:
                break
            if t < times[j + 1]:
                t = times[j + 1]
    return count


@njit(cache=True)
def _ride_verdict(t, start, late_start, bound):
    """A passenger on the pushed stretch rides too long: infeasible, or unsure if picking
    them up later (not beyond the latest start the old route allowed) might cure it."""
    if t - late_start > bound + EPS:
        return INFEASIBLE
    return UNSURE


@njit(cache=True)
def push(nodes, state, marks, u, w, i, j, t_u, max_duration, matrices, values, ints, moved):
    """One forward pass with the pickup starting at `t_u`: (verdict, later pickup start)."""
    travel = matrices[0]
    service, early, late, limit = values[SERVICE], values[EARLY], values[LATE], values[LIMIT]
    times, latest, step = state[TIMES], state[LATEST], state[STEP]
    t = t_u
    leg = service[u] + travel[u, nodes[i + 1]]
    for k in range(i + 1, j + 1):
        node = nodes[k]
        t += leg
        if t < times[k]:
            t = times[k]
        elif t > late[node] + EPS:
            return INFEASIBLE, 0.0
        moved[k] = t
        if not ints[node, IS_PICKUP]:
            p = marks[k, PAIR]
            start = moved[p] if p > i else times[p]
            if t - start > limit[node] + EPS:
                return _ride_verdict(t, start, latest[p], limit[node]), 0.0
        leg = step[k]
    before = nodes[j] if j > i else u
    t += service[before] + travel[before, w]
    if t < early[w]:
        t = early[w]
    if t > late[w] + EPS:
        return INFEASIBLE, 0.0
    if t - t_u > limit[w] + EPS:
        return RETRY, t - limit[w]
    last = nodes.shape[0] - 1
    leg = service[w] + travel[w, nodes[j + 1]]
    for k in range(j + 1, last + 1):
        node = nodes[k]
        t += leg
        if t <= times[k]:
            return FEASIBLE, 0.0  # the push died out: the rest of the timetable is unchanged
        if t > late[node] + EPS:
            return INFEASIBLE, 0.0
        if k == last:
            if t - times[0] - service[nodes[0]] > max_duration + EPS:
                if shift_fits(nodes, state, u, w, i, j, t_u, max_duration, matrices, values):
                    return FEASIBLE, 0.0
                return INFEASIBLE, 0.0
            return FEASIBLE, 0.0
        moved[k] = t
        if not ints[node, IS_PICKUP]:
            p = marks[k, PAIR]
            start = moved[p] if p > i else times[p]
            if t - start > limit[node] + EPS:
                return _ride_verdict(t, start, latest[p], limit[node]), 0.0
        leg = step[k]
    return FEASIBLE, 0.0


@njit(cache=True)
def _advance(t, wait, least, previous, node, floor, travel, service, late):
    arrival = t + service[previous] + travel[previous, node]
    t = arrival if arrival > floor else floor
    wait += t - arrival
    here = wait + late[node] - t
    if here < least:
        least = here
    return t, wait, least


@njit(cache=True)
def shift_fits(nodes, state, u, w, i, j, t_u, max_duration, matrices, values):
    """Whether the route with (u, w) inserted, its other rules holding, fits the shift
    (`routes.py`: the end minus the start minus min(forward slack, total waiting))."""
    travel = matrices[0]
    service, early, late = values[SERVICE], values[EARLY], values[LATE]
    times = state[TIMES]
    wait = state[WAITED][i]
    least = state[SLACK][i]
    t = times[i]
    previous = nodes[i]
    t, wait, least = _advance(t, wait, least, previous, u, t_u, travel, service, late)
    previous = u
    for k in range(i + 1, j + 1):
        node = nodes[k]
        t, wait, least = _advance(t, wait, least, previous, node, times[k], travel, service, late)
        previous = node
    t, wait, least = _advance(t, wait, least, previous, w, early[w], travel, service, late)
    previous = w
    for k in range(j + 1, nodes.shape[0]):
        node = nodes[k]
        t, wait, least = _advance(t, wait, least, previous, node, times[k], travel, service, late)
        previous = node
    shift = t - times[0] - service[nodes[0]] - min(least, wait)
    return shift <= max_duration + EPS


@njit(cache=True)
def quick_check(nodes, state, marks, u, w, i, j, max_duration, matrices, values, ints, moved):
    """Decide an insertion without re-timing the whole route: FEASIBLE, INFEASIBLE or UNSURE
    (`routes.py`: a few rounds of the one-pass check, the pickup later each round)."""
    travel = matrices[0]
    service, early, late = values[SERVICE], values[EARLY], values[LATE]
    a = nodes[i]
    first = state[TIMES][i] + service[a] + travel[a, u]
    if first < early[u]:
        first = early[u]
    if first > late[u] + EPS:
        return INFEASIBLE
    for _ in range(3):
        verdict, later = push(
            nodes, state, marks, u, w, i, j, first, max_duration, matrices, values, ints, moved
        )
        if verdict != RETRY:
            return verdict
        first = later
        if first > late[u] + EPS:
            return INFEASIBLE
    return UNSURE


@njit(cache=True)
def workspace(m):
    """Scratch arrays for `best_insertion` on routes of at most m stops."""
    size = m * (m + 1) // 2 + 1
    return (
        np.empty(size, np.float64),
        np.empty(size, np.int64),
        np.empty(size, np.int64),
        np.empty(m, np.float64),
        np.empty(m + 2, np.int64),
        np.empty(m + 2, np.float64),
    )


# The cheapest candidates are picked one by one (most insertions are decided by the first
# few); past this many, the rest are sorted.
PICKED = 8


@njit(cache=True)
def best_insertion(nodes, state, marks, u, w, max_duration, matrices, values, ints, work):
    """Cheapest feasible insertion of the request (u, w): (added cost, i, j), i = -1 if none.
    `work`: `workspace` of at least the route's size."""
    deltas, firsts, seconds, moved, trial, trial_times = work
    count = candidates(nodes, state, marks, u, w, matrices, values, ints, deltas, firsts, seconds)
    # In increasing cost, equal costs in the order of (i, j), as a stable sort (and sorting
    # (cost, i, j) tuples) gives: the first few by picking the least left (then marked +inf),
    # the rest by one stable sort, in which the picked ones come last.
    order = np.empty(0, np.int64)
    for rank in range(count):
        if rank < PICKED:
            index = 0
            for c in range(1, count):
                if deltas[c] < deltas[index]:
                    index = c
        else:
            if rank == PICKED:
                order = np.argsort(deltas[:count], kind="mergesort")
            index = order[rank - PICKED]
        delta = deltas[index]
        if rank < PICKED:
            deltas[index] = np.inf
        i, j = firsts[index], seconds[index]
        verdict = quick_check(
            nodes, state, marks, u, w, i, j, max_duration, matrices, values, ints, moved
        )
        if verdict == UNSURE:
            trial[: i + 1] = nodes[: i + 1]
            trial[i + 1] = u
            trial[i + 2 : j + 2] = nodes[i + 1 : j + 1]
            trial[j + 2] = w
            trial[j + 3 : nodes.shape[0] + 2] = nodes[j + 1 :]
            size = nodes.shape[0] + 2
            if earliest_times(
                trial[:size], matrices, values, ints, max_duration, trial_times[:size]
            ):
                verdict = FEASIBLE
        if verdict == FEASIBLE:
            return delta, i, j
    return 0.0, -1, -1


@njit(cache=True)
def insertions(
    nodes, state, marks, requests, pickups, deliveries, max_duration, matrices, values, ints
):
    """`best_insertion` of each of `requests` into one route: (added costs, i's, j's)."""
    count = requests.shape[0]
    deltas = np.empty(count, np.float64)
    firsts = np.empty(count, np.int64)
    seconds = np.empty(count, np.int64)
    work = workspace(nodes.shape[0])
    for r in range(count):
        request = requests[r]
        deltas[r], firsts[r], seconds[r] = best_insertion(
            nodes,
            state,
            marks,
            pickups[request],
            deliveries[request],
            max_duration,
            matrices,
            values,
            ints,
            work,
        )
    return deltas, firsts, seconds


@njit(cache=True)
def _evaluate(k, r, pending, built, known, durations, arrays, options, amplitude, noise, cursor):
    """The repair's option for request `pending[k]` in route r (`best_insertion`, read from or
    written to the answers `known` while the route is as given), with noise read at `cursor`
    if `amplitude`, stored in `options`; returns the next cursor."""
    pickups, deliveries, matrices, values, ints = arrays
    nodes_of, states, marks_of, ready, capacities, work = built
    changed, known_delta, known_positions = known
    delta, first, second = options
    request = pending[k]
    if not changed[r] and known_positions[r, 0, request] != UNKNOWN:
        d = known_delta[r, request]
        i, j = known_positions[r, 0, request], known_positions[r, 1, request]
    else:
        if not ready[r]:
            _, _, states[r], marks_of[r] = refresh(
                nodes_of[r], matrices, values, ints, capacities[r], durations[r]
            )
            ready[r] = True
        u, w, route = pickups[request], deliveries[request], (nodes_of[r], states[r], marks_of[r])
        d, i, j = best_insertion(*route, u, w, durations[r], matrices, values, ints, work)
        if not changed[r]:
            known_delta[r, request] = d
            known_positions[r, 0, request], known_positions[r, 1, request] = i, j
    if i >= 0 and amplitude > 0.0:
        d = max(0.0, d + (-amplitude + 2.0 * amplitude * noise[cursor % noise.shape[0]]))
        cursor += 1
    delta[k, r], first[k, r], second[k, r] = d, i, j
    return cursor


@njit(cache=True)
def _activate(lengths, shapes, active, count):
    """Append to `active[:count]` the candidate routes not in it yet, in the order of the
    routes: every non-empty route and the first empty one of each vehicle shape (empty routes
    of one shape are interchangeable). Returns the new count."""
    routes = lengths.shape[0]
    seen = np.zeros(routes, np.bool_)
    for r in range(routes):
        if lengths[r] <= 2:
            if seen[shapes[r]]:
                continue
            seen[shapes[r]] = True
        known = False
        for k in range(count):
            if active[k] == r:
                known = True
                break
        if not known:
            active[count] = r
            count += 1
    return count


@njit(cache=True)
def repair(
    padded,
    lengths,
    shapes,
    capacities,
    durations,
    pending,
    known_delta,
    known_positions,
    regret,
    amplitude,
    noise,
    pickups,
    deliveries,
    matrices,
    values,
    ints,
):
    """Insert the `pending` requests one at a time into the routes `padded[r, :lengths[r]]`
    (`alns.py`, `Search._insert`): each step inserts, at its cheapest place, the waiting
    request of greatest regret (the cost of its k best routes above its best, k = `regret`;
    1: the cheapest request), ties to the first in `pending`'s order; a route's options are
    computed once, then again for the requests that fitted a route after it changed (with the
    triangle inequality, one that did not fit does not fit with more stops). With `amplitude`,
    each option's cost gets noise, -amplitude + 2 amplitude u, max 0, u read in turn from
    `noise` (cyclically). `known_delta[r, q]`, `known_positions[r, :, q]`: the best insertion
    of request q into route r as given, if known (i = UNKNOWN otherwise): read, and completed
    with the answers computed. `padded` and `lengths` are updated; returns (changed routes,
    requests left waiting), as flags."""
    arrays = (pickups, deliveries, matrices, values, ints)
    routes = lengths.shape[0]
    count = pending.shape[0]
    nodes_of = []
    states = []
    marks_of = []
    no_state = np.empty((7, 0), np.float64)
    no_marks = np.empty((0, 1 + capacities.shape[1]), np.int64)
    for r in range(routes):
        nodes_of.append(padded[r, : lengths[r]].copy())
        states.append(no_state)
        marks_of.append(no_marks)
    ready = np.zeros(routes, np.bool_)
    delta = np.zeros((count, routes), np.float64)
    first = np.full((count, routes), -1, np.int64)
    second = np.zeros((count, routes), np.int64)
    waiting = np.ones(count, np.bool_)
    changed = np.zeros(routes, np.bool_)
    active = np.empty(routes, np.int64)
    size = _activate(lengths, shapes, active, 0)
    built = (nodes_of, states, marks_of, ready, capacities, workspace(lengths.max() + 2 * count))
    known = (changed, known_delta, known_positions)
    options = (delta, first, second)
    common = (pending, built, known, durations, arrays, options, amplitude, noise)
    cursor = 0
    for k in range(count):
        for a in range(size):
            r = active[a]
            cursor = _evaluate(k, r, *common, cursor)
    big = 1e6
    left = count
    while left > 0:
        chosen = -1
        chosen_route = -1
        key_total = 0.0
        key_cost = 0.0
        for k in range(count):
            if not waiting[k]:
                continue
            best_route = -1
            one = two = three = np.inf
            for a in range(size):
                r = active[a]
                if first[k, r] < 0:
                    continue
                d = delta[k, r]
                if d < one:
                    three, two, one, best_route = two, one, d, r
                elif d < two:
                    three, two = two, d
                elif d < three:
                    three = d
            if best_route < 0:
                continue
            total = 0.0
            if regret >= 2:
                total = (two if two < np.inf else big) - one
                if regret >= 3:
                    total += (three if three < np.inf else big) - one
            if chosen < 0 or total > key_total or (total == key_total and -one > key_cost):
                chosen, chosen_route, key_total, key_cost = k, best_route, total, -one
        if chosen < 0:
            break
        r = chosen_route
        i, j = first[chosen, r], second[chosen, r]
        request = pending[chosen]
        old = nodes_of[r]
        m = old.shape[0]
        nodes = np.empty(m + 2, np.int64)
        nodes[: i + 1] = old[: i + 1]
        nodes[i + 1] = pickups[request]
        nodes[i + 2 : j + 2] = old[i + 1 : j + 1]
        nodes[j + 2] = deliveries[request]
        nodes[j + 3 :] = old[j + 1 :]
        _, _, state, marks = refresh(nodes, matrices, values, ints, capacities[r], durations[r])
        was_empty = lengths[r] <= 2
        nodes_of[r], states[r], marks_of[r] = nodes, state, marks
        ready[r] = True
        padded[r, : m + 2] = nodes
        lengths[r] = m + 2
        changed[r] = True
        waiting[chosen] = False
        left -= 1
        for k in range(count):
            if waiting[k] and first[k, r] >= 0:
                cursor = _evaluate(k, r, *common, cursor)
        if was_empty:
            before = size
            size = _activate(lengths, shapes, active, size)
            for a in range(before, size):
                extra = active[a]
                for k in range(count):
                    if not waiting[k]:
                        continue
                    cursor = _evaluate(k, extra, *common, cursor)
    return changed, waiting


@njit(cache=True)
def removal_gains(nodes, marks, matrices, ints):
    """What taking each passenger out of the route saves (worst removal): (gains, pickup
    positions), in the order of the pickups along the route."""
    cost = matrices[1]
    m = nodes.shape[0]
    delivered_at = np.full(m, -1, np.int64)
    for k in range(m):
        if marks[k, PAIR] >= 0:
            delivered_at[marks[k, PAIR]] = k
    gains = np.empty(m, np.float64)
    positions = np.empty(m, np.int64)
    count = 0
    for k in range(m):
        node = nodes[k]
        if not ints[node, IS_PICKUP]:
            continue
        b = delivered_at[k]
        p_prev, p_next = nodes[k - 1], nodes[k + 1]
        d_prev, d_next = nodes[b - 1], nodes[b + 1]
        w = nodes[b]
        if b == k + 1:
            gain = cost[p_prev, node] + cost[node, w] + cost[w, d_next] - cost[p_prev, d_next]
        else:
            gain = (
                cost[p_prev, node]
                + cost[node, p_next]
                - cost[p_prev, p_next]
                + cost[d_prev, w]
                + cost[w, d_next]
                - cost[d_prev, d_next]
            )
        gains[count] = gain
        positions[count] = k
        count += 1
    return gains[:count], positions[:count]


@njit(cache=True)
def shaw_choice(spatial, at_pickup, at_delivery, free, scale, first, seeds, ranks):
    """Shaw removal's requests: `first`, then for each step the request of rank `ranks[t]`
    (stable order) by relatedness to the chosen request `seeds[t]` among the free ones:
    distance in space plus `scale` times the gaps between pickup and between delivery times.
    `free` is updated."""
    steps = ranks.shape[0]
    chosen = np.empty(steps + 1, np.int64)
    chosen[0] = first
    free[first] = False
    n = spatial.shape[0]
    related = np.empty(n, np.float64)
    for t in range(steps):
        seed = chosen[seeds[t]]
        for x in range(n):
            if free[x]:
                related[x] = spatial[seed, x] + scale * (
                    abs(at_pickup[x] - at_pickup[seed]) + abs(at_delivery[x] - at_delivery[seed])
                )
            else:
                related[x] = np.inf
        pick = np.argsort(related, kind="mergesort")[ranks[t]]
        chosen[t + 1] = pick
        free[pick] = False
    return chosen


def warm_up() -> None:
    """Compile (or load from the cache) every kernel on a tiny route, e.g. before forking."""
    # Depot 0, request (1, 2), depot 3, on a line; one load dimension.
    travel = [[abs(a - b) for b in range(4)] for a in range(4)]
    matrices = np.array([travel, travel], dtype=np.float64)
    values = np.array([[0.0] * 4, [0.0] * 4, [100.0] * 4, [0.0, 0.0, 50.0, 0.0]])
    ints = np.array([[-1, 0, 0], [2, 1, 1], [1, 0, -1], [-1, 0, 0]], dtype=np.int64)
    nodes = np.array([0, 3], dtype=np.int64)
    capacity = np.array([1], dtype=np.int64)
    _, _, state, marks = refresh(nodes, matrices, values, ints, capacity, 100.0)
    requests = np.array([0], dtype=np.int64)
    pair = np.array([1], dtype=np.int64), np.array([2], dtype=np.int64)
    insertions(nodes, state, marks, requests, *pair, 100.0, matrices, values, ints)
    removal_gains(nodes, marks, matrices, ints)
    fleet = np.zeros(1, np.int64), capacity.reshape(1, 1), np.array([100.0])
    for amplitude in (0.0, 1.0):
        padded = np.array([[0, 3, 0, 0]], np.int64)
        lengths = np.array([2], np.int64)
        known = np.zeros((1, 1)), np.full((1, 2, 1), UNKNOWN, np.int64)
        options = 2, amplitude, np.ones(1), *pair, matrices, values, ints
        repair(padded, lengths, *fleet, requests, *known, *options)
    times = np.zeros(2)
    shaw_choice(np.zeros((2, 2)), times, times, np.ones(2, np.bool_), 1.0, 0, requests, requests)
