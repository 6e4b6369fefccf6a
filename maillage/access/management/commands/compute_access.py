from django.core.management import BaseCommand, CommandError

from maillage.access import kinds
from maillage.access.models import AccessRun
from maillage.access.runs import access_run_execute, access_run_request


class Command(BaseCommand):
    help = (
        "Calcule les temps d'accès de chaque commune à chaque type d'aide (trajet, attente "
        "avant ouverture, délai de rendez-vous) et les enregistre ; à lancer chaque nuit (cron). "
        "Les indicateurs du schéma liés à ces chiffres sont ensuite recalculés."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="Type d'aide (clé, ex. mediation, visio, visio-caf-16) ; tous par défaut. "
            "Répétable.",
        )
        parser.add_argument(
            "--background", action="store_true", help="Via une tâche de fond (maillage worker)."
        )

    def handle(self, *args, **options):
        try:
            for key in options["kind"]:
                kinds.get_kind(key)
        except kinds.UnknownKind as error:
            raise CommandError(str(error)) from error
        if options["background"]:
            run = access_run_request(kinds=options["kind"])
            self.stdout.write(f"Calcul n° {run.pk} en file d'attente.")
            return
        run = AccessRun.objects.create(computed_on=_today(), kinds=options["kind"])

        def progress(current: AccessRun) -> None:
            if current.progress:
                self.stdout.write(f"{current.progress:3d} % — {current.step}")

        access_run_execute(run, progress=progress)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                f"Calcul n° {run.pk} terminé : {len(run.kinds)} type(s) d'aide en {seconds:.1f} s."
            )
        )


def _today():
    from maillage import clock

    return clock.today()
