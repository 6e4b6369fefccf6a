from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "maillage.transport"
    label = "transport"
    verbose_name = "Transport à la demande"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from maillage.appointments.notifications import register_travel_offer
        from maillage.appointments.signals import booking_cancelled, booking_moved

        from . import space
        from .models import Vehicle
        from .services import (
            booking_ride_url,
            cancel_rides_of_cancelled_booking,
            forget_any_operator,
            move_rides_of_moved_booking,
        )

        register_travel_offer(booking_ride_url)
        # Whether rides can be offered at all is cached: a vehicle saved or deleted forgets it.
        post_save.connect(forget_any_operator, sender=Vehicle, dispatch_uid="transport_operator")
        post_delete.connect(forget_any_operator, sender=Vehicle, dispatch_uid="transport_op_d")
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
