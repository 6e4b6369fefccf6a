"""`maillage darp-solve FILE`: plan the tours of a dial-a-ride benchmark instance.

The budget `--seconds` is wall-clock time for the whole command, start-up included: the
planner's deadline is counted from the moment the process started, so a benchmark that times
the command sees it end within the budget.
"""

import json
import os
import time
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.transport.darp.baseline import solve_baseline
from maillage.transport.darp.checker import check_solution
from maillage.transport.darp.readers import InstanceFormatError, read_cordeau
from maillage.transport.darp.solver import solve

# Time kept for printing the answer after the planner returns.
OUTPUT_MARGIN = 0.5


def seconds_since_process_start() -> float:
    """How long ago this process started (Linux /proc), 0 if unknown."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


class Command(BaseCommand):
    help = (
        "Calcule les tournées d'une instance de transport à la demande au format Cordeau "
        "(2006) ou Cordeau & Laporte (2003) et affiche le coût, les demandes servies et, par "
        "véhicule, les arrêts avec heures d'arrivée et de début de service."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier de l'instance.")
        parser.add_argument(
            "--seconds",
            type=float,
            default=30.0,
            help="Temps total accordé, démarrage compris (défaut : 30 s).",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Sortie JSON.")
        parser.add_argument("--seed", type=int, default=0, help="Graine aléatoire (défaut : 0).")
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Nombre de recherches menées en parallèle (défaut : 2, un par cœur).",
        )
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="Résoudre avec OR-Tools seul, réglages par défaut (référence de comparaison).",
        )

    def handle(self, *args, file: Path, seconds: float, as_json: bool, seed: int, **options):
        deadline = time.monotonic() + seconds - seconds_since_process_start() - OUTPUT_MARGIN
        try:
            instance = read_cordeau(file)
        except (OSError, InstanceFormatError) as error:
            raise CommandError(f"Instance illisible : {error}") from error
        if options["baseline"]:
            solution = solve_baseline(instance, max(deadline - time.monotonic(), 0.1))
        else:
            solution = solve(instance, seed=seed, workers=options["workers"], deadline=deadline)
        if as_json:
            self.stdout.write(json.dumps(solution.as_json(), ensure_ascii=False))
            return
        report = check_solution(instance, solution.routes_for_checker())
        self.stdout.write(
            f"Instance {instance.name} : coût {solution.cost:.2f}, "
            f"{solution.served}/{solution.requests} demandes servies, "
            f"{len(solution.tours)} véhicule(s), {solution.seconds:.1f} s "
            f"({solution.method}, {solution.iterations} itérations"
            f"{', optimum prouvé' if solution.proven else ''})."
        )
        for tour in solution.tours:
            stops = " → ".join(f"{stop.node} ({stop.start_of_service:.1f})" for stop in tour.stops)
            self.stdout.write(f"  Véhicule {tour.vehicle} (coût {tour.cost:.2f}) : {stops}")
        for item in solution.unserved:
            self.stdout.write(f"  Demande {item.request} non servie : {item.message}.")
        if report.feasible:
            self.stdout.write("Vérification indépendante : solution réalisable.")
        else:
            self.stdout.write("Vérification indépendante : solution NON réalisable :")
            for violation in report.violations:
                self.stdout.write(f"  - {violation}")
