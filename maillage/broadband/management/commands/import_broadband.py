import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from maillage.broadband.imports import figures_import
from maillage.broadband.labels import Layout


class Command(BaseCommand):
    help = (
        "Importe des chiffres du haut débit par commune et trimestre : fichiers « Ma connexion "
        "internet » de l'Arcep (commune_techno, commune_meilleure_techno_thd, commune_debit, "
        "commune_debit_terrestre, commune_debit_filaire), onglet « Communes » de l'observatoire "
        "des déploiements (XLSX ou CSV), ou modèle Maillage de l'opérateur du réseau. Tout le "
        "fichier est vérifié avant d'écrire ; une erreur et rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--layout", choices=Layout.values, default="")
        parser.add_argument("--url", default="", help="adresse de téléchargement du fichier")
        parser.add_argument(
            "--data-date", type=dt.date.fromisoformat, help="date des données (AAAA-MM-JJ)"
        )
        parser.add_argument("--note", default="", help="note sur la source")
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien écrire")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            result = figures_import(
                content=path.read_bytes(),
                filename=path.name,
                layout=options["layout"],
                url=options["url"],
                data_date=options["data_date"],
                note=options["note"],
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if result.errors:
            for message in result.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{path.name} refusé, rien n'a été enregistré ({len(result.errors)} erreur(s))."
            )
        summary = result.summary
        counts = summary.get("applied", summary)
        verb = "appliqué" if result.is_applied else "vérifié (--dry-run, rien d'écrit)"
        quarters = ", ".join(q.label for q in result.quarters)
        self.stdout.write(
            f"{path.name} ({result.get_layout_display()}) {verb} : {summary['communes']} "
            f"commune(s), trimestre(s) {quarters} — {counts['created']} valeur(s) ajoutée(s), "
            f"{counts['updated']} modifiée(s), {counts['unchanged']} inchangée(s)."
        )
