"""Exact planning of small days, against a brute force over every route; early stops."""

import itertools
import math
import time

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maillage.transport.darp.alns import Search, Settings
from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.enumeration import chains_trips, enumerate_routes
from maillage.transport.darp.exact import solve_exactly
from maillage.transport.darp.schedule import is_feasible
from maillage.transport.darp.solver import publish, solve
from maillage.transport.darp.tables import Tables

from .factories import generated_instance, workshop_instance


def brute_force(instance) -> tuple[int, float]:
    """(requests served, cost) of the best plan: every order of every subset, every vehicle.

    Untightened windows and the plain feasibility check: nothing shared with `exact.py` but
    `earliest_times`, which the schedule tests compare with a linear program.
    """
    tables = Tables(instance, tighten=False)
    n = len(instance.requests)
    cheapest = []  # per vehicle: requests (frozenset) -> least cost of a route serving them
    for k, vehicle in enumerate(instance.vehicles):
        best: dict[frozenset, float] = {frozenset(): 0.0}
        for size in range(1, n + 1):
            for subset in itertools.combinations(range(n), size):
                nodes = [tables.pickups[r] for r in subset] + [tables.deliveries[r] for r in subset]
                for order in itertools.permutations(nodes):
                    where = {node: i for i, node in enumerate(order)}
                    if any(where[tables.pickups[r]] > where[tables.deliveries[r]] for r in subset):
                        continue
                    seq = [vehicle.start, *order, vehicle.end]
                    if not is_feasible(
                        seq, tables, vehicle.max_duration, tables.vehicles[k].capacity
                    ):
                        continue
                    cost = sum(instance.cost[a][b] for a, b in itertools.pairwise(seq))
                    key = frozenset(subset)
                    best[key] = min(best.get(key, math.inf), cost)
        cheapest.append(best)
    result = (0, 0.0)
    choices = range(len(instance.vehicles) + 1)  # a vehicle, or the last: unserved
    for assignment in itertools.product(choices, repeat=n):
        cost, served = 0.0, 0
        for k, best in enumerate(cheapest):
            subset = frozenset(r for r in range(n) if assignment[r] == k)
            if subset not in best:
                break
            cost += best[subset]
            served += len(subset)
        else:
            if served > result[0] or (served == result[0] and cost < result[1] - 1e-9):
                result = (served, cost)
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(1, 4),
    vehicles=st.integers(1, 2),
    window=st.sampled_from([5.0, 15.0, 60.0]),
    max_ride=st.sampled_from([10.0, 20.0, 30.0]),
    max_duration=st.sampled_from([40.0, 120.0, 240.0]),
    wheelchairs=st.booleans(),
)
def test_the_exact_plan_is_the_brute_force_optimum(
    seed, requests, vehicles, window, max_ride, max_duration, wheelchairs
):
    instance = generated_instance(
        seed,
        requests,
        vehicles,
        window=window,
        max_ride=max_ride,
        max_duration=max_duration,
        horizon=120.0,
        capacity=(2, 1) if wheelchairs else (2,),
        wheelchair_share=0.3,
    )
    tables = Tables(instance)
    search = Search(tables)
    solution = solve_exactly(tables, search.weights, time.monotonic() + 60)
    assert solution is not None
    served, cost = brute_force(instance)
    assert len(instance.requests) - len(solution.unassigned) == served
    assert math.isclose(solution.cost, cost, abs_tol=1e-6)


def _checked(instance, tables, solution) -> tuple[int, float]:
    """(requests served, cost) of an exact solution, after the checker validated its tours."""
    published = publish(instance, tables, solution, time.monotonic(), method="exact")
    report = check_solution(instance, published.routes_for_checker())
    assert report.feasible, report.violations
    assert math.isclose(report.cost, solution.cost, abs_tol=1e-6)
    return len(report.served), solution.cost


WORKSHOP_DAYS = {
    "seed": st.integers(0, 10**6),
    "vehicles": st.integers(1, 3),
    "villages": st.integers(1, 3),
    "window": st.sampled_from([5.0, 20.0]),
    "tolerance": st.sampled_from([3.0, 20.0]),
    "capacity": st.sampled_from([(2,), (2, 1), (3, 1)]),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riders=st.integers(1, 3), **WORKSHOP_DAYS)
