from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "maillage.mediation"
    label = "mediation"
    verbose_name = "Médiation numérique"

    def ready(self) -> None:
        # The plan's indicators may be bound to these sources (see maillage/plan/sources.py).
        from . import indicator_sources

        indicator_sources.register_all()
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
