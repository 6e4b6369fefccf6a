"""Where new points of help serve most people: maximal coverage and p-median, solved exactly.

No Django here: the scenarios' service (`scenarios.py`) builds an `Instance` from the territory
and the travel times, and this module chooses the sites.

An instance holds the demand points (communes, weighted by their population), the candidate
sites, the minutes from each demand point to each candidate (only the pairs that matter: a
candidate farther than the nearest existing place never serves that point), and the minutes
to the nearest existing place (already open; infinite when there is none, e.g. from scratch).

Two objectives, each an integer programme solved by HiGHS, warm-started from the greedy
heuristic (also returned, as the baseline people compare with):

* **maximal coverage** — open at most k sites so that the population within T minutes of an
  open point (existing or new) is largest. Demand points already within T minutes of an
  existing place are left out; points with the same set of candidates within T are merged
  (their populations summed). Variables: one binary per useful candidate, one continuous
  `covered` ∈ [0, 1] per group (integral at the optimum); rows: covered ≤ Σ candidates.
* **p-median** — open at most k sites so that the population-weighted minutes to the nearest
  open point is least. The "radius" formulation (Elloumi 2010, written recursively so that it
  stays linear in the number of pairs): for each demand point, the distinct minutes
  D1 < … < DK of its candidates closer than its nearest existing place, and `far_h` ∈ [0, 1]
  meaning "nothing open within D_h"; far_1 ≥ 1 − Σ_{d = D1} open, far_h ≥ far_{h−1} −
  Σ_{d = D_h} open; the cost is D1 + Σ (D_{h+1} − D_h) far_h, with D_{K+1} the existing place
  (or, from scratch, a penalty for a point no candidate reaches). Its linear relaxation is the
  classic one's, with far fewer columns.

`proven_optimal` is true when HiGHS closed the gap (coverage: below one inhabitant, populations
being whole numbers; p-median: relative gap ≤ 1e-6); otherwise `gap` says how far the best
bound is (relative to the objective).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from maillage.highs import highspy_module, silent_highs

if TYPE_CHECKING:
    import highspy

COVERAGE = "coverage"
MEDIAN = "median"
OBJECTIVES = (COVERAGE, MEDIAN)
MEDIAN_REL_GAP = 1e-6

Progress = Callable[[str, float | None], None]  # (what is happening, relative gap or None)


@dataclass(frozen=True)
class Instance:
    """Demand points × candidate sites, as sparse pairs (demand, candidate, minutes)."""

    population: np.ndarray  # (n,) inhabitants of each demand point
    existing_minutes: np.ndarray  # (n,) minutes to the nearest existing place (inf: none)
    pair_demand: np.ndarray  # (p,) int
    pair_candidate: np.ndarray  # (p,) int
    pair_minutes: np.ndarray  # (p,) float
    n_candidates: int

    @classmethod
    def from_matrix(
        cls,
        population: Sequence[float] | np.ndarray,
        minutes: np.ndarray,
        existing_minutes: Sequence[float] | np.ndarray | None = None,
        *,
        max_minutes: float | None = None,
    ) -> Instance:
        """From a dense matrix `minutes[demand, candidate]` (inf or nan: unreachable).

        Only pairs quicker than the nearest existing place are kept (and, with `max_minutes`,
        only those within it: enough for coverage, not for p-median).
        """
        minutes = np.asarray(minutes, dtype=float)
        n, m = minutes.shape
        existing = (
            np.full(n, np.inf)
            if existing_minutes is None
            else np.asarray(existing_minutes, dtype=float)
        )
        keep = np.isfinite(minutes) & (minutes < existing[:, None])
        if max_minutes is not None:
            keep &= minutes <= max_minutes
        demand, candidate = np.nonzero(keep)
        return cls(
            population=np.asarray(population, dtype=float),
            existing_minutes=existing,
            pair_demand=demand,
            pair_candidate=candidate,
            pair_minutes=minutes[demand, candidate],
            n_candidates=m,
        )

    @property
    def total_population(self) -> float:
        return float(self.population.sum())

    def nearest_minutes(self, sites: Sequence[int]) -> np.ndarray:
        """Minutes from each demand point to the nearest open point (existing or in `sites`)."""
        nearest = self.existing_minutes.copy()
        if len(sites):
            chosen = np.zeros(self.n_candidates, dtype=bool)
            chosen[np.asarray(sites, dtype=int)] = True
            mask = chosen[self.pair_candidate]
            np.minimum.at(nearest, self.pair_demand[mask], self.pair_minutes[mask])
        return nearest

    def covered_population(self, sites: Sequence[int], minutes: float) -> float:
        return float(self.population[self.nearest_minutes(sites) <= minutes].sum())

    def weighted_minutes(self, sites: Sequence[int], *, penalty: float | None = None) -> float:
        """Σ population × minutes to the nearest open point (points nobody reaches count
        `penalty` minutes, or are left out without one)."""
        nearest = self.nearest_minutes(sites)
        reached = np.isfinite(nearest)
        total = float((self.population[reached] * nearest[reached]).sum())
        if penalty is not None:
            total += float(self.population[~reached].sum()) * penalty
        return total


@dataclass
class Solution:
    objective: str
    k: int
    sites: list[int]  # candidate indices, in the order the greedy would value them
    greedy_sites: list[int]
    value: float  # covered population, or population-weighted minutes
    greedy_value: float
    bound: float  # the best bound HiGHS proved
    gap: float  # relative: |bound − value| / max(|value|, 1)
    proven_optimal: bool
    status: str
    seconds: float
    solver_seconds: float
    size: dict = field(default_factory=dict)  # columns, rows, non-zeros of the programme


# --- Greedy baselines -------------------------------------------------------------------------


def _by_demand(demand: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(order, start): pairs sorted by demand point, and where each point's run starts."""
    order = np.argsort(demand, kind="stable")
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(demand, minlength=n), out=start[1:])
    return order, start


