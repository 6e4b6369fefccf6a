from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.core.validators import validate_slug

from maillage.plan.importer import (
    DEFAULT_PLAN_SLUG,
    SEED_DOCUMENT,
    SheetDocumentError,
    format_issue,
    import_sheets,
    read_document,
)
from maillage.plan.labels import IMPORT_DOCUMENT_REFUSED
from maillage.plan.sheet_parser import parse_document, sheets_to_json


class Command(BaseCommand):
    help = (
        "Importe un export texte de fiches action (« Réf : Num01 … ») dans un schéma : "
        "le document est entièrement vérifié, puis enregistré en une seule fois. Un nouvel "
        "import met à jour sans doublon et garde ce qui a été modifié dans Maillage depuis, "
        "sauf si le document a changé la même valeur. Sans FICHIER : les fiches du thème "
        "Numérique de la Charente livrées avec Maillage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=SEED_DOCUMENT,
            metavar="FICHIER",
            help="Fichier texte (UTF-8) des fiches action.",
        )
        parser.add_argument(
            "--plan",
            dest="plan_slug",
            default=DEFAULT_PLAN_SLUG,
            metavar="IDENTIFIANT",
            help=f"Schéma où importer, créé s'il n'existe pas (par défaut : {DEFAULT_PLAN_SLUG}).",
        )
        parser.add_argument(
            "--plan-name",
            default="",
            metavar="NOM",
            help="Nom du schéma s'il faut le créer.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Montre ce qui changerait, sans rien enregistrer.",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Avec --dry-run : affiche les fiches lues, en JSON, sans ouvrir la base.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Réécrit toutes les valeurs du document, même celles modifiées dans Maillage "
            "depuis le dernier import.",
        )

    def handle(self, *args, file: Path, plan_slug, plan_name, dry_run, json, force, **options):
        verbosity = options["verbosity"]
        if json and not dry_run:
            raise CommandError("--json s'utilise avec --dry-run : rien n'a été importé.")
        try:
            validate_slug(plan_slug)
        except ValidationError as error:
            raise CommandError(
                f"Identifiant de schéma « {plan_slug} » invalide : lettres, chiffres, tirets."
            ) from error
        try:
            text = read_document(file)
        except (OSError, ValueError) as error:  # unreadable, not UTF-8, too large
            raise CommandError(f"Fichier {file} illisible : {error}") from error
        try:
            if json:
                # Parsing only: the database is not opened.
                self.stdout.write(sheets_to_json(parse_document(text, source_name=file.name)))
                return
            report = import_sheets(
                text=text,
                plan_slug=plan_slug,
                plan_name=plan_name,
                source_name=file.name,
                dry_run=dry_run,
                force=force,
            )
        except SheetDocumentError as error:
            lines = [IMPORT_DOCUMENT_REFUSED.format(name=file.name, count=len(error.errors))]
            lines += [format_issue(issue) for issue in error.errors]
            raise CommandError("\n".join(lines)) from error
        if not verbosity:
            return
        if report.changed or dry_run or verbosity > 1:
            for line in report.lines(all_sheets=verbosity > 1):
                self.stdout.write(line)
        else:
            self.stdout.write(report.summary())
