"""Local descent (`descent.py`): 2-opt* and relocate moves never make a plan worse or
infeasible, keep who is served, end in a plan neither move improves, and find the moves the
examples are built around."""

import itertools
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.transport.darp import alns, descent
from maillage.transport.darp.alns import Search, Settings
from maillage.transport.darp.checker import Stop, check_solution
from maillage.transport.darp.descent import descend
from maillage.transport.darp.instance import Instance, Node, Request, Vehicle, euclidean_matrix
from maillage.transport.darp.routes import Route
from maillage.transport.darp.solution import Solution
from maillage.transport.darp.tables import Tables

from .factories import generated_instance


def checked(instance, tables, solution):
    """The checker's report on a search solution (times: the earliest timetable)."""
    routes = []
    for index, route in enumerate(solution.routes):
        if route.empty:
            continue
        stops = [
            Stop(node=node, arrival=float(time), start_of_service=float(time))
            for node, time in zip(route.seq, route.times.tolist(), strict=True)
        ]
        routes.append((index, stops))
    return check_solution(instance, routes)


def served(tables, solution):
    return sorted(request for route in solution.routes for request in route.requests(tables))


def empty_after(tables, seq):
    """Positions (before the end depot) after which nobody is on board."""
    on_board, positions = set(), []
    for k, node in enumerate(seq[:-1]):
        if tables.request[node] >= 0:
            on_board ^= {tables.request[node]}
        if not on_board:
            positions.append(k)
    return positions


def feasible(route, tables):
    """The route's timing rules (refresh) and its seats (refresh does not check them)."""
    return route.refresh(tables) and bool((route.marks[:, 1:] >= 0).all())


def exchanged(first, second, x, y):
    """Both routes with their tails exchanged after positions x and y."""
    return (
        Route(first.vehicle, [*first.seq[: x + 1], *second.seq[y + 1 :]]),
        Route(second.vehicle, [*second.seq[: y + 1], *first.seq[x + 1 :]]),
    )


def no_improving_move(tables, solution, shape):
    """Brute force: no tail exchange where both vehicles are empty and no single relocation
    lowers the cost."""
    routes = solution.routes
    for a, b in itertools.permutations(range(len(routes)), 2):
        first, second = routes[a], routes[b]
        if shape[a] == shape[b] and a < b:
            for x, y in itertools.product(
                empty_after(tables, first.seq), empty_after(tables, second.seq)
            ):
                one, two = exchanged(first, second, x, y)
                if (
                    feasible(one, tables)
                    and feasible(two, tables)
                    and one.cost + two.cost < first.cost + second.cost - 1e-6
                ):
                    return False, ("2-opt*", a, b, x, y)
        for request in first.requests(tables):
            pickup, delivery = tables.pickups[request], tables.deliveries[request]
            smaller = Route(first.vehicle, [n for n in first.seq if n not in (pickup, delivery)])
            if not smaller.refresh(tables):
                continue
            saved = first.cost - smaller.cost
            m = len(second.seq)
            for i in range(m - 1):
                for j in range(i, m - 1):
                    seq = second.seq
                    bigger = Route(
                        second.vehicle,
                        [*seq[: i + 1], pickup, *seq[i + 1 : j + 1], delivery, *seq[j + 1 :]],
                    )
                    if feasible(bigger, tables) and bigger.cost - second.cost < saved - 1e-6:
                        return False, ("relocate", request, a, b, i, j)
    return True, None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(2, 10),
    vehicles=st.integers(2, 4),
    max_duration=st.sampled_from([45.0, 90.0, 240.0]),
    window=st.sampled_from([8.0, 15.0, 40.0]),
    capacity=st.sampled_from([(1,), (2,), (3,), (2, 1)]),
)
def test_descent_keeps_plans_feasible_and_ends_in_a_local_optimum(
    seed, requests, vehicles, max_duration, window, capacity
):
    instance = generated_instance(
        seed,
        requests,
        vehicles,
        capacity=capacity,
        max_duration=max_duration,
        window=window,
        wheelchair_share=0.3,
    )
    tables = Tables(instance)
    search = Search(tables, seed=seed)
    solution = search.initial()
    before_cost, before_served = solution.cost, served(tables, solution)
    changed = descend(tables, solution, search.shape)
    report = checked(instance, tables, solution)
    assert report.feasible, report.violations
    assert abs(report.cost - solution.cost) < 1e-6
    assert served(tables, solution) == before_served
    assert solution.cost <= before_cost + 1e-9
    assert changed == (solution.cost < before_cost - 1e-9)
    optimal, move = no_improving_move(tables, solution, search.shape)
    assert optimal, move


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(4, 14),
    vehicles=st.integers(2, 4),
    window=st.sampled_from([8.0, 15.0, 40.0]),
)
def test_tail_exchanges_are_found_whenever_one_improves(seed, requests, vehicles, window):
    # The screening (cost read off four arcs, each vehicle reaching the other's next stop in
    # time) never hides an improving exchange that the brute force finds, and vice versa.
    instance = generated_instance(seed, requests, vehicles, window=window, max_duration=90.0)
    tables = Tables(instance)
    search = Search(tables, seed=seed)
    routes = search.initial().routes
    for a, b in itertools.combinations(range(len(routes)), 2):
        first, second = routes[a].copy(), routes[b].copy()
        if first.empty and second.empty:
            continue
        expected = any(
            feasible(one, tables)
            and feasible(two, tables)
            and one.cost + two.cost < first.cost + second.cost - 1e-6
            for x, y in itertools.product(
                empty_after(tables, first.seq), empty_after(tables, second.seq)
            )
            for one, two in [exchanged(first, second, x, y)]
        )
        before = first.cost + second.cost
        cuts = descent._cuts(tables, first), descent._cuts(tables, second)
        assert descent._exchange_tails(tables, first, second, *cuts) == expected
        assert (first.cost + second.cost < before - 1e-9) == expected


