"""Exact scheduling of a fixed route: is there a feasible timetable, and which one to publish.

For a given sequence of stops the timing rules of the DARP are all *difference constraints*
on the start-of-service times B_k:

    B_k >= e_k,  B_k <= l_k                       (time windows)
    B_k >= B_{k-1} + s_{k-1} + t_{k-1,k}          (travel; waiting is allowed)
    B_d - B_p <= L + s_p                          (ride time of each passenger)
    B_end - (B_start + s_start) <= T              (shift duration)

so the sequence is feasible exactly when the least solution of the ">=" constraints stays
below the windows' upper bounds (a Bellman-Ford argument: every feasible timetable bounds the
least solution from above). `earliest_times` computes that least solution by forward passes,
pushing a pickup later whenever its passenger would ride too long and propagating the push; at
most one pass per stop is needed, so a route that still changes after that has a positive cycle
and is infeasible. This decides feasibility exactly, unlike the eight-step heuristic of Cordeau
& Laporte (2003), which can reject feasible routes. The tests compare it with a linear program.

The earliest timetable is feasible but makes people wait in the vehicle; `published_times`
re-times a feasible route with an LP (GLOP) that minimises the shift duration plus the total
ride time, and falls back on the earliest timetable if the LP answer is not exactly feasible.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

from .tables import Tables

EPS = 1e-9


def earliest_times(
    seq: list[int], tables: Tables, max_duration: float, *, prefix: bool = False
) -> list[float] | None:
    """Least feasible start-of-service times along `seq` (depots included), or None.

    With `prefix`, `seq` is the beginning of a route: passengers still on board at its end
    are allowed (their ride-time rule waits for their drop-off).
    """
    travel, service, early, late = tables.travel, tables.service, tables.early, tables.late
    partner, is_pickup, limit = tables.partner, tables.is_pickup, tables.limit
    m = len(seq)
    times = [0.0] * m
    previous = seq[0]
    current = early[previous]
    times[0] = current
    position: dict[int, int] = {}
    rides: list[tuple[int, int, float]] = []
    for k in range(1, m):
        node = seq[k]
        arrival = current + service[previous] + travel[previous][node]
        current = arrival if arrival > early[node] else early[node]
        if current > late[node] + EPS:
            return None
        times[k] = current
        if is_pickup[node]:
            position[node] = k
        elif partner[node] >= 0:
            pickup_position = position.get(partner[node])
            if pickup_position is None:
                return None  # delivery before its pickup, or pickup in another route
            rides.append((pickup_position, k, limit[node]))
        previous = node
    if not prefix and len(position) != len(rides):
        return None  # a passenger picked up and never delivered
    duration_bound = max_duration + service[seq[0]]
    for _ in range(m + 1):
        first = m
        pushed = -1
        for pickup_position, delivery_position, bound in rides:
            need = times[delivery_position] - bound
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
            return times
        previous = seq[first]
        current = times[first]
        if current > late[previous] + EPS:
            return None
        for k in range(first + 1, m):
            node = seq[k]
            arrival = current + service[previous] + travel[previous][node]
            current = times[k]
            if arrival > current:
                current = times[k] = arrival
            elif k > pushed:
                break  # past the last pushed pickup, the push died out: nothing else moves
            if current > late[node] + EPS:
                return None
            previous = node
    return None


def is_feasible(seq: list[int], tables: Tables, max_duration: float, capacity) -> bool:
    """Capacity and timing feasibility of a whole route (depots included)."""
    load = tables.load
    if tables.single:
        on_board = 0
        for node in seq:
            on_board += load[node]
            if on_board > capacity:
                return False
    else:
        on_board = [0] * len(capacity)
        for node in seq:
            for dimension, amount in enumerate(load[node]):
                on_board[dimension] += amount
                if on_board[dimension] > capacity[dimension]:
                    return False
    return earliest_times(seq, tables, max_duration) is not None


def arrivals(seq: list[int], times: list[float], tables: Tables) -> list[float]:
    """Arrival time at each stop given the start-of-service times (the start depot: its start)."""
    travel, service = tables.travel, tables.service
    result = [times[0]]
    for k in range(1, len(seq)):
        result.append(times[k - 1] + service[seq[k - 1]] + travel[seq[k - 1]][seq[k]])
    return result


def published_times(
    seq: list[int], tables: Tables, max_duration: float, windows: tuple[list, list] | None = None
) -> list[float] | None:
    """A feasible timetable minimising shift duration + total ride time, or None if infeasible.

    `windows` (earliest, latest per node) defaults to the tables' (tightened) windows; replanning
    passes narrower windows for pickups whose time was already confirmed.
    """
    earliest = earliest_times(seq, tables, max_duration)
    if earliest is None or len(seq) <= 2:
        return earliest
    early, late = windows if windows is not None else (tables.early, tables.late)
    travel, service, partner, is_pickup = (
        tables.travel,
        tables.service,
        tables.partner,
        tables.is_pickup,
    )
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return earliest
    m = len(seq)
    variables = [solver.NumVar(early[node], late[node], f"b{k}") for k, node in enumerate(seq)]
    for k in range(1, m):
        gap = service[seq[k - 1]] + travel[seq[k - 1]][seq[k]]
        solver.Add(variables[k] - variables[k - 1] >= gap)
    objective = variables[m - 1] - variables[0]
    solver.Add(objective <= max_duration + service[seq[0]])
    position = {node: k for k, node in enumerate(seq)}
    for k, node in enumerate(seq):
        if partner[node] >= 0 and not is_pickup[node]:
            p = position[partner[node]]
            solver.Add(variables[k] - variables[p] <= tables.limit[node])
            objective = objective + (variables[k] - variables[p])
    solver.Minimize(objective)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return earliest
    times = [variable.solution_value() for variable in variables]
    if not _respects(seq, times, tables, max_duration, early, late):
        return earliest
    return times


def _respects(seq, times, tables: Tables, max_duration, early, late, slack=1e-7) -> bool:
    """Whether `times` satisfies every timing rule of `seq` within a tiny numerical slack."""
    travel, service, partner, is_pickup = (
        tables.travel,
        tables.service,
        tables.partner,
        tables.is_pickup,
    )
    position = {node: k for k, node in enumerate(seq)}
    for k, node in enumerate(seq):
        if times[k] < early[node] - slack or times[k] > late[node] + slack:
            return False
        if k and times[k] < times[k - 1] + service[seq[k - 1]] + travel[seq[k - 1]][node] - slack:
            return False
        if (
            partner[node] >= 0
            and not is_pickup[node]
            and times[k] - times[position[partner[node]]] > tables.limit[node] + slack
        ):
            return False
    return times[-1] - times[0] - service[seq[0]] <= max_duration + slack
