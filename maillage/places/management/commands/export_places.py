from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.places.exchange import EXPORT_FORMATS, ExportInvalid, export_places


class Command(BaseCommand):
    help = (
        "Exporte les lieux : standard national (csv, json), GeoJSON, ou data·inclusion v1 "
        "(structures et services). L'export est vérifié avec le schéma avant d'être écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        parser.add_argument(
            "--output", "-o", help="Fichier à écrire (par défaut : la sortie standard)."
        )

    def handle(self, *args, **options):
        try:
            data = export_places(options["format"])
        except ExportInvalid as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError("L'export ne respecte pas le schéma : rien n'a été écrit.") from None
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"Export écrit dans {options['output']}.")
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
