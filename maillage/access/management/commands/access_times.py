import json

from django.core.management import BaseCommand, CommandError

from maillage.access import kinds
from maillage.access.times import compute_commune_access
from maillage.access.waiting import waiting_text


class Command(BaseCommand):
    help = (
        "Temps d'accès de chaque commune à un type d'aide, calculés maintenant : trajet vers "
        "le lieu le plus proche, attente avant son ouverture, délai du premier rendez-vous libre."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, help="Type d'aide (ex. mediation, visio).")
        parser.add_argument(
            "--commune", action="append", default=[], help="Code INSEE (toutes par défaut)."
        )
        parser.add_argument("--json", action="store_true", help="Un objet JSON par commune.")

    def handle(self, *args, **options):
        from maillage.territory.models import Commune

        try:
            kind = kinds.get_kind(options["kind"])
        except kinds.UnknownKind as error:
            known = ", ".join(k.key for k in kinds.all_kinds())
            raise CommandError(f"{error} (connus : {known})") from error
        communes = None
        if options["commune"]:
            communes = Commune.objects.filter(insee_code__in=options["commune"]).order_by(
                "insee_code"
            )
        accesses = compute_commune_access(kind, communes=communes)
        if options["json"]:
            json.dump(
                [access.as_json() for access in accesses],
                self.stdout,
                ensure_ascii=False,
                indent=1,
            )
            self.stdout.write("")
            return
        self.stdout.write(f"{kind.label} — {len(accesses)} commune(s)")
        for access in accesses:
            nearest = access.nearest
            if nearest is None:
                self.stdout.write(f"{access.insee} {access.name} : aucun lieu")
                continue
            line = (
                f"{access.insee} {access.name} : {nearest.travel_minutes:.0f} min jusqu'à "
                f"{nearest.place.name}, attente {waiting_text(nearest.waiting_minutes)}"
            )
            if kind.needs_appointment:
                days = nearest.appointment_days
                line += (
                    ", aucun rendez-vous libre"
                    if days is None
                    else f", rendez-vous dans {days:.1f} j"
                )
            self.stdout.write(line)
