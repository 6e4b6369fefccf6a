"""The compiled trip search (`trips.enumerate_trips`, `trip_kernel.py`) against the Python
search it replaced (`reference_trips.py`): the same trips, in the same order, to the last bit."""

from __future__ import annotations

import math
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.transport.darp.tables import Tables
from maillage.transport.darp.trips import BEGINNINGS_PER_LABEL, enumerate_trips, places

from . import reference_trips
from .factories import generated_instance, workshop_instance

WORKSHOP_DAYS = {
    "seed": st.integers(0, 10**6),
    "riders": st.integers(1, 7),
    "vehicles": st.integers(1, 3),
    "villages": st.integers(1, 3),
    "window": st.sampled_from([5.0, 20.0, 40.0]),
    "tolerance": st.sampled_from([3.0, 20.0, 40.0]),
    "capacity": st.sampled_from([(2,), (2, 1), (3, 1), (4, 1)]),
}


def _both(tables: Tables, capacity, ends=None):
    ends = [vehicle.end for vehicle in tables.vehicles] if ends is None else ends
    place = places(tables)
    compiled_budget, python_budget = [10**9], [10**9]
    compiled = enumerate_trips(tables, capacity, ends, math.inf, compiled_budget, place)
    python = reference_trips.enumerate_trips(tables, capacity, ends, math.inf, python_budget, place)
    return compiled, python, 10**9 - python_budget[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**WORKSHOP_DAYS)
def test_the_compiled_search_finds_the_python_searchs_trips_on_workshop_days(
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
    tables = Tables(instance)
    compiled, python, _ = _both(tables, tables.vehicles[0].capacity)
    assert compiled == python  # the same trips (stops, cost, timing), in the same order


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    requests=st.integers(1, 7),
    capacity=st.sampled_from([(1,), (2,), (3,), (2, 1)]),
    max_ride=st.sampled_from([10.0, 30.0, 60.0]),
    window=st.sampled_from([5.0, 15.0, 60.0]),
    wheelchair_share=st.sampled_from([0.0, 0.3]),
)
def test_the_compiled_search_finds_the_python_searchs_trips_on_scattered_days(
    seed, requests, capacity, max_ride, window, wheelchair_share
):
    instance = generated_instance(
        seed,
        requests,
        1,
        capacity=capacity,
        max_ride=max_ride,
        window=window,
        wheelchair_share=wheelchair_share,
    )
    tables = Tables(instance)
    compiled, python, _ = _both(tables, tables.vehicles[0].capacity)
    assert compiled == python


def test_the_compiled_search_gives_up_past_its_budget():
    tables = Tables(workshop_instance(3, 6, 2, villages=2, window=20.0, tolerance=20.0))
    capacity = tables.vehicles[0].capacity
    ends = [vehicle.end for vehicle in tables.vehicles]
    compiled, _, labels = _both(tables, capacity, ends)
    assert compiled and labels > 2 * BEGINNINGS_PER_LABEL
    place = places(tables)
    # Labels for every beginning: found; a label short of them: given up, the budget spent.
    budget = [-(-labels // BEGINNINGS_PER_LABEL)]
    assert enumerate_trips(tables, capacity, ends, math.inf, budget, place) == compiled
    assert budget == [0]
    budget = [(labels - 1) // BEGINNINGS_PER_LABEL]
    assert enumerate_trips(tables, capacity, ends, math.inf, budget, place) is None
    # No time left: given up.
    assert enumerate_trips(tables, capacity, ends, 0.0, [10**9], place) is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**WORKSHOP_DAYS)
def test_skipping_beaten_orders_keeps_the_same_trips(
    seed, riders, vehicles, villages, window, tolerance, capacity
):
    """A complete trip whose orders are not timed because a known trip beats their bounds
    (`_beaten`): the trips found are those found timing every order."""
    instance = workshop_instance(
        seed,
        min(riders, 6),
        vehicles,
        villages=villages,
        window=window,
        tolerance=tolerance,
        capacity=capacity,
    )
    tables = Tables(instance)
    ends = [vehicle.end for vehicle in tables.vehicles]

    def found():
        found = reference_trips.enumerate_trips(
            tables, tables.vehicles[0].capacity, ends, math.inf, [10**9], places(tables)
        )
        return sorted((t.seq, t.requests, t.cost, t.ready, t.span, t.latest) for t in found)

    skipping = found()
    with mock.patch.object(reference_trips, "_beaten", lambda *args: False):
        assert found() == skipping
