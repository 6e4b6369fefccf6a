"""Messages to riders (SMS and email) about their pickup time, through the appointments'
SMS interface (`maillage.appointments.sms`) and Django's email.

`notify_on_commit(ride_id, kind)` enqueues one `send_ride_message` task per channel the person
gave (phone → SMS, email → email) when the transaction commits; the task takes ids, renders the
text with the ride's current plan (pickup time and place, cancel link) and logs every attempt in
the ride's history (`RideRequestEvent`, action `message_sms` / `message_email`, note = outcome).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from maillage.appointments import sms

from .labels import MESSAGE_KIND_LABELS, Leg, StopKind

KINDS = {
    "confirmation": "Votre transport est confirmé.",
    "change": "L'heure de votre transport a changé.",
    "cancellation": "Votre transport est annulé.",
}

SMS_BODY = (
    "{{ intro }}{% for pickup in pickups %} {{ pickup.leg }} : passage le {{ pickup.when }}"
    " ({{ pickup.where }}).{% endfor %}"
    "{% if not cancelled %} Annuler : {{ cancel_url }}{% endif %}"
)
EMAIL_BODY = (
    "Bonjour {{ ride.name }},\n\n{{ intro }}\n\n"
    "{% for pickup in pickups %}{{ pickup.leg|capfirst }} : le chauffeur passe vous chercher "
    "le {{ pickup.when }}, {{ pickup.where }}.\n{% endfor %}"
    "{% if not cancelled %}\nSi vous ne pouvez plus venir, annulez ici : {{ cancel_url }}\n"
    "{% endif %}\n{{ ride.operator.name }} — transport à la demande (Maillage)\n"
)


def cancel_url(ride) -> str:
    from .tokens import make_ride_token

    path = reverse("transport:rider_ride", args=[make_ride_token(ride)])
    return settings.MAILLAGE_SITE_URL.rstrip("/") + path


def pickups(ride) -> list[dict]:
    """The ride's pickups in the current plan: leg, local time, where."""
    from .planning import ride_stops

    stops = [stop for stop in ride_stops(ride) if stop.kind == StopKind.PICKUP]
    return [
        {
            "leg": Leg(stop.leg).label,
            "when": date_format(timezone.localtime(stop.service_at), r"l j F \à H\hi"),
            "where": "à votre domicile" if stop.at_home else stop.label,
        }
        for stop in stops
    ]


def render(ride, kind: str, channel: str) -> str:
    context = Context(
        {
            "ride": ride,
            "intro": KINDS[kind],
            "pickups": [] if kind == "cancellation" else pickups(ride),
            "cancelled": kind == "cancellation",
            "cancel_url": cancel_url(ride),
        },
        autoescape=False,
    )
    return Template(SMS_BODY if channel == "sms" else EMAIL_BODY).render(context).strip()


def channels_for(ride) -> list[str]:
    return [channel for channel, given in (("sms", ride.phone), ("email", ride.email)) if given]


def notify_on_commit(ride_id: int, kind: str) -> None:
    from .models import RideRequest
    from .tasks import send_ride_message

    ride = RideRequest.objects.filter(pk=ride_id).first()
    if ride is None or ride.anonymised_at:
        return
    for channel in channels_for(ride):
        transaction.on_commit(
            lambda channel=channel: send_ride_message.enqueue(ride_id, kind, channel)
        )


def deliver(ride_id: int, kind: str, channel: str) -> str:
    """Send one message now; returns the outcome logged in the ride's history."""
    from .models import RideRequest

    ride = RideRequest.objects.select_related("operator", "place").filter(pk=ride_id).first()
    if ride is None or ride.anonymised_at:
        return "skipped"
    text = render(ride, kind, channel)
    try:
        if channel == "sms":
            reference = sms.send_sms(ride.phone, text)
        else:
            EmailMessage(
                subject=f"Transport à la demande : {KINDS[kind].rstrip('.').lower()}",
                body=text,
                to=[ride.email],
            ).send()
            reference = "email"
    except Exception as error:  # a provider failure is logged, never lost silently
        ride.log(f"message_{channel}", note=f"{MESSAGE_KIND_LABELS[kind]} : échec ({error})")
        return "failed"
    # The provider's reference helps its support find the message; the development backends
    # have none worth showing.
    local = reference in {"console", "email"} or reference.startswith("locmem-")
    shown = "" if local else f" (référence {reference})"
    ride.log(f"message_{channel}", note=f"{MESSAGE_KIND_LABELS[kind]} envoyée{shown}")
    return "sent"
