from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.web import labels
from maillage.web.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par `maillage backup` dans la base configurée "
        "(DATABASE_URL), vide de préférence ; --remplacer écrase une base existante."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier écrit par `maillage backup`")
        parser.add_argument(
            "--remplacer",
            action="store_true",
            help="écrase le contenu d'une base qui contient déjà des tables",
        )

    def handle(self, *args, **options):
        path = Path(options["fichier"])
        try:
            database_restore(path=path, replace=options["remplacer"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(labels.MSG_RESTORE_DONE.format(path=path))
