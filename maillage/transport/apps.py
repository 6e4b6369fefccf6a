from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "maillage.transport"
    label = "transport"
    verbose_name = "Transport à la demande"

    def ready(self) -> None:
        from maillage.appointments.notifications import register_travel_offer

        from .services import booking_ride_url

        register_travel_offer(booking_ride_url)
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        from . import space

        space.register()
