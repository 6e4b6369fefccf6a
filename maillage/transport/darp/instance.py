"""The dial-a-ride problem (DARP) in a neutral form, for the planner, the checker and the readers.

A ride request is a pair of nodes (pickup, delivery) that the same vehicle must visit in that
order, within each node's time window, with the passenger on board no longer than the request's
maximum ride time. Vehicles have a capacity per load dimension (for instance seats and wheelchair
places), their own start and end depots and a maximum shift duration.

Nothing here knows about Django: the transport app builds an `Instance` from ride requests and
vehicles, the readers build one from the literature's benchmark files, and the solver and the
checker take nothing else. Times are in minutes from an arbitrary origin (the benchmark's day
starts at 0); travel times and costs are plain floats, never rounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Node:
    """A place to visit: a depot, a pickup or a delivery.

    `load` is what the vehicle gains there, per dimension: positive at a pickup, its opposite at
    the matching delivery, zero at depots. `service` is the time spent at the node (boarding,
    helping a wheelchair user…), and service must *start* within [earliest, latest].
    """

    id: int
    x: float
    y: float
    service: float
    load: tuple[int, ...]
    earliest: float
    latest: float


@dataclass(frozen=True)
class Request:
    """One passenger (or group) to carry from `pickup` to `delivery` (node ids).

    `max_ride` bounds the time between the end of service at the pickup and the start of service
    at the delivery. The transport app sets it to the direct trip plus a tolerance (30 minutes by
    default); the benchmarks give one value for every request.
    """

    id: int
    pickup: int
    delivery: int
    max_ride: float


@dataclass(frozen=True)
class Vehicle:
    """A vehicle and its driver's shift: depots, capacity per dimension, maximum duration.

    The shift window is the time window of the depot nodes; `max_duration` bounds the time from
    leaving the start depot to arriving at the end depot.
    """

    id: int
    start: int
    end: int
    capacity: tuple[int, ...]
    max_duration: float


@dataclass
class Instance:
    """Nodes, requests, vehicles and the travel-time and cost matrices between nodes.

    `nodes[k].id == k`. `travel[i][j]` is the driving time from node i to node j; `cost` defaults
    to the travel time (the benchmarks minimise total travel time, which is also their distance).
    """

    name: str
    nodes: list[Node]
    requests: list[Request]
    vehicles: list[Vehicle]
    travel: list[list[float]]
    cost: list[list[float]] = field(default_factory=list)
    dimensions: tuple[str, ...] = ("places",)

    def __post_init__(self) -> None:
        if not self.cost:
            self.cost = self.travel
        for index, node in enumerate(self.nodes):
            if node.id != index:
                raise ValueError(f"node {node.id} is at position {index}: ids must be 0..N-1")
            if len(node.load) != len(self.dimensions):
                raise ValueError(f"node {node.id} has {len(node.load)} load dimensions")
        for vehicle in self.vehicles:
            if len(vehicle.capacity) != len(self.dimensions):
                raise ValueError(f"vehicle {vehicle.id} has {len(vehicle.capacity)} dimensions")

    @property
    def request_of_node(self) -> dict[int, Request]:
        """Map each pickup and delivery node id to its request."""
        mapping: dict[int, Request] = {}
        for request in self.requests:
            mapping[request.pickup] = request
            mapping[request.delivery] = request
        return mapping

    def direct_time(self, request: Request) -> float:
        """Driving time of the request's direct trip, pickup to delivery."""
        return self.travel[request.pickup][request.delivery]


def euclidean_matrix(nodes: list[Node]) -> list[list[float]]:
    """Exact Euclidean distances between nodes, as the benchmarks define travel times."""
    return [[math.dist((a.x, a.y), (b.x, b.y)) for b in nodes] for a in nodes]
