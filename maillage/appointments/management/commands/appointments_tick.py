from django.core.management.base import BaseCommand

from maillage.appointments.tasks import tick


class Command(BaseCommand):
    help = (
        "Travail périodique des rendez-vous (chaque minute, par cron) : créneaux retenus "
        "expirés, rappels, nouveaux essais d'envoi, effacement des données anciennes."
    )

    def handle(self, *args, **options):
        result = tick.enqueue()
        self.stdout.write(f"Tâche mise en file : {result.id}")
