from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "maillage.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self) -> None:
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space
        from .offers import register_offers

        space.register()
        # What the places pages offer to book (see maillage/places/booking_offers.py).
        register_offers()
