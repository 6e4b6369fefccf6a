"""The trip search of `trips.enumerate_trips`, compiled with numba.

The same depth-first search, the same bounds, the same timing of every order of a complete
trip's batches and the same Pareto sets as the Python version it replaced (kept in
`tests/transport/reference_trips.py`), in the same order and with the same floating-point
operations: the tests compare both on random days. No `fastmath`.

A call cannot look at the clock: the caller gives it a number of beginnings (`limit`) and it
gives up (`None`) past them. Compiled like `kernel.py`: cached on disk, compiled ahead by
`make setup` (`warm_up`), loaded in about a tenth of a second.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .schedule import EPS

# Columns of a beginning's batch (floats): arrival at its place, least window opening,
# services and moves inside it, latest window opening plus service.
ARRIVED, OPENING, INSIDE, CLOSING = 0, 1, 2, 3
NEG = -np.inf


@njit(cache=True)
def _grow2(array, rows):
    grown = np.empty((rows, array.shape[1]), dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


@njit(cache=True)
def _grow1(array, rows):
    grown = np.empty(rows, dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


@njit(cache=True)
def _longest(values, steps, ride_at, ride_from, ride_bound, rides, seq, late, check):
    """Least solution of the trip's timing rules from `values`, in place; False if it breaks
    a window's closing (when `check`) or the rules have a positive cycle."""
    m = values.shape[0]
    for _ in range(m + 1):
        for k in range(1, m):
            value = values[k - 1] + steps[k - 1]
            if value > values[k]:
                values[k] = value
        if check:
            for k in range(m):
                if values[k] > late[seq[k]] + EPS:
                    return False
        changed = False
        for r in range(rides):
            value = values[ride_at[r]] - ride_bound[r]
            if value > values[ride_from[r]] + EPS:
                values[ride_from[r]] = value
                changed = True
        if not changed:
            return True
    return False


@njit(cache=True)
def _time(seq, travel, service, early, late, limit, is_pickup, partner, out, scratch, ints):
    """The trip's (ready, span, latest) in `out`; False if infeasible (`trips._trip`);
    `scratch` and `ints` are room for its work (4 and 2 rows of at least its length)."""
    m = seq.shape[0]
    steps = scratch[0, : max(m - 1, 0)]
    for k in range(1, m):
        steps[k - 1] = service[seq[k - 1]] + travel[seq[k - 1], seq[k]]
    ride_at = ints[0, :m]
    ride_from = ints[1, :m]
    ride_bound = scratch[1, :m]
    rides = 0
    for k in range(m):
        node = seq[k]
        if not is_pickup[node]:
            ride_at[rides] = k
            for j in range(m):
                if seq[j] == partner[node]:
                    ride_from[rides] = j
            ride_bound[rides] = limit[node]
            rides += 1
    ready = scratch[2, :m]
    for k in range(m):
        ready[k] = early[seq[k]]
    if not _longest(ready, steps, ride_at, ride_from, ride_bound, rides, seq, late, True):
        return False
    span = scratch[3, :m]
    span[:] = NEG
    span[0] = 0.0
    if not _longest(span, steps, ride_at, ride_from, ride_bound, rides, seq, late, False):
        return False  # pragma: no cover - a positive cycle, but the timetable exists
    tail = service[seq[m - 1]]
    latest = np.inf
    for k in range(m):
        value = late[seq[k]] - span[k]
        if value < latest:
            latest = value
    out[0] = ready[m - 1] + tail
    out[1] = span[m - 1] + tail
    out[2] = latest
    return True


