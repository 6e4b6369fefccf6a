from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "maillage.places"
    label = "places"
    verbose_name = "Lieux d'aide"

    def ready(self) -> None:
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