def test_chained_trips_give_the_brute_force_optimum(
    seed, riders, vehicles, villages, window, tolerance, capacity
):
    instance = workshop_instance(
        seed,
        riders,
        vehicles,
        villages=villages,
        window=window,
        tolerance=tolerance,
        capacity=capacity,
    )
    assume(len(instance.requests) <= 4)
    tables = Tables(instance)
    assert chains_trips(tables)
    solution = solve_exactly(tables, [1.0] * len(instance.requests), time.monotonic() + 60)
    assert solution is not None
    served, cost = _checked(instance, tables, solution)
    best_served, best_cost = brute_force(instance)
    assert served == best_served
    assert math.isclose(cost, best_cost, abs_tol=1e-6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riders=st.integers(2, 4), **WORKSHOP_DAYS)
def test_chained_trips_give_the_stop_by_stop_optimum(
    seed, riders, vehicles, villages, window, tolerance, capacity
):
    """Larger days, where same-place batches of several riders occur: against the search of
    routes stop by stop (itself compared with the brute force above)."""
    instance = workshop_instance(
        seed,
        riders,
        vehicles,
        villages=villages,
        window=window,
        tolerance=tolerance,
        capacity=capacity,
    )
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    by_stops = solve_exactly(tables, weights, time.monotonic() + 60, by_trips=False)
    assume(by_stops is not None)  # past the stop-by-stop search's label limit
    by_trips = solve_exactly(tables, weights, time.monotonic() + 60)
    assert by_trips is not None
    served, cost = _checked(instance, tables, by_trips)
    assert served == len(instance.requests) - len(by_stops.unassigned)
    assert math.isclose(cost, by_stops.cost, abs_tol=1e-6)


def test_riders_boarding_at_one_place_may_board_in_any_order():
    """Three riders board at the workshop within a 5-minute window: only some orders of the
    batch fit, which the search of trips must not rule out for the order it tries first."""
    instance = workshop_instance(480231, 5, 3, villages=2, window=5.0, capacity=(3, 1))
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    by_stops = solve_exactly(tables, weights, time.monotonic() + 60, by_trips=False)
    by_trips = solve_exactly(tables, weights, time.monotonic() + 60)
    assert _checked(instance, tables, by_trips) == (len(instance.requests), by_trips.cost)
    assert not by_stops.unassigned
    assert math.isclose(by_trips.cost, by_stops.cost, abs_tol=1e-6)


def test_the_trip_search_is_not_tried_when_the_estimate_says_it_cannot_end():
    instance = workshop_instance(5, 8, 2, villages=4, window=30.0, tolerance=30.0)
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    assert solve_exactly(tables, weights, time.monotonic() + 1e-6) is None
    assert solve_exactly(tables, weights, time.monotonic() + 60) is not None


def test_a_small_day_is_solved_and_proven_without_the_search():
    instance = generated_instance(11, 8, 3, window=15.0)
    solution = solve(instance, 30, workers=1, settings=Settings(exact_share=1.0))
    assert solution.method == "exact" and solution.proven
    assert solution.iterations == 0
    report = check_solution(instance, solution.routes_for_checker())
    assert report.feasible, report.violations
    # The search alone, however long, finds nothing cheaper.
    searched = solve(
        instance,
        30,
        workers=1,
        max_iterations=2000,
        settings=Settings(exact_up_to=0, exact_trip_share=0.0),
    )
    assert searched.served <= solution.served
    if searched.served == solution.served:
        assert searched.cost >= solution.cost - 1e-6
    assert searched.method == "alns" and not searched.proven


def test_the_enumeration_gives_up_past_its_limit(a2_16):
    tables = Tables(a2_16)
    shape = Search(tables).shape
    assert enumerate_routes(tables, shape, time.monotonic() + 60, limit=1000) is None


def test_the_search_stops_when_it_stagnates_for_long_enough_in_seconds():
    instance = generated_instance(3, 6, 2, window=15.0)
    settings_ = Settings(stagnation_floor=10**9, stagnation_share=0.01)
    search = Search(Tables(instance), settings=settings_)
    deadline = time.monotonic() + 120
    search.run(deadline)
    assert time.monotonic() < deadline  # the iteration count alone would never stop it


def test_the_search_stops_when_it_stagnates():
    instance = generated_instance(3, 6, 2, window=15.0)
    search = Search(Tables(instance), settings=Settings(stagnation_floor=50))
    search.run(time.monotonic() + 3600)
    # Stopped long before the deadline: at least the floor, and at most about twice as many
    # iterations as it took to find its best solution.
    assert search.iterations >= 300  # 50 per request
    assert search.iterations < 10_000
