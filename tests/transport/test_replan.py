"""Re-planning keeps confirmed pickups within the tolerance, adds and cancels requests."""

from dataclasses import replace

from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.instance import Node, Request, euclidean_matrix
from maillage.transport.darp.replan import confirmed_pickups, replan
from maillage.transport.darp.solver import solve

from .factories import generated_instance

TOLERANCE = 5.0


def with_new_request(instance, x=(1.0, 2.0), y=(-3.0, 4.0), window=(100.0, 130.0)):
    """`instance` plus one outbound request (nodes appended after the end depot)."""
    first = len(instance.nodes)
    nodes = [
        *instance.nodes,
        Node(first, *x, 2.0, (1,), 0.0, 240.0),
        Node(first + 1, *y, 2.0, (-1,), *window),
    ]
    request = Request(id=99, pickup=first, delivery=first + 1, max_ride=30.0)
    return replace(
        instance,
        nodes=nodes,
        requests=[*instance.requests, request],
        travel=euclidean_matrix(nodes),
        cost=[],
    )


def assert_kept(solution, instance, promised):
    pickups = confirmed_pickups(solution, instance)
    for request_id, time in promised.items():
        assert request_id in pickups, f"confirmed request {request_id} dropped"
        assert abs(pickups[request_id] - time) <= TOLERANCE + 1e-3


def test_adding_a_request_keeps_confirmed_pickups():
    instance = generated_instance(11, 8, 2, window=20)
    before = solve(instance, 10, workers=1, max_iterations=300)
    promised = confirmed_pickups(before, instance)
    bigger = with_new_request(instance)
    after, constrained = replan(bigger, before, tolerance=TOLERANCE, seconds=10, max_iterations=300)
    assert check_solution(constrained, after.routes_for_checker()).feasible
    assert check_solution(bigger, after.routes_for_checker()).feasible
    assert_kept(after, bigger, promised)
    assert after.served + len(after.unserved) == 9
    assert all(item.message for item in after.unserved)


def test_cancelling_a_request_removes_it_and_keeps_the_others():
    instance = generated_instance(12, 8, 2, window=20)
    before = solve(instance, 10, workers=1, max_iterations=300)
    promised = confirmed_pickups(before, instance)
    cancelled = next(iter(promised))
    smaller = replace(
        instance, requests=[r for r in instance.requests if r.id != cancelled], cost=[]
    )
    after, _ = replan(smaller, before, tolerance=TOLERANCE, seconds=10, max_iterations=300)
    report = check_solution(smaller, after.routes_for_checker())
    assert report.feasible, report.violations
    del promised[cancelled]
    assert_kept(after, smaller, promised)
    visited = {stop.node for tour in after.tours for stop in tour.stops}
    request = instance.requests[cancelled]
    assert request.pickup not in visited and request.delivery not in visited
    assert after.cost <= before.cost + 1e-6  # removing a passenger never costs more here
