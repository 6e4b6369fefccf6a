from django.apps import AppConfig


class BroadbandConfig(AppConfig):
    name = "maillage.broadband"
    label = "broadband"
    verbose_name = "Très haut débit"

    def ready(self) -> None:
        # The plan's indicators may be bound to these sources (see maillage/plan/sources.py).
        from . import indicator_sources

        indicator_sources.register_all()
