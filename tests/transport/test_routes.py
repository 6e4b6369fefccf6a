"""The screened insertion finds exactly what a brute force over every position pair finds."""

import random
from dataclasses import replace
from itertools import pairwise

from maillage.transport.darp import routes
from maillage.transport.darp.alns import Search
from maillage.transport.darp.routes import best_insertion
from maillage.transport.darp.schedule import is_feasible
from maillage.transport.darp.tables import Tables


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
                found = best_insertion(route, request, tables)
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
    """Shorter shifts: the O(n) shift check (forward slack) decides both ways, exactly."""
    verdicts = []
    check = routes._shift_fits

    def recorded(*args):
        verdicts.append(check(*args))
        return verdicts[-1]

    monkeypatch.setattr(routes, "_shift_fits", recorded)
    shorter = [replace(vehicle, max_duration=240.0) for vehicle in a2_16.vehicles]
    instance = replace(a2_16, vehicles=shorter)
    assert compare_with_brute_force(instance, seed=5) > 200
    assert True in verdicts and False in verdicts
