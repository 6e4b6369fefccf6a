from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.broadband.models import Programme
from maillage.broadband.programme import works_import
from maillage.broadband.referential import PROGRAMME_SLUG


class Command(BaseCommand):
    help = (
        "Importe les chantiers d'un programme très haut débit depuis un CSV (colonnes phase, "
        "code_insee, technologie, locaux_prevus, trimestre_prevu, locaux_realises, "
        "trimestre_realise, remarque). Tout est vérifié avant d'écrire ; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", default=PROGRAMME_SLUG)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        programme = Programme.objects.filter(slug=options["programme"]).first()
        if programme is None:
            raise CommandError(f"Programme « {options['programme']} » introuvable.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = works_import(
            programme=programme, content=path.read_bytes(), dry_run=options["dry_run"]
        )
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name} refusé, rien n'a été enregistré.")
        self.stdout.write(
            f"{report.created} chantier(s) ajouté(s), {report.updated} modifié(s), "
            f"{report.unchanged} inchangé(s)"
            + (" (--dry-run, rien d'écrit)." if options["dry_run"] else ".")
        )
