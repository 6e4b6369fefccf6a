"""Every user-facing message of the transport app, in French, in one place."""

from django.db import models


class UnservedReason(models.TextChoices):
    """Why the planner could not serve a ride request, in words a dispatcher can act on."""

    DIRECT_TRIP_TOO_LONG = (
        "direct_trip_too_long",
        "temps de trajet direct supérieur à la durée maximale de trajet",
    )
    WINDOWS_INCOMPATIBLE = (
        "windows_incompatible",
        "les horaires de prise en charge et de dépose sont incompatibles avec le temps de trajet",
    )
    PICKUP_WINDOW_UNREACHABLE = (
        "pickup_window_unreachable",
        "aucun véhicule ne peut respecter la fenêtre horaire de prise en charge",
    )
    CAPACITY = "capacity", "capacité insuffisante"
    SHIFT = (
        "shift",
        "aucun véhicule ne peut faire ce trajet dans son service (horaires ou durée maximale)",
    )
    NO_ROOM = (
        "no_room",
        "faisable seul, mais aucune tournée n'a de place à ce moment-là sans retarder "
        "d'autres usagers au-delà de leurs contraintes",
    )


# Load dimensions as people name them, for "capacité insuffisante (…)".
DIMENSION_LABELS = {
    "places": "places assises",
    "seats": "places assises",
    "wheelchairs": "fauteuil roulant",
    "wheelchair": "fauteuil roulant",
}


class RideStatus(models.TextChoices):
    REQUESTED = "requested", "demandé"
    PLANNED = "planned", "planifié"
    CONFIRMED = "confirmed", "confirmé"
    DONE = "done", "effectué"
    CANCELLED = "cancelled", "annulé"
    NO_SHOW = "no_show", "absent"


# Declared transitions: from each status, where a ride request may go.
RIDE_TRANSITIONS: dict[str, frozenset[str]] = {
    RideStatus.REQUESTED: frozenset({RideStatus.PLANNED, RideStatus.CANCELLED}),
    RideStatus.PLANNED: frozenset(
        {RideStatus.REQUESTED, RideStatus.CONFIRMED, RideStatus.CANCELLED}
    ),
    RideStatus.CONFIRMED: frozenset(
        {
            RideStatus.PLANNED,
            RideStatus.REQUESTED,
            RideStatus.DONE,
            RideStatus.NO_SHOW,
            RideStatus.CANCELLED,
        }
    ),
    RideStatus.DONE: frozenset(),
    RideStatus.CANCELLED: frozenset(),
    RideStatus.NO_SHOW: frozenset(),
}

# Statuses the planner takes into account.
ACTIVE_STATUSES = (RideStatus.REQUESTED, RideStatus.PLANNED, RideStatus.CONFIRMED)

# DSFR badge colour per status.
RIDE_STATUS_BADGE = {
    RideStatus.REQUESTED: "new",
    RideStatus.PLANNED: "info",
    RideStatus.CONFIRMED: "success",
    RideStatus.DONE: "success",
    RideStatus.CANCELLED: "error",
    RideStatus.NO_SHOW: "error",
}


class Leg(models.TextChoices):
    OUTBOUND = "outbound", "aller"
    RETURN = "return", "retour"


class StopKind(models.TextChoices):
    DEPART = "depart", "départ du dépôt"
    PICKUP = "pickup", "prise en charge"
    DROPOFF = "dropoff", "dépose"
    ARRIVE = "arrive", "retour au dépôt"


# The stops at the rider's home: picked up there on the way out, dropped there on the way back.
HOME_STOPS = frozenset({(StopKind.PICKUP, Leg.OUTBOUND), (StopKind.DROPOFF, Leg.RETURN)})


class HalfDay(models.TextChoices):
    MORNING = "am", "matin"
    AFTERNOON = "pm", "après-midi"


class RunStatus(models.TextChoices):
    PENDING = "pending", "en attente"
    RUNNING = "running", "en cours"
    DONE = "done", "terminée"
    FAILED = "failed", "échouée"


class RunKind(models.TextChoices):
    PLAN = "plan", "planification"
    REPLAN = "replan", "re-planification"


