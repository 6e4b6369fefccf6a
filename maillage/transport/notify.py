"""Messages to riders (SMS and email) about their pickup times or their ride's cancellation,
through the appointments' SMS interface (`maillage.appointments.sms`) and Django's email; the
French texts are in `labels.py`.

`notify_on_commit(ride_id, kind)` enqueues one `send_ride_message` task per channel the person
gave (phone → SMS, email → email) when the transaction commits; `kind` is a `labels.MessageKind`,
like the appointments' messages. The task takes ids, renders the text with the ride's current
plan (pickup time and place, cancel link) and logs every attempt in the ride's history
(`RideRequestEvent`, action `message_sms` / `message_email`, note = outcome).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from maillage.appointments import sms
from maillage.appointments.labels import Channel

from .current_plan import ride_stops
from .labels import (
    MESSAGE_EMAIL,
    MESSAGE_INTROS,
    MESSAGE_SMS,
    MESSAGE_SUBJECT,
    Leg,
    MessageKind,
    StopKind,
)
from .models import RideRequest
from .tokens import make_ride_token


def cancel_url(ride) -> str:
    path = reverse("transport:rider_ride", args=[make_ride_token(ride)])
    return settings.MAILLAGE_SITE_URL.rstrip("/") + path


def pickups(ride) -> list[dict]:
    """The ride's pickups in the current plan: leg, local time, where."""
    stops = [stop for stop in ride_stops(ride) if stop.kind == StopKind.PICKUP]
    return [
        {
            "leg": Leg(stop.leg).label,
            "when": date_format(timezone.localtime(stop.service_at), r"l j F \à H\hi"),
            "where": "à votre domicile" if stop.at_home else stop.label,
        }
        for stop in stops
    ]


def render(ride, kind: MessageKind, channel: Channel) -> str:
    cancelled = kind == MessageKind.CANCELLATION
    pending = kind == MessageKind.REPLANNING  # times no longer hold, new ones not planned yet
    context = Context(
        {
            "ride": ride,
            "intro": MESSAGE_INTROS[kind],
            "pickups": [] if cancelled or pending else pickups(ride),
            "cancelled": cancelled,
            "pending": pending,
            "cancel_url": "" if cancelled else cancel_url(ride),
            "day": date_format(ride.date, "l j F"),
            "destination": ride.place.name,
            "legs": ride.legs_label,
        },
        autoescape=False,
    )
    body = MESSAGE_SMS if channel == Channel.SMS else MESSAGE_EMAIL
    return Template(body).render(context).strip()


def channels_for(ride) -> list[Channel]:
    given = ((Channel.SMS, ride.phone), (Channel.EMAIL, ride.email))
    return [channel for channel, value in given if value]


def notify_on_commit(ride_id: int, kind: MessageKind) -> None:
    ride = RideRequest.objects.filter(pk=ride_id).first()
    if ride is None or ride.anonymised_at:
        return
    for channel in channels_for(ride):
        transaction.on_commit(
            lambda channel=channel: send_ride_message.enqueue(ride_id, kind, channel)
        )


def deliver(ride_id: int, kind: str, channel: str) -> str:
    """Send one message now; returns the outcome logged in the ride's history."""
    kind, channel = MessageKind(kind), Channel(channel)
    ride = RideRequest.objects.select_related("operator", "place").filter(pk=ride_id).first()
    if ride is None or ride.anonymised_at:
        return "skipped"
    text = render(ride, kind, channel)
    try:
        if channel == Channel.SMS:
            reference = sms.send_sms(ride.phone, text)
        else:
            EmailMessage(
                subject=MESSAGE_SUBJECT.format(what=MESSAGE_INTROS[kind].rstrip(".").lower()),
                body=text,
                to=[ride.email],
            ).send()
            reference = "email"
    except Exception as error:  # a provider failure is logged, never lost silently
        ride.log(f"message_{channel}", note=f"{kind.label} : échec ({error})")
        return "failed"
    # The provider's reference helps its support find the message; the development backends
    # have none worth showing.
    local = reference in {"console", "email"} or reference.startswith("locmem-")
    shown = "" if local else f" (référence {reference})"
    ride.log(f"message_{channel}", note=f"{kind.label} envoyée{shown}")
    return "sent"


@task()
def send_ride_message(ride_id: int, kind: str, channel: str) -> str:
    """The background task sending one message (ids and values, never objects)."""
    return deliver(ride_id, kind, channel)
