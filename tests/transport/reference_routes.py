"""The insertion and timing loops in Python, as `maillage/transport/darp/routes.py` ran them
before they were compiled (`kernel.py`): the reference the kernel must match to the last bit.

Same method (`routes.py` describes it), same floating-point operations in the same order; the
route keeps its bounds in Python lists. `tests/transport/test_routes.py` compares both on random
routes, with tight shifts and ride limits.
"""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

from maillage.transport.darp.schedule import EPS, earliest_times
from maillage.transport.darp.tables import Tables, VehicleData


class Route:
    """The stops of one vehicle (depots included), its timetable bounds, loads and cost."""

    __slots__ = (
        "arc",
        "ceiling",
        "cost",
        "latest",
        "position",
        "room",
        "seq",
        "slack",
        "step",
        "times",
        "vehicle",
        "waited",
    )

    def __init__(self, vehicle: VehicleData, seq: list[int] | None = None) -> None:
        self.vehicle = vehicle
        self.seq = seq if seq is not None else [vehicle.start, vehicle.end]
        self.times: list[float] = []
        self.latest: list[float] = []
        self.room: list = []
        self.position: dict[int, int] = {}
        # waited[k]: total waiting at stops 1..k of the earliest timetable; slack[k]: how much
        # later the vehicle could leave its start depot without stops 0..k missing their windows
        # (Savelsbergh's forward time slack of the prefix).
        self.waited: list[float] = []
        self.slack: list[float] = []
        # step[k]: from the start of service at stop k to the arrival at stop k + 1; arc[k]: the
        # cost of that leg; ceiling[k] = latest[k] plus the rounding tolerance.
        self.step: list[float] = []
        self.arc: list[float] = []
        self.ceiling: list[float] = []
        self.cost = 0.0

    def copy(self) -> Route:
        clone = Route(self.vehicle, self.seq)  # sequences are replaced, never edited in place
        clone.times, clone.latest, clone.room, clone.position, clone.cost = (
            self.times,
            self.latest,
            self.room,
            self.position,
            self.cost,
        )
        clone.waited, clone.slack = self.waited, self.slack
        clone.step, clone.arc, clone.ceiling = self.step, self.arc, self.ceiling
        return clone

    @property
    def empty(self) -> bool:
        return len(self.seq) <= 2

    def refresh(self, tables: Tables) -> bool:
        """Recompute timetable bounds, room and cost; False if the route became infeasible."""
        seq = self.seq
        times = earliest_times(seq, tables, self.vehicle.max_duration)
        if times is None:
            return False
        travel, service, late, cost, load = (
            tables.travel,
            tables.service,
            tables.late,
            tables.cost,
            tables.load,
        )
        m = len(seq)
        latest = [0.0] * m
        step = [0.0] * m
        arc = [0.0] * m
        bound = late[seq[-1]]
        latest[-1] = bound
        for k in range(m - 2, -1, -1):
            node = seq[k]
            after = seq[k + 1]
            leg = step[k] = service[node] + travel[node][after]
            arc[k] = cost[node][after]
            bound -= leg
            if late[node] < bound:
                bound = late[node]
            latest[k] = bound
        capacity = self.vehicle.capacity
        single = tables.single
        on_board = load[seq[0]] if single else tuple(load[seq[0]])
        waited = [0.0] * m
        slack = [0.0] * m
        if single:
            room = [capacity - on_board] * m
        else:
            room = [tuple(c - a for c, a in zip(capacity, on_board, strict=True))] * m
        wait = 0.0
        least = late[seq[0]] - times[0]
        slack[0] = least
        for k in range(1, m):
            node = seq[k]
            wait += times[k] - times[k - 1] - step[k - 1]
            waited[k] = wait
            here = wait + late[node] - times[k]
            if here < least:
                least = here
            slack[k] = least
            if single:
                on_board += load[node]
                room[k] = capacity - on_board
            else:
                on_board = tuple(a + b for a, b in zip(on_board, load[node], strict=True))
                room[k] = tuple(c - a for c, a in zip(capacity, on_board, strict=True))
        self.times, self.latest, self.room = times, latest, room
        self.waited, self.slack = waited, slack
        self.step, self.arc = step, arc
        self.ceiling = [bound + EPS for bound in latest]
        self.position = dict(zip(seq, range(m), strict=True))
        self.cost = sum(arc)
        return True

    def requests(self, tables: Tables) -> list[int]:
        """Ids of the requests this route serves (by their pickups)."""
        return [tables.request[node] for node in self.seq if tables.is_pickup[node]]


