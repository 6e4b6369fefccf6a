from django.core.management import BaseCommand

from maillage.places.services import help_requests_anonymise_expired


class Command(BaseCommand):
    help = (
        "Efface les données personnelles (nom, téléphone, courriel, précisions) des demandes "
        "de rappel traitées depuis plus de MAILLAGE_HELP_REQUEST_RETENTION_MONTHS mois. "
        "Les demandes restent comptées dans les indicateurs."
    )

    def handle(self, *args, **options):
        count = help_requests_anonymise_expired()
        self.stdout.write(f"{count} demande(s) anonymisée(s).")
