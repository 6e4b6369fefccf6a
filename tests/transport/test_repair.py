"""The compiled repair (`kernel.repair`, run by `alns.Search._insert`) inserts like the
search's Python loop it replaced (`reference_routes.repair`): the same routes, stop by stop,
and the same requests left out, greedy or regret, with or without noise."""

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.transport.darp.alns import Search
from maillage.transport.darp.solution import Solution
from maillage.transport.darp.tables import Tables

from . import reference_routes as reference
from .factories import generated_instance


class Draws:
    """Stands for the search's generator of noise: always the same uniform draws."""

    def __init__(self, values):
        self.values = np.array(values, dtype=np.float64)

    def random(self, _size):
        return self.values


def repaired(tables, seed, removed_share, regret, noise, draws):
    """(kernel's routes and unserved, reference's) after removing a share of a first
    solution's requests (and some whole routes) and repairing."""
    rng = random.Random(seed)
    search = Search(tables, seed=seed)
    search._noise = Draws(draws)
    solution = search.initial()
    served = sorted(request for route in solution.routes for request in route.requests(tables))
    removed = [request for request in served if rng.random() < removed_share]
    search._remove(solution, removed)
    for route in solution.routes:  # empty some routes whole: empty routes are chosen apart
        if not route.empty and rng.random() < 0.3:
            search._remove(solution, route.requests(tables))
    pending = sorted({*removed, *solution.unassigned})
    twins = []
    for route in solution.routes:
        twin = reference.Route(route.vehicle, list(route.seq))
        assert twin.refresh(tables)
        twins.append(twin)
    # A first repair fills the search's cache of insertions (the answers into the routes as
    # they are), which the second one reads.
    warm = Solution([route.copy() for route in solution.routes], set())
    search._insert(warm, pending[::2], 4 - regret, not noise)
    start = Solution([route.copy() for route in solution.routes], set())
    search._insert(start, pending + pending[:1], regret, noise)
    amplitude = search.noise_amplitude if noise else 0.0
    left = reference.repair(twins, pending, regret, amplitude, draws, search.shape, tables)
    return (
        ([route.seq for route in start.routes], start.unassigned),
        ([twin.seq for twin in twins], left),
        start,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(2, 12),
    vehicles=st.integers(1, 4),
    max_ride=st.sampled_from([6.0, 10.0, 15.0, 30.0]),
    max_duration=st.sampled_from([30.0, 45.0, 80.0, 240.0]),
    window=st.sampled_from([3.0, 8.0, 15.0, 40.0]),
    capacity=st.sampled_from([(1,), (2,), (3,), (2, 1)]),
    removed_share=st.sampled_from([0.2, 0.5, 1.0]),
    regret=st.sampled_from([1, 2, 3]),
    noise=st.booleans(),
    draws=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=40),
)
def test_the_compiled_repair_inserts_like_the_python_loop(
    seed,
    requests,
    vehicles,
    max_ride,
    max_duration,
    window,
    capacity,
    removed_share,
    regret,
    noise,
    draws,
):
    """Random days (tight shifts, ride limits, windows, one or two load dimensions), a share
    of the requests and some whole routes removed from a first solution: the same routes and
    the same unserved requests; few noise draws, so that they are read round more than once."""
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
    tables = Tables(instance)
    compiled, python, solution = repaired(tables, seed, removed_share, regret, noise, draws)
    assert compiled == python
    for route in solution.routes:  # the routes' bounds are refreshed
        assert reference.Route(route.vehicle, list(route.seq)).refresh(tables)
        assert route.nodes.tolist() == route.seq


def test_the_repair_serves_a_real_day_like_the_python_loop(a2_16):
    """On a2-16, every request removed then repaired, each heuristic, noise on and off (regret-3
    serves all 16, as the first solution does)."""
    tables = Tables(a2_16)
    for regret in (1, 2, 3):
        for noise in (False, True):
            compiled, python, _ = repaired(tables, regret, 1.0, regret, noise, [0.3, 0.9, 0.5])
            assert compiled == python
            if regret == 3:
                assert not compiled[1]
