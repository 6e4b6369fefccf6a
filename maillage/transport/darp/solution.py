"""What a planner returns: tours with their timetable, unserved requests with a reason, cost.

The JSON form is the one `maillage darp-solve --json` prints and `bench/darp.py` checks:
node ids are the instance's, times are minutes, and each tour runs from the vehicle's start
depot to its end depot. Unused vehicles are omitted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checker import Stop
from .instance import Instance
from .routes import Route
from .schedule import arrivals, published_times
from .tables import Tables


@dataclass
class Tour:
    """One vehicle's route: its stops (node, arrival, start of service) and its cost."""

    vehicle: int
    stops: list[Stop]
    cost: float


@dataclass
class UnservedRequest:
    request: int
    reason: str  # an `UnservedReason` code
    message: str  # the reason in plain French


@dataclass
class DarpSolution:
    instance: str
    requests: int
    tours: list[Tour] = field(default_factory=list)
    unserved: list[UnservedRequest] = field(default_factory=list)
    seconds: float = 0.0
    method: str = ""
    iterations: int = 0
    # The tours are optimal (most requests served, then least cost) and proven so.
    proven: bool = False
    # A proven lower bound on the cost of any plan serving as many requests, when known.
    bound: float | None = None

    @property
    def cost(self) -> float:
        return sum(tour.cost for tour in self.tours)

    @property
    def served(self) -> int:
        return self.requests - len(self.unserved)

    def routes_for_checker(self) -> list[tuple[int, list[Stop]]]:
        return [(tour.vehicle, tour.stops) for tour in self.tours]

    def as_json(self) -> dict:
        return {
            "instance": self.instance,
            "method": self.method,
            "cost": round(self.cost, 6),
            "requests": self.requests,
            "served": self.served,
            "seconds": round(self.seconds, 3),
            "iterations": self.iterations,
            "proven": self.proven,
            "bound": None if self.bound is None else round(self.bound, 6),
            "vehicles": [
                {
                    "vehicle": tour.vehicle,
                    "cost": round(tour.cost, 6),
                    "route": [
                        {
                            "node": stop.node,
                            "arrival": stop.arrival,
                            "start_of_service": stop.start_of_service,
                        }
                        for stop in tour.stops
                    ],
                }
                for tour in self.tours
            ],
            "unserved": [
                {"request": item.request, "reason": item.reason, "message": item.message}
                for item in self.unserved
            ],
        }


def make_tour(
    instance: Instance, tables: Tables, vehicle_index: int, seq: list[int], windows=None
) -> Tour:
    """Publish a feasible node sequence as a tour with its duration- and ride-minimising times."""
    vehicle = instance.vehicles[vehicle_index]
    times = published_times(seq, tables, vehicle.max_duration, windows)
    if times is None:
        raise ValueError(f"route of vehicle {vehicle.id} is not feasible: {seq}")
    arrival = arrivals(seq, times, tables)
    # Nobody waits at the end depot: the tour ends when the vehicle gets there.
    times[-1] = arrival[-1] if arrival[-1] >= tables.early[seq[-1]] else times[-1]
    stops = [
        Stop(node=node, arrival=a, start_of_service=max(t, a))
        for node, a, t in zip(seq, arrival, times, strict=True)
    ]
    cost = sum(instance.cost[seq[k]][seq[k + 1]] for k in range(len(seq) - 1))
    return Tour(vehicle=vehicle.id, stops=stops, cost=cost)


class Solution:
    """Routes of every vehicle (index = vehicle) and the requests left unserved."""

    __slots__ = ("routes", "unassigned")

    def __init__(self, routes: list[Route], unassigned: set[int]) -> None:
        self.routes = routes
        self.unassigned = unassigned

    def copy(self) -> Solution:
        return Solution([route.copy() for route in self.routes], set(self.unassigned))

    @property
    def cost(self) -> float:
        return sum(route.cost for route in self.routes)
