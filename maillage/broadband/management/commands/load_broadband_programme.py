from django.core.management import BaseCommand

from maillage.broadband.referential import load_programme
from maillage.plan.importer import DEFAULT_PLAN_SLUG
from maillage.plan.models import Plan


class Command(BaseCommand):
    help = (
        "Crée le programme de déploiement du très haut débit décrit par les fiches Num10 et "
        "Num11 (phases, opération du SDEG, part de la CC des 4B Sud Charente, jalons), sans "
        "toucher à ce qui a été modifié depuis. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=DEFAULT_PLAN_SLUG)

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            self.stdout.write(f"Schéma {options['plan']} absent : programme non créé.")
            return
        for line in load_programme(plan):
            if options["verbosity"]:
                self.stdout.write(line)