@njit(cache=True)
def search(
    travel,
    cost,
    service,
    early,
    late,
    limit,
    is_pickup,
    partner,
    request_of,
    place,
    load,
    pickups,
    deliveries,
    home,
    rides_left,
    reach,
    reach_count,
    room,
    guard,
    budget,
):
    """`trips.enumerate_trips` on arrays: (ok, beginnings examined, then per trip found its
    stops (padded with -1), requests, cost, ready, span, latest)."""
    requests = pickups.shape[0]
    width = 2 * requests
    # Beginnings: stops, batch, served, riders on board (in boarding order), their rides.
    # Each beginning popped leaves at most one child per request, and a trip has at most
    # two stops per request: the stack never holds more.
    cap = (2 * requests + 1) * max(requests, 1) + 1
    s_seq = np.empty((cap, width), np.int64)
    s_len = np.empty(cap, np.int64)
    s_batch = np.empty((cap, 4))
    s_fresh = np.empty(cap, np.int64)
    s_served = np.empty(cap, np.int64)
    s_riders = np.empty((cap, requests), np.int64)
    s_on = np.empty(cap, np.int64)
    s_rides = np.empty((cap, requests))
    s_carried = np.empty(cap, np.int64)
    s_spent = np.empty(cap)
    # Trips kept (and dropped: `alive`), linked per key in the order they were kept.
    t_cap = 256
    t_seq = np.empty((t_cap, width), np.int64)
    t_len = np.empty(t_cap, np.int64)
    t_served = np.empty(t_cap, np.int64)
    t_values = np.empty((t_cap, 4))  # cost, ready, span, latest
    t_next = np.empty(t_cap, np.int64)
    trips = 0
    groups = {}
    heads = np.empty(64, np.int64)
    tails = np.empty(64, np.int64)
    group_count = 0
    examined = 0
    waiting = np.empty(requests, np.int64)
    timed = np.empty(3)
    runs = np.empty(width + 1, np.int64)
    order = np.empty(width, np.int64)
    seq_buf = np.empty(width, np.int64)
    trial_buf = np.empty(width, np.int64)
    riders_buf = np.empty(requests, np.int64)
    rides_buf = np.empty(requests)
    after_buf = np.empty(requests)
    scratch = np.empty((4, width))
    ints = np.empty((2, width), np.int64)
    for first in range(requests):
        node = pickups[first]
        if ((room - load[node]) & guard) != guard or early[node] > late[node] + EPS:
            continue
        sp = 0
        s_seq[0, 0] = node
        s_len[0] = 1
        s_batch[0, ARRIVED] = NEG
        s_batch[0, OPENING] = early[node]
        s_batch[0, INSIDE] = service[node]
        s_batch[0, CLOSING] = early[node] + service[node]
        s_fresh[0] = 1
        s_served[0] = 1 << first
        s_riders[0, 0] = first
        s_on[0] = 1
        s_rides[0, 0] = 0.0
        s_carried[0] = load[node]
        s_spent[0] = 0.0
        sp = 1
        while sp > 0:
            sp -= 1
            examined += 1
            if examined > budget:
                return False, examined, t_seq[:0], t_served[:0], t_values[:0]
            length = s_len[sp]
            for k in range(length):
                seq_buf[k] = s_seq[sp, k]
            arrived = s_batch[sp, ARRIVED]
            opening = s_batch[sp, OPENING]
            inside = s_batch[sp, INSIDE]
            closing = s_batch[sp, CLOSING]
            served = s_served[sp]
            on_board = s_on[sp]
            spent = s_spent[sp]
            last = seq_buf[length - 1]
            if on_board == 0:
                seq = seq_buf[:length]
                key = (served, place[seq[0]], place[last])
                if key in groups:
                    group = groups[key]
                else:
                    group = group_count
                    groups[key] = group
                    if group == heads.shape[0]:
                        heads = _grow1(heads, 2 * group)
                        tails = _grow1(tails, 2 * group)
                    heads[group] = -1
                    tails[group] = -1
                    group_count += 1
                if heads[group] >= 0 and _beaten(
                    t_values,
                    t_next,
                    heads[group],
                    seq,
                    spent,
                    arrived,
                    opening,
                    inside,
                    closing,
                    travel,
                    service,
                    late,
                    is_pickup,
                    place,
                ):
                    continue
                # Every order of every batch (`trips._orders`): runs of stops at one place
                # and of one kind, each permuted in lexicographic order, the last fastest.
                count = 0
                runs[0] = 0
                for k in range(1, length):
                    if (
                        place[seq[k]] != place[seq[k - 1]]
                        or is_pickup[seq[k]] != is_pickup[seq[k - 1]]
                    ):
                        count += 1
                        runs[count] = k
                count += 1
                runs[count] = length
                for k in range(length):
                    order[k] = k
                while True:
                    trial = trial_buf[:length]
                    for k in range(length):
                        trial[k] = seq[order[k]]
                    if _time(
                        trial,
                        travel,
                        service,
                        early,
                        late,
                        limit,
                        is_pickup,
                        partner,
                        timed,
                        scratch,
                        ints,
                    ):
                        if trips == t_cap:
                            t_cap *= 2
                            t_seq = _grow2(t_seq, t_cap)
                            t_len = _grow1(t_len, t_cap)
                            t_served = _grow1(t_served, t_cap)
                            t_values = _grow2(t_values, t_cap)
                            t_next = _grow1(t_next, t_cap)
                        t_seq[trips] = -1
                        t_seq[trips, :length] = trial
                        t_len[trips] = length
                        t_served[trips] = served
                        t_values[trips, 0] = spent
                        t_values[trips, 1] = timed[0]
                        t_values[trips, 2] = timed[1]
                        t_values[trips, 3] = timed[2]
                        t_next[trips] = -1
                        if _keep(t_values, t_next, heads, tails, group, trips):
                            trips += 1
                    # The next order: the last run with a next permutation advances, the runs
                    # after it start again from their first order.
                    run = count - 1
                    while run >= 0 and not _next_permutation(order, runs[run], runs[run + 1]):
                        run -= 1
                    if run < 0:
                        break
            else:
                sp = _expand(
                    sp,
                    length,
                    seq_buf,
                    riders_buf,
                    rides_buf,
                    after_buf,
                    waiting,
                    travel,
                    cost,
                    service,
                    early,
                    late,
                    is_pickup,
                    request_of,
                    place,
                    load,
                    pickups,
                    deliveries,
                    home,
                    rides_left,
                    reach,
                    reach_count,
                    room,
                    guard,
                    s_seq,
                    s_len,
                    s_batch,
                    s_fresh,
                    s_served,
                    s_riders,
                    s_on,
                    s_rides,
                    s_carried,
                    s_spent,
                )
    # The trips kept, by key in the order the keys were met, each key's in the order kept.
    kept = 0
    for group in range(group_count):
        trip = heads[group]
        while trip >= 0:
            kept += 1
            trip = t_next[trip]
    chosen = np.empty(kept, np.int64)
    kept = 0
    for group in range(group_count):
        trip = heads[group]
        while trip >= 0:
            chosen[kept] = trip
            kept += 1
            trip = t_next[trip]
    return True, examined, t_seq[chosen], t_served[chosen], t_values[chosen]


