"""Iterations of the dial-a-ride search per CPU second, on fixed iteration counts.

    .venv/bin/python bench/darp_rate.py [--instances a7-84,a8-96,pr10] [--seeds 0,1,2]
                                        [--iterations 2000] [--cpu-seconds S] [--profile FILE]

One search (one process, no pool recombination, no early stop) runs `--iterations`
iterations per instance and seed: with a fixed count the run is deterministic for a seed, so
two versions of the planner that answer every insertion question alike follow the same
trajectory and end at the same cost (printed, to check it), and their CPU times
(`time.process_time`, not disturbed by other processes' load) compare the kernels alone.
Construction is timed apart. `--profile FILE` writes a cProfile of the last run.

`--cpu-seconds S` instead runs each search for S seconds of its own CPU time, with its usual
rules (temperature decaying over the budget, early stop): the search's clock is made the
process's CPU time, so the load of the machine does not change what it finds, and the best
costs of two versions compare what their speed buys.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import time
import types
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")

from maillage.transport.darp import alns  # noqa: E402
from maillage.transport.darp.alns import Search  # noqa: E402
from maillage.transport.darp.readers import read_cordeau  # noqa: E402
from maillage.transport.darp.tables import Tables  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "darp"


def instance_path(name: str) -> Path:
    folder = "cordeau-laporte2003" if name.startswith("pr") else "cordeau2006"
    return DATA / folder / f"{name}.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="a7-84,a8-96,pr10")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--cpu-seconds", type=float, default=0.0)
    parser.add_argument("--profile", default="")
    options = parser.parse_args()
    for name in options.instances.split(","):
        instance = read_cordeau(instance_path(name))
        for seed in (int(s) for s in options.seeds.split(",")):
            tables = Tables(instance)
            search = Search(tables, seed)
            began = time.process_time()
            start = search.initial()
            built = time.process_time() - began
            profiler = cProfile.Profile() if options.profile else None
            if profiler:
                profiler.enable()
            began = time.process_time()
            if options.cpu_seconds:
                alns.time = types.SimpleNamespace(monotonic=time.process_time)
                best = search.run(time.process_time() + options.cpu_seconds, start=start)
            else:
                best = search.run(
                    time.monotonic() + 1e6, start=start, max_iterations=options.iterations
                )
            spent = time.process_time() - began
            if profiler:
                profiler.disable()
                profiler.dump_stats(options.profile)
            print(
                f"{name} seed {seed}: {search.iterations} iterations in {spent:.2f} s CPU "
                f"= {search.iterations / spent:.0f} it/CPU s (construction {built:.2f} s), "
                f"best {search.objective(best):.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
