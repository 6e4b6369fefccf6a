from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "maillage.networks"
    label = "networks"
    verbose_name = "Réseaux de professionnels (Promeneurs du Net)"

    def ready(self) -> None:
        # The plan's indicators may be bound to these sources (see maillage/plan/sources.py).
        from . import indicator_sources

        indicator_sources.register_all()
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
