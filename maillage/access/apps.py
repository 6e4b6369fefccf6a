from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "maillage.access"
    label = "access"
    verbose_name = "Accès aux services numériques"

    def ready(self) -> None:
        # The plan's indicators may be bound to these figures (see maillage/plan/sources.py).
        from . import indicator_sources

        indicator_sources.register_all()
