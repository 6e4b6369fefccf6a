from pathlib import Path

from django.core.management import BaseCommand, CommandError

from maillage.networks.models import Network
from maillage.networks.returns_csv import import_returns


class Command(BaseCommand):
    help = (
        "Importe des bilans mensuels de Promeneurs du Net depuis un fichier CSV (colonnes du "
        "modèle : courriel ; mois ; nombres). Tout ou rien ; chaque erreur donne sa ligne et "
        "sa colonne."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV (UTF-8 ou Windows-1252, ; ou ,).")
        parser.add_argument(
            "--network", default="promeneurs-du-net-charente", help="Identifiant du réseau."
        )
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans enregistrer.")

    def handle(self, *args, **options):
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"Réseau inconnu : {options['network']}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = import_returns(network, path.read_bytes(), dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Import refusé.")
