from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "Charge le référentiel : communes et EPCI du département, organisations nommées "
        "par le schéma, fiches action du schéma livrées avec Maillage, programme très haut "
        "débit qu'elles décrivent. Idempotent."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("import_communes", verbosity=verbosity)
        call_command("load_organisations", verbosity=verbosity)
        # After the organisations, so the sheets' pilots and partners are linked to them.
        call_command("import_sheets", verbosity=verbosity)
        # Num10's programme, before binding its indicators (they count its communes).
        call_command("load_broadband_programme", verbosity=verbosity)
        call_command("bind_seed_indicators", verbosity=verbosity)  # computed from operations
        call_command("load_networks", verbosity=verbosity)  # Num02's Promeneurs du Net