def line_instance(points, windows, vehicles=2, capacity=1, horizon=200.0):
    """Requests along a line: (pickup x, delivery x) with the pickup's window; depot at 0."""
    count = len(points)
    nodes = [Node(0, 0.0, 0.0, 0.0, (0,), 0.0, horizon)]
    for k, (x, _) in enumerate(points, start=1):
        nodes.append(Node(k, x, 0.0, 0.0, (1,), *windows[k - 1]))
    for k, (_, x) in enumerate(points, start=count + 1):
        nodes.append(Node(k, x, 0.0, 0.0, (-1,), 0.0, horizon))
    nodes.append(Node(2 * count + 1, 0.0, 0.0, 0.0, (0,), 0.0, horizon))
    return Instance(
        name="line",
        nodes=nodes,
        requests=[Request(k, k, count + k, 1000.0) for k in range(1, count + 1)],
        vehicles=[Vehicle(v, 0, 2 * count + 1, (capacity,), horizon) for v in range(vehicles)],
        dimensions=("places",),
        travel=euclidean_matrix(nodes),
    )


def plan(tables, sequences):
    routes = [Route(vehicle) for vehicle in tables.vehicles]
    for route, seq in zip(routes, sequences, strict=True):
        route.seq = seq
        assert route.refresh(tables)
    return Solution(routes, set())


def test_two_opt_star_swaps_the_afternoons_of_two_vehicles():
    # Each vehicle rides east (west) in the morning, then two chained rides west (east) in
    # the afternoon: swapping the afternoons saves four crossings of the depot. No single
    # ride can change vehicle with gain (each afternoon's rides are timed end to end).
    instance = line_instance(
        points=[(10, 12), (-10, -12), (-10, -12), (-12, -14), (10, 12), (12, 14)],
        windows=[(0, 30), (0, 30), (100, 110), (120, 130), (100, 110), (120, 130)],
    )
    tables = Tables(instance)
    search = Search(tables)
    solution = plan(tables, [[0, 1, 7, 3, 9, 4, 10, 13], [0, 2, 8, 5, 11, 6, 12, 13]])
    assert abs(solution.cost - 2 * 52.0) < 1e-9
    assert descend(tables, solution, search.shape)
    assert [route.seq for route in solution.routes] == [
        [0, 1, 7, 5, 11, 6, 12, 13],
        [0, 2, 8, 3, 9, 4, 10, 13],
    ]
    assert abs(solution.cost - 2 * 32.0) < 1e-9


def test_relocate_moves_a_ride_into_the_vehicle_already_going_there():
    # Vehicle 1 rides west, then east (request 3), then west again: request 3 belongs with
    # vehicle 0, which rides east at the same time as vehicle 1's first ride (so neither can
    # do everything). Exchanging tails alone would also hand vehicle 0 the last west ride.
    instance = line_instance(
        points=[(10, 12), (-10, -12), (11, 13), (12, 14), (-11, -13)],
        windows=[(0, 20), (0, 20), (0, 20), (0, 60), (0, 80)],
        capacity=3,
    )
    tables = Tables(instance)
    search = Search(tables)
    solution = plan(tables, [[0, 1, 3, 6, 8, 11], [0, 2, 7, 4, 9, 5, 10, 11]])
    assert abs(solution.cost - 104.0) < 1e-9
    assert descend(tables, solution, search.shape)
    assert sorted(solution.routes[0].requests(tables)) == [0, 2, 3]
    assert sorted(solution.routes[1].requests(tables)) == [1, 4]
    assert abs(solution.cost - 56.0) < 1e-9


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), requests=st.integers(4, 10), vehicles=st.integers(2, 3))
def test_the_search_returns_plans_no_move_improves(seed, requests, vehicles):
    # Every candidate is descended before it is judged (`Settings.descent`).
    instance = generated_instance(seed, requests, vehicles, max_duration=90.0)
    tables = Tables(instance)
    search = Search(tables, seed=seed)
    best = search.run(time.monotonic() + 60, max_iterations=60)
    optimal, move = no_improving_move(tables, best, search.shape)
    assert optimal, move


def test_the_search_can_do_without_descent(monkeypatch):
    instance = generated_instance(3, 12, 3, max_duration=90.0)
    tables = Tables(instance)
    calls = []
    monkeypatch.setattr(alns, "descend", lambda *args: calls.append(args))
    search = Search(tables, seed=3, settings=Settings(descent=False))
    search.run(time.monotonic() + 60, max_iterations=30)
    assert not calls
    Search(tables, seed=3).run(time.monotonic() + 60, max_iterations=30)
    assert calls
