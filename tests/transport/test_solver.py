"""The planner on generated cases and on a2-16; every answer goes through the checker."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.transport.darp.baseline import solve_baseline
from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.instance import Instance, Node, Request, Vehicle, euclidean_matrix
from maillage.transport.darp.schedule import is_feasible
from maillage.transport.darp.solver import solve
from maillage.transport.darp.tables import Tables
from maillage.transport.labels import UnservedReason

from .factories import generated_instance


def servable_alone(instance, request) -> bool:
    """Whether some vehicle can serve `request` on its own (untightened windows)."""
    tables = Tables(instance, tighten=False)
    return any(
        is_feasible(
            [v.start, request.pickup, request.delivery, v.end],
            tables,
            v.max_duration,
            tables.vehicles[k].capacity,
        )
        for k, v in enumerate(instance.vehicles)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(3, 8),
    vehicles=st.integers(1, 3),
    window=st.sampled_from([5.0, 15.0, 60.0]),
    max_ride=st.sampled_from([10.0, 20.0, 30.0]),
    max_duration=st.sampled_from([60.0, 120.0, 240.0]),
    wheelchairs=st.booleans(),
)
def test_generated_cases_are_feasible_and_explained(
    seed, requests, vehicles, window, max_ride, max_duration, wheelchairs
):
    instance = generated_instance(
        seed,
        requests,
        vehicles,
        window=window,
        max_ride=max_ride,
        max_duration=max_duration,
        capacity=(3, 1) if wheelchairs else (3,),
        wheelchair_share=0.3,
    )
    solution = solve(instance, 20, seed=seed, workers=1, max_iterations=150)
    report = check_solution(instance, solution.routes_for_checker())
    assert report.feasible, report.violations
    assert report.cost == solution.cost or abs(report.cost - solution.cost) < 1e-6
    unserved = {item.request for item in solution.unserved}
    assert unserved == report.unserved
    for item in solution.unserved:
        assert item.reason in UnservedReason.values and item.message
        request = instance.requests[item.request]
        if item.reason != UnservedReason.NO_ROOM:
            assert not servable_alone(instance, request)
        else:
            assert servable_alone(instance, request)
    # A request that some vehicle can serve alone is served when there is one request per car.
    if requests <= vehicles:
        for request in instance.requests:
            assert servable_alone(instance, request) == (request.id in report.served)


def test_same_seed_same_answer_when_bounded_by_iterations():
    instance = generated_instance(7, 8, 2, window=30)
    first = solve(instance, 20, seed=3, workers=1, max_iterations=200)
    second = solve(instance, 20, seed=3, workers=1, max_iterations=200)
    assert first.as_json()["vehicles"] == second.as_json()["vehicles"]


def test_a2_16_close_to_the_optimum_on_a_four_second_budget(a2_16):
    """Quality on a short budget; how long solving takes is for bench/darp.py, not a test."""
    solution = solve(a2_16, 4.0, workers=2)
    report = check_solution(a2_16, solution.routes_for_checker())
    assert report.feasible, report.violations
    assert len(report.served) == 16
    assert report.cost <= 294.25 * 1.03  # optimum 294.25 (Cordeau 2006)


def test_baseline_returns_a_feasible_solution(a2_16):
    solution = solve_baseline(a2_16, 3.0)
    report = check_solution(a2_16, solution.routes_for_checker())
    assert report.feasible, report.violations
    assert solution.method == "ortools-default"
    assert report.cost >= 294.24


def small_instance(loads, capacity, max_ride=30.0, windows=((0, 200), (0, 200))):
    """One request from (0, 5) to (5, 5) whose pickup/delivery windows and load are given."""
    zero = (0,) * len(capacity)
    nodes = [
        Node(0, 0, 0, 0, zero, 0, 200),
        Node(1, 0, 5, 1, loads, *windows[0]),
        Node(2, 5, 5, 1, tuple(-x for x in loads), *windows[1]),
        Node(3, 0, 0, 0, zero, 0, 200),
    ]
    return Instance(
        name="one",
        nodes=nodes,
        requests=[Request(0, 1, 2, max_ride)],
        vehicles=[Vehicle(0, 0, 3, capacity, 200)],
        travel=euclidean_matrix(nodes),
        dimensions=("places", "wheelchairs")[: len(capacity)],
    )


def reason_of(instance):
    solution = solve(instance, 5, workers=1, max_iterations=5)
    assert solution.served == 0
    return solution.unserved[0].reason, solution.unserved[0].message


def test_reasons_in_plain_french():
    code, message = reason_of(small_instance((0, 1), (4, 0)))
    assert code == UnservedReason.CAPACITY
    assert message == "capacité insuffisante (fauteuil roulant)"
    code, message = reason_of(small_instance((1,), (4,), max_ride=4.0))
    assert message == "temps de trajet direct supérieur à la durée maximale de trajet"
    code, _ = reason_of(small_instance((1,), (4,), windows=((0, 2), (0, 200))))
    assert code == UnservedReason.PICKUP_WINDOW_UNREACHABLE
    code, _ = reason_of(small_instance((1,), (4,), windows=((50, 60), (0, 40))))
    assert code == UnservedReason.WINDOWS_INCOMPATIBLE


def test_a_full_vehicle_leaves_the_last_request_with_no_room():
    # Two identical requests at the same time, a single seat: one is served, one is not.
    nodes = [
        Node(0, 0, 0, 0, (0,), 0, 200),
        Node(1, 0, 5, 1, (1,), 10, 12),
        Node(2, 0, 5, 1, (1,), 10, 12),
        Node(3, 5, 5, 1, (-1,), 0, 200),
        Node(4, 5, 5, 1, (-1,), 0, 200),
        Node(5, 0, 0, 0, (0,), 0, 200),
    ]
    instance = Instance(
        name="two",
        nodes=nodes,
        requests=[Request(0, 1, 3, 8.0), Request(1, 2, 4, 8.0)],
        vehicles=[Vehicle(0, 0, 5, (1,), 200)],
        travel=euclidean_matrix(nodes),
    )
    solution = solve(instance, 5, workers=1, max_iterations=20)
    assert solution.served == 1
    assert solution.unserved[0].reason == UnservedReason.NO_ROOM


def set_b_like(instance, seed=5):
    """a2-16 turned into a set-b-like case: Q=6, L=45, loads 1-6, service time = load."""
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    nodes = list(instance.nodes)
    for request in instance.requests:
        load = rng.randint(1, 6)
        nodes[request.pickup] = replace(nodes[request.pickup], load=(load,), service=float(load))
        nodes[request.delivery] = replace(
            nodes[request.delivery], load=(-load,), service=float(load)
        )
    return replace(
        instance,
        nodes=nodes,
        requests=[replace(r, max_ride=45.0) for r in instance.requests],
        vehicles=[replace(v, capacity=(6,)) for v in instance.vehicles],
    )


def test_set_b_like_instance(a2_16):
    instance = set_b_like(a2_16)
    solution = solve(instance, 3.0, workers=1)
    report = check_solution(instance, solution.routes_for_checker())
    assert report.feasible, report.violations
    for item in solution.unserved:
        assert item.reason in UnservedReason.values
    assert solution.served >= 14


def test_the_final_recombination_keeps_the_incumbent_and_the_cheapest_routes(monkeypatch):
    """Past RECOMBINED_ROUTES pooled routes, the program gets the incumbent's routes and the
    cheapest others per request served: it still answers, never worse than the incumbent."""
    import time

    from maillage.transport.darp import pool as pool_module
    from maillage.transport.darp.alns import Search

    instance = generated_instance(11, 10, 2, window=40)
    search = Search(Tables(instance), seed=1)
    best = search.run(time.monotonic() + 20, max_iterations=300)
    assert len(search.pool) > 40
    monkeypatch.setattr(pool_module, "RECOMBINED_ROUTES", 20)
    given = []
    real_addcols = pool_module.highspy.Highs.addCols

    def counting(self, count, *args):
        given.append(count)
        return real_addcols(self, count, *args)

    monkeypatch.setattr(pool_module.highspy.Highs, "addCols", counting)
    recombined = search.pool.recombine(best, time.monotonic() + 10)
    requests = len(instance.requests)
    assert given == [20 + requests]  # the routes kept, then one "unserved" column per request
    assert recombined is not None
    assert search.objective(recombined) <= search.objective(best) + 1e-9
    assert all(route.refresh(search.tables) for route in recombined.routes if not route.empty)
