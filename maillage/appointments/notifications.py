"""Emails and SMS about bookings: confirmation, change, cancellation, reminders, waitlist.

Messages leave through the task `send_booking_message`, enqueued when the transaction
commits (`notify_on_commit`), one task per channel. Every attempt is logged (`MessageLog`).
A provider failure (SMTP error, SMS timeout or 5xx) is retried with exponential back-off
(1, 2, 4, 8 minutes; 5 attempts), deferred through the task backend when it can defer, and
otherwise picked up by the periodic `appointments_tick`. Nothing is ever sent once the
appointment has started.

Texts are Django templates: the defaults below, or the admin-edited `MessageTemplate` of the
same kind and channel. Reminders go at the service's offsets (e.g. 2 days and 2 hours
before), to people who consented, once per offset and channel.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from maillage import clock

from . import sms
from .labels import ENDED_MESSAGE_KINDS, BookingStatus, Channel, MessageKind, MessageStatus
from .tokens import make_link_token

MAX_ATTEMPTS = 5

DEFAULT_SUBJECTS = {
    MessageKind.CONFIRMATION: "Rendez-vous confirmé : {{ service.name }}, {{ when }}",
    MessageKind.CHANGE: "Rendez-vous déplacé : {{ service.name }}, {{ when }}",
    MessageKind.CANCELLATION: "Rendez-vous annulé : {{ service.name }}, {{ when }}",
    MessageKind.REMINDER: "Rappel : {{ service.name }}, {{ when }}",
    MessageKind.WAITLIST_SEAT: "Une place s'est libérée : {{ service.name }}, {{ when }}",
    MessageKind.WAITLIST_REMOVED: "Liste d'attente : {{ service.name }}, {{ when }}",
}

_INTRO = {
    MessageKind.CONFIRMATION: "Votre rendez-vous est confirmé.",
    MessageKind.CHANGE: "Votre rendez-vous a été déplacé.",
    MessageKind.CANCELLATION: "Votre rendez-vous est annulé.",
    MessageKind.REMINDER: "Rappel de votre rendez-vous.",
    MessageKind.WAITLIST_SEAT: (
        "Une place s'est libérée : vous êtes inscrit(e). Si vous ne pouvez plus venir, "
        "annulez avec le lien ci-dessous pour laisser la place à quelqu'un d'autre."
    ),
    MessageKind.WAITLIST_REMOVED: (
        "Vous n'êtes plus sur la liste d'attente de cet atelier : aucune place ne vous sera "
        "proposée."
    ),
}

DEFAULT_EMAIL_BODY = (
    "Bonjour {{ booking.name }},\n\n"
    "{{ intro }}\n\n"
    "{{ service.name }} ({{ service.organisation.name }})\n"
    "Quand : {{ when }}\n"
    "{% if place %}Où : {{ place.name }}, {{ place.address }}, "
    "{{ place.postcode }} {{ place.commune_name }}\n"
    "{% elif booking.address %}Où : à votre domicile, {{ booking.address }}\n"
    "{% else %}Où : {{ service.get_kind_display }}\n"
    "{% endif %}{% if is_visio %}Le rendez-vous a lieu en visio : la personne de l'accueil "
    "vous installera dans la salle.\n"
    "{% endif %}{% if documents %}\nÀ apporter :\n"
    "{% for document in documents %}- {{ document }}\n{% endfor %}{% endif %}"
    "{% if how_to_come %}\nComment venir : {{ how_to_come }}\n{% endif %}"
    "{% if not cancelled %}\nPour annuler ou déplacer ce rendez-vous : {{ manage_url }}\n"
    "{% endif %}\nMaillage — Département de la Charente\n"
)

DEFAULT_SMS_BODY = (
    "{{ intro }} {{ service.name }}, {{ when }}"
    "{% if place %}, {{ place.name }}{% endif %}."
    "{% if documents %} À apporter : {{ documents|join:', ' }}.{% endif %}"
    "{% if not cancelled %} Annuler/déplacer : {{ manage_url }}{% endif %}"
)


def when_text(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), r"l j F Y \à H\hi")


def manage_url(token: str) -> str:
    if not token:
        return settings.MAILLAGE_SITE_URL.rstrip("/") + reverse("appointments:home")
    return settings.MAILLAGE_SITE_URL.rstrip("/") + reverse("appointments:manage", args=[token])


# Other apps offering a way to come (transport on demand) register a callable
# `(booking, token) -> path or ""` here in their AppConfig.ready: appointments never imports them.
TRAVEL_OFFERS: list = []


def register_travel_offer(offer) -> None:
    if offer not in TRAVEL_OFFERS:
        TRAVEL_OFFERS.append(offer)


def ride_offer_url(booking, token: str = "", *, absolute: bool = True) -> str:
    """The first link an app offers to come to this appointment (e.g. ask for a ride): the
    offers give a path; messages need the site's address before it, pages do not."""
    if not token:
        return ""
    for offer in TRAVEL_OFFERS:
        if path := offer(booking, token):
            return settings.MAILLAGE_SITE_URL.rstrip("/") + path if absolute else path
    return ""


