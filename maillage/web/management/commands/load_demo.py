from django.core.management import BaseCommand

from maillage.web.demo import load_demo


class Command(BaseCommand):
    help = "Charge le jeu de démonstration (comptes de test, données fictives). Idempotent."

    def handle(self, *args, **options):
        for line in load_demo():
            if options["verbosity"]:
                self.stdout.write(line)
