"""Days planned by their halves: the bound never exceeds the optimum known by enumeration."""

import math
import time
from unittest import mock

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maillage.transport.darp import exact
from maillage.transport.darp import halves as halves_module
from maillage.transport.darp.alns import Search
from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.exact import solve_exactly
from maillage.transport.darp.halves import penalty_of, solve_by_halves, split
from maillage.transport.darp.solver import publish, solve
from maillage.transport.darp.tables import Tables

from .factories import generated_instance, workshop_instance
from .test_exact import WORKSHOP_DAYS, brute_force


def _value(tables, served: int, cost: float) -> float:
    """Cost plus the penalty of the unserved requests (weights of 1)."""
    return cost + penalty_of(tables) * (len(tables.pickups) - served)


def _separate(tables):
    """The halves chosen separately only (the first stage of `solve_by_halves`)."""
    with mock.patch.object(halves_module, "_coupled", lambda *args: None):
        return solve_by_halves(tables, [1.0] * len(tables.pickups), time.monotonic() + 60)


def _feasible(instance, tables, solution) -> None:
    published = publish(instance, tables, solution, time.monotonic(), method="exact")
    report = check_solution(instance, published.routes_for_checker())
    assert report.feasible, report.violations
    assert math.isclose(report.cost, solution.cost, abs_tol=1e-6)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riders=st.integers(1, 3), depot=st.sampled_from([0.0, 0.5, 4.0]), **WORKSHOP_DAYS)
def test_the_halves_bound_the_brute_force_optimum(
    seed, riders, depot, vehicles, villages, window, tolerance, capacity
):
    instance = workshop_instance(
        seed,
        riders,
        vehicles,
        villages=villages,
        window=window,
        tolerance=tolerance,
        capacity=capacity,
        depot=depot,
    )
    assume(len(instance.requests) <= 4)
    tables = Tables(instance)
    halves = solve_by_halves(tables, [1.0] * len(instance.requests), time.monotonic() + 60)
    assume(halves is not None)  # a rider going one way only: no split
    optimum = _value(tables, *brute_force(instance))
    assert halves.bound <= optimum + 1e-6
    assert _separate(tables).bound <= optimum + 1e-6
    if halves.solution is not None:
        _feasible(instance, tables, halves.solution)
        assert halves.value(halves.solution, [1.0] * len(instance.requests)) >= optimum - 1e-6
    if halves.proven:
        assert math.isclose(halves.value(halves.solution, [1.0] * len(instance.requests)), optimum)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(riders=st.integers(2, 4), depot=st.sampled_from([0.0, 0.5, 4.0]), **WORKSHOP_DAYS)
def test_the_halves_bound_the_optimum_of_whole_routes(
    seed, riders, depot, vehicles, villages, window, tolerance, capacity
):
    """Larger days, against routes searched stop by stop (compared with the brute force in
    `test_exact.py`)."""
    instance = workshop_instance(
        seed,
        riders,
        vehicles,
        villages=villages,
        window=window,
        tolerance=tolerance,
        capacity=capacity,
        depot=depot,
    )
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    halves = solve_by_halves(tables, weights, time.monotonic() + 60)
    assume(halves is not None)
    whole = solve_exactly(tables, weights, time.monotonic() + 60, by_trips=False)
    assume(whole is not None)  # past the stop-by-stop search's label limit
    optimum = _value(tables, len(tables.pickups) - len(whole.unassigned), whole.cost)
    assert halves.bound <= optimum + 1e-6
    assert _separate(tables).bound <= optimum + 1e-6
    if halves.solution is not None:
        _feasible(instance, tables, halves.solution)
    if halves.proven:
        assert math.isclose(halves.value(halves.solution, weights), optimum)


def test_a_day_with_its_depots_at_the_workshop_is_proven_by_its_halves():
    instance = workshop_instance(7, 6, 2, villages=3, depot=0.0)
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    halves = solve_by_halves(tables, weights, time.monotonic() + 60)
    assert halves is not None and halves.proven
    _feasible(instance, tables, halves.solution)
    whole = solve_exactly(tables, weights, time.monotonic() + 60, by_trips=False)
    assert whole is not None
    assert halves.solution.unassigned == whole.unassigned
    assert math.isclose(halves.solution.cost, whole.cost, abs_tol=1e-6)
    planned = solve(instance, 30, workers=1)
    assert planned.method == "exact" and planned.proven
    assert math.isclose(planned.cost, whole.cost, abs_tol=1e-6)


def test_outbound_rides_come_first_in_the_split():
    instance = workshop_instance(3, 4, 2, villages=2)
    tables = Tables(instance)
    first, second = split(tables)
    assert first and second and not first & second
    assert first | second == (1 << len(tables.pickups)) - 1
    for r in range(len(tables.pickups)):
        outbound = tables.late[tables.deliveries[r]] <= 80.0 + 1e-9
        assert bool(first >> r & 1) == outbound


def test_a_day_whose_rides_overlap_does_not_split():
    tables = Tables(generated_instance(11, 8, 3, window=15.0, horizon=120.0))
    assert split(tables) is None


def test_a_vehicle_riding_one_half_only_pays_its_drive_from_the_depot(monkeypatch):
    """Depots 4 km from the workshop: one vehicle rides home only. Chosen separately, the
    halves leave out its drive from the depot (their bound is below the optimum); chosen
    together, they prove the optimum. When whole routes cannot be enumerated either (as if
    too many) and the bound does not prove the joined plan, the search runs, and the plan
    comes with the bound."""
    instance = workshop_instance(14, 4, 2, villages=3, depot=4.0)
    tables = Tables(instance)
    weights = [1.0] * len(instance.requests)
    whole = solve_exactly(tables, weights, time.monotonic() + 60, by_trips=False)
    optimum = whole.cost + penalty_of(tables) * len(whole.unassigned)
    separate = _separate(tables)
    assert separate is not None and not separate.proven
    assert separate.bound < optimum - 1e-6
    halves = solve_by_halves(tables, weights, time.monotonic() + 60)
    assert halves.proven and math.isclose(halves.bound, optimum)
    _feasible(instance, tables, halves.solution)
    monkeypatch.setattr(halves_module, "_coupled", lambda *args: None)
    monkeypatch.setattr(exact, "enumerate_routes", lambda *args, **options: None)
    planned = solve(instance, 2, workers=1, max_iterations=300)
    assert planned.method == "alns" and not planned.proven
    assert planned.bound is not None and planned.bound <= whole.cost + 1e-6
    assert planned.as_json()["bound"] == round(planned.bound, 6)


def test_the_search_stops_once_its_best_plan_is_good_enough():
    instance = workshop_instance(14, 4, 2, villages=3, depot=4.0)
    search = Search(Tables(instance))
    search.good_enough = lambda solution: not solution.unassigned
    best = search.run(time.monotonic() + 60, max_iterations=10_000)
    assert not best.unassigned
    assert search.iterations < 10_000