def how_to_come(booking, token: str = "") -> str:
    """The place's address and access, and a link to ask for a ride when one is offered."""
    place = booking.place
    if place is None:
        return ""
    text = f"{place.address}, {place.postcode} {place.commune_name}"
    if place.wheelchair_accessible:
        text += " (accessible en fauteuil roulant)"
    if ride_url := ride_offer_url(booking, token):
        text += f". Besoin d'un transport ? Demandez-le ici : {ride_url}"
    return text


def context(booking, kind: str, token: str = "") -> dict:
    ended = kind in ENDED_MESSAGE_KINDS
    return {
        "booking": booking,
        "service": booking.service,
        "place": booking.place,
        "when": when_text(booking.starts_at),
        "documents": booking.service.document_list,
        "manage_url": manage_url(token),
        "how_to_come": "" if ended else how_to_come(booking, token),
        "intro": _INTRO[kind],
        "is_visio": booking.service.is_visio,
        "cancelled": ended,
    }


def _texts(kind: str, channel: str) -> tuple[str, str]:
    from .models import MessageTemplate

    custom = MessageTemplate.objects.filter(kind=kind, channel=channel).first()
    if custom is not None:
        return custom.subject or DEFAULT_SUBJECTS[kind], custom.body
    body = DEFAULT_EMAIL_BODY if channel == Channel.EMAIL else DEFAULT_SMS_BODY
    return DEFAULT_SUBJECTS[kind], body


def render(booking, kind: str, channel: str, token: str = "") -> tuple[str, str]:
    subject, body = _texts(kind, channel)
    ctx = Context(context(booking, kind, token), autoescape=False)
    return (
        " ".join(Template(subject).render(ctx).split()),
        Template(body).render(ctx).strip(),
    )


def channels_for(booking, kind: str) -> list[str]:
    if kind == MessageKind.REMINDER and not booking.consent_reminders:
        return []
    result = []
    if booking.email:
        result.append(Channel.EMAIL)
    if booking.phone:
        result.append(Channel.SMS)
    return result


def notify_on_commit(
    booking_id: int, kind: str, *, reminder_offset: int | None = None, booking=None
) -> None:
    """Enqueue the messages once the current transaction commits (never before). `booking`:
    the row as the caller just saved it, not read again after the commit."""

    def enqueue() -> None:
        from .models import Booking

        current = booking or Booking.objects.filter(pk=booking_id).first()
        if current is None:
            return
        for channel in channels_for(current, kind):
            send_booking_message.enqueue(booking_id, kind, channel, reminder_offset, 1)

    transaction.on_commit(enqueue)


def backoff(attempt: int) -> dt.timedelta:
    return dt.timedelta(minutes=2 ** (attempt - 1))


def deliver(booking_id: int, kind: str, channel: str, reminder_offset=None, attempt=1) -> str:
    """Send one message now; log it; schedule a retry on a temporary failure."""
    from .models import Booking, MessageLog

    booking = Booking.objects.select_related("service__organisation", "place").get(pk=booking_id)
    now = clock.now()
    log = MessageLog(
        booking=booking,
        kind=kind,
        channel=channel,
        reminder_offset=reminder_offset,
        attempts=attempt,
        at=now,
    )
    if booking.starts_at <= now or booking.anonymised_at:
        log.status = MessageStatus.SKIPPED
        log.error = "Rendez-vous déjà commencé : message non envoyé."
        log.save()
        return log.status
    if kind not in ENDED_MESSAGE_KINDS and booking.status != BookingStatus.BOOKED:
        log.status = MessageStatus.SKIPPED
        log.error = "Rendez-vous non confirmé ou annulé."
        log.save()
        return log.status
    subject, body = render(booking, kind, channel, make_link_token(booking))
    try:
        if channel == Channel.EMAIL:
            message = EmailMultiAlternatives(subject, body, to=[booking.email])
            if kind != MessageKind.WAITLIST_REMOVED:  # a waitlist entry was never in a calendar
                from .ics import booking_ics

                message.attach(
                    "rendez-vous.ics",
                    booking_ics(booking),
                    "text/calendar; charset=utf-8; method="
                    + ("CANCEL" if kind == MessageKind.CANCELLATION else "REQUEST"),
                )
            message.send()
        else:
            log.provider_reference = sms.send_sms(booking.phone, body)[:100]
    except sms.SmsError as error:
        return _failed(log, error, temporary=isinstance(error, sms.SmsTemporaryError))
    except OSError as error:  # SMTP and network errors
        return _failed(log, error, temporary=True)
    log.status = MessageStatus.SENT
    log.save()
    return log.status


@task()
def send_booking_message(booking_id: int, kind: str, channel: str, reminder_offset, attempt: int):
    """The background task sending one message (ids, never objects)."""
    return deliver(booking_id, kind, channel, reminder_offset, attempt)


