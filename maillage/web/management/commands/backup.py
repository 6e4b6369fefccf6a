from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from maillage.web import labels
from maillage.web.backups import BackupError, backup_extension, database_backup


class Command(BaseCommand):
    help = (
        "Sauvegarde toute la base dans un fichier (PostgreSQL : pg_dump au format custom ; "
        "SQLite : copie en ligne). Par défaut : maillage-AAAAMMJJ-HHMMSS.dump ou .sqlite3."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", nargs="?", help="chemin du fichier de sauvegarde")

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(options["fichier"] or f"maillage-{stamp}{backup_extension()}")
        try:
            database_backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(labels.MSG_BACKUP_DONE.format(path=path, size=path.stat().st_size))
