from django.conf import settings
from django.core.management import BaseCommand

from maillage.mediation import labels
from maillage.mediation.services import erase_inactive, inactive_beneficiaries


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des bénéficiaires sans activité depuis "
        "MAILLAGE_MEDIATION_RETENTION_MONTHS mois (24 par défaut) ; les statistiques restent. "
        "À lancer chaque nuit (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, help="Durée d'inactivité (mois).")
        parser.add_argument("--dry-run", action="store_true", help="Compter sans effacer.")

    def handle(self, *args, **options):
        months = options["months"] or settings.MAILLAGE_MEDIATION_RETENTION_MONTHS
        if options["dry_run"]:
            count = inactive_beneficiaries(months).count()
            self.stdout.write(f"{count} fiche(s) à effacer (inactives depuis {months} mois).")
            return
        count = erase_inactive(months)
        self.stdout.write(labels.MSG_RETENTION.format(count=count, months=months))