def greedy_coverage(
    instance: Instance, k: int, minutes: float, *, allowed: Sequence[int] | None = None
) -> list[int]:
    """Open, k times, the candidate adding the most population within `minutes` (among
    `allowed` ones if given); stops early when no candidate adds anyone."""
    population = instance.population
    open_covered = instance.existing_minutes <= minutes
    within = instance.pair_minutes <= minutes
    if allowed is not None:
        within &= np.isin(instance.pair_candidate, np.asarray(allowed, dtype=int))
    demand = instance.pair_demand[within]
    candidate = instance.pair_candidate[within]
    live = ~open_covered[demand]
    demand, candidate = demand[live], candidate[live]
    gain = np.bincount(candidate, weights=population[demand], minlength=instance.n_candidates)
    order, start = _by_demand(demand, len(population))
    covered = open_covered.copy()
    # Pairs of each candidate, to find the points it newly covers.
    c_order, c_start = _by_demand(candidate, instance.n_candidates)
    sites: list[int] = []
    for _ in range(k):
        best = int(np.argmax(gain)) if len(gain) else 0
        if not len(gain) or gain[best] <= 0:
            break
        sites.append(best)
        points = demand[c_order[c_start[best] : c_start[best + 1]]]
        points = np.unique(points[~covered[points]])
        covered[points] = True
        for point in points:  # each newly covered point no longer counts for anyone
            others = candidate[order[start[point] : start[point + 1]]]
            gain[others] -= population[point]
        gain[best] = -1.0
    return sites


def greedy_median(
    instance: Instance, k: int, *, penalty: float, allowed: Sequence[int] | None = None
) -> list[int]:
    """Open, k times, the candidate saving the most population-weighted minutes (among
    `allowed` ones if given); stops early when no candidate saves anything."""
    current = np.where(np.isfinite(instance.existing_minutes), instance.existing_minutes, penalty)
    weights = instance.population[instance.pair_demand]
    sites: list[int] = []
    chosen = np.zeros(instance.n_candidates, dtype=bool)
    if allowed is not None:
        chosen[:] = True
        chosen[np.asarray(allowed, dtype=int)] = False
    for _ in range(k):
        saving = np.maximum(current[instance.pair_demand] - instance.pair_minutes, 0) * weights
        gain = np.bincount(instance.pair_candidate, weights=saving, minlength=instance.n_candidates)
        gain[chosen] = -1.0
        best = int(np.argmax(gain)) if len(gain) else 0
        if not len(gain) or gain[best] <= 0:
            break
        sites.append(best)
        chosen[best] = True
        mask = instance.pair_candidate == best
        np.minimum.at(current, instance.pair_demand[mask], instance.pair_minutes[mask])
    return sites


