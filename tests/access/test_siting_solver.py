"""The siting solver (no database): the exact optimum against the greedy and against brute force."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.access import siting


@st.composite
def instances(draw, max_points: int = 10, max_candidates: int = 7):
    """Random small territories: populations, a travel matrix, some existing places."""
    n = draw(st.integers(1, max_points))
    m = draw(st.integers(1, max_candidates))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    population = rng.integers(0, 2000, n)
    minutes = rng.uniform(0, 40, (n, m)).round(1)
    minutes[rng.random((n, m)) < 0.1] = np.inf  # some pairs without a road
    existing = np.where(rng.random(n) < draw(st.floats(0, 0.6)), rng.uniform(0, 40, n), np.inf)
    k = draw(st.integers(0, m + 1))
    return siting.Instance.from_matrix(population, minutes, existing), k


def _subsets(m: int, k: int):
    for size in range(min(k, m) + 1):
        yield from itertools.combinations(range(m), size)


def _median_cost(instance, sites) -> float:
    ceiling = np.where(
        np.isfinite(instance.existing_minutes),
        instance.existing_minutes,
        siting.median_penalty(instance),
    )
    nearest = np.minimum(instance.nearest_minutes(list(sites)), ceiling)
    return float((instance.population * nearest).sum())


@settings(max_examples=60, deadline=None)
@given(instances(), st.sampled_from([10, 15, 20]))
def test_max_coverage_is_the_brute_force_optimum_and_beats_greedy(case, minutes):
    instance, k = case
    solution = siting.max_coverage(instance, k, minutes)
    best = max(instance.covered_population(s, minutes) for s in _subsets(instance.n_candidates, k))
    assert solution.proven_optimal
    assert solution.value == pytest.approx(best)
    assert solution.value >= solution.greedy_value
    assert solution.value == pytest.approx(instance.covered_population(solution.sites, minutes))
    assert len(solution.sites) <= k and len(set(solution.sites)) == len(solution.sites)
    assert solution.gap == 0 or solution.bound - solution.value < 1


@settings(max_examples=60, deadline=None)
@given(instances())
def test_p_median_is_the_brute_force_optimum_and_beats_greedy(case):
    instance, k = case
    solution = siting.p_median(instance, k)
    best = min(_median_cost(instance, s) for s in _subsets(instance.n_candidates, k))
    assert solution.proven_optimal
    assert solution.value == pytest.approx(best, rel=1e-6, abs=1e-6)
    assert solution.value <= solution.greedy_value + 1e-6
    assert solution.value == pytest.approx(_median_cost(instance, solution.sites))
    assert len(solution.sites) <= k


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_optimum_is_at_least_greedy_on_larger_random_instances(seed):
    rng = np.random.default_rng(seed)
    n, m = 150, 60
    points = rng.uniform(0, 60, (n, 2))
    sites = rng.uniform(0, 60, (m, 2))
    minutes = np.hypot(*(points[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) * 1.2
    instance = siting.Instance.from_matrix(rng.integers(50, 5000, n), minutes)
    coverage = siting.max_coverage(instance, 6, 15)
    median = siting.p_median(instance, 6)
    assert coverage.proven_optimal and coverage.value >= coverage.greedy_value
    assert median.proven_optimal and median.value <= median.greedy_value + 1e-6


def test_greedy_is_beaten_where_it_is_known_to_fail():
    # The central site covers most at once; the two side sites together cover more.
    population = [30, 30, 30, 30, 10]
    near, far = 5.0, 99.0
    minutes = np.array(
        [  # candidates: 0 centre, 1 left, 2 right
            [far, near, far],
            [near, near, far],
            [near, far, near],
            [far, far, near],
            [near, far, far],
        ]
    )
    instance = siting.Instance.from_matrix(population, minutes)
    solution = siting.max_coverage(instance, 2, 15)
    assert solution.greedy_sites[0] == 0 and solution.greedy_value == 100
    assert solution.value == 120 and set(solution.sites) == {1, 2}
    assert solution.proven_optimal and solution.gap == 0


def test_existing_places_count_as_open_and_sites_that_add_nobody_are_dropped():
    instance = siting.Instance.from_matrix(
        [1000, 500], np.array([[3.0, 3.0], [40.0, 8.0]]), existing_minutes=[2.0, np.inf]
    )
    solution = siting.max_coverage(instance, 2, 15)
    assert solution.value == 1500
    assert solution.sites == [1]  # candidate 0 adds nobody: point 0 is already served


def test_from_scratch_p_median_assigns_everyone_to_an_open_site():
    minutes = np.array([[0.0, 30.0], [30.0, 0.0], [12.0, 14.0]])
    instance = siting.Instance.from_matrix([10, 1000, 10], minutes)
    solution = siting.p_median(instance, 1)
    assert solution.sites == [1]
    assert solution.value == pytest.approx(10 * 30 + 0 + 10 * 14)