ERR_TRANSITION = "Ce changement de statut n'est pas possible ({from_status} → {to_status})."
ERR_NOT_ALLOWED = "Vous n'avez pas le droit de faire cette demande de transport pour cet organisme."
ERR_NO_POSITION = (
    "Adresse introuvable : indiquez la commune (nom ou code postal) pour que le transporteur "
    "puisse venir vous chercher."
)
ERR_NO_LEG = "Choisissez au moins un trajet : l'aller, le retour ou les deux."
ERR_NO_TIME = "Indiquez l'heure d'arrivée souhaitée (aller) ou l'heure de départ (retour)."
ERR_BOOKING_NOT_CONFIRMED = (
    "Un transport ne peut être demandé que pour un rendez-vous confirmé et à venir."
)
ERR_RIDE_EXISTS = (
    "Un transport est déjà demandé pour ce rendez-vous (aller ou retour) : "
    "vous le retrouvez dans le message de confirmation."
)
ERR_TOO_MANY_RIDE_REQUESTS = (
    "Trop de demandes de transport ont été envoyées. Réessayez dans une heure ou appelez le lieu."
)
ERR_TOO_LATE = "Ce trajet ne peut plus être annulé en ligne : appelez le transporteur."
MSG_REQUESTED = (
    "Votre demande de transport est enregistrée. Le transporteur vous confirmera l'heure."
)
STOP_CANCELLED = "annulé : ne pas passer"
SHEET_SUPERSEDED = (
    "Feuille périmée : les tournées de ce jour ont été recalculées depuis. "
    "Imprimez la feuille du plan en cours."
)
NOTE_BOOKING_CANCELLED = "rendez-vous ou atelier annulé"
NOTE_BOOKING_MOVED = "rendez-vous déplacé au {when}"
MSG_CANCELLED = "Votre transport est annulé. Merci de nous avoir prévenus."
MSG_PLAN_STARTED = "Planification lancée."
MSG_CONFIRMED = "Tournées confirmées : {count} usager(s) prévenu(s) de leur heure de passage."
MSG_NO_VEHICLE = (
    "Aucun véhicule disponible ce jour-là : ajoutez un service (chauffeur et véhicule)."
)


# What the history of a ride request (`RideRequestEvent.action`) says to people.
RIDE_EVENT_LABELS = {
    "created": "Demande reçue",
    "planned": "Trajet planifié",
    "unplanned": "Remis en attente",
    "confirmed": "Trajet confirmé",
    "cancelled": "Demande annulée",
    "done": "Trajet effectué",
    "no_show": "Personne absente",
    "requested": "Remis en attente",
    "message_sms": "SMS",
    "message_email": "Courriel",
}


class MessageKind(models.TextChoices):
    """What a message to a rider says; the label is how the ride's history names it."""

    CONFIRMATION = "confirmation", "confirmation"
    CHANGE = "change", "changement d'heure"
    CANCELLATION = "cancellation", "annulation"
    REPLANNING = "replanning", "rendez-vous déplacé"


# Messages to riders (`notify.py`): the first sentence per kind, the SMS and email bodies
# (Django templates), the email's subject.
MESSAGE_INTROS = {
    MessageKind.CONFIRMATION: "Votre transport est confirmé.",
    MessageKind.CHANGE: "L'heure de votre transport a changé.",
    MessageKind.CANCELLATION: "Votre transport est annulé.",
    MessageKind.REPLANNING: "Votre rendez-vous a été déplacé, votre transport aussi.",
}
MESSAGE_SMS = (
    "{{ intro }}{% for pickup in pickups %} {{ pickup.leg }} : passage le {{ pickup.when }}"
    " ({{ pickup.where }}).{% endfor %}"
    "{% if cancelled %} Trajet du {{ day }} vers {{ destination }} ({{ legs }}) :"
    " personne ne passera vous chercher.{% else %}{% if pending %} Trajet du {{ day }} vers"
    " {{ destination }} ({{ legs }}) : nouvelle heure de passage envoyée dès la"
    " planification.{% endif %} Annuler : {{ cancel_url }}{% endif %}"
)
MESSAGE_EMAIL = (
    "Bonjour {{ ride.name }},\n\n{{ intro }}\n\n"
    "{% for pickup in pickups %}{{ pickup.leg|capfirst }} : le chauffeur passe vous chercher "
    "le {{ pickup.when }}, {{ pickup.where }}.\n{% endfor %}"
    "{% if cancelled %}Trajet du {{ day }} vers {{ destination }} ({{ legs }}) : personne ne "
    "passera vous chercher. Pour un autre transport, adressez-vous au lieu de votre "
    "rendez-vous.\n{% else %}{% if pending %}Trajet du {{ day }} vers {{ destination }} "
    "({{ legs }}) : nous vous enverrons la nouvelle heure de passage dès que la tournée sera "
    "planifiée.\n{% endif %}\nSi vous ne pouvez plus venir, annulez ici : {{ cancel_url }}\n"
    "{% endif %}\n{{ ride.operator.name }} — transport à la demande (Maillage)\n"
)
MESSAGE_SUBJECT = "Transport à la demande : {what}"