# --- HiGHS ----------------------------------------------------------------------------------


def _highs(time_limit: float | None, progress: Progress | None) -> highspy.Highs:
    highs = silent_highs()
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("presolve", "off")
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if progress is not None:
        last = [0.0]

        def report(event) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.5:
                last[0] = now
                gap = event.data_out.mip_gap
                progress("solving", float(gap) if np.isfinite(gap) else None)

        highs.cbMipInterrupt.subscribe(report)
        highs.cbMipImprovingSolution.subscribe(report)
    return highs


def _add_rows(highs, lower, upper, starts, indices, values) -> None:
    highs.addRows(
        len(lower),
        np.asarray(lower, dtype=np.float64),
        np.asarray(upper, dtype=np.float64),
        len(indices),
        np.asarray(starts, dtype=np.int32),
        np.asarray(indices, dtype=np.int32),
        np.asarray(values, dtype=np.float64),
    )


def _solve(highs, start: np.ndarray) -> tuple[np.ndarray, float, float, str, float]:
    """Warm start, run, and read back (column values, objective, bound, status, seconds)."""
    n_col = highs.getNumCol()
    highs.setSolution(n_col, np.arange(n_col, dtype=np.int32), start.astype(np.float64))
    begin = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - begin
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus())
    values = np.asarray(highs.getSolution().col_value)
    return values, float(info.objective_function_value), float(info.mip_dual_bound), status, seconds


def _open_count_row(highs, n_sites: int, k: int, first: int) -> None:
    _add_rows(
        highs, [-np.inf], [float(k)], [0], np.arange(first, first + n_sites), np.ones(n_sites)
    )


def _mark_binary(highs, columns: np.ndarray) -> None:
    highs.changeColsIntegrality(
        len(columns),
        columns.astype(np.int32),
        np.full(len(columns), highspy_module().HighsVarType.kInteger.value, dtype=np.uint8),
    )


def _gap(value: float, bound: float) -> float:
    if not np.isfinite(bound):
        return float("inf")
    return abs(bound - value) / max(abs(value), 1.0)


def _drop_dominated(
    useful: np.ndarray, group_sets: list[tuple], weights: list[float]
) -> tuple[np.ndarray, list[tuple], np.ndarray]:
    """Leave out the candidates whose groups all lie in another candidate's (that one does at
    least as well in any solution), then merge the groups left with the same candidates.

    Returns (the candidates kept, each group's columns among them, each group's population).
    """
    n_sites = len(useful)
    members: list[list[int]] = [[] for _ in range(n_sites)]
    for group, columns in enumerate(group_sets):
        for column in columns:
            members[column].append(group)
    covers = [frozenset(groups) for groups in members]
    alive = np.ones(n_sites, dtype=bool)
    # Larger sets first, so that a candidate is compared with those that may contain it.
    for column in sorted(range(n_sites), key=lambda c: (-len(covers[c]), c)):
        rarest = min(members[column], key=lambda g: len(group_sets[g]))
        for other in group_sets[rarest]:
            if other != column and alive[other] and covers[column] <= covers[other]:
                alive[column] = False
                break
    renumber = np.cumsum(alive) - 1
    merged: dict[tuple, float] = {}
    for columns, weight in zip(group_sets, weights, strict=True):
        key = tuple(sorted(int(renumber[c]) for c in columns if alive[c]))
        merged[key] = merged.get(key, 0.0) + weight
    return useful[alive], list(merged), np.array(list(merged.values()), dtype=float)