@njit(cache=True)
def _expand(
    sp,
    length,
    seq,
    riders,
    rides,
    after,
    waiting,
    travel,
    cost,
    service,
    early,
    late,
    is_pickup,
    request_of,
    place,
    load,
    pickups,
    deliveries,
    home,
    rides_left,
    reach,
    reach_count,
    room,
    guard,
    s_seq,
    s_len,
    s_batch,
    s_fresh,
    s_served,
    s_riders,
    s_on,
    s_rides,
    s_carried,
    s_spent,
):
    """Push the children of the beginning popped from slot `sp` (whose stops are already in
    `seq`), from that slot up; the new stack size. No array is made or sliced here: the
    reference counting of arrays would cost more than the search."""
    arrived = s_batch[sp, ARRIVED]
    opening = s_batch[sp, OPENING]
    inside = s_batch[sp, INSIDE]
    closing = s_batch[sp, CLOSING]
    fresh = s_fresh[sp]
    served = s_served[sp]
    on_board = s_on[sp]
    for k in range(on_board):
        riders[k] = s_riders[sp, k]
        rides[k] = s_rides[sp, k]
    carried = s_carried[sp]
    spent = s_spent[sp]
    last = seq[length - 1]
    leave = max(max(arrived, opening) + inside, closing)
    last_kind = is_pickup[last]
    last_place = place[last]
    soonest = arrived if last_kind else leave
    count = 0
    for j in range(reach_count[last]):
        request = reach[last, j]
        if late[pickups[request]] < soonest - EPS:
            break
        if not (served >> request) & 1:
            waiting[count] = request
            count += 1
    # Passengers who rode through the whole batch (not boarded in it) count its time.
    boarded = fresh if last_kind else 0
    for index in range(on_board):
        after[index] = rides[index] + inside if index < on_board - boarded else rides[index]
    for index in range(on_board + count):
        if index < on_board:
            request = riders[index]
            node = deliveries[request]
            next_served = served
            next_carried = carried - load[pickups[request]]
        else:
            request = waiting[index - on_board]
            node = pickups[request]
            next_carried = carried + load[node]
            if ((room - next_carried) & guard) != guard:
                continue
            next_served = served | (1 << request)
        step = travel[last, node]
        same = place[node] == last_place and is_pickup[node] == last_kind
        if same:
            if request < request_of[last]:
                continue  # a batch is searched in request order
            if max(arrived, early[node]) > late[node] + EPS:
                continue
            b_arrived = arrived
            b_opening = min(opening, early[node])
            b_inside = inside + step + service[node]
            b_closing = max(closing, early[node] + service[node])
            b_fresh = fresh + 1
        else:
            arrival = leave + step
            if max(arrival, early[node]) > late[node] + EPS:
                continue
            b_arrived = arrival
            b_opening = early[node]
            b_inside = service[node]
            b_closing = early[node] + service[node]
            b_fresh = 1
        if index < on_board:
            ride = rides[index] if same else after[index] + step
            if ride > rides_left[request] + EPS:
                continue
        out = max(max(b_arrived, b_opening) + b_inside, b_closing)
        if out > home[node] + EPS:
            continue
        # The passengers on board after this stop, with their rides: each must still reach
        # their drop-off in time (a passenger leaving at this drop-off's place may still
        # leave before it, in the same batch) and within their ride time.
        next_on = 0
        broken = False
        for other_index in range(on_board + 1):
            if other_index == index and index < on_board:
                continue
            if other_index == on_board:
                if index < on_board:
                    break
                other = request
                other_ride = 0.0
            else:
                other = riders[other_index]
                other_ride = rides[other_index] if same else after[other_index] + step
            drive = travel[node, deliveries[other]]
            if (
                out + drive > late[deliveries[other]] + EPS
                and (index >= on_board or place[deliveries[other]] != place[node])
            ) or other_ride + drive > rides_left[other] + EPS:
                broken = True
                break
            s_riders[sp, next_on] = other
            s_rides[sp, next_on] = other_ride
            next_on += 1
        if broken:
            continue
        for k in range(length):
            s_seq[sp, k] = seq[k]
        s_seq[sp, length] = node
        s_len[sp] = length + 1
        s_batch[sp, ARRIVED] = b_arrived
        s_batch[sp, OPENING] = b_opening
        s_batch[sp, INSIDE] = b_inside
        s_batch[sp, CLOSING] = b_closing
        s_fresh[sp] = b_fresh
        s_served[sp] = next_served
        s_on[sp] = next_on
        s_carried[sp] = next_carried
        s_spent[sp] = spent + cost[last, node]
        sp += 1
    return sp


