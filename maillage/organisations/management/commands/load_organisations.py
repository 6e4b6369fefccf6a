from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.organisations.referential import (
    DATA_FILE,
    ReferentialError,
    load_referential_organisations,
)


class Command(BaseCommand):
    help = (
        "Charge les organisations nommées par le schéma comme pilotes, partenaires ou "
        "financeurs des fiches action (Département, Caf, MSA, Espace Numérique Sud "
        "Charente…). Crée ou met à jour, sans doublon : peut être relancée sans risque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fichier",
            dest="path",
            type=Path,
            default=DATA_FILE,
            help="Fichier CSV à charger (par défaut : le référentiel livré avec Maillage).",
        )

    def handle(self, *args, path: Path, verbosity: int, **options):
        try:
            report = load_referential_organisations(path)
        except ReferentialError as error:
            raise CommandError(
                "Le fichier des organisations contient des erreurs, rien n'a été chargé :\n"
                + "\n".join(error.errors)
            ) from error
        lines = report.lines()
        if verbosity > 1:
            for line in lines[:-1]:
                self.stdout.write(line)
        if verbosity:
            self.stdout.write(lines[-1])
