import json

from django.core.management import BaseCommand

from maillage.plan.computed import bind_seed_indicators
from maillage.plan.figure_indicators import ensure_figure_indicators
from maillage.plan.importer import DEFAULT_PLAN_SLUG
from maillage.plan.models import Indicator, Plan


class Command(BaseCommand):
    help = (
        "Ajoute les indicateurs chiffrés que les chiffres clés des fiches permettent (Num10), "
        "puis lie les indicateurs du schéma livré que les données de Maillage alimentent "
        "(accompagnements, lieux, très haut débit) à leur source de calcul. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=DEFAULT_PLAN_SLUG)

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            self.stdout.write(f"Schéma {options['plan']} absent : aucun indicateur lié.")
            return

        def state(indicators) -> set[tuple]:
            return {
                (i.pk, i.source_key, json.dumps(i.source_filters, sort_keys=True), i.counting)
                for i in indicators
            }

        added = ensure_figure_indicators(plan)
        if added and options["verbosity"]:
            self.stdout.write(
                f"{len(added)} indicateur(s) chiffré(s) ajouté(s) d'après les chiffres clés des "
                f"fiches : {', '.join(f'{i.sheet.ref} « {i.label} »' for i in added)}."
            )
        before = state(Indicator.objects.filter(sheet__plan=plan, measurement_method="computed"))
        bound = bind_seed_indicators(plan)
        changed = state(bound) - before
        if changed and options["verbosity"]:  # quiet when nothing changed (idempotent runs)
            self.stdout.write(
                f"{len(changed)} indicateur(s) lié(s) à une source de calcul "
                f"({len(bound)} calculé(s) à partir des données)."
            )
