from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "maillage.transport"
    label = "transport"
    verbose_name = "Transport à la demande"

    def ready(self) -> None:
        from maillage.appointments.notifications import register_travel_offer
        from maillage.appointments.signals import booking_cancelled, booking_moved

        from . import space
        from .services import (
            booking_ride_url,
            cancel_rides_of_cancelled_booking,
            move_rides_of_moved_booking,
        )

        register_travel_offer(booking_ride_url)
        # A cancelled booking cancels the rides asked for it (and their riders are told).
        booking_cancelled.connect(
            cancel_rides_of_cancelled_booking, dispatch_uid="transport_rides_of_booking"
        )
        # A moved booking takes its rides along (new day and times, re-planned).
        booking_moved.connect(
            move_rides_of_moved_booking, dispatch_uid="transport_rides_follow_booking"
        )
        # Its panel of "Mon espace" (see maillage/organisations/space.py).
        space.register()
