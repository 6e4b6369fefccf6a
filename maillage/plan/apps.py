from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "maillage.plan"
    label = "plan"
    verbose_name = "Schéma et fiches actions"

    def ready(self) -> None:
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
