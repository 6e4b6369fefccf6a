"""An independent feasibility checker and cost evaluator for dial-a-ride solutions.

Deliberately simple and separate from the solver: it shares nothing with the planner but the
`Instance` it reads, and it checks every rule directly on the times the solution *states*, in
plain float arithmetic with an absolute tolerance of 0.001 minute, as the benchmark literature
does. A planner bug therefore cannot hide behind a shared helper.

A solution is a list of routes; a route is a vehicle id and its stops, each stop a node id with
the vehicle's arrival time and the start of service there, from the vehicle's start depot to its
end depot.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .instance import Instance

TOLERANCE = 0.001


@dataclass(frozen=True)
class Stop:
    node: int
    arrival: float
    start_of_service: float


@dataclass
class CheckReport:
    """What the checker found: violations in plain words, cost, served and unserved requests."""

    violations: list[str] = field(default_factory=list)
    cost: float = 0.0
    served: set[int] = field(default_factory=set)
    unserved: set[int] = field(default_factory=set)

    @property
    def feasible(self) -> bool:
        return not self.violations


def check_solution(
    instance: Instance, routes: list[tuple[int, list[Stop]]], tolerance: float = TOLERANCE
) -> CheckReport:
    """Check every rule of the DARP on `routes` (vehicle id, stops) and total their cost."""
    report = CheckReport()
    request_of = instance.request_of_node
    seen_nodes: set[int] = set()
    used_vehicles: set[int] = set()
    vehicles = {vehicle.id: vehicle for vehicle in instance.vehicles}
    for vehicle_id, stops in routes:
        vehicle = vehicles.get(vehicle_id)
        if vehicle is None:
            report.violations.append(f"vehicle {vehicle_id}: unknown vehicle")
            continue
        if vehicle_id in used_vehicles:
            report.violations.append(f"vehicle {vehicle_id}: used by two routes")
        used_vehicles.add(vehicle_id)
        _check_route(instance, vehicle, stops, request_of, seen_nodes, report, tolerance)
    for request in instance.requests:
        if request.pickup in seen_nodes and request.delivery in seen_nodes:
            report.served.add(request.id)
        else:
            report.unserved.add(request.id)
    return report


def _check_route(instance, vehicle, stops, request_of, seen_nodes, report, tolerance) -> None:
    label = f"vehicle {vehicle.id}"
    nodes = instance.nodes
    if len(stops) < 2 or stops[0].node != vehicle.start or stops[-1].node != vehicle.end:
        report.violations.append(
            f"{label}: route must go from depot {vehicle.start} to {vehicle.end}"
        )
        return
    position: dict[int, int] = {}
    for index, stop in enumerate(stops[1:-1], start=1):
        if stop.node not in request_of:
            report.violations.append(f"{label}: node {stop.node} is not a pickup or delivery")
            continue
        if stop.node in seen_nodes:
            report.violations.append(f"{label}: node {stop.node} visited twice")
        seen_nodes.add(stop.node)
        position[stop.node] = index

    load = [0] * len(vehicle.capacity)
    for index, stop in enumerate(stops):
        node = nodes[stop.node]
        where = f"{label}, node {stop.node}"
        if index > 0:
            previous = stops[index - 1]
            report.cost += instance.cost[previous.node][stop.node]
            earliest_arrival = (
                previous.start_of_service
                + nodes[previous.node].service
                + instance.travel[previous.node][stop.node]
            )
            if stop.arrival < earliest_arrival - tolerance:
                report.violations.append(
                    f"{where}: arrival {stop.arrival:.3f} before {earliest_arrival:.3f} "
                    "(previous departure + travel time)"
                )
        if stop.start_of_service < stop.arrival - tolerance:
            report.violations.append(f"{where}: service starts before arrival")
        if stop.start_of_service < node.earliest - tolerance:
            report.violations.append(
                f"{where}: service at {stop.start_of_service:.3f} before window {node.earliest}"
            )
        if stop.start_of_service > node.latest + tolerance:
            report.violations.append(
                f"{where}: service at {stop.start_of_service:.3f} after window {node.latest}"
            )
        for dimension, amount in enumerate(node.load):
            load[dimension] += amount
            if load[dimension] > vehicle.capacity[dimension]:
                report.violations.append(
                    f"{where}: load {load[dimension]} exceeds capacity "
                    f"{vehicle.capacity[dimension]} ({instance.dimensions[dimension]})"
                )
            if load[dimension] < 0:
                report.violations.append(f"{where}: negative load")

    for node_id, index in position.items():
        request = request_of[node_id]
        if node_id != request.pickup:
            continue
        if request.delivery not in position:
            report.violations.append(f"{label}: request {request.id} picked up, never delivered")
            continue
        if position[request.delivery] < index:
            report.violations.append(f"{label}: request {request.id} delivered before pickup")
            continue
        pickup = stops[index]
        delivery = stops[position[request.delivery]]
        ride = delivery.start_of_service - (pickup.start_of_service + nodes[request.pickup].service)
        if ride > request.max_ride + tolerance:
            report.violations.append(
                f"{label}: request {request.id} rides {ride:.3f} > {request.max_ride}"
            )
    for node_id in position:
        request = request_of[node_id]
        if node_id == request.delivery and request.pickup not in position:
            report.violations.append(f"{label}: request {request.id} delivered, never picked up")

    departure = stops[0].start_of_service + nodes[stops[0].node].service
    duration = stops[-1].arrival - departure
    if duration > vehicle.max_duration + tolerance:
        report.violations.append(f"{label}: duration {duration:.3f} exceeds {vehicle.max_duration}")
