"""Dial-a-ride planner against the literature: Cordeau (2006), Cordeau & Laporte (2003), OR-Tools.

    .venv/bin/python bench/darp.py [--seconds 30] [--instances a2-16,pr01] [--jobs 1]
                                   [--sets cordeau2006,cordeau-laporte2003]
                                   [--methods alns,baseline] [--via-command] [--data-dir DIR]

For every instance (default: the 24 files of `../shared/data/darp/cordeau2006/` and the 20
of `cordeau-laporte2003/`, best-known values from `bks.csv`) and every method, solves with the
time budget, turns the solution into the JSON that `maillage darp-solve --json` prints, parses
it back and verifies it with the independent checker (exact Euclidean times, tolerance 0.001:
pairing, capacity, windows, ride times, route duration) before computing the cost and the gap.
Prints per instance the cost, the gap to the best-known value, the time, the requests served,
whether the solution is feasible and whether the planner proved it optimal; then per set the
mean and largest gap of each method, and a last summary line per set. The load average is
printed at the start and the end: on a shared machine the planner gets less than its cores.

`--days 5,10,20` plans instead generated days like the transport app's (riders from villages
within 15 km to one afternoon workshop and back, 13:30–14:00 arrival, 15:30–16:00 departure,
ride limit direct + 30 min, minibuses of 4 seats and a wheelchair place, 12:00–18:00 shifts;
one worker and 10 s, as `transport.planning` does) and prints per day the method, whether the
optimum is proven, the time used (wall clock, and this process's CPU time: on a shared machine
the wall clock counts other programs' load), with the OR-Tools baseline on the same day, and
the gap to the proven lower bound when the plan is not proven but a bound is known.

By default the solvers run in this process (so each gets its whole budget, the planner using
both cores); `--via-command` runs `maillage darp-solve FILE --seconds S --json` in a subprocess
instead, start-up counted in the budget.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")

from maillage.transport.darp.baseline import solve_baseline  # noqa: E402
from maillage.transport.darp.checker import Stop, check_solution  # noqa: E402
from maillage.transport.darp.instance import Instance, Node, Request, Vehicle  # noqa: E402
from maillage.transport.darp.readers import read_cordeau  # noqa: E402
from maillage.transport.darp.solver import solve  # noqa: E402

METHODS = {"alns": "planner (exact or ALNS + pool)", "baseline": "OR-Tools defaults"}


def run_one(
    path: Path, method: str, seconds: float, seed: int, workers: int, via_command: bool
) -> dict:
    """Solve one instance with one method; return the parsed JSON answer and the wall time."""
    began = time.monotonic()
    if via_command:
        command = [
            str(REPO / ".venv" / "bin" / "maillage"),
            "darp-solve",
            str(path),
            "--seconds",
            str(seconds),
            "--json",
            "--seed",
            str(seed),
            "--workers",
            str(workers),
        ]
        if method == "baseline":
            command.append("--baseline")
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    else:
        instance = read_cordeau(path)
        if method == "baseline":
            solution = solve_baseline(instance, seconds)
        else:
            solution = solve(instance, seconds, seed=seed, workers=workers)
        output = json.dumps(solution.as_json())
    wall = time.monotonic() - began
    answer = json.loads(output)
    answer["wall"] = wall
    return answer


def verify(path: Path, answer: dict) -> tuple[float, int, bool, list[str]]:
    """Checker's view of an answer: cost, requests served, feasible, violations."""
    instance = read_cordeau(path)
    routes = [
        (
            vehicle["vehicle"],
            [Stop(s["node"], s["arrival"], s["start_of_service"]) for s in vehicle["route"]],
        )
        for vehicle in answer["vehicles"]
    ]
    report = check_solution(instance, routes)
    return report.cost, len(report.served), report.feasible, report.violations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--instances", default="", help="comma-separated names (default: all)")
    parser.add_argument(
        "--sets",
        default="cordeau2006,cordeau-laporte2003",
        help="folders of the data directory, comma-separated",
    )
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "darp")
    parser.add_argument("--methods", default="alns,baseline")
    parser.add_argument("--jobs", type=int, default=1, help="instances solved at the same time")
    parser.add_argument("--workers", type=int, default=2, help="search processes per solve")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--via-command", action="store_true")
    parser.add_argument("--days", default="", help="riders per generated day, e.g. 5,10,20")
    args = parser.parse_args()
    if args.days:
        _run_days([int(riders) for riders in args.days.split(",")], args.seed)
        return

    bks = {}
    with (args.data_dir / "bks.csv").open() as handle:
        for row in csv.DictReader(handle):
            bks[row["instance"]] = float(row["best_known"])
    methods = [m for m in args.methods.split(",") if m]
    wanted = set(args.instances.split(",")) if args.instances else None
    summaries = []
    for name_of_set in [s for s in args.sets.split(",") if s]:
        folder = args.data_dir / name_of_set
        names = sorted((p.stem for p in folder.glob("*.txt")), key=_natural)
        if wanted is not None:
            names = [name for name in names if name in wanted]
        if names:
            summaries.append(_run_set(args, name_of_set, folder, names, methods, bks))
    for line in summaries:
        print(line)


