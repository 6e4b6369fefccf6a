"""Adaptive large neighbourhood search for the DARP (after Ropke & Pisinger 2006).

Each iteration removes a few requests from the current solution (at random, the most
expensive ones, or related ones in space and time - Shaw removal), re-inserts them with a
greedy or regret-k heuristic that uses the exact route check, and accepts the result by
simulated annealing. Operators that lead to good solutions are drawn more often. Each
candidate is first improved by local descent (`descent.py`: 2-opt* between routes,
relocating single requests). Every route the search builds goes into a pool, from
which `pool.py` recombines the best set of routes.

The objective is total cost plus a large penalty per unserved request, so serving everyone
comes first whenever it is possible; the search starts from a regret insertion of every
request into empty routes.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .descent import descend
from .pool import RoutePool
from .routes import Route
from .solution import Solution
from .tables import Tables

# Uniform draws given to each noisy repair (read cyclically if it needs more).
NOISE_DRAWS = 4096
# An insertion not computed yet (`kernel.UNKNOWN`: alns.py does not import the kernel).
UNKNOWN = -2
_NO_NOISE = np.zeros(0)


@dataclass(frozen=True)
class Settings:
    """Search parameters, the same for every instance (the planner is not tuned per instance)."""

    min_removal: int = 2
    # Small instances need to move a good share of their requests at once to leave a local
    # optimum (a2-16 stays 0.3 % above the optimum with at most 4 of 16 requests removed).
    min_upper_removal: int = 10
    # Removal sizes are drawn as low + (high - low) * u**skew: above 1, small ones dominate
    # (2.0 was worse on a6-72..a8-96: fewer large moves, not enough more iterations).
    removal_skew: float = 1.0
    max_removal_share: float = 0.25
    max_removal: int = 25
    # Simulated annealing: at the start a solution this much worse (relative) is accepted with
    # probability 1/2; the temperature then decays geometrically to `final_temperature` of it.
    start_worse: float = 0.02
    final_temperature: float = 0.002
    segment: int = 50
    reaction: float = 0.15
    reward_best: float = 33.0
    reward_better: float = 9.0
    reward_accepted: float = 13.0
    noise: float = 0.025
    shaw_randomness: float = 6.0
    worst_randomness: float = 3.0
    # Go back to the best solution after this many iterations without improving it.
    restart_after: int = 2000
    # Recombine the pooled routes (set partitioning) during the search every so many seconds
    # and go on from the result. Off: with CP-SAT it took a third of the iterations for worse
    # results; with HiGHS, 28 s with one worker at load 11, it was ahead on a6-72 and a7-84,
    # level on a8-80, behind on a8-96, but in a paired run against the previous planner
    # (30 s, two workers, load 15) it cost 40 % of the iterations and lost on a7-84 and a8-96.
    # `solver.solve` still recombines both searches' pools at the end.
    pool_every: float = 1e9
    pool_seconds: float = 1.5
    # Stop when the best solution has not improved for twice as many iterations as it took to
    # find it, and at least `stagnation_floor` per request (a search that stagnates that long
    # rarely recovers; a day of 10 requests stops after 4 500 idle iterations); or, counted in
    # seconds, for twice as long as it took to find it and at least `stagnation_share` of the
    # budget (a day of 40 requests makes a few hundred iterations per second: the floor in
    # iterations alone outlasts a 10 s budget). A fifth, then half of the budget were too
    # little at load 6: a day of 15 riders stopped at 6.3 s with one rider unserved that the
    # full 10 s serves.
    # The floor was 150 before the compiled kernel (stop 20), which makes three times the
    # iterations per second: at 150, a3-30 stopped after 1.2 s, 0.14 % above its optimum.
    stagnation_ratio: float = 2.0
    stagnation_floor: int = 450
    stagnation_share: float = 0.7
    # Days of at most this many requests are first solved exactly (`exact.py`), with at most
    # this share of the budget; the search runs only if that does not finish with a proof.
    exact_up_to: int = 24
    exact_share: float = 0.15
    # Days chaining trips (`trips.py`) are tried up to this many requests, the size estimate
    # (`exact.py`) keeping out those whose trips would not be found in time.
    exact_trips_up_to: int = 40
    # Days whose shifts cannot bind are solved exactly by chaining trips (`trips.py`), if the
    # size estimate says it fits, with at most this share of the budget; either way the exact
    # attempt takes at most `exact_seconds` (an attempt that fails is time the search loses:
    # on the benchmarks' 30 s, half would be 15 s).
    exact_trip_share: float = 0.5
    exact_seconds: float = 5.0
    # Every candidate is first improved by local descent (`descent.py`: 2-opt* between
    # routes, relocating single requests), then judged. One search of 15 s of CPU, seeds 0 to
    # 3, mean gap on a5-60 / a8-80 / a8-96: no descent (stop 21, 30 s and two searches:
    # 0.57 / 1.11 / 0.92 % on a quiet machine); before the 2-opt* screening by reach,
    # candidates within 0.5 % of the best 0.28 / 0.76 / >1 %, within 1 % 0.35 / 0.57 / 0.67 %,
    # within 2 % 0.29 / 0.36 / 0.61 %, every candidate 0.00 / 0.42 / 0.52 %; with it, within
    # 4 % 0.00 / 0.27 / 0.45 %, every candidate 0.00 / 0.22 / 0.26 %: the descent is worth
    # more than the iterations it costs (a third to a half of them).
    descent: bool = True
    # Routes whose insertion answers are cached (the cache is emptied when it grows beyond).
    cache_size: int = 30_000


class Search:
    """One ALNS run: a random generator, operator weights and a route pool."""

    def __init__(
        self,
        tables: Tables,
        seed: int = 0,
        settings: Settings | None = None,
        weights: list[float] | None = None,
    ) -> None:
        self.tables = tables
        # Leaving request r unserved costs penalty * weights[r]: replanning weighs already
        # confirmed requests more, so the search drops a new request before a confirmed one.
        self.weights = weights or [1.0] * len(tables.pickups)
        self.settings = settings or Settings()
        self.rng = random.Random(seed)
        vehicles = tables.vehicles
        self.shape = []
        for vehicle in vehicles:
            for index in range(vehicle.index + 1):
                if vehicles[index].same_shape(vehicle):
                    self.shape.append(index)
                    break
        self.pool = RoutePool(tables, self.shape, self.weights)
        longest = max((max(row) for row in tables.cost), default=1.0) or 1.0
        self.penalty = 10.0 * longest * 3 + 1000.0
        self.noise_amplitude = self.settings.noise * longest
        self.removals: list[tuple[str, Callable]] = [
            ("random", self._random_removal),
            ("worst", self._worst_removal),
            ("shaw", self._shaw_removal),
        ]
        self.insertions: list[tuple[str, int, bool]] = [
            ("greedy", 1, False),
            ("regret-2", 2, False),
            ("regret-3", 3, False),
            ("greedy-noise", 1, True),
            ("regret-2-noise", 2, True),
        ]
        self.iterations = 0
        # Stops the search once its best solution passes this test (proven optimal by a bound).
        self.good_enough: Callable[[Solution], bool] | None = None
        # The repair's noise (uniform draws), and the fleet as the kernel reads it (shapes,
        # capacities, shift limits; built at the first insertion).
        self._noise = np.random.default_rng(seed)
        # Best insertions by route (shape and stops): added costs, then positions (i, j) by
        # request, i = kernel.UNKNOWN where not computed yet.
        self._insertions: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._fleet: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._horizon = max(tables.late[v.end] for v in vehicles) if vehicles else 1.0
        # Shaw removal's relatedness in space, by pair of requests (built at its first use).
        self._spatial: np.ndarray | None = None
        self._request_of: np.ndarray | None = None
        self._is_pickup: np.ndarray | None = None

    # -- objective --------------------------------------------------------------------------

    def objective(self, solution: Solution) -> float:
        weights = self.weights
        return solution.cost + self.penalty * sum(weights[r] for r in solution.unassigned)

    # -- construction -------------------------------------------------------------------

    def initial(self, requests: list[int] | None = None) -> Solution:
        """Regret-3 insertion of every request (or of `requests`) into empty routes."""
        routes = [Route(vehicle) for vehicle in self.tables.vehicles]
        for route in routes:
            route.refresh(self.tables)
        solution = Solution(routes, set())
        pending = list(range(len(self.tables.pickups))) if requests is None else list(requests)
        self._insert(solution, pending, regret=3, noise=False)
        return solution

    def from_routes(self, sequences: dict[int, list[int]], pending: list[int]) -> Solution:
        """A solution made of given node sequences (by vehicle index), then `pending` inserted.

        Sequences that are no longer feasible (a window changed) lose requests from the end
        until they are; the lost requests join `pending`.
        """
        tables = self.tables
        routes = [Route(vehicle) for vehicle in tables.vehicles]
        waiting = list(pending)
        for index, route in enumerate(routes):
            seq = sequences.get(index)
            if seq:
                route.seq = list(seq)
            while not route.refresh(tables):
                last = next(n for n in reversed(route.seq) if tables.is_pickup[n])
                waiting.append(tables.request[last])
                route.seq = [n for n in route.seq if tables.request[n] != tables.request[last]]
        solution = Solution(routes, set())
        self._insert(solution, waiting, regret=3, noise=False)
        return solution

    # -- main loop --------------------------------------------------------------------------

    def run(
        self,
        deadline: float,
        start: Solution | None = None,
        max_iterations: int | None = None,
    ) -> Solution:
        """Improve `start` (or a fresh construction) until `deadline` (time.monotonic()).

        With `max_iterations` (and a generous deadline) the run is deterministic for a seed.
        """
        settings, rng = self.settings, self.rng
        current = start.copy() if start is not None else self.initial()
        self.pool.add_solution(current)
        best = current.copy()
        current_value = best_value = self.objective(current)
        begin = time.monotonic()
        total = max(deadline - begin, 1e-6)
        start_temperature = settings.start_worse * max(current.cost, 1.0) / math.log(2)
        removal_weights = [1.0] * len(self.removals)
        insertion_weights = [1.0] * len(self.insertions)
        removal_scores = [0.0] * len(self.removals)
        insertion_scores = [0.0] * len(self.insertions)
        removal_uses = [0] * len(self.removals)
        insertion_uses = [0] * len(self.insertions)
        since_best = 0
        best_at = self.iterations
        best_since = begin
        next_pool = begin + settings.pool_every
        requests = len(self.tables.pickups)
        checked = None
        while True:
            if self.good_enough is not None and best is not checked:
                checked = best
                if self.good_enough(best):
                    break
            now = time.monotonic()
            if now >= deadline or (
                max_iterations is not None and self.iterations >= max_iterations
            ):
                break
            if (
                max_iterations is None
                and now >= next_pool
                and deadline - now > settings.pool_seconds
            ):
                recombined = self.pool.recombine(best, min(now + settings.pool_seconds, deadline))
                if recombined is not None and self.objective(recombined) < best_value - 1e-9:
                    best = recombined
                    best_value = self.objective(best)
                    current, current_value = best.copy(), best_value
                next_pool = time.monotonic() + settings.pool_every
                continue
            self.iterations += 1
            temperature = start_temperature * settings.final_temperature ** ((now - begin) / total)
            served = requests - len(current.unassigned)
            upper = min(
                settings.max_removal,
                max(settings.min_upper_removal, int(served * settings.max_removal_share)),
            )
            low, high = min(settings.min_removal, served), max(min(upper, served), 0)
            count = low + int((high - low + 1) * rng.random() ** settings.removal_skew)
            count = min(count, high)
            r = _roulette(removal_weights, rng)
            h = _roulette(insertion_weights, rng)
            candidate = current.copy()
            removed = self.removals[r][1](candidate, count) if count else []
            _, regret, noise = self.insertions[h]
            self._insert(candidate, removed + list(candidate.unassigned), regret, noise)
            self.pool.add_changed(candidate, current)
            value = self.objective(candidate)
            reward = 0.0
            if settings.descent and descend(self.tables, candidate, self.shape, self._insertions):
                self.pool.add_solution(candidate)
                value = self.objective(candidate)
            if value < best_value - 1e-9:
                best, best_value = candidate.copy(), value
                current, current_value = candidate, value
                reward = settings.reward_best
                since_best = 0
                best_at = self.iterations
                best_since = now
            else:
                since_best += 1
                if value < current_value - 1e-9:
                    reward = settings.reward_better
                    current, current_value = candidate, value
                elif value > current_value + 1e-9 and rng.random() < math.exp(
                    (current_value - value) / max(temperature, 1e-12)
                ):
                    reward = settings.reward_accepted
                    current, current_value = candidate, value
            removal_scores[r] += reward
            insertion_scores[h] += reward
            removal_uses[r] += 1
            insertion_uses[h] += 1
            if self.iterations % settings.segment == 0:
                _update(removal_weights, removal_scores, removal_uses, settings.reaction)
                _update(insertion_weights, insertion_scores, insertion_uses, settings.reaction)
            idle = self.iterations - best_at
            if max_iterations is None and (
                idle
                >= max(settings.stagnation_floor * requests, settings.stagnation_ratio * best_at)
                or now - best_since
                >= max(
                    settings.stagnation_share * total,
                    settings.stagnation_ratio * (best_since - begin),
                )
            ):
                break
            if since_best >= settings.restart_after:
                current, current_value = best.copy(), best_value
                since_best = 0
        return best

    # -- insertion ------------------------------------------------------------------------

    def _insert(self, solution: Solution, pending: list[int], regret: int, noise: bool) -> None:
        """Insert `pending` requests one at a time, the most urgent (regret) or cheapest first
        (`kernel.repair`; the Python version is the tests' reference)."""
        tables, routes = self.tables, solution.routes
        arrays = tables.kernel()
        if self._fleet is None:
            self._fleet = (
                np.array(self.shape, dtype=np.int64),
                np.array(arrays.capacities, dtype=np.int64),
                np.array([route.duration for route in routes], dtype=np.float64),
            )
        shapes, capacities, durations = self._fleet
        requests_count = len(tables.pickups)
        padded = np.zeros((len(routes), 2 + 2 * requests_count), dtype=np.int64)
        lengths = np.empty(len(routes), dtype=np.int64)
        # The best insertions already known into each route as it is (most routes survive an
        # iteration unchanged, so the same questions come back), completed by the kernel.
        cache = self._insertions
        if len(cache) > self.settings.cache_size:
            cache.clear()
        known_delta = np.empty((len(routes), requests_count), dtype=np.float64)
        known_positions = np.empty((len(routes), 2, requests_count), dtype=np.int64)
        keys = []
        for index, route in enumerate(routes):
            size = len(route.seq)
            padded[index, :size] = route.nodes if route.nodes is not None else route.seq
            lengths[index] = size
            key = (self.shape[index], tuple(route.seq))
            keys.append(key)
            found = cache.get(key)
            if found is None:
                known_positions[index] = UNKNOWN
            else:
                known_delta[index], known_positions[index] = found
        requests = np.array(sorted(set(pending)), dtype=np.int64)
        amplitude = self.noise_amplitude if noise else 0.0
        draws = self._noise.random(NOISE_DRAWS) if amplitude else _NO_NOISE
        changed, waiting = arrays.repair(
            padded,
            lengths,
            shapes,
            capacities,
            durations,
            requests,
            known_delta,
            known_positions,
            regret,
            amplitude,
            draws,
            arrays.pickups,
            arrays.deliveries,
            arrays.matrices,
            arrays.values,
            arrays.ints,
        )
        for index, key in enumerate(keys):  # copies: a row does not keep the whole table
            cache[key] = (known_delta[index].copy(), known_positions[index].copy())
        for index in np.flatnonzero(changed).tolist():
            route = routes[index]
            route.seq = padded[index, : lengths[index]].tolist()
            if not route.refresh(tables):  # pragma: no cover - the kernel checked it exactly
                raise AssertionError("insertion made the route infeasible")
        solution.unassigned = set(requests[waiting].tolist())

    # -- removal --------------------------------------------------------------------------

    def _served(self, solution: Solution) -> list[tuple[int, int]]:
        """(request, route index) of every served request."""
        tables = self.tables
        return [
            (tables.request[node], index)
            for index, route in enumerate(solution.routes)
            for node in route.seq
            if tables.is_pickup[node]
        ]

    def _remove(self, solution: Solution, requests: list[int]) -> list[int]:
        """Take `requests` out of their routes; returns those actually removed."""
        tables = self.tables
        doomed = set(requests)
        removed: list[int] = []
        for route in solution.routes:
            if route.empty:
                continue
            here = [
                tables.request[node]
                for node in route.seq
                if tables.is_pickup[node] and tables.request[node] in doomed
            ]
            if not here:
                continue
            old_seq = route.seq
            gone = set(here)
            route.seq = [node for node in old_seq if tables.request[node] not in gone]
            if route.refresh(tables):
                removed.extend(here)
            else:  # travel times without the triangle inequality: keep the route as it was
                route.seq = old_seq
                route.refresh(tables)
        return removed

    def _random_removal(self, solution: Solution, count: int) -> list[int]:
        served = [request for request, _ in self._served(solution)]
        return self._remove(solution, self.rng.sample(served, min(count, len(served))))

    def _worst_removal(self, solution: Solution, count: int) -> list[int]:
        tables = self.tables
        arrays = tables.kernel()
        request_of = tables.request
        gains: list[tuple[float, int]] = []
        for route in solution.routes:
            if route.empty:
                continue
            saved, positions = arrays.removal_gains(
                route.nodes, route.marks, arrays.matrices, arrays.ints
            )
            seq = route.seq
            gains += zip(
                saved.tolist(), [request_of[seq[k]] for k in positions.tolist()], strict=True
            )
        gains.sort(reverse=True)
        chosen = []
        rng, power = self.rng, self.settings.worst_randomness
        while gains and len(chosen) < count:
            chosen.append(gains.pop(int(rng.random() ** power * len(gains)))[1])
        return self._remove(solution, chosen)

    def _shaw_removal(self, solution: Solution, count: int) -> list[int]:
        """Related requests: close in space (pickups, deliveries) and in service times."""
        tables = self.tables
        pickups, deliveries = tables.pickups, tables.deliveries
        if self._spatial is None:
            travel = np.asarray(tables.travel, dtype=np.float64)
            longest = float(travel.max()) or 1.0
            p, d = np.asarray(pickups), np.asarray(deliveries)
            self._spatial = 9.0 * (travel[np.ix_(p, p)] + travel[np.ix_(d, d)]) / longest
        requests = len(pickups)
        at_pickup = np.zeros(requests)
        at_delivery = np.zeros(requests)
        free = np.zeros(requests, dtype=bool)
        if self._request_of is None:
            self._request_of = np.asarray(tables.request, dtype=np.int64)
            self._is_pickup = np.asarray(tables.is_pickup, dtype=bool)
        routes = [route for route in solution.routes if not route.empty]
        if routes:
            nodes = np.concatenate([route.nodes for route in routes])
            starts = np.concatenate([route.times for route in routes])
            of = self._request_of[nodes]
            picked = self._is_pickup[nodes]
            dropped = ~picked & (of >= 0)
            at_pickup[of[picked]] = starts[picked]
            free[of[picked]] = True
            at_delivery[of[dropped]] = starts[dropped]
        left = int(free.sum())
        if not left:
            return []
        rng = self.rng
        scale = 3.0 / (self._horizon or 1.0)
        first = int(np.flatnonzero(free)[int(rng.random() * left)])
        # Each later draw: a seed among those chosen so far, then a rank among the free ones
        # by relatedness to it (skewed to the most related); the random numbers are drawn
        # here, in the same order as ever, and the kernel sorts.
        power = self.settings.shaw_randomness
        seeds, ranks = [], []
        for step in range(min(count, left) - 1):
            seeds.append(int(rng.random() * (step + 1)))
            ranks.append(int(rng.random() ** power * (left - 1 - step)))
        chosen = (
            tables.kernel()
            .shaw_choice(
                self._spatial,
                at_pickup,
                at_delivery,
                free,
                scale,
                first,
                np.array(seeds, dtype=np.int64),
                np.array(ranks, dtype=np.int64),
            )
            .tolist()
        )
        return self._remove(solution, chosen)


def _roulette(weights: list[float], rng: random.Random) -> int:
    pick = rng.random() * sum(weights)
    for index, weight in enumerate(weights):
        pick -= weight
        if pick <= 0:
            return index
    return len(weights) - 1


def _update(weights: list[float], scores: list[float], uses: list[int], reaction: float) -> None:
    for k in range(len(weights)):
        if uses[k]:
            weights[k] = max(0.05, weights[k] * (1 - reaction) + reaction * scores[k] / uses[k])
        scores[k] = 0.0
        uses[k] = 0