def best_insertion(route: Route, request: int, tables: Tables) -> tuple[float, int, int] | None:
    """Cheapest feasible insertion (added cost, i, j) of `request` into `route`, or None.

    The pickup goes right after position i and the delivery right after position j of the
    current sequence (j == i: the delivery follows the pickup directly).
    """
    candidates = insertion_candidates(route, request, tables)
    if not candidates:
        return None
    candidates.sort()
    u = tables.pickups[request]
    w = tables.deliveries[request]
    seq = route.seq
    max_duration = route.vehicle.max_duration
    for delta, i, j in candidates:
        verdict = _quick_check(route, u, w, i, j, tables)
        if verdict is None:
            trial = [*seq[: i + 1], u, *seq[i + 1 : j + 1], w, *seq[j + 1 :]]
            verdict = earliest_times(trial, tables, max_duration) is not None
        if verdict:
            return delta, i, j
    return None


def _quick_check(route: Route, u: int, w: int, i: int, j: int, tables: Tables) -> bool | None:
    """Decide most insertions exactly without re-timing the whole route; None if unsure.

    The route's current earliest times are lower bounds for the new route's (inserting stops
    only delays the others), so the new earliest times follow by one forward pass from the
    pickup, which can stop as soon as the push dies out: the rest of the timetable is then
    unchanged. If every window holds and no passenger on the pushed stretch rides too long,
    the insertion is feasible; a window missed makes it infeasible. A ride too long could
    still be cured by picking someone up later, so that case goes to the full procedure.
    """
    travel, service, early, late = tables.travel, tables.service, tables.early, tables.late
    seq, times = route.seq, route.times
    first = times[i] + service[seq[i]] + travel[seq[i]][u]
    if first < early[u]:
        first = early[u]
    if first > late[u] + EPS:
        return False
    # The new passenger may wait less on board if picked up later: a few rounds of that push.
    for _ in range(3):
        verdict = _push(route, u, w, i, j, first, tables)
        if verdict is None or verdict is True or verdict is False:
            return verdict
        first = verdict
        if first > late[u] + EPS:
            return False
    return None


def _push(route: Route, u: int, w: int, i: int, j: int, t_u: float, tables: Tables):
    """One forward pass of `_quick_check` with the pickup starting at `t_u`.

    Returns True/False (decided), None (unsure) or a later start for the pickup to try.
    """
    travel, service, early, late = tables.travel, tables.service, tables.early, tables.late
    partner, is_pickup, limit = tables.partner, tables.is_pickup, tables.limit
    seq, times, latest, position = route.seq, route.times, route.latest, route.position
    max_duration = route.vehicle.max_duration
    step = route.step
    changed: dict[int, float] = {}
    t = t_u
    leg = service[u] + travel[u][seq[i + 1]]
    for k in range(i + 1, j + 1):
        node = seq[k]
        t += leg
        if t < times[k]:
            t = times[k]
        elif t > late[node] + EPS:
            return False
        changed[node] = t
        if not is_pickup[node]:
            pickup = partner[node]
            start = changed.get(pickup)
            if start is None:
                start = times[position[pickup]]
            if t - start > limit[node] + EPS:
                # Picking that passenger up later might cure it, but not beyond the latest
                # start the old route allowed (inserting stops never makes it later).
                return False if t - latest[position[pickup]] > limit[node] + EPS else None
        leg = step[k]
    t += tables.into[w][seq[j] if j > i else u]
    if t < early[w]:
        t = early[w]
    if t > late[w] + EPS:
        return False
    if t - t_u > limit[w] + EPS:
        return t - limit[w]
    last = len(seq) - 1
    leg = service[w] + travel[w][seq[j + 1]]
    for k in range(j + 1, last + 1):
        node = seq[k]
        t += leg
        if t <= times[k]:
            return True  # the push died out: the rest of the timetable is unchanged
        if t > late[node] + EPS:
            return False
        if k == last:
            if t - times[0] - service[seq[0]] > max_duration + EPS:
                return _shift_fits(route, u, w, i, j, t_u, tables)
            return True
        changed[node] = t
        if not is_pickup[node]:
            pickup = partner[node]
            start = changed.get(pickup)
            if start is None:
                start = times[position[pickup]]
            if t - start > limit[node] + EPS:
                # Picking that passenger up later might cure it, but not beyond the latest
                # start the old route allowed (inserting stops never makes it later).
                return False if t - latest[position[pickup]] > limit[node] + EPS else None
        leg = step[k]
    return True


