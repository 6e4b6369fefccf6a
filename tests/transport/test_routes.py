"""The screened insertion finds exactly what a brute force over every position pair finds."""

import random
from itertools import pairwise

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


def test_best_insertion_matches_brute_force(a2_16):
    tables = Tables(a2_16)
    search = Search(tables, seed=4)
    solution = search.initial()
    rng = random.Random(4)
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
    assert compared > 200
