"""A pool of the routes met during the search, recombined by set partitioning with HiGHS.

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

import highspy
import numpy as np

from maillage.highs import silent_highs

from .routes import Route
from .solution import Solution
from .tables import Tables

# The most routes the final set partitioning is given: with the compiled kernel, the two
# searches pool 21 000 to 30 000 routes on a8-96, and that program overran the budget. With
# the descent (stop 22) HiGHS's root work after the first LP (cut separation, which does not
# look at the clock) grew: pr16's program of 8 613 routes took 1.6 to 1.9 s for a 0.86 s
# limit (the planner ended at 30.7 s of 30), 6 000 of the same routes 0.90 s, 3 000 0.16 s.
RECOMBINED_ROUTES = 6_000


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
        # Whether the last recombination was proven optimal over the pooled routes.
        self.proven = False

    def __len__(self) -> int:
        return len(self.routes)

    def add(self, route: Route) -> None:
        if route.empty:
            return
        key = self._key(route)
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

        A mixed-integer program solved by HiGHS: one binary per pooled route, one unserved
        variable per request (each request covered once or left unserved at its penalty), at
        most as many routes of a vehicle shape as there are vehicles of that shape. The
        incumbent's routes are in the pool and start the solver. `proven` tells afterwards
        whether HiGHS closed the gap (the optimum over the pooled routes).
        """
        self.proven = False
        self.add_solution(incumbent)
        tables = self.tables
        requests = len(tables.pickups)
        hint = {self._key(route) for route in incumbent.routes if not route.empty}
        keys = list(self.routes)
        if len(keys) > RECOMBINED_ROUTES:
            # The two searches' pools merged can pass 40 000 routes: building and solving
            # that program overran the budget. The incumbent's routes and the others by
            # cost per request served, cheapest first.
            keys = sorted(
                (key for key in keys if key not in hint),
                key=lambda key: self.routes[key][0] / len(key[1]),
            )[: RECOMBINED_ROUTES - len(hint)] + [key for key in keys if key in hint]
        n = len(keys)
        # Columns: the routes, then one "unserved" column per request.
        penalty = 100.0 * (max((max(row) for row in tables.cost), default=1.0) + 1.0)
        costs = [self.routes[key][0] for key in keys]
        costs += [self.weights[r] * penalty for r in range(requests)]
        shapes = sorted({key[0] for key in keys})
        rows: list[list[int]] = [[] for _ in range(requests + len(shapes))]
        for column, key in enumerate(keys):
            for request in key[1]:
                rows[request].append(column)
            rows[requests + shapes.index(key[0])].append(column)
        for request in range(requests):
            rows[request].append(n + request)
        lower = [1.0] * requests + [-highspy.kHighsInf] * len(shapes)
        upper = [1.0] * requests + [float(self.shape.count(shape)) for shape in shapes]
        start = [1.0 if key in hint else 0.0 for key in keys]
        start += [1.0 if r in incumbent.unassigned else 0.0 for r in range(requests)]
        left = deadline - time.monotonic()
        if left < 0.05:  # building the model took the time there was
            return None
        highs = _highs(left, workers)
        highs.addCols(
            n + requests,
            np.asarray(costs, dtype=np.float64),
            np.zeros(n + requests),
            np.ones(n + requests),
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        highs.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, _INTEGER, dtype=np.uint8)
        )
        starts = np.cumsum([0] + [len(row) for row in rows[:-1]]).astype(np.int32)
        indices = np.asarray([column for row in rows for column in row], dtype=np.int32)
        highs.addRows(
            len(rows),
            np.asarray(lower, dtype=np.float64),
            np.asarray(upper, dtype=np.float64),
            len(indices),
            starts,
            indices,
            np.ones(len(indices)),
        )
        highs.setSolution(n + requests, np.arange(n + requests, dtype=np.int32), np.asarray(start))
        highs.run()
        status = highs.getModelStatus()
        if highs.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
            return None
        self.proven = status == highspy.HighsModelStatus.kOptimal
        values = highs.getSolution().col_value
        routes = [Route(vehicle) for vehicle in tables.vehicles]
        free = dict.fromkeys(range(len(routes)), True)
        covered_requests: set[int] = set()
        for column, key in enumerate(keys):
            if values[column] < 0.5:
                continue
            index = next(v for v in free if free[v] and self.shape[v] == key[0])
            free[index] = False
            routes[index] = Route(tables.vehicles[index], list(self.routes[key][1]))
            covered_requests.update(key[1])
        for route in routes:
            if not route.refresh(tables):  # pragma: no cover - pooled routes are feasible
                return None
        return Solution(routes, set(range(requests)) - covered_requests)

    def _key(self, route: Route) -> tuple:
        tables = self.tables
        return (
            self.shape[route.vehicle.index],
            tuple(sorted(tables.request[node] for node in route.seq if tables.is_pickup[node])),
        )


_INTEGER = highspy.HighsVarType.kInteger.value


def _highs(seconds: float, workers: int) -> highspy.Highs:
    highs = silent_highs()
    highs.setOptionValue("threads", max(1, workers))
    # No presolve: on a8-96's pool (~22 000 routes) it reduced nothing and ran 2.8 s past a
    # 1 s time limit (it does not look at the clock), so the planner overran its budget; the
    # siting solver does the same for the same reason.
    highs.setOptionValue("presolve", "off")
    highs.setOptionValue("time_limit", float(seconds))
    # Proven means proven: no relative gap tolerated, only rounding.
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 1e-6)
    return highs
