"""The compiled insertion (`kernel.py`) answers exactly like the Python loops it replaced
(`reference_routes.py`), and both find what a brute force over every position pair finds."""

import random
from dataclasses import replace
from itertools import pairwise

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.transport.darp import kernel
from maillage.transport.darp.alns import Search
from maillage.transport.darp.routes import Route, best_insertion
from maillage.transport.darp.schedule import earliest_times, is_feasible
from maillage.transport.darp.tables import Tables

from . import reference_routes as reference
from .factories import generated_instance


def brute_force(route, request, tables):
    u, w = tables.pickups[request], tables.deliveries[request]
    seq, best = route.seq, None
    for i in range(len(seq) - 1):
        for j in range(i, len(seq) - 1):
            trial = [*seq[: i + 1], u, *seq[i + 1 : j + 1], w, *seq[j + 1 :]]
            vehicle = route.vehicle
            if is_feasible(trial, tables, vehicle.max_duration, vehicle.capacity):
                cost = sum(tables.cost[a][b] for a, b in pairwise(trial)) - route.cost
                if best is None or cost < best - 1e-9:
                    best = cost
    return best


def same_route(route, tables):
    """The route as the Python reference sees it; asserts both hold the same bounds."""
    twin = reference.Route(route.vehicle, list(route.seq))
    assert twin.refresh(tables)
    state, marks = route.state, route.marks
    for row, values in (
        (kernel.TIMES, twin.times),
        (kernel.LATEST, twin.latest),
        (kernel.CEILING, twin.ceiling),
        (kernel.STEP, twin.step),
        (kernel.ARC, twin.arc),
        (kernel.WAITED, twin.waited),
        (kernel.SLACK, twin.slack),
    ):
        assert state[row].tolist() == list(values), row
    room = [[x] if tables.single else list(x) for x in twin.room]
    assert marks[:, kernel.ROOM :].tolist() == room
    assert route.cost == twin.cost
    return twin


def compare(route, request, tables, twin) -> tuple[float, int, int] | None:
    """The kernel's answer, asserted equal (to the last bit) to the reference's."""
    found = best_insertion(route, request, tables)
    assert found == reference.best_insertion(twin, request, tables)
    return found


def compare_with_brute_force(instance, seed) -> int:
    """Insert removed requests back, checking every route's answer; returns the comparisons."""
    tables = Tables(instance)
    search = Search(tables, seed=seed)
    solution = search.initial()
    rng = random.Random(seed)
    compared = 0
    for _ in range(40):
        removed = search._random_removal(solution, rng.randint(1, 6))
        for request in removed:
            for route in solution.routes:
                found = compare(route, request, tables, same_route(route, tables))
                expected = brute_force(route, request, tables)
                assert (found is None) == (expected is None)
                if found is not None:
                    assert abs(found[0] - expected) < 1e-6
                compared += 1
        search._insert(solution, removed, regret=2, noise=False)
    return compared


def test_best_insertion_matches_brute_force(a2_16):
    assert compare_with_brute_force(a2_16, seed=4) > 200


def test_best_insertion_matches_brute_force_when_the_shift_binds(a2_16, monkeypatch):
    """Shorter shifts: the O(n) shift check (forward slack) decides both ways, exactly, and
    some insertions need the full re-timing; the kernel agrees with the reference on each."""
    verdicts, exact = [], []
    check, timing = reference._shift_fits, reference.earliest_times

    def recorded(*args):
        verdicts.append(check(*args))
        return verdicts[-1]

    def timed(*args, **kwargs):
        exact.append(timing(*args, **kwargs) is not None)
        return timing(*args, **kwargs)

    monkeypatch.setattr(reference, "_shift_fits", recorded)
    monkeypatch.setattr(reference, "earliest_times", timed)
    shorter = [replace(vehicle, max_duration=240.0) for vehicle in a2_16.vehicles]
    instance = replace(a2_16, vehicles=shorter)
    assert compare_with_brute_force(instance, seed=5) > 200
    assert True in verdicts and False in verdicts
    assert True in exact


