"""Flat per-node arrays that the scheduling and search loops read, built once per instance.

Python pays for every attribute look-up, so the inner loops index plain lists instead of walking
`Node` objects. Time windows here are the *tightened* ones (see `tightening.py`): they describe
the same feasible schedules as the instance's windows, only with the slack that no schedule can
use removed, which lets the insertion heuristics discard impossible positions early.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance
from .tightening import tightened_windows


@dataclass
class VehicleData:
    """A vehicle as the search sees it; `capacity` is an int when loads have one dimension."""

    index: int
    start: int
    end: int
    capacity: int | tuple[int, ...]
    max_duration: float

    def same_shape(self, other: VehicleData) -> bool:
        """Two empty routes of vehicles with the same shape are interchangeable."""
        return (
            self.start == other.start
            and self.end == other.end
            and self.capacity == other.capacity
            and self.max_duration == other.max_duration
        )


class Tables:
    """Per-node arrays (travel, cost, service, windows, loads, pairing) and vehicles."""

    def __init__(self, instance: Instance, tighten: bool = True) -> None:
        nodes = instance.nodes
        self.instance = instance
        self.size = len(nodes)
        self.travel = instance.travel
        self.cost = instance.cost
        self.service = [node.service for node in nodes]
        if tighten:
            self.early, self.late = tightened_windows(instance)
        else:
            self.early = [node.earliest for node in nodes]
            self.late = [node.latest for node in nodes]
        # One load dimension (the benchmarks, a fleet without wheelchair places) runs on ints.
        self.single = len(instance.dimensions) == 1
        self.load: list = [node.load[0] if self.single else node.load for node in nodes]
        self.partner = [-1] * self.size
        self.is_pickup = [False] * self.size
        self.request = [-1] * self.size
        # For a delivery node: bound on (start at delivery - start at pickup) = max ride + service.
        self.limit = [0.0] * self.size
        # The search numbers requests 0..n-1 by their position in `instance.requests`.
        for index, request in enumerate(instance.requests):
            p, d = request.pickup, request.delivery
            self.partner[p], self.partner[d] = d, p
            self.is_pickup[p] = True
            self.request[p] = self.request[d] = index
            self.limit[d] = request.max_ride + self.service[p]
        # into[b][a]: from the start of service at a to the arrival at b; cost_to[b][a] = cost
        # of the arc (a, b). The insertion scan reads them by destination, one row per request.
        self.into = [
            [service + row[b] for service, row in zip(self.service, self.travel, strict=True)]
            for b in range(self.size)
        ]
        self.cost_to = [list(column) for column in zip(*self.cost, strict=True)]
        self.pickups = [request.pickup for request in instance.requests]
        self.deliveries = [request.delivery for request in instance.requests]
        self.vehicles = [
            VehicleData(
                index=index,
                start=vehicle.start,
                end=vehicle.end,
                capacity=vehicle.capacity[0] if self.single else vehicle.capacity,
                max_duration=vehicle.max_duration,
            )
            for index, vehicle in enumerate(instance.vehicles)
        ]
        self._arrays = None

    def kernel(self):
        """The same tables as NumPy arrays, with the compiled search loops (`kernel.Arrays`),
        built at the first call: numba is imported then, not with this module."""
        if self._arrays is None:
            from .kernel import Arrays

            self._arrays = Arrays(self)
        return self._arrays

    def fits(self, load, capacity) -> bool:
        """Whether a load (int or per-dimension tuple) fits a capacity of the same shape."""
        if self.single:
            return load <= capacity
        return all(a <= b for a, b in zip(load, capacity, strict=True))
