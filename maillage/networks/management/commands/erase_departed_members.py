from django.conf import settings
from django.core.management import BaseCommand

from maillage.networks.services import departed_members, erase_departed


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des membres partis d'un réseau depuis "
        "MAILLAGE_NETWORKS_RETENTION_MONTHS mois (24 par défaut) ; l'historique et les bilans "
        "chiffrés restent. À lancer chaque nuit (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, help="Durée depuis le départ (mois).")
        parser.add_argument("--dry-run", action="store_true", help="Compter sans effacer.")

    def handle(self, *args, **options):
        months = options["months"] or settings.MAILLAGE_NETWORKS_RETENTION_MONTHS
        if options["dry_run"]:
            count = departed_members(months).count()
            self.stdout.write(f"{count} membre(s) à effacer (partis depuis {months} mois).")
            return
        count = erase_departed(months)
        self.stdout.write(f"{count} membre(s) effacé(s) (partis depuis plus de {months} mois).")
