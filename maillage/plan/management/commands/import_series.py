from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from maillage.plan.importer import DEFAULT_PLAN_SLUG
from maillage.plan.models import Plan
from maillage.plan.series import series_import


class Command(BaseCommand):
    help = (
        "Importe des séries de valeurs d'indicateurs produites par un autre système (par "
        "exemple les exports mensuels des Archives pour Num03) : CSV ou XLSX, une colonne "
        "« période » et une colonne par indicateur (numéro ou libellé), ou une ligne par "
        "valeur (indicateur, période, valeur). Tout est vérifié avant d'écrire ; idempotent "
        "par indicateur et date."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", default=DEFAULT_PLAN_SLUG)
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Schéma « {options['plan']} » introuvable.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            update = series_import(
                plan=plan,
                content=path.read_bytes(),
                filename=path.name,
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if update.errors:
            for message in update.errors:
                self.stderr.write(message)
            raise CommandError(f"{path.name} refusé, rien n'a été enregistré.")
        for change in update.changes:
            self.stdout.write(
                f"{change['ref']} « {change['indicator']} » au {change['new']['date']} : "
                f"{change['old_shown']} → {change['new_shown']}"
            )
        verb = "appliquée(s)" if update.applied_at else "à appliquer (--dry-run, rien d'écrit)"
        self.stdout.write(
            f"{len(update.changes)} valeur(s) {verb}, {update.unchanged} inchangée(s)."
        )