def _failed(log, error: Exception, *, temporary: bool) -> str:
    log.error = str(error)[:500]
    if temporary and log.attempts < MAX_ATTEMPTS:
        log.status = MessageStatus.FAILED
        log.next_attempt_at = clock.now() + backoff(log.attempts)
        log.save()
        task = send_booking_message
        if task.get_backend().supports_defer:
            task.using(run_after=log.next_attempt_at).enqueue(
                log.booking_id, log.kind, log.channel, log.reminder_offset, log.attempts + 1
            )
            log.next_attempt_at = None  # the deferred task owns the retry
            log.save(update_fields=["next_attempt_at"])
    else:
        log.status = MessageStatus.GAVE_UP
        log.save()
    return log.status


def retry_due_messages() -> int:
    """Retry failed sends whose back-off has elapsed (backends that cannot defer)."""
    from .models import MessageLog

    count = 0
    for log in MessageLog.objects.filter(
        status=MessageStatus.FAILED, next_attempt_at__lte=clock.now()
    ):
        MessageLog.objects.filter(pk=log.pk).update(next_attempt_at=None)
        send_booking_message.enqueue(
            log.booking_id, log.kind, log.channel, log.reminder_offset, log.attempts + 1
        )
        count += 1
    return count


def send_due_reminders() -> int:
    """Enqueue reminders whose time has come (each offset and channel once)."""
    from .models import Booking, MessageLog

    now = clock.now()
    horizon = now + dt.timedelta(days=30)
    count = 0
    bookings = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        consent_reminders=True,
        starts_at__gt=now,
        starts_at__lte=horizon,
    ).select_related("service")
    due_now = [
        (booking, int(offset), channel)
        for booking in bookings
        for offset in booking.service.reminder_offsets_minutes or []
        if booking.created_at <= booking.starts_at - dt.timedelta(minutes=int(offset)) <= now
        for channel in channels_for(booking, MessageKind.REMINDER)
    ]
    # One query for what was already sent, not one per booking × offset × channel.
    sent = set(
        MessageLog.objects.filter(
            booking_id__in={booking.pk for booking, _, _ in due_now},
            kind=MessageKind.REMINDER,
        ).values_list("booking_id", "reminder_offset", "channel")
    )
    for booking, offset, channel in due_now:
        if (booking.pk, offset, channel) not in sent:
            send_booking_message.enqueue(booking.pk, MessageKind.REMINDER, channel, offset, 1)
            count += 1
    return count


def cancellation_effects(booking, *, by_person: bool) -> list[str]:
    """What cancelling `booking` will do, said before it is done (the confirmation page)."""
    effects = []
    if booking.status == BookingStatus.BOOKED:
        channels = channels_for(booking, MessageKind.CANCELLATION)
        whom = "Vous recevrez" if by_person else "La personne recevra"
        if Channel.EMAIL in channels and Channel.SMS in channels:
            effects.append(f"{whom} la confirmation de l'annulation par courriel et par SMS.")
        elif Channel.EMAIL in channels:
            effects.append(f"{whom} la confirmation de l'annulation par courriel.")
        elif Channel.SMS in channels:
            effects.append(f"{whom} la confirmation de l'annulation par SMS.")
        elif not by_person:
            effects.append(
                "La personne n'a laissé ni courriel ni téléphone : prévenez-la vous-même."
            )
    if booking.session_id and booking.status == BookingStatus.BOOKED:
        if booking.session.bookings.filter(status=BookingStatus.WAITLISTED).exists():
            effects.append(
                "La place libérée sera donnée à la première personne de la liste d'attente, "
                "qui en sera prévenue."
            )
        else:
            effects.append("La place libérée pourra être prise par quelqu'un d'autre.")
    elif booking.status == BookingStatus.BOOKED:
        effects.append("Le créneau redevient libre : quelqu'un d'autre pourra le réserver.")
    effects.append(
        "L'annulation est définitive : pour venir, il faudra reprendre rendez-vous."
        if by_person
        else "L'annulation est définitive : elle ne peut pas être défaite."
    )
    return effects


def waitlist_removal_effects(booking) -> list[str]:
    """What taking `booking` off its session's waitlist will do (the staff's confirmation
    page)."""
    channels = channels_for(booking, MessageKind.WAITLIST_REMOVED)
    by = " et par ".join(
        name
        for channel, name in ((Channel.EMAIL, "courriel"), (Channel.SMS, "SMS"))
        if channel in channels
    )
    return [
        f"La personne sera prévenue par {by} qu'elle n'est plus sur la liste d'attente."
        if by
        else "La personne n'a laissé ni courriel ni téléphone : prévenez-la vous-même.",
        "Les personnes inscrites après elle avancent d'un rang.",
        "Le retrait est définitif : pour revenir, elle devra se réinscrire.",
    ]