def _shift_fits(route: Route, u: int, w: int, i: int, j: int, t_u: float, tables: Tables) -> bool:
    """Whether the route with (u, w) inserted, its other rules holding, fits the shift.

    The new earliest timetable (known feasible but for the shift) may start later: leaving
    the depot d later delays stop k by max(0, d - W_k), W_k the waiting before it, which keeps
    every ride time and is the least timetable leaving that late. So the shortest shift is the
    end minus the start minus min(forward slack, total waiting), computed in one pass.
    """
    travel, service, early, late = tables.travel, tables.service, tables.early, tables.late
    seq, times = route.seq, route.times
    wait, least = route.waited[i], route.slack[i]
    t = times[i]
    previous = seq[i]
    # The new stretch: the pickup, the stops up to j, the delivery, the rest; with the least
    # start of each before the shift is taken into account (floors: the old earliest times).
    stretch = [(u, t_u), *((seq[k], times[k]) for k in range(i + 1, j + 1)), (w, early[w])]
    stretch += [(seq[k], times[k]) for k in range(j + 1, len(seq))]
    for node, floor in stretch:
        arrival = t + service[previous] + travel[previous][node]
        t = arrival if arrival > floor else floor
        wait += t - arrival
        here = wait + late[node] - t
        if here < least:
            least = here
        previous = node
    shift = t - times[0] - service[seq[0]] - min(least, wait)
    return shift <= route.vehicle.max_duration + EPS


def insertion_candidates(
    route: Route, request: int, tables: Tables
) -> list[tuple[float, int, int]]:
    """Position pairs (added cost, i, j) that pass the O(1) necessary conditions."""
    u = tables.pickups[request]
    w = tables.deliveries[request]
    travel, cost, service, early, late = (
        tables.travel,
        tables.cost,
        tables.service,
        tables.early,
        tables.late,
    )
    seq, times, latest, room = route.seq, route.times, route.latest, route.room
    step, arc, ceiling = route.step, route.arc, route.ceiling
    single = tables.single
    q = tables.load[u]
    e_u, l_u, s_u = early[u], late[u], service[u]
    e_w, s_w = early[w], service[w]
    late_w = late[w] + EPS
    ride_bound = tables.limit[w] + EPS  # on B_w - B_u
    travel_u, travel_w, cost_u, cost_w = travel[u], travel[w], cost[u], cost[w]
    into_u, into_w, cost_to_u, cost_to_w = (
        tables.into[u],
        tables.into[w],
        *(
            tables.cost_to[u],
            tables.cost_to[w],
        ),
    )
    t_uw = travel_u[w]
    c_uw = cost_u[w]
    found: list[tuple[float, int, int]] = []
    last = len(seq) - 1
    # The stop after the pickup starts after e_u: skip the positions whose successor must
    # start before that (latest times increase along the route).
    for i in range(max(bisect_left(latest, e_u) - 1, 0), last):
        b_u = times[i] + into_u[seq[i]]
        if b_u > l_u + EPS:
            break  # the earliest times only grow along the route
        if b_u < e_u:
            b_u = e_u
        if single:
            if q > room[i]:
                continue
        elif any(x > y for x, y in zip(q, room[i], strict=True)):
            continue
        b = seq[i + 1]
        # Latest the pickup may start so that the stops after it keep their windows.
        latest_u = latest[i + 1] - s_u - travel_u[b]
        if latest_u > l_u:
            latest_u = l_u
        # The delivery must start by its window's end and within the ride limit of latest_u.
        cut = latest_u + ride_bound
        if cut > late_w:
            cut = late_w
        to_u = cost_to_u[seq[i]]
        # Delivery right after the pickup.
        b_w = b_u + s_u + t_uw
        if b_w < e_w:
            b_w = e_w
        if b_w <= cut and b_w + s_w + travel_w[b] <= ceiling[i + 1]:
            found.append((to_u + c_uw + cost_w[b] - arc[i], i, i))
        # Delivery further on: propagate the pickup's push along the route.
        t = b_u + s_u + travel_u[b]
        if t > ceiling[i + 1]:
            continue
        if t < times[i + 1]:
            t = times[i + 1]
        pickup_delta = to_u + cost_u[b] - arc[i]
        for j in range(i + 1, last):
            if single:
                if q > room[j]:
                    break
            elif any(x > y for x, y in zip(q, room[j], strict=True)):
                break
            c = seq[j]
            b_w = t + into_w[c]
            if b_w > cut:
                break
            if b_w < e_w:
                b_w = e_w
            d = seq[j + 1]
            if b_w + s_w + travel_w[d] <= ceiling[j + 1]:
                found.append((pickup_delta + cost_to_w[c] + cost_w[d] - arc[j], i, j))
            t += step[j]
            if t > ceiling[j + 1]:
                break
            if t < times[j + 1]:
                t = times[j + 1]
    return found


