from django.core.management import BaseCommand, CommandError
from django.db import transaction

from maillage.mediation import activity_totals
from maillage.mediation.models import ActivityDay, PersonDay, PersonYear


class Command(BaseCommand):
    help = (
        "Recalcule les tables pré-agrégées des indicateurs (activités et personnes par jour) "
        "à partir des accompagnements enregistrés. PostgreSQL seulement ; les déclencheurs "
        "les tiennent à jour ensuite, ce recalcul ne sert qu'à la reprise ou à la vérification."
    )

    def handle(self, *args, **options):
        if not activity_totals.available():
            raise CommandError("Les tables pré-agrégées demandent PostgreSQL.")
        with transaction.atomic():
            activity_totals.rebuild()
        self.stdout.write(
            f"{ActivityDay.objects.count()} ligne(s) jour × organisation, "
            f"{PersonDay.objects.count()} ligne(s) personne × jour, "
            f"{PersonYear.objects.count()} ligne(s) personne × année."
        )
