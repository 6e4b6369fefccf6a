from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "maillage.appointments"
    label = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self) -> None:
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import slot_cache, space
        from .offers import register_offers

        # The cached slots' versions follow every change of what slots depend on.
        slot_cache.connect()

        space.register()
        # What the places pages offer to book (see maillage/places/booking_offers.py).
        register_offers()
