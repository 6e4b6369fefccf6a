"""Erasing personal details of past appointments (setting
MAILLAGE_APPOINTMENTS_RETENTION_MONTHS, 24 by default).

The booking rows stay — service, place, commune, status, attendance, dates — so every
indicator keeps counting them; the name, phone, email, address and agent's note go, the
calendar uid changes (old links and feeds no longer point to it), and message logs lose
their error texts. Run by the periodic `appointments_tick`.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction

from maillage import clock


def retention_cutoff() -> dt.datetime:
    months = getattr(settings, "MAILLAGE_APPOINTMENTS_RETENTION_MONTHS", 24)
    return clock.now() - dt.timedelta(days=round(months * 30.44))


def erase_expired_personal_data() -> int:
    from .models import Booking, BookingEvent, MessageLog

    cutoff = retention_cutoff()
    with transaction.atomic():
        ids = list(
            Booking.objects.filter(ends_at__lt=cutoff, anonymised_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        for pk in ids:
            Booking.objects.filter(pk=pk).update(
                name="",
                phone="",
                email="",
                address="",
                note="",
                visio_room="",
                uid=uuid.uuid4(),
                anonymised_at=clock.now(),
            )
        BookingEvent.objects.filter(booking_id__in=ids).erase("note")
        MessageLog.objects.filter(booking_id__in=ids).update(error="", provider_reference="")
    return len(ids)
