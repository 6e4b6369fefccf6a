"""The planner: tours for every request it can serve, within a wall-clock budget.

A small day is first solved exactly (`exact.py`: every feasible route, then set
partitioning); when that is proven optimal in a share of the budget, the answer is returned at
once. Otherwise `solve` runs one adaptive large neighbourhood search (`alns.py`) per worker
process, each with its own seed (two cores give two independent searches, which is worth more
than one longer search on these problems), each stopping early if it stagnates, then pools the
routes that both searches met and recombines them by set partitioning (`pool.py`) in the time
kept back for the end. Each tour is then re-timed to shorten the shift and the passengers' ride
times (`schedule.published_times`), and every unserved request gets a reason (`unserved.py`).

The budget is a deadline on `time.monotonic()`: the caller may pass one that already accounts
for its own start-up (the `darp_solve` command does), and the searches stop early enough for the
recombination and the publication to finish before it.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from dataclasses import dataclass

from .alns import Search, Settings
from .descent import descend
from .enumeration import chains_trips
from .exact import solve_exactly
from .instance import Instance
from .solution import DarpSolution, Solution, UnservedRequest, make_tour
from .tables import Tables
from .unserved import diagnose


@dataclass
class _Outcome:
    sequences: dict[int, list[int]]
    unassigned: set[int]
    pool: dict
    iterations: int


def solve(
    instance: Instance,
    seconds: float = 30.0,
    *,
    seed: int = 0,
    workers: int = 2,
    deadline: float | None = None,
    settings: Settings | None = None,
    start: dict[int, list[int]] | None = None,
    weights: list[float] | None = None,
    max_iterations: int | None = None,
    tables: Tables | None = None,
) -> DarpSolution:
    """Plan tours for `instance` within `seconds` (or until `deadline`, time.monotonic()).

    `start` gives node sequences by vehicle index to start from (replanning); `weights` the
    relative importance of serving each request; `max_iterations` with `workers=1` makes the
    result deterministic for a seed (the time limit alone depends on the machine's speed).
    """
    began = time.monotonic()
    if deadline is None:
        deadline = began + seconds
    tables = tables or Tables(instance)
    budget = max(deadline - began, 0.0)
    # Time kept back for the final recombination and for publishing the timetables.
    reserve = min(0.06 * budget, 1.5)
    search_deadline = deadline - reserve
    workers = max(1, workers if max_iterations is None else 1)
    search = Search(tables, seed, settings, weights)
    share = None
    found: dict = {}  # what the exact attempt learnt: a bound (`halves.Halves`)
    trips = chains_trips(tables)
    if len(tables.pickups) <= (
        search.settings.exact_trips_up_to if trips else search.settings.exact_up_to
    ):
        share = search.settings.exact_trip_share if trips else search.settings.exact_share
    if share:  # a share of 0 turns the exact method off
        allowed = min(share * budget, search.settings.exact_seconds)
        exact_deadline = min(search_deadline, began + allowed)
        if max_iterations is not None:  # deterministic: bounded by its label count alone
            exact_deadline = math.inf
        else:
            allowed = None  # until the deadline
        proven = solve_exactly(
            tables, search.weights, exact_deadline, workers, seconds=allowed, found=found
        )
        if proven is not None:
            return publish(instance, tables, proven, began, method="exact", proven=True)
    halves = found.get("halves")
    if halves is not None:  # the search stops once its best plan meets the bound
        search.good_enough = lambda solution: halves.meets(solution, search.weights)
    tables.kernel()  # the compiled search loops, loaded once here rather than in each worker
    children = []
    context = multiprocessing.get_context("fork")
    for k in range(1, workers):
        here, there = context.Pipe()
        process = context.Process(
            target=_child,
            args=(there, tables, seed + k, search_deadline, settings, start, weights, halves),
            daemon=True,
        )
        process.start()
        there.close()
        children.append((process, here))
    outcomes = [_run(search, search_deadline, start, max_iterations)]
    for process, connection in children:
        outcome = _final_outcome(connection, deadline - reserve / 2)
        if outcome is not None:
            outcomes.append(outcome)
        process.join(timeout=0.2)
        if process.is_alive():  # pragma: no cover - a child that missed its deadline
            process.kill()
            process.join()
    best = _best(search, outcomes)
    iterations = sum(outcome.iterations for outcome in outcomes)
    if len(outcomes) > 1 or max_iterations is None:
        for outcome in outcomes[1:]:
            search.pool.merge(outcome.pool)
        # Publishing (one small LP per tour) needs a moment after the recombination.
        finish = deadline - max(0.25 * reserve, 0.3)
        if finish - time.monotonic() > 0.1 and not (
            halves is not None and halves.meets(best, search.weights)
        ):
            recombined = search.pool.recombine(best, finish, workers=workers)
            if (
                recombined is not None
                and search.objective(recombined) < search.objective(best) - 1e-9
            ):
                best = recombined
                if search.settings.descent:  # the pool's routes, joined anew
                    descend(tables, best, search.shape)
    result = publish(
        instance,
        tables,
        best,
        began,
        method="alns",
        iterations=iterations,
        proven=halves is not None and halves.meets(best, search.weights),
    )
    if halves is not None:
        result.bound = halves.cost_bound(best, search.weights)
    return result


def _run(search: Search, deadline: float, start, max_iterations) -> _Outcome:
    tables = search.tables
    initial = None
    if start is not None:
        in_start = {
            tables.request[node] for seq in start.values() for node in seq if tables.is_pickup[node]
        }
        pending = [r for r in range(len(tables.pickups)) if r not in in_start]
        initial = search.from_routes(start, pending)
    best = search.run(deadline, start=initial, max_iterations=max_iterations)
    return _Outcome(
        sequences=_sequences(best),
        unassigned=set(best.unassigned),
        pool=search.pool.routes,
        iterations=search.iterations,
    )


def _child(connection, tables, seed, deadline, settings, start, weights, halves) -> None:
    """A worker process: one search with its own seed, its outcome sent back through a pipe."""
    try:
        search = Search(tables, seed, settings, weights)
        if halves is not None:
            search.good_enough = lambda solution: halves.meets(solution, search.weights)
        outcome = _run(search, deadline, start, None)
        connection.send(("done", outcome))
    finally:
        connection.close()


def _final_outcome(connection, deadline: float) -> _Outcome | None:
    """The child's outcome, or None if it does not come in time."""
    while True:
        try:
            if not connection.poll(max(deadline - time.monotonic(), 0.05)):
                return None
            kind, *payload = connection.recv()
        except (OSError, EOFError):  # a child that died sends nothing
            return None
        if kind == "done":
            return payload[0]


def _sequences(solution: Solution) -> dict[int, list[int]]:
    return {index: route.seq for index, route in enumerate(solution.routes) if not route.empty}


def _best(search: Search, outcomes: list[_Outcome]) -> Solution:
    best, best_value = None, None
    for outcome in outcomes:
        solution = search.from_routes(outcome.sequences, [])
        solution.unassigned = set(outcome.unassigned)
        value = search.objective(solution)
        if best_value is None or value < best_value - 1e-9:
            best, best_value = solution, value
    return best


def publish(
    instance: Instance,
    tables: Tables,
    solution: Solution,
    began: float,
    method: str,
    iterations: int = 0,
    windows=None,
    proven: bool = False,
) -> DarpSolution:
    """Turn a search solution into tours with published times and explained unserved requests."""
    result = DarpSolution(
        instance=instance.name,
        requests=len(instance.requests),
        method=method,
        iterations=iterations,
        proven=proven,
    )
    for index, route in enumerate(solution.routes):
        if not route.empty:
            result.tours.append(make_tour(instance, tables, index, route.seq, windows))
    for index in sorted(solution.unassigned):
        code, message = diagnose(instance, tables, index)
        result.unserved.append(
            UnservedRequest(request=instance.requests[index].id, reason=code, message=message)
        )
    result.seconds = time.monotonic() - began
    return result
