from django.core.management import BaseCommand

from maillage.networks.referential import SEED_NETWORK, load_seed_network


class Command(BaseCommand):
    help = (
        "Crée le réseau des Promeneurs du Net décrit par la fiche Num02 du schéma livré "
        "(coordination FRMJC, copil Caf et État). Idempotent."
    )

    def handle(self, *args, **options):
        network, created = load_seed_network()
        if not options["verbosity"]:
            return
        if network is None:
            self.stdout.write(
                f"Réseau {SEED_NETWORK['slug']} non créé : chargez d'abord les organisations "
                "et les fiches."
            )
        elif created:
            self.stdout.write(f"Réseau créé : {network.name} ({network.slug}).")
