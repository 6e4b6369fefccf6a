"""The independent checker catches each kind of violation on hand-made solutions."""

from dataclasses import replace

import pytest

from maillage.transport.darp.checker import Stop, check_solution
from maillage.transport.darp.instance import Instance, Node, Request, Vehicle, euclidean_matrix


@pytest.fixture
def line():
    """Two requests on a line: depot 0 at x=0, pickups at x=1, 2, deliveries at x=3, 4."""
    nodes = [
        Node(0, 0, 0, 0, (0,), 0, 100),
        Node(1, 1, 0, 1, (1,), 0, 100),
        Node(2, 2, 0, 1, (1,), 0, 100),
        Node(3, 3, 0, 1, (-1,), 0, 100),
        Node(4, 4, 0, 1, (-1,), 0, 100),
        Node(5, 0, 0, 0, (0,), 0, 100),
    ]
    return Instance(
        name="line",
        nodes=nodes,
        requests=[Request(0, 1, 3, 10.0), Request(1, 2, 4, 10.0)],
        vehicles=[Vehicle(0, 0, 5, (2,), 50.0), Vehicle(1, 0, 5, (2,), 50.0)],
        travel=euclidean_matrix(nodes),
    )


def good_route():
    # 0 -> 1 -> 2 -> 3 -> 4 -> 0: each leg 1 minute, service 1 minute.
    return [
        Stop(0, 0, 0),
        Stop(1, 1, 1),
        Stop(2, 3, 3),
        Stop(3, 5, 5),
        Stop(4, 7, 7),
        Stop(5, 12, 12),
    ]


def test_good_solution(line):
    report = check_solution(line, [(0, good_route())])
    assert report.feasible, report.violations
    assert report.cost == pytest.approx(8.0)
    assert report.served == {0, 1}


def violations(line, routes):
    report = check_solution(line, routes)
    assert not report.feasible
    return " | ".join(report.violations)


def test_arrival_before_travel_time(line):
    route = good_route()
    route[2] = Stop(2, 2.5, 3)
    assert "previous departure + travel" in violations(line, [(0, route)])


def test_service_before_arrival(line):
    route = good_route()
    route[2] = Stop(2, 3, 2.9)
    assert "starts before arrival" in violations(line, [(0, route)])


def test_time_window(line):
    line.nodes[3] = replace(line.nodes[3], latest=4)
    assert "after window" in violations(line, [(0, good_route())])
    line.nodes[3] = replace(line.nodes[3], earliest=6, latest=100)
    assert "before window" in violations(line, [(0, good_route())])


def test_capacity(line):
    line.vehicles[0] = replace(line.vehicles[0], capacity=(1,))
    assert "exceeds capacity" in violations(line, [(0, good_route())])


def test_ride_time(line):
    line.requests[0] = replace(line.requests[0], max_ride=2.5)
    # Request 0: service at pickup 1 ends at 2, delivery starts at 5: ride 3 > 2.5.
    assert "rides 3.000 > 2.5" in violations(line, [(0, good_route())])


def test_duration(line):
    line.vehicles[0] = replace(line.vehicles[0], max_duration=11.5)
    assert "duration 12.000 exceeds" in violations(line, [(0, good_route())])


def test_delivery_before_pickup(line):
    route = [Stop(0, 0, 0), Stop(3, 3, 3), Stop(1, 6, 6), Stop(5, 8, 8)]
    assert "delivered before pickup" in violations(line, [(0, route)])


def test_pair_split_between_vehicles(line):
    first = [Stop(0, 0, 0), Stop(1, 1, 1), Stop(5, 3, 3)]
    second = [Stop(0, 0, 0), Stop(3, 3, 3), Stop(5, 7, 7)]
    text = violations(line, [(0, first), (1, second)])
    assert "never delivered" in text and "never picked up" in text


def test_node_visited_twice_and_wrong_depot(line):
    route = good_route()
    assert "visited twice" in violations(line, [(0, route), (1, route)])
    assert "from depot" in violations(line, [(0, route[1:])])


def test_unserved_requests_are_counted_not_infeasible(line):
    route = [Stop(0, 0, 0), Stop(1, 1, 1), Stop(3, 4, 4), Stop(5, 8, 8)]
    report = check_solution(line, [(0, route)])
    assert report.feasible
    assert report.unserved == {1}
