from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "maillage.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self) -> None:
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
