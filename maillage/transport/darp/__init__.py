"""Dial-a-ride planning engine: pickups and deliveries paired, capacities, windows, ride times.

Modules, from the problem to the answer:

- `instance` — the problem in a neutral form (`Instance`, `Node`, `Request`, `Vehicle`);
  `readers` builds one from the literature's benchmark files.
- `checker` — an independent feasibility checker and cost evaluator (kept apart on purpose).
- `tightening`, `tables` — preprocessing and the flat arrays the search reads.
- `schedule` — exact timing of a fixed route (difference constraints) and published timetables.
- `routes` — a route under search and the cheapest feasible insertion of a request;
  `kernel`, `trip_kernel` — their loops compiled (numba), the only modules that import numba.
- `exact` — small days solved exactly and proven (every feasible route, set partitioning):
  `trips` and `enumeration` list the routes, `halves` plans a workshop day by its two halves
  (a lower bound the search stops at).
- `alns`, `pool` — adaptive large neighbourhood search and set-partitioning recombination.
- `solver` — `solve()`: parallel searches within a wall-clock budget; `replan` — re-planning
  with confirmed pickup times kept; `unserved` — why a request was not served.
- `baseline` — plain OR-Tools routing with default settings, for comparison.

See `docs/darp.md` for the method and the benchmark results.
"""

from .instance import Instance, Node, Request, Vehicle
from .solution import DarpSolution, Tour, UnservedRequest
from .solver import solve

__all__ = [
    "DarpSolution",
    "Instance",
    "Node",
    "Request",
    "Tour",
    "UnservedRequest",
    "Vehicle",
    "solve",
]
