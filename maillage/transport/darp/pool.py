"""A pool of the routes met during the search, recombined by set partitioning with CP-SAT.

The large neighbourhood search builds thousands of feasible routes and keeps only the ones of
its current solution. Routes that were good in a rejected solution are lost, although together
with routes from other solutions they may form a better one. Keeping the cheapest route found
for each set of requests and solving "choose at most one route per vehicle covering each
request at most once, serving as many as possible, at least cost" recombines them exactly
(the LNS + set partitioning scheme of Subramanian et al. 2013 and Parragh & Schmid 2013 for
the DARP). The routes are feasible on their own, so the recombined solution is too.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from .routes import Route
from .solution import Solution
from .tables import Tables

SCALE = 1000  # costs in thousandths for CP-SAT's integer objective


class RoutePool:
    """Cheapest known route per (vehicle shape, set of requests)."""

    def __init__(
        self, tables: Tables, shape: list[int], weights: list[float], limit: int = 30000
    ) -> None:
        self.tables = tables
        self.weights = weights
        self.shape = shape
        self.limit = limit
        self.routes: dict[tuple, tuple[float, list[int]]] = {}

    def __len__(self) -> int:
        return len(self.routes)

    def add(self, route: Route) -> None:
        if route.empty:
            return
        tables = self.tables
        key = (
            self.shape[route.vehicle.index],
            tuple(sorted(tables.request[node] for node in route.seq if tables.is_pickup[node])),
        )
        known = self.routes.get(key)
        if known is None:
            if len(self.routes) >= self.limit:
                return
            self.routes[key] = (route.cost, route.seq)
        elif route.cost < known[0] - 1e-9:
            self.routes[key] = (route.cost, route.seq)

    def add_solution(self, solution: Solution) -> None:
        for route in solution.routes:
            self.add(route)

    def add_changed(self, candidate: Solution, reference: Solution) -> None:
        """Add the routes of `candidate` that differ from `reference`'s (same vehicle)."""
        for route, old in zip(candidate.routes, reference.routes, strict=True):
            if route.seq is not old.seq:
                self.add(route)

    def merge(self, other: dict[tuple, tuple[float, list[int]]]) -> None:
        for key, (cost, seq) in other.items():
            known = self.routes.get(key)
            if known is None or cost < known[0] - 1e-9:
                self.routes[key] = (cost, seq)

    def recombine(self, incumbent: Solution, deadline: float, workers: int = 1) -> Solution | None:
        """Best solution of pooled routes by `deadline` (time.monotonic()), or None if none.

        The incumbent's routes are in the pool and serve as a hint, so CP-SAT starts from it.
        """

        self.add_solution(incumbent)
        tables = self.tables
        requests = len(tables.pickups)
        penalty = SCALE * 100 * int(max((max(row) for row in tables.cost), default=1.0) + 1)
        model = cp_model.CpModel()
        keys = list(self.routes)
        chosen = [model.new_bool_var(f"r{k}") for k in range(len(keys))]
        covering: list[list] = [[] for _ in range(requests)]
        by_shape: dict[int, list] = {}
        for variable, key in zip(chosen, keys, strict=True):
            for request in key[1]:
                covering[request].append(variable)
            by_shape.setdefault(key[0], []).append(variable)
        served = []
        for request in range(requests):
            if not covering[request]:
                continue
            covered = model.new_bool_var(f"s{request}")
            model.add(sum(covering[request]) == covered)
            served.append(round(self.weights[request] * penalty) * covered)
        for shape, variables in by_shape.items():
            model.add(sum(variables) <= self.shape.count(shape))
        model.minimize(
            sum(
                round(self.routes[key][0] * SCALE) * variable
                for key, variable in zip(keys, chosen, strict=True)
            )
            - sum(served)
        )
        hint = set()
        for route in incumbent.routes:
            if not route.empty:
                hint.add(
                    (
                        self.shape[route.vehicle.index],
                        tuple(sorted(tables.request[n] for n in route.seq if tables.is_pickup[n])),
                    )
                )
        for key, variable in zip(keys, chosen, strict=True):
            model.add_hint(variable, key in hint)
        solver = cp_model.CpSolver()
        left = deadline - time.monotonic()
        if left < 0.05:  # building the model took the time there was
            return None
        solver.parameters.max_time_in_seconds = left
        solver.parameters.num_workers = workers
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        routes = [Route(vehicle) for vehicle in tables.vehicles]
        free = dict.fromkeys(range(len(routes)), True)
        covered_requests: set[int] = set()
        for key, variable in zip(keys, chosen, strict=True):
            if not solver.value(variable):
                continue
            index = next(v for v in free if free[v] and self.shape[v] == key[0])
            free[index] = False
            routes[index] = Route(tables.vehicles[index], list(self.routes[key][1]))
            covered_requests.update(key[1])
        for route in routes:
            if not route.refresh(tables):  # pragma: no cover - pooled routes are feasible
                return None
        return Solution(routes, set(range(requests)) - covered_requests)
