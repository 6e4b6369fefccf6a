from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.places.exchange import import_places


class Command(BaseCommand):
    help = (
        "Importe des lieux au standard national des lieux de médiation numérique (CSV ou JSON). "
        "Tout le fichier est vérifié d'abord ; à la moindre erreur, rien n'est enregistré. "
        "Un lieu est reconnu par son identifiant (id) : réimporter le même fichier ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (séparateur virgule, UTF-8) ou JSON.")
        parser.add_argument(
            "--format",
            choices=["csv", "json"],
            help="Format du fichier (par défaut : d'après son extension).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifier et annoncer les changements sans rien enregistrer.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        fmt = options["format"] or ("json" if path.suffix.lower() == ".json" else "csv")
        report = import_places(path.read_bytes(), fmt, dry_run=options["dry_run"])
        if not report.ok:
            for line in report.lines()[1:]:
                self.stderr.write(line)
            raise CommandError(report.lines()[0])
        for line in report.lines():
            self.stdout.write(line)
