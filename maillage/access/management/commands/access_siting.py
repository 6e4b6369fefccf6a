import json
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.access import kinds, siting
from maillage.access.candidates import CandidateFileError, parse_candidates_csv
from maillage.access.labels import CandidateSource
from maillage.access.siting_compute import SitingRequest, siting_compute

SUMMARY_KEYS = (
    "kind",
    "k",
    "minutes",
    "objective",
    "total_population",
    "covered_before",
    "covered_population",
    "greedy_covered_population",
    "newly_covered",
    "mean_minutes_before",
    "mean_minutes_after",
    "greedy_mean_minutes",
    "proven_optimal",
    "gap",
    "status",
    "candidates",
    "candidate_count",
    "existing_places",
    "from_scratch",
    "sites",
    "greedy_sites",
    "programme",
    "solver_seconds",
    "seconds",
)


class Command(BaseCommand):
    help = (
        "Scénario d'implantation : où ouvrir k nouveaux points d'un type d'aide pour servir le "
        "plus de monde (couverture maximale ou p-médiane, optimum exact avec HiGHS, à côté de "
        "l'heuristique gloutonne)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help="Type de point (ex. mediation, visio).")
        parser.add_argument("--k", type=int, required=True, help="Nombre de nouveaux points.")
        parser.add_argument("--minutes", type=int, default=15, help="Seuil de trajet (minutes).")
        parser.add_argument(
            "--objective", choices=siting.OBJECTIVES, default=siting.COVERAGE, help="Objectif."
        )
        parser.add_argument(
            "--candidates",
            default=CandidateSource.COMMUNES,
            help="communes, libraries, places, ou le chemin d'un fichier CSV.",
        )
        parser.add_argument("--from-scratch", action="store_true", help="Sans les lieux existants.")
        parser.add_argument("--hours", default="", help="Horaires des nouveaux points (OSM).")
        parser.add_argument(
            "--time-limit", type=float, default=None, help="Limite de temps du solveur (s)."
        )
        parser.add_argument("--json", action="store_true", help="Résultat en JSON.")

    def handle(self, *args, **options):
        if options["k"] < 1:
            raise CommandError("--k doit être au moins 1.")
        try:
            kinds.get_kind(options["kind"])
        except kinds.UnknownKind as error:
            known = ", ".join(k.key for k in kinds.all_kinds())
            raise CommandError(f"{error} (connus : {known})") from error
        source, rows = options["candidates"], ()
        if source not in CandidateSource.values or source == CandidateSource.FILE:
            path = Path(source)
            if not path.is_file():
                raise CommandError(
                    f"--candidates : « {source} » n'est ni communes, libraries, places, "
                    "ni un fichier CSV."
                )
            try:
                rows = tuple(c.as_json() for c in parse_candidates_csv(path.read_bytes()))
            except CandidateFileError as error:
                raise CommandError("\n".join(error.errors)) from error
            source = CandidateSource.FILE
        result = siting_compute(
            SitingRequest(
                kind=options["kind"],
                k=options["k"],
                minutes=options["minutes"],
                objective=options["objective"],
                candidates=source,
                candidate_rows=rows,
                from_scratch=options["from_scratch"],
                opening_hours=options["hours"],
                time_limit=options["time_limit"],
            )
        )
        answer = result.as_json()
        if options["json"]:
            summary = {key: answer[key] for key in SUMMARY_KEYS}
            summary["new_sites"] = answer["new_sites"]
            json.dump(summary, self.stdout, ensure_ascii=False, indent=1)
            self.stdout.write("")
            return
        proof = (
            "optimum prouvé"
            if answer["proven_optimal"]
            else f"optimum non prouvé (écart {answer['gap']:.2%})"
        )
        self.stdout.write(
            f"{answer['kind_label']} — {answer['k']} nouveaux points, seuil {answer['minutes']} "
            f"min, {proof}, {answer['seconds']:.1f} s"
        )
        self.stdout.write(
            f"Population à moins de {answer['minutes']} min : {answer['covered_before']} → "
            f"{answer['covered_population']} sur {answer['total_population']} "
            f"(heuristique gloutonne : {answer['greedy_covered_population']})"
        )
        for site in answer["new_sites"]:
            self.stdout.write(f"  {site['key']} {site['name']} : +{site['brought']} habitants")