def random_route(tables, vehicle, rng, count):
    chosen = rng.sample(range(len(tables.pickups)), count)
    seq = []
    for request in chosen:
        i = rng.randint(0, len(seq))
        seq.insert(i, tables.pickups[request])
        seq.insert(rng.randint(i + 1, len(seq)), tables.deliveries[request])
    return [vehicle.start, *seq, vehicle.end]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(3, 9),
    vehicles=st.integers(1, 3),
    max_ride=st.sampled_from([6.0, 10.0, 15.0, 30.0]),
    max_duration=st.sampled_from([30.0, 45.0, 80.0, 240.0]),
    window=st.sampled_from([3.0, 8.0, 15.0, 40.0]),
    capacity=st.sampled_from([(1,), (2,), (3,), (2, 1)]),
    tighten=st.booleans(),
)
def test_the_kernel_answers_like_the_python_loops(
    seed, requests, vehicles, max_ride, max_duration, window, capacity, tighten
):
    """Random routes (random orders of random requests, and the routes of a search's first
    solution), tight shifts, ride limits, windows and capacities (one or two dimensions):
    the same feasibility and bounds for each route, the same insertion (cost, positions) of
    every request into each feasible one, the same removal gains."""
    instance = generated_instance(
        seed,
        requests,
        vehicles,
        capacity=capacity,
        max_ride=max_ride,
        window=window,
        max_duration=max_duration,
        horizon=120,
        wheelchair_share=0.3,
    )
    tables = Tables(instance, tighten=tighten)
    rng = random.Random(seed)
    routes = [route for route in Search(tables, seed=seed).initial().routes if not route.empty]
    for _ in range(8):
        vehicle = rng.choice(tables.vehicles)
        seq = random_route(tables, vehicle, rng, rng.randint(1, min(4, requests)))
        route, twin = Route(vehicle, list(seq)), reference.Route(vehicle, list(seq))
        feasible = route.refresh(tables)
        assert feasible == twin.refresh(tables)
        times = earliest_times(seq, tables, vehicle.max_duration)
        assert feasible == (times is not None)
        if feasible:
            assert route.times.tolist() == times
            routes.append(route)
    arrays = tables.kernel()
    for route in routes:
        twin = same_route(route, tables)
        gains, positions = arrays.removal_gains(
            route.nodes, route.marks, arrays.matrices, arrays.ints
        )
        requests_out = [tables.request[route.seq[k]] for k in positions.tolist()]
        assert list(zip(gains.tolist(), requests_out, strict=True)) == reference.removal_gains(
            route.seq, tables
        )
        for request in range(requests):
            if tables.pickups[request] not in twin.position:
                compare(route, request, tables, twin)


def test_a_route_is_infeasible_when_its_shift_is_too_short(a2_16):
    tables = Tables(a2_16)
    vehicle = replace(tables.vehicles[0], max_duration=10.0)
    route = Route(vehicle, [0, 1, 17, 33])
    assert not route.refresh(tables)
    assert not reference.Route(vehicle, [0, 1, 17, 33]).refresh(tables)
    assert Route(tables.vehicles[0], [0, 1, 17, 33]).refresh(tables)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(2, 30),
    ties=st.booleans(),
    data=st.data(),
)
def test_shaw_choice_matches_the_numpy_version(seed, size, ties, data):
    """Related requests in the same order, ties (equal relatedness) included."""
    rng = np.random.default_rng(seed)
    spatial = rng.integers(0, 3, (size, size)).astype(float) if ties else rng.random((size, size))
    at_pickup = rng.integers(0, 4, size).astype(float)
    at_delivery = rng.integers(0, 4, size).astype(float) if ties else rng.random(size) * 100
    free = rng.random(size) < 0.8
    free[0] = True
    left = int(free.sum())
    steps = data.draw(st.integers(0, left - 1))
    seeds = [data.draw(st.integers(0, t)) for t in range(steps)]
    ranks = [data.draw(st.integers(0, left - 2 - t)) for t in range(steps)]
    arguments = (spatial, at_pickup, at_delivery, free, 0.5, 0, seeds, ranks)
    expected = reference.shaw_choice(*arguments)
    left_free = free.copy()
    found = kernel.shaw_choice(
        spatial,
        at_pickup,
        at_delivery,
        left_free,
        0.5,
        0,
        np.array(seeds, dtype=np.int64),
        np.array(ranks, dtype=np.int64),
    )
    assert found.tolist() == expected
