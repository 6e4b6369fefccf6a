"""A vehicle's route during the search, and the cheapest feasible insertion of a request into it.

Inserting request (u, w) into a route of m stops has O(m²) position pairs and an exact check
costs O(m) or more, so checking them all would dominate the search. The route therefore keeps,
per stop, the earliest start of service of its current timetable, the latest start that the
rest of the route's windows allow, and the seats left after the stop. With those, each position
pair is screened in O(1) by necessary conditions (the new stops' windows, the push they give
their successors, capacity, the new passenger's own ride time), scanning delivery positions
forward from each pickup position and stopping as soon as a later position cannot do better.
Only the survivors are checked exactly (`schedule.earliest_times`), cheapest first, and the
first feasible one is the best insertion. The screening assumes travel times obey the triangle
inequality; if they do not, it may miss an insertion, never accept an infeasible one.

The loops run compiled (`kernel.py`, numba) on NumPy arrays: the route keeps its stops as a
list (the search's cache keys) and as an array, its bounds in one array per kind. The Python
version they replaced, the same operations in the same order, is the tests' reference
(`tests/transport/reference_routes.py`).
"""

from __future__ import annotations

import numpy as np

from .tables import Tables, VehicleData


class Route:
    """The stops of one vehicle (depots included), its timetable bounds, loads and cost.

    `state` (see `kernel.py`) holds per stop: the earliest start of service of the current
    timetable (TIMES), the latest start the rest of the route's windows allow (LATEST, and
    CEILING with the rounding tolerance folded in), the leg from the start of service to the
    arrival at the next stop (STEP) and its cost (ARC), the total waiting at stops 1..k of the
    earliest timetable (WAITED), and how much later the vehicle could leave its start depot
    without stops 0..k missing their windows (SLACK: Savelsbergh's forward time slack of the
    prefix). `marks` holds per stop the position of the pickup of the passenger delivered
    there and the seats left after it, per load dimension.
    """

    __slots__ = ("cost", "duration", "marks", "nodes", "seq", "state", "vehicle")

    def __init__(self, vehicle: VehicleData, seq: list[int] | None = None) -> None:
        self.vehicle = vehicle
        self.duration = float(vehicle.max_duration)
        self.seq = seq if seq is not None else [vehicle.start, vehicle.end]
        self.nodes: np.ndarray | None = None
        self.state: np.ndarray | None = None
        self.marks: np.ndarray | None = None
        self.cost = 0.0

    def copy(self) -> Route:
        clone = Route(self.vehicle, self.seq)  # sequences and arrays are replaced, never edited
        clone.nodes, clone.state, clone.marks, clone.cost = (
            self.nodes,
            self.state,
            self.marks,
            self.cost,
        )
        return clone

    @property
    def empty(self) -> bool:
        return len(self.seq) <= 2

    @property
    def times(self) -> np.ndarray:
        """Earliest start of service at each stop (after `refresh`)."""
        return self.state[0]

    def refresh(self, tables: Tables) -> bool:
        """Recompute timetable bounds, room and cost; False if the route became infeasible."""
        arrays = tables.kernel()
        vehicle = self.vehicle
        nodes = np.array(self.seq, dtype=np.int64)
        feasible, cost, state, marks = arrays.refresh(
            nodes,
            arrays.matrices,
            arrays.values,
            arrays.ints,
            arrays.capacities[vehicle.index],
            self.duration,
        )
        if not feasible:
            return False
        self.nodes, self.state, self.marks, self.cost = nodes, state, marks, cost
        return True

    def requests(self, tables: Tables) -> list[int]:
        """Ids of the requests this route serves (by their pickups)."""
        return [tables.request[node] for node in self.seq if tables.is_pickup[node]]


def best_insertion(route: Route, request: int, tables: Tables) -> tuple[float, int, int] | None:
    """Cheapest feasible insertion (added cost, i, j) of `request` into `route`, or None.

    The pickup goes right after position i and the delivery right after position j of the
    current sequence (j == i: the delivery follows the pickup directly).
    """
    deltas, firsts, seconds = insertions(route, np.array([request], dtype=np.int64), tables)
    return (float(deltas[0]), int(firsts[0]), int(seconds[0])) if firsts[0] >= 0 else None


def insertions(
    route: Route, requests: np.ndarray, tables: Tables
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`best_insertion` of each of `requests` (int64): added costs, i's and j's (i = -1: no
    feasible insertion)."""
    arrays = tables.kernel()
    return arrays.insertions(
        route.nodes,
        route.state,
        route.marks,
        requests,
        arrays.pickups,
        arrays.deliveries,
        route.duration,
        arrays.matrices,
        arrays.values,
        arrays.ints,
    )


def insert(route: Route, request: int, i: int, j: int, tables: Tables) -> None:
    """Insert `request` at positions (i, j) as found by `best_insertion`, and refresh."""
    seq = route.seq
    route.seq = [
        *seq[: i + 1],
        tables.pickups[request],
        *seq[i + 1 : j + 1],
        tables.deliveries[request],
        *seq[j + 1 :],
    ]
    if not route.refresh(tables):  # pragma: no cover - best_insertion checked it exactly
        raise AssertionError("insertion made the route infeasible")
