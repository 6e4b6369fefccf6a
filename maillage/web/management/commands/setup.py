from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "Prépare Maillage : applique les migrations, charge le référentiel (communes, "
        "organisations du schéma) et le jeu de démonstration. Peut être relancée sans risque."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        call_command("load_referential", verbosity=verbosity)
        call_command("load_demo", verbosity=verbosity)