def _run_set(args, name_of_set: str, folder: Path, names: list[str], methods, bks) -> str:
    print(
        f"# DARP bench: {len(names)} instances of {name_of_set}, {args.seconds:g} s each, "
        f"methods {', '.join(methods)}, {args.workers} worker(s), seed {args.seed}, "
        f"{'via the command' if args.via_command else 'in process'}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average {_load()}"
    )
    header = f"{'instance':<8} {'method':<9} {'cost':>9} {'best':>9} {'gap %':>7} {'time s':>7} "
    print(header + f"{'served':>7} feasible proven")
    results: dict[str, list[tuple[str, float | None, bool, bool]]] = {m: [] for m in methods}
    jobs = [(name, method) for name in names for method in methods]
    calls = [
        (folder / f"{name}.txt", method, args.seconds, args.seed, args.workers, args.via_command)
        for name, method in jobs
    ]
    with ProcessPoolExecutor(max_workers=args.jobs) if args.jobs > 1 else _Inline() as pool:
        futures = [pool.submit(run_one, *call) for call in calls]
        for (name, method), future in zip(jobs, futures, strict=True):
            answer = future.result()
            cost, served, feasible, violations = verify(folder / f"{name}.txt", answer)
            best = bks.get(name)
            complete = served == answer["requests"]
            gap = 100.0 * (cost - best) / best if best and complete else None
            results[method].append((name, gap, feasible, complete))
            print(
                f"{name:<8} {method:<9} {cost:>9.2f} {best or float('nan'):>9.2f} "
                f"{_fmt(gap):>7} {answer['wall']:>7.1f} {served:>3}/{answer['requests']:<3} "
                f"{'yes' if feasible else 'NO: ' + '; '.join(violations[:3])}"
                f"{'      yes' if answer.get('proven') else ''}",
                flush=True,
            )
    summary = []
    for method in methods:
        rows = results[method]
        gaps = [gap for _, gap, feasible, _ in rows if gap is not None and feasible]
        valid = sum(1 for _, gap, feasible, complete in rows if feasible and complete)
        mean = statistics.fmean(gaps) if len(gaps) == len(rows) and rows else None
        print(
            f"# {METHODS.get(method, method)}: mean gap {_fmt(mean)} %, largest "
            f"{_fmt(max(gaps, default=None))} % over {len(rows)} instances "
            f"({valid} feasible with every request served"
            + ("" if mean is not None else f"; mean over those: {_fmt(_mean(gaps))} %")
            + ")"
        )
        summary.append(f"{method} {_fmt(mean)} % (largest {_fmt(max(gaps, default=None))} %)")
    print(f"# load average at the end of {name_of_set}: {_load()}", flush=True)
    return f"SUMMARY {name_of_set} {args.seconds:g}s: mean gap " + ", ".join(summary)


