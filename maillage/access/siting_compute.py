"""Where k new points of a kind of help would serve most people: the computation.

`siting_compute(...)` gathers the territory (communes and their populations, from
`times.commune_origins`), the places of the kind already open (`kinds.places_for`; none with
`from_scratch`), the candidate sites (`candidates.py`), the travel times (`matrix.py`, the
territory's provider), and lets `siting.py` choose the sites exactly (HiGHS) beside the greedy
baseline. Its `SitingResult.as_json()` is what the command line prints and what a saved
`SitingScenario` keeps: the figures before and after, each new site with the population it
brings within the threshold, and every commune's minutes before and after (for the maps and
the list of communes still far). Saved scenarios are `scenarios.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from maillage import clock

from . import kinds, matrix, siting, times, waiting
from .candidates import Candidate, candidates_for

# Above this many commune × candidate pairs, only the pairs within reach are computed (a
# spatial index picks them): a national scenario would not fit a dense matrix.
DENSE_PAIRS = 4_000_000
FASTEST_KMH = 90.0  # no road trip is faster than this as the crow flies (spatial index radius)


@dataclass(frozen=True)
class SitingRequest:
    kind: str
    k: int
    minutes: int
    objective: str = siting.COVERAGE
    candidates: str = "communes"
    candidate_rows: tuple = ()
    from_scratch: bool = False
    opening_hours: str = ""
    time_limit: float | None = None


def _minutes(value: float) -> float | None:
    return round(float(value), 1) if np.isfinite(value) else None


def _reach(
    origins: Sequence[times.Origin],
    sites: Sequence[Candidate],
    existing_minutes: np.ndarray,
    *,
    objective: str,
    minutes: float,
) -> siting.Instance:
    """The instance: a dense matrix on a département, pairs within reach beyond."""
    population = np.array([o.population for o in origins], dtype=float)
    positions = [o.position for o in origins]
    site_positions = [c.position for c in sites]
    if len(origins) * len(sites) <= DENSE_PAIRS:
        travel = matrix.travel_minutes(positions, site_positions)
        return siting.Instance.from_matrix(
            population,
            travel,
            existing_minutes,
            max_minutes=minutes if objective == siting.COVERAGE else None,
        )
    # Beyond: pairs within reach of the threshold (coverage) or of twice it (p-median; a
    # farther candidate is then counted at the penalty, like an unreached point).
    reach = minutes if objective == siting.COVERAGE else 2 * minutes
    index = matrix.NearestIndex(site_positions)
    within = index.within_km(positions, reach / 60 * FASTEST_KMH)
    demand, candidate, travel_minutes = [], [], []
    for row, columns in enumerate(within):
        if not columns:
            continue
        row_minutes = matrix.travel_minutes([positions[row]], [site_positions[c] for c in columns])
        demand.extend([row] * len(columns))
        candidate.extend(columns)
        travel_minutes.extend(row_minutes[0].tolist())
    demand_array = np.asarray(demand, dtype=np.int64)
    candidate_array = np.asarray(candidate, dtype=np.int64)
    minutes_array = np.asarray(travel_minutes, dtype=float)
    keep = (minutes_array <= reach) & (minutes_array < existing_minutes[demand_array])
    return siting.Instance(
        population,
        existing_minutes,
        demand_array[keep],
        candidate_array[keep],
        minutes_array[keep],
        len(sites),
    )


@dataclass
class SitingResult:
    request: SitingRequest
    kind_label: str
    solution: siting.Solution
    instance: siting.Instance
    origins: list
    sites: list[Candidate]
    existing_count: int
    new_hours: waiting.Opening | None
    seconds: float

    def as_json(self) -> dict:
        request, solution, instance = self.request, self.solution, self.instance
        threshold = request.minutes
        before = instance.nearest_minutes([])
        after = instance.nearest_minutes(solution.sites)
        population = instance.population
        covered_before = float(population[before <= threshold].sum())
        covered_after = float(population[after <= threshold].sum())
        reached_before, reached_after = np.isfinite(before), np.isfinite(after)
        # What each new site brings, in the order the greedy values them.
        brought, so_far = [], covered_before
        for count in range(1, len(solution.sites) + 1):
            covered = instance.covered_population(solution.sites[:count], threshold)
            brought.append(covered - so_far)
            so_far = covered
        return {
            "kind": request.kind,
            "kind_label": self.kind_label,
            "k": request.k,
            "minutes": threshold,
            "objective": request.objective,
            "candidates": request.candidates,
            "from_scratch": request.from_scratch,
            "candidate_count": len(self.sites),
            "existing_places": self.existing_count,
            "total_population": int(instance.total_population),
            "covered_before": int(covered_before),
            "covered_population": int(covered_after),
            "newly_covered": int(covered_after - covered_before),
            "greedy_covered_population": int(
                instance.covered_population(solution.greedy_sites, threshold)
            ),
            "mean_minutes_before": _mean(population, before, reached_before),
            "mean_minutes_after": _mean(population, after, reached_after),
            "greedy_mean_minutes": _mean(
                population,
                instance.nearest_minutes(solution.greedy_sites),
                np.isfinite(instance.nearest_minutes(solution.greedy_sites)),
            ),
            "value": solution.value,
            "greedy_value": solution.greedy_value,
            "bound": solution.bound,
            "proven_optimal": solution.proven_optimal,
            "gap": solution.gap,
            "status": solution.status,
            "sites": [self.sites[index].key for index in solution.sites],
            "greedy_sites": [self.sites[index].key for index in solution.greedy_sites],
            "new_sites": [
                {**self.sites[index].as_json(), "brought": int(gain)}
                for index, gain in zip(solution.sites, brought, strict=True)
            ],
            "opening_hours": request.opening_hours,
            "new_points_waiting_minutes": (
                _minutes(self.new_hours.waiting_minutes)
                if self.new_hours and self.new_hours.waiting_minutes is not None
                else None
            ),
            "new_points_half_days": (
                round(self.new_hours.half_days_per_week, 1)
                if self.new_hours and self.new_hours.half_days_per_week is not None
                else None
            ),
            "communes": [
                {
                    "insee": origin.insee,
                    "name": origin.name,
                    "population": origin.population,
                    "before": _minutes(before[row]),
                    "after": _minutes(after[row]),
                }
                for row, origin in enumerate(self.origins)
            ],
            "programme": solution.size,
            "solver_seconds": round(solution.solver_seconds, 3),
            "seconds": round(self.seconds, 3),
        }


def _mean(population: np.ndarray, minutes: np.ndarray, reached: np.ndarray) -> float | None:
    weight = population[reached].sum()
    if not weight:
        return None
    return round(float((population[reached] * minutes[reached]).sum() / weight), 1)


ProgressCallback = Callable[[int, str], None]


def siting_compute(
    request: SitingRequest, *, progress: ProgressCallback | None = None
) -> SitingResult:
    """Solve a scenario now (see the module docstring)."""
    begin = time.perf_counter()
    report = progress or (lambda percent, step: None)
    kind = kinds.get_kind(request.kind)
    report(5, "Lecture des communes et des lieux")
    origins = times.commune_origins()
    existing = [] if request.from_scratch else kinds.places_for(kind, clock.today())
    sites = candidates_for(
        request.candidates,
        existing_ids=[place.pk for place in existing],
        rows=list(request.candidate_rows),
    )
    positions = [o.position for o in origins]
    if existing:
        _nearest, existing_minutes = matrix.nearest_travel(
            positions, [place.position for place in existing], k=5
        )
    else:
        existing_minutes = np.full(len(origins), np.inf)
    report(15, "Temps de trajet vers les lieux candidats")
    instance = _reach(
        origins,
        sites,
        np.asarray(existing_minutes, dtype=float),
        objective=request.objective,
        minutes=request.minutes,
    )

    def solver_progress(stage: str, gap: float | None) -> None:
        if stage == "greedy":
            report(30, "Heuristique gloutonne (référence)")
        elif stage == "model":
            report(40, "Construction du programme en nombres entiers")
        elif gap is None:
            report(50, "Résolution exacte (HiGHS)")
        else:
            # The gap shrinks towards 0: map it on 50–95 %.
            report(int(95 - 45 * min(gap, 1.0)), f"Résolution exacte : écart {gap:.2%}")

    solution = siting.solve(
        instance,
        objective=request.objective,
        k=request.k,
        minutes=request.minutes,
        time_limit=request.time_limit,
        progress=solver_progress,
    )
    new_hours = (
        waiting.opening(request.opening_hours, clock.today()) if request.opening_hours else None
    )
    report(100, "Terminé")
    return SitingResult(
        request=request,
        kind_label=kind.label,
        solution=solution,
        instance=instance,
        origins=origins,
        sites=sites,
        existing_count=len(existing),
        new_hours=new_hours,
        seconds=time.perf_counter() - begin,
    )


def scenario_request(scenario) -> SitingRequest:
    """What a saved `SitingScenario` asks."""
    return SitingRequest(
        kind=scenario.kind,
        k=scenario.k,
        minutes=scenario.minutes,
        objective=scenario.objective,
        candidates=scenario.candidates,
        candidate_rows=tuple(scenario.candidate_rows),
        from_scratch=scenario.from_scratch,
        opening_hours=scenario.opening_hours,
        time_limit=120.0,
    )
