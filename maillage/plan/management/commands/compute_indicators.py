import datetime as dt

from django.core.management import BaseCommand, CommandError

from maillage.plan.computed import compute_all
from maillage.plan.models import Plan


class Command(BaseCommand):
    help = (
        "Calcule les indicateurs liés à une source (accompagnements, lieux…) et enregistre "
        "les valeurs comme mesures calculées. À lancer chaque nuit (cron) ; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Identifiant d'adresse du schéma (tous par défaut).")
        parser.add_argument("--date", help="Date de la mesure, AAAA-MM-JJ (aujourd'hui).")
        parser.add_argument(
            "--year-ends",
            help="Aussi au 31 décembre de ces années, ex. 2024,2025 (valeurs passées).",
        )
        parser.add_argument("--background", action="store_true", help="Via une tâche de fond.")

    def handle(self, *args, **options):
        plan = None
        if options["plan"]:
            plan = Plan.objects.filter(slug=options["plan"]).first()
            if plan is None:
                raise CommandError(f"Schéma inconnu : {options['plan']}")
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
            years = [int(y) for y in (options["year_ends"] or "").split(",") if y.strip()]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["background"]:
            from maillage.plan.tasks import compute_bound_indicators

            result = compute_bound_indicators.enqueue(
                plan_id=plan.pk if plan else None, on=day.isoformat() if day else None
            )
            self.stdout.write(f"Tâche {result.id} en file d'attente.")
            return
        for year in years:
            done = compute_all(plan=plan, on=dt.date(year, 12, 31))
            self.stdout.write(f"31/12/{year} : {len(done)} indicateur(s) calculé(s).")
        done = compute_all(plan=plan, on=day)
        self.stdout.write(self.style.SUCCESS(f"{len(done)} indicateur(s) calculé(s)."))
