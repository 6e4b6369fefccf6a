from django.conf import settings
from django.core.management import BaseCommand, CommandError

from maillage.territory.importer import (
    CHARENTE_CONTOURS,
    CHARENTE_CSV,
    CHARENTE_DEPARTEMENT_CONTOUR,
    CommuneImportError,
    import_communes,
)

MAX_ERRORS_SHOWN = 100


class Command(BaseCommand):
    help = (
        "Importe les communes et EPCI d'un département depuis un fichier CSV (et, si donnés, "
        "leurs contours GeoJSON). Sans option : la Charente livrée avec l'application. "
        "Tout est vérifié avant d'écrire ; une erreur et rien n'est enregistré. Idempotent : "
        "relancer l'import met à jour sans jamais créer de doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--csv",
            help="Fichier CSV des communes (mêmes colonnes que communes-16.csv). "
            "Par défaut : la Charente livrée.",
        )
        parser.add_argument(
            "--contours",
            help="Fichier GeoJSON des contours des communes (propriété « code » = code INSEE).",
        )
        parser.add_argument(
            "--departement-contour",
            help="Fichier GeoJSON du contour du département.",
        )
        parser.add_argument(
            "--departement-code",
            help="Code INSEE du département (ex. 17). Obligatoire avec --csv.",
        )
        parser.add_argument(
            "--departement-name",
            help="Nom du département (ex. Charente-Maritime). Obligatoire avec --csv.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie les fichiers et annonce ce qui changerait, sans rien enregistrer.",
        )

    def handle(self, *args, **options):
        if options["csv"]:
            if not options["departement_code"] or not options["departement_name"]:
                raise CommandError(
                    "Avec --csv, indiquez aussi --departement-code et --departement-name."
                )
            arguments = {
                "csv_path": options["csv"],
                "contours_path": options["contours"],
                "departement_contour_path": options["departement_contour"],
                "departement_code": options["departement_code"],
                "departement_name": options["departement_name"],
            }
        else:
            arguments = {
                "csv_path": CHARENTE_CSV,
                "contours_path": options["contours"] or CHARENTE_CONTOURS,
                "departement_contour_path": (
                    options["departement_contour"] or CHARENTE_DEPARTEMENT_CONTOUR
                ),
                "departement_code": options["departement_code"] or "16",
                "departement_name": options["departement_name"] or "Charente",
            }
            if arguments["departement_code"] != "16":
                raise CommandError(
                    "Les fichiers livrés sont ceux de la Charente (16) : pour un autre "
                    "département, donnez son fichier avec --csv."
                )
        try:
            report = import_communes(**arguments, dry_run=options["dry_run"])
        except CommuneImportError as error:
            shown = error.errors[:MAX_ERRORS_SHOWN]
            lines = [f"Import refusé, rien n'a été enregistré ({len(error.errors)} erreur(s)) :"]
            lines += [f"  - {issue}" for issue in shown]
            if len(error.errors) > len(shown):
                lines.append(f"  … et {len(error.errors) - len(shown)} autre(s).")
            raise CommandError("\n".join(lines)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(report.summary())
        if report.departement_code != settings.MAILLAGE_DEPARTEMENT_CODE and options["verbosity"]:
            self.stdout.write(
                f"Note : cette instance sert le département {settings.MAILLAGE_DEPARTEMENT_CODE} "
                "(réglage MAILLAGE_DEPARTEMENT_CODE)."
            )