@njit(cache=True)
def _next_permutation(order, begin, end):
    """The next permutation of `order[begin:end]` in lexicographic order, in place; False
    (and the first permutation again) after the last."""
    i = end - 2
    while i >= begin and order[i] >= order[i + 1]:
        i -= 1
    if i < begin:
        order[begin:end] = order[begin:end][::-1].copy()
        return False
    j = end - 1
    while order[j] <= order[i]:
        j -= 1
    order[i], order[j] = order[j], order[i]
    order[i + 1 : end] = order[i + 1 : end][::-1].copy()
    return True


@njit(cache=True)
def _dominates(values, a, b):
    return (
        values[a, 0] <= values[b, 0] + EPS
        and values[a, 1] <= values[b, 1] + EPS
        and values[a, 2] <= values[b, 2] + EPS
        and values[a, 3] >= values[b, 3] - EPS
    )


@njit(cache=True)
def _keep(values, next_of, heads, tails, group, trip):
    """`trips._keep`: link `trip` at the end of its group unless one there dominates it,
    unlinking those it dominates; whether it was linked."""
    known = heads[group]
    while known >= 0:
        if _dominates(values, known, trip):
            return False
        known = next_of[known]
    previous = -1
    known = heads[group]
    while known >= 0:
        following = next_of[known]
        if _dominates(values, trip, known):
            if previous < 0:
                heads[group] = following
            else:
                next_of[previous] = following
        else:
            previous = known
        known = following
    if previous < 0:
        heads[group] = trip
    else:
        next_of[previous] = trip
    tails[group] = trip
    next_of[trip] = -1
    return True


@njit(cache=True)
def _beaten(
    values,
    next_of,
    head,
    seq,
    spent,
    arrived,
    opening,
    inside,
    closing,
    travel,
    service,
    late,
    is_pickup,
    place,
):
    """`trips._beaten`: whether a kept trip of the group dominates every order of `seq`."""
    ready = max(max(arrived, opening) + inside, closing)
    elapsed = 0.0
    before_run = 0.0
    latest = late[seq[0]]
    for k in range(1, seq.shape[0]):
        previous, node = seq[k - 1], seq[k]
        elapsed += service[previous] + travel[previous, node]
        if place[node] != place[previous] or is_pickup[node] != is_pickup[previous]:
            before_run = elapsed
        if late[node] - before_run < latest:
            latest = late[node] - before_run
    span = elapsed + service[seq[seq.shape[0] - 1]]
    trip = head
    while trip >= 0:
        if (
            values[trip, 0] <= spent + EPS
            and values[trip, 1] <= ready + EPS
            and values[trip, 2] <= span + EPS
            and values[trip, 3] >= latest - EPS
        ):
            return True
        trip = next_of[trip]
    return False


_loaded = False


def warm_up() -> None:
    """Compile (or load from the cache) the search, on a one-request day, once per process."""
    global _loaded
    if _loaded:
        return
    # Nodes: the pickup 0, the drop-off 1, one unit apart.
    travel = np.array([[0.0, 1.0], [1.0, 0.0]])
    floats = np.array([0.0, 0.0])
    wide = np.array([100.0, 100.0])
    int_pair = np.array([0, 1], np.int64)
    search(
        travel,
        travel,
        floats,
        floats,
        wide,
        np.array([0.0, 10.0]),
        np.array([True, False]),
        np.array([1, 0], np.int64),
        np.array([0, 0], np.int64),
        int_pair,
        np.array([1, 1], np.int64),
        np.array([0], np.int64),
        np.array([1], np.int64),
        wide,
        np.array([10.0]),
        np.full((2, 1), -1, np.int64),
        np.zeros(2, np.int64),
        4 + 2,
        4,
        1000,
    )
    _loaded = True
