from django.core.management import BaseCommand

from maillage import clock
from maillage.networks.models import Network, month_label, previous_month
from maillage.networks.reminders import schedule_reminders, to_remind


class Command(BaseCommand):
    help = (
        "Relance par courriel les membres des réseaux (Promeneurs du Net) qui n'ont pas envoyé "
        "le bilan du mois précédent, une fois le jour de relance du réseau venu (le 5 par "
        "défaut), par une tâche de fond. Une relance par membre et par mois. À lancer chaque "
        "jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans envoyer.")

    def handle(self, *args, **options):
        today = clock.today()
        if options["dry_run"]:
            month = previous_month(today)
            for network in Network.objects.filter(reminder_day__lte=today.day):
                count = to_remind(network, month).count()
                self.stdout.write(
                    f"{network.name} : {count} relance(s) à envoyer ({month_label(month)})."
                )
            return
        for network, month in schedule_reminders(today):
            self.stdout.write(f"{network.name} : relances de {month_label(month)} en file.")