def removal_gains(seq: list[int], tables: Tables) -> list[tuple[float, int]]:
    """What taking each passenger out of the route saves, (gain, request) by pickup, as the
    worst removal of `alns.py` computed it before the kernel did."""
    cost = tables.cost
    gains: list[tuple[float, int]] = []
    position = {node: k for k, node in enumerate(seq)}
    for k, node in enumerate(seq):
        if not tables.is_pickup[node]:
            continue
        b = position[tables.partner[node]]
        p_prev, p_next = seq[k - 1], seq[k + 1]
        d_prev, d_next = seq[b - 1], seq[b + 1]
        w = seq[b]
        if b == k + 1:
            gain = cost[p_prev][node] + cost[node][w] + cost[w][d_next] - cost[p_prev][d_next]
        else:
            gain = (
                cost[p_prev][node]
                + cost[node][p_next]
                - cost[p_prev][p_next]
                + cost[d_prev][w]
                + cost[w][d_next]
                - cost[d_prev][d_next]
            )
        gains.append((gain, tables.request[node]))
    return gains


def shaw_choice(spatial, at_pickup, at_delivery, free, scale, first, seeds, ranks) -> list[int]:
    """Shaw removal's choice as `alns.py` made it with NumPy before the kernel did, the random
    draws given as the seed and rank of each step."""
    free = free.copy()
    chosen = [first]
    free[first] = False
    for seed_at, rank in zip(seeds, ranks, strict=True):
        seed = chosen[seed_at]
        related = spatial[seed] + scale * (
            np.abs(at_pickup - at_pickup[seed]) + np.abs(at_delivery - at_delivery[seed])
        )
        related[~free] = np.inf
        pick = int(np.argsort(related, kind="stable")[rank])
        chosen.append(pick)
        free[pick] = False
    return chosen


def repair(routes, pending, regret, amplitude, noise, shapes, tables) -> set[int]:
    """`kernel.repair` (`alns.Search._insert`) as the search's Python loop ran it, on routes
    of this module, edited in place: returns the requests left waiting. Each waiting request
    keeps its options (added cost, i, j) by route, in the order the routes were first asked;
    with `amplitude`, each option found gets the noise -amplitude + 2 amplitude u, max 0, u
    read in turn from `noise` (cyclically)."""
    cursor = 0

    def candidates() -> list[int]:
        chosen, seen = [], set()
        for index, route in enumerate(routes):
            if not route.empty:
                chosen.append(index)
            elif shapes[index] not in seen:
                seen.add(shapes[index])
                chosen.append(index)
        return chosen

    def evaluate(request: int, index: int) -> None:
        nonlocal cursor
        found = best_insertion(routes[index], request, tables)
        if found is None:
            options[request].pop(index, None)
            return
        delta, i, j = found
        if amplitude:
            delta = max(0.0, delta + (-amplitude + 2.0 * amplitude * noise[cursor % len(noise)]))
            cursor += 1
        options[request][index] = (delta, i, j)

    active = candidates()
    waiting = list(pending)
    options: dict[int, dict[int, tuple[float, int, int]]] = {request: {} for request in waiting}
    for request in waiting:
        for index in active:
            evaluate(request, index)
    while waiting:
        chosen, chosen_key = None, None
        for request in waiting:
            key, index = _rank(options[request], regret)
            if key is not None and (chosen_key is None or key > chosen_key):
                chosen_key, chosen = key, (request, index)
        if chosen is None:
            break
        request, index = chosen
        _, i, j = options[request][index]
        route = routes[index]
        was_empty = route.empty
        seq = route.seq
        route.seq = [
            *seq[: i + 1],
            tables.pickups[request],
            *seq[i + 1 : j + 1],
            tables.deliveries[request],
            *seq[j + 1 :],
        ]
        assert route.refresh(tables)
        waiting.remove(request)
        for other in waiting:
            if index in options[other]:
                evaluate(other, index)
        if was_empty:
            for extra in candidates():
                if extra not in active:
                    active.append(extra)
                    for other in waiting:
                        evaluate(other, extra)
    return set(waiting)


def _rank(found: dict[int, tuple[float, int, int]], regret: int):
    """Regret key (greatest first) and cheapest route of a request's options (k <= 3)."""
    if not found:
        return None, -1
    inf, big = math.inf, 1e6
    best_index = -1
    first = second = third = inf
    for option_index, option in found.items():
        delta = option[0]
        if delta < first:
            third, second, first, best_index = second, first, delta, option_index
        elif delta < second:
            third, second = second, delta
        elif delta < third:
            third = delta
    if regret <= 1:
        return (0.0, -first), best_index
    total = (second if second < inf else big) - first
    if regret >= 3:
        total += (third if third < inf else big) - first
    return (total, -first), best_index