def max_coverage(
    instance: Instance,
    k: int,
    minutes: float,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Open at most `k` candidates so that the population within `minutes` is largest."""
    begin = time.perf_counter()
    if progress:
        progress("greedy", None)
    greedy = greedy_coverage(instance, k, minutes)
    already = float(instance.population[instance.existing_minutes <= minutes].sum())

    within = (instance.pair_minutes <= minutes) & ~(
        instance.existing_minutes[instance.pair_demand] <= minutes
    )
    demand = instance.pair_demand[within]
    candidate = instance.pair_candidate[within]
    useful = np.unique(candidate)
    column_of = np.full(instance.n_candidates, -1, dtype=np.int64)
    column_of[useful] = np.arange(len(useful))
    # Group demand points by their set of useful candidates.
    order = np.lexsort((candidate, demand))
    demand, candidate = demand[order], candidate[order]
    points, first = np.unique(demand, return_index=True)
    bounds = np.append(first, len(demand))
    groups: dict[tuple, float] = {}
    for point, lo, hi in zip(points, bounds[:-1], bounds[1:], strict=True):
        key = tuple(column_of[candidate[lo:hi]].tolist())
        groups[key] = groups.get(key, 0.0) + float(instance.population[point])
    useful, group_sets, weights = _drop_dominated(useful, list(groups), list(groups.values()))
    column_of[:] = -1
    column_of[useful] = np.arange(len(useful))

    def covered(sites: list[int]) -> float:
        return instance.covered_population(sites, minutes)

    n_sites, n_groups = len(useful), len(group_sets)
    greedy_value = covered(greedy)
    if n_sites == 0 or k <= 0:
        return Solution(
            COVERAGE, k, [], greedy, already, greedy_value, already, 0.0, True, "Optimal",
            time.perf_counter() - begin, 0.0, {"columns": 0, "rows": 0, "nonzeros": 0},
        )  # fmt: skip
    if progress:
        progress("model", None)
    highs = _highs(time_limit, progress)
    # Columns: sites 0..n_sites-1 (binary), then groups (continuous, covered share).
    highs.addVars(n_sites + n_groups, np.zeros(n_sites + n_groups), np.ones(n_sites + n_groups))
    highs.changeColsCost(
        n_sites + n_groups,
        np.arange(n_sites + n_groups, dtype=np.int32),
        np.concatenate([np.zeros(n_sites), weights]),
    )
    highs.changeObjectiveSense(highspy_module().ObjSense.kMaximize)
    highs.changeObjectiveOffset(already)
    _mark_binary(highs, np.arange(n_sites))
    # covered_g − Σ_{j ∈ g} open_j ≤ 0
    lengths = np.array([len(g) + 1 for g in group_sets], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    indices = np.concatenate(
        [
            np.concatenate([[n_sites + i], np.array(g, dtype=np.int64)])
            for i, g in enumerate(group_sets)
        ]
    )
    values = np.concatenate([np.concatenate([[1.0], -np.ones(len(g))]) for g in group_sets])
    _add_rows(highs, np.full(n_groups, -np.inf), np.zeros(n_groups), starts, indices, values)
    _open_count_row(highs, n_sites, k, 0)
    # Populations are whole numbers: a bound less than one inhabitant away proves optimality.
    whole = bool(np.all(np.mod(instance.population, 1) == 0))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 1 - 1e-6 if whole else 1e-6)

    start = np.zeros(n_sites + n_groups)
    greedy_columns = column_of[np.asarray(greedy, dtype=int)] if greedy else np.array([], int)
    greedy_columns = greedy_columns[greedy_columns >= 0]
    start[greedy_columns] = 1.0
    chosen = set(greedy_columns.tolist())
    start[n_sites:] = [1.0 if chosen.intersection(g) else 0.0 for g in group_sets]
    size = {
        "columns": highs.getNumCol(),
        "rows": highs.getNumRow(),
        "nonzeros": len(indices) + n_sites,
    }
    values_out, value, bound, status, solver_seconds = _solve(highs, start)
    picked = useful[np.flatnonzero(values_out[:n_sites] > 0.5)].tolist()
    if covered(picked) < greedy_value:  # stopped before reaching the greedy's value
        picked = greedy
    # Keep the sites that add someone (a solver may open useless ones, free of charge), in
    # the order the greedy values them: the first serves most.
    sites = greedy_coverage(instance, len(picked), minutes, allowed=picked)
    value = covered(sites)
    # When the solver stops early, its bound may still be the trivial one: the k candidates
    # covering most, counted as if they did not overlap, bound the optimum too.
    per_site = np.bincount(
        np.concatenate([np.asarray(g, dtype=np.int64) for g in group_sets]),
        weights=np.repeat(weights, [len(g) for g in group_sets]),
        minlength=n_sites,
    )
    top_k = float(np.sort(per_site)[::-1][:k].sum())
    bound = max(min(bound, already + top_k, already + float(weights.sum())), value)
    gap = _gap(value, bound)
    proven = status == "Optimal" and (bound - value) < (1.0 if whole else 1e-6)
    return Solution(
        COVERAGE, k, sites, greedy, value, greedy_value, bound, gap, proven, status,
        time.perf_counter() - begin, solver_seconds, size,
    )  # fmt: skip


def median_penalty(instance: Instance) -> float:
    """Minutes counted, from scratch, for a point that no candidate reaches (twice the longest
    trip of the instance), so that the programme always has a solution."""
    longest = float(instance.pair_minutes.max()) if len(instance.pair_minutes) else 0.0
    return 2 * longest + 60.0


def _truncated_median(
    instance: Instance,
    k: int,
    cap: np.ndarray,
    start_sites: list[int],
    time_limit: float | None,
    progress: Progress | None,
) -> tuple[list[int], float, str, float, dict]:
    """Solve min Σ population × min(minutes to the nearest open point, cap) exactly.

    Returns (open sites, proven lower bound, HiGHS status, solver seconds, programme size).
    """
    population = instance.population
    keep = (instance.pair_minutes < cap[instance.pair_demand]) & (
        population[instance.pair_demand] > 0
    )
    demand = instance.pair_demand[keep]
    candidate = instance.pair_candidate[keep]
    minutes = instance.pair_minutes[keep]
    useful = np.unique(candidate)
    n_sites = len(useful)
    if n_sites == 0 or k <= 0:
        return [], float((population * cap).sum()), "Optimal", 0.0, {}
    column_of = np.full(instance.n_candidates, -1, dtype=np.int64)
    column_of[useful] = np.arange(n_sites)
    site = column_of[candidate]
    # Levels: distinct (demand, minutes) pairs, in order of minutes within each demand point.
    order = np.lexsort((minutes, demand))
    demand, site, minutes = demand[order], site[order], minutes[order]
    new_level = np.ones(len(demand), dtype=bool)
    new_level[1:] = (demand[1:] != demand[:-1]) | (minutes[1:] != minutes[:-1])
    level_of_pair = np.cumsum(new_level) - 1
    level_first = np.flatnonzero(new_level)
    level_demand = demand[level_first]
    level_minutes = minutes[level_first]
    n_levels = len(level_first)
    first_of_demand = np.ones(n_levels, dtype=bool)
    first_of_demand[1:] = level_demand[1:] != level_demand[:-1]
    last_of_demand = np.ones(n_levels, dtype=bool)
    last_of_demand[:-1] = level_demand[1:] != level_demand[:-1]
    next_minutes = np.where(last_of_demand, cap[level_demand], np.append(level_minutes[1:], 0.0))
    # Columns: sites (binary), then far_h per level (continuous).
    n_col = n_sites + n_levels
    costs = np.concatenate(
        [np.zeros(n_sites), population[level_demand] * (next_minutes - level_minutes)]
    )
    offset = float(
        (population[level_demand[first_of_demand]] * level_minutes[first_of_demand]).sum()
    )
    reached = np.zeros(len(population), dtype=bool)
    reached[level_demand] = True
    offset += float((population[~reached] * cap[~reached]).sum())
    highs = _highs(time_limit, progress)
    highs.addVars(n_col, np.zeros(n_col), np.ones(n_col))
    highs.changeColsCost(n_col, np.arange(n_col, dtype=np.int32), costs)
    highs.changeObjectiveOffset(offset)
    _mark_binary(highs, np.arange(n_sites))
    # Row per level h: far_h − far_{h−1} + Σ_{pairs at level h} open_j ≥ 0 (≥ 1 for h = 1,
    # without far_0). Entries: the level's far, the previous far, then its sites.
    pairs_per_level = np.bincount(level_of_pair, minlength=n_levels)
    lengths = 1 + (~first_of_demand).astype(np.int64) + pairs_per_level
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    indices = np.empty(int(lengths.sum()), dtype=np.int64)
    values = np.ones(len(indices))
    levels = np.arange(n_levels)
    indices[starts] = n_sites + levels
    previous = starts[~first_of_demand] + 1
    indices[previous] = n_sites + levels[~first_of_demand] - 1
    values[previous] = -1.0
    site_start = starts + 1 + (~first_of_demand)
    rank = np.arange(len(demand)) - np.repeat(level_first, pairs_per_level)
    indices[site_start[level_of_pair] + rank] = site
    lower = np.where(first_of_demand, 1.0, 0.0)
    _add_rows(highs, lower, np.full(n_levels, np.inf), starts, indices, values)
    _open_count_row(highs, n_sites, k, 0)
    highs.setOptionValue("mip_rel_gap", MEDIAN_REL_GAP)

    start = np.zeros(n_col)
    start_columns = column_of[np.asarray(start_sites, dtype=int)]
    start[start_columns[start_columns >= 0]] = 1.0
    nearest = instance.nearest_minutes(start_sites)
    start[n_sites:] = (nearest[level_demand] > level_minutes).astype(float)
    size = {"columns": n_col, "rows": highs.getNumRow(), "nonzeros": len(indices) + n_sites}
    values_out, _value, bound, status, seconds = _solve(highs, start)
    picked = useful[np.flatnonzero(values_out[:n_sites] > 0.5)].tolist()
    return picked, bound, status, seconds, size


def p_median(
    instance: Instance,
    k: int,
    *,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> Solution:
    """Open at most `k` candidates so that the population-weighted minutes to the nearest open
    point (existing or new) is least.

    Solved by truncation (Elloumi's idea, applied iteratively): each demand point's minutes
    are capped at those of the best known solution, which gives a much smaller programme
    whose optimum is a lower bound; when its solution serves every point within its cap, the
    bound is reached and the solution is optimal, else the caps of the points served farther
    are raised and the programme solved again.
    """
    begin = time.perf_counter()
    penalty = median_penalty(instance)
    if progress:
        progress("greedy", None)
    greedy = greedy_median(instance, k, penalty=penalty)
    ceiling = np.where(np.isfinite(instance.existing_minutes), instance.existing_minutes, penalty)
    population = instance.population

    def nearest(sites: list[int]) -> np.ndarray:
        return np.minimum(instance.nearest_minutes(sites), ceiling)

    def cost(sites: list[int]) -> float:
        return float((population * nearest(sites)).sum())

    greedy_value = cost(greedy)
    best, best_value = greedy, greedy_value
    cap = nearest(greedy)
    bound, status, solver_seconds, size = -np.inf, "Not solved", 0.0, {}
    while True:
        remaining = None if time_limit is None else time_limit - (time.perf_counter() - begin)
        if remaining is not None and remaining <= 0:
            status = "Time limit reached"
            break
        if progress:
            progress("model", None)
        picked, bound, status, seconds, size = _truncated_median(
            instance, k, cap, best, remaining, progress
        )
        solver_seconds += seconds
        value = cost(picked)
        if value < best_value:
            best, best_value = picked, value
        served = nearest(picked)
        beyond = served > cap + 1e-9
        if status != "Optimal" or not beyond.any():
            break
        cap = np.where(beyond, ceiling, cap)
    sites = greedy_median(instance, len(best), penalty=penalty, allowed=best)
    value = cost(sites)
    bound = min(bound, value)
    gap = _gap(value, bound)
    proven = status == "Optimal" and gap <= MEDIAN_REL_GAP
    return Solution(
        MEDIAN, k, sites, greedy, value, greedy_value, bound, gap, proven, status,
        time.perf_counter() - begin, solver_seconds, size,
    )  # fmt: skip


def solve(
    instance: Instance,
    *,
    objective: str,
    k: int,
    minutes: float,
    time_limit: float | None = None,
    progress: Progress | None = None,
) -> Solution:
    if objective == COVERAGE:
        return max_coverage(instance, k, minutes, time_limit=time_limit, progress=progress)
    if objective == MEDIAN:
        return p_median(instance, k, time_limit=time_limit, progress=progress)
    raise ValueError(f"Unknown objective: {objective!r}")
