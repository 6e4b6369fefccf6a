"""Write docs/permissions.md from the permissions package (`--check`: fail if it differs)."""

from django.core.management.base import BaseCommand, CommandError

from maillage.organisations.permissions import document


class Command(BaseCommand):
    help = "Écrit docs/permissions.md à partir du module des permissions (--check : vérifie)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Ne rien écrire ; échouer si le document diffère du module.",
        )

    def handle(self, *args, check: bool = False, **options):
        text = document.render()
        current = document.PATH.read_text(encoding="utf-8") if document.PATH.exists() else ""
        if check:
            if current != text:
                raise CommandError(
                    f"{document.PATH} ne correspond pas au module des permissions : "
                    "lancez « maillage permissions-doc »."
                )
            self.stdout.write("docs/permissions.md est à jour.")
            return
        document.PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"{document.PATH} écrit.")
