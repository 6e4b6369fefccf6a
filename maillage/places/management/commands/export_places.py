from pathlib import Path

from django.core.management import BaseCommand

from maillage.places.exchange import EXPORT_FORMATS, export_places, last_skipped


class Command(BaseCommand):
    help = (
        "Exporte les lieux : standard national (csv, json), GeoJSON, ou data·inclusion v1 "
        "(structures et services). L'export est vérifié avec le schéma avant d'être écrit ; "
        "un lieu invalide en est écarté et signalé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        parser.add_argument(
            "--output", "-o", help="Fichier à écrire (par défaut : la sortie standard)."
        )

    def handle(self, *args, **options):
        data = export_places(options["format"])
        skipped = last_skipped()
        if skipped:
            self.stderr.write(f"{len(skipped['lines'])} problème(s), lieux écartés de l'export :")
            for line in skipped["lines"]:
                self.stderr.write(f"  {line}")
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"Export écrit dans {options['output']}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
