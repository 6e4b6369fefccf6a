"""The exact scheduling decides feasibility like a linear program does, on random tiny routes."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.schedule import earliest_times, is_feasible
from maillage.transport.darp.solution import make_tour
from maillage.transport.darp.tables import Tables

from .factories import generated_instance


def lp_feasible(instance, seq, max_duration) -> bool:
    """Brute force: the timing constraints of `seq` as an LP, original (untightened) windows."""
    nodes = instance.nodes
    solver = pywraplp.Solver.CreateSolver("GLOP")
    times = [solver.NumVar(nodes[n].earliest, nodes[n].latest, "") for n in seq]
    for k in range(1, len(seq)):
        a, b = seq[k - 1], seq[k]
        solver.Add(times[k] - times[k - 1] >= nodes[a].service + instance.travel[a][b])
    position = {node: k for k, node in enumerate(seq)}
    for request in instance.requests:
        if request.pickup in position:
            ride = times[position[request.delivery]] - times[position[request.pickup]]
            solver.Add(ride - nodes[request.pickup].service <= request.max_ride)
    solver.Add(times[-1] - times[0] - nodes[seq[0]].service <= max_duration)
    return solver.Solve() == pywraplp.Solver.OPTIMAL


def random_route(instance, rng, count):
    chosen = rng.sample(instance.requests, count)
    seq = []
    for request in chosen:
        i = rng.randint(0, len(seq))
        seq.insert(i, request.pickup)
        seq.insert(rng.randint(i + 1, len(seq)), request.delivery)
    vehicle = instance.vehicles[0]
    return [vehicle.start, *seq, vehicle.end]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    count=st.integers(1, 4),
    max_ride=st.sampled_from([8.0, 15.0, 30.0]),
    max_duration=st.sampled_from([40.0, 80.0, 240.0]),
    window=st.sampled_from([5.0, 15.0, 40.0]),
    tighten=st.booleans(),
)
def test_feasibility_matches_the_lp(seed, count, max_ride, max_duration, window, tighten):
    instance = generated_instance(
        seed, 5, 1, max_ride=max_ride, window=window, max_duration=max_duration, horizon=120
    )
    tables = Tables(instance, tighten=tighten)
    rng = random.Random(seed)
    for _ in range(5):
        seq = random_route(instance, rng, count)
        expected = lp_feasible(instance, seq, max_duration)
        times = earliest_times(seq, tables, max_duration)
        assert (times is not None) == expected, seq
        if times is not None:
            # The published timetable passes the independent checker.
            tour = make_tour(instance, tables, 0, seq)
            report = check_solution(instance, [(tour.vehicle, tour.stops)])
            assert report.feasible, report.violations


def test_capacity_is_part_of_route_feasibility():
    instance = generated_instance(3, 4, 1, capacity=(1,), window=200, max_ride=200)
    tables = Tables(instance)
    nested = [0, 1, 2, 6, 5, 9]
    assert not is_feasible(nested, tables, 240.0, 1)
    assert is_feasible(nested, tables, 240.0, 2) == (
        earliest_times(nested, tables, 240.0) is not None
    )


def test_published_times_shorten_waiting_on_board(a2_16):
    tables = Tables(a2_16)
    # An outbound request (tight delivery window 402-417) alone: the earliest timetable picks
    # the passenger up at once and waits; the published one leaves late enough not to.
    seq = [0, 1, 17, 33]
    earliest = earliest_times(seq, tables, 480)
    tour = make_tour(a2_16, tables, 0, seq)
    pickup, delivery = tour.stops[1], tour.stops[2]
    ride = delivery.start_of_service - pickup.start_of_service - 3
    assert abs(ride - a2_16.travel[1][17]) < 1e-6
    assert earliest[2] - earliest[1] - 3 >= ride