def workshop_day(riders: int, seed: int = 0) -> Instance:
    """A generated afternoon of rides to one workshop and back (times in minutes)."""
    rng = random.Random(seed)
    vehicles = max(2, math.ceil(riders / 6))
    zero = (0, 0)
    nodes = []
    for k in range(vehicles):  # the depot is in the workshop's village
        nodes.append(Node(2 * k, 0.5, 0.0, 0.0, zero, 720.0, 1080.0))
        nodes.append(Node(2 * k + 1, 0.5, 0.0, 0.0, zero, 720.0, 1080.0))
    requests = []
    for _ in range(riders):
        angle, radius = rng.uniform(0, 2 * math.pi), rng.uniform(2.0, 15.0)
        home = (radius * math.cos(angle), radius * math.sin(angle))
        wheelchair = rng.random() < 0.1
        load = (1, 1) if wheelchair else (1, 0)
        service = 5.0 if wheelchair else 2.0
        for outbound in (True, False):
            p, d = len(nodes), len(nodes) + 1
            origin, destination = (home, (0.0, 0.0)) if outbound else ((0.0, 0.0), home)
            p_window, d_window = (
                ((0.0, 840.0), (810.0, 840.0)) if outbound else ((930.0, 960.0), (930.0, 1440.0))
            )
            nodes.append(Node(p, *origin, service, load, *p_window))
            nodes.append(Node(d, *destination, service, tuple(-x for x in load), *d_window))
            requests.append(Request(len(requests), p, d, 0.0))
    # Road minutes: 1.3 × the straight line at 50 km/h.
    travel = [[1.3 * math.dist((a.x, a.y), (b.x, b.y)) * 60 / 50 for b in nodes] for a in nodes]
    requests = [
        Request(r.id, r.pickup, r.delivery, travel[r.pickup][r.delivery] + 30.0) for r in requests
    ]
    return Instance(
        name=f"day-{riders}",
        nodes=nodes,
        requests=requests,
        vehicles=[Vehicle(k, 2 * k, 2 * k + 1, (4, 1), 360.0) for k in range(vehicles)],
        travel=travel,
        dimensions=("places", "wheelchairs"),
    )


def _run_days(riders_per_day: list[int], seed: int) -> None:
    print(
        f"# DARP bench: generated workshop days, 10 s budget, 1 worker, seed {seed}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average {_load()}"
    )
    print(
        f"{'day':<7} {'requests':>8} {'method':<15} {'cost':>8} {'served':>7} {'proven':>6} "
        "time s  cpu s  gap % (proven bound)"
    )
    for riders in riders_per_day:
        instance = workshop_day(riders, seed)
        for method in ("planner", "baseline"):
            began, cpu = time.monotonic(), time.process_time()
            if method == "baseline":
                solution = solve_baseline(instance, 10.0)
            else:
                solution = solve(instance, 10.0, seed=seed, workers=1)
            wall, cpu = time.monotonic() - began, time.process_time() - cpu
            report = check_solution(instance, solution.routes_for_checker())
            assert report.feasible, report.violations
            print(
                f"{instance.name:<7} {len(instance.requests):>8} {solution.method:<15} "
                f"{solution.cost:>8.2f} {solution.served:>3}/{solution.requests:<3} "
                f"{'yes' if solution.proven else 'no':>6} {wall:>6.2f} {cpu:>6.2f}"
                + (
                    f"  {100 * (solution.cost - solution.bound) / max(solution.cost, 1e-9):.2f}"
                    if getattr(solution, "bound", None) is not None
                    else ""
                ),
                flush=True,
            )
    print(f"# load average at the end: {_load()}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class _Inline:
    """Runs each job when its result is asked for, in this process (the planner forks)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def submit(self, function, *args):
        return _Deferred(function, args)


class _Deferred:
    def __init__(self, function, args) -> None:
        self.function, self.args = function, args

    def result(self):
        return self.function(*self.args)


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value if abs(value) >= 0.005 else 0.0:.2f}"


def _natural(name: str) -> tuple:
    head, _, size = name.partition("-")
    return (head, int(size) if size.isdigit() else size)


if __name__ == "__main__":
    main()
