"""Every French label and message of the appointments app, in one place."""

from django.db import models


class ServiceKind(models.TextChoices):
    INDIVIDUAL = "individual", "Rendez-vous individuel dans un lieu"
    WORKSHOP = "workshop", "Atelier collectif"
    HOME_VISIT = "home_visit", "Visite à domicile"
    VISIO = "visio", "Rendez-vous en visio dans un Point Visio"
    PHONE = "phone", "Rendez-vous téléphonique"


class BookableBy(models.TextChoices):
    PUBLIC = "public", "Tout public, en ligne"
    STAFF = "staff", "Accueil ou médiateur, pour la personne"
    PARTNER = "partner", "Agents de l'organisme seulement"


class ResourceKind(models.TextChoices):
    VISIO_ROOM = "visio_room", "Salle Point Visio"
    VISIO_KIT = "visio_kit", "Matériel de visioconférence"
    ROOM = "room", "Salle"
    VEHICLE = "vehicle", "Véhicule"


class BookingStatus(models.TextChoices):
    HELD = "held", "Créneau retenu"
    BOOKED = "booked", "Confirmé"
    CANCELLED = "cancelled", "Annulé"
    EXPIRED = "expired", "Réservation non finalisée"
    WAITLISTED = "waitlisted", "En liste d'attente"


# Statuses that occupy an agent, a room or a seat.
ACTIVE_STATUSES = (BookingStatus.HELD, BookingStatus.BOOKED)

# DSFR badge colour of the statuses shown in colour (the others stay grey).
BOOKING_STATUS_BADGE = {BookingStatus.BOOKED: "success", BookingStatus.CANCELLED: "error"}


class Attendance(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excusé"


class BookedVia(models.TextChoices):
    SELF = "self", "La personne elle-même"
    STAFF = "staff", "Un accueil ou un médiateur"
    PARTNER = "partner", "Un agent de l'organisme"


class PartyType(models.TextChoices):
    AGENT = "agent", "Agent"
    RESOURCE = "resource", "Ressource"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Prévue"
    CANCELLED = "cancelled", "Annulée"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "lundi"
    TUESDAY = 1, "mardi"
    WEDNESDAY = 2, "mercredi"
    THURSDAY = 3, "jeudi"
    FRIDAY = 4, "vendredi"
    SATURDAY = 5, "samedi"
    SUNDAY = 6, "dimanche"


class Channel(models.TextChoices):
    EMAIL = "email", "Courriel"
    SMS = "sms", "SMS"


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Confirmation"
    CHANGE = "change", "Modification"
    CANCELLATION = "cancellation", "Annulation"
    REMINDER = "reminder", "Rappel"
    WAITLIST_SEAT = "waitlist_seat", "Place libérée (liste d'attente)"
    WAITLIST_REMOVED = "waitlist_removed", "Retrait de la liste d'attente"


# Messages about a booking that is over (no link to manage it, no way to come).
ENDED_MESSAGE_KINDS = frozenset({MessageKind.CANCELLATION, MessageKind.WAITLIST_REMOVED})


class MessageStatus(models.TextChoices):
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec, nouvel essai prévu"
    GAVE_UP = "gave_up", "Échec définitif"
    SKIPPED = "skipped", "Non envoyé"


class FeedKind(models.TextChoices):
    AGENT = "agent", "Agenda d'un agent"
    PLACE = "place", "Agenda d'un lieu"


# What the history of a booking (`BookingEvent.action`) says to people.
EVENT_LABELS = {
    "hold": "Créneau retenu",
    "confirm": "Rendez-vous confirmé",
    "register": "Inscription à l'atelier",
    "waitlist": "Inscription en liste d'attente",
    "waitlist_promote": "Place libérée attribuée (liste d'attente)",
    "waitlist_remove": "Retrait de la liste d'attente",
    "cancel": "Annulation",
    "move": "Déplacement",
    "attendance": "Présence",
    "force_overlap": "Chevauchement forcé",
}

ERR_SLOT_BUSY = "Créneau très demandé, réessayez dans un instant."
ERR_SLOT_TAKEN = "Ce créneau vient d'être pris. Choisissez-en un autre."
ERR_SLOT_UNAVAILABLE = "Ce créneau n'est plus disponible. Choisissez-en un autre."
ERR_SESSION_FULL = "Cet atelier est complet."
ERR_HOLD_EXPIRED = "Le créneau n'a pas été gardé plus de 5 minutes : choisissez-en un de nouveau."
ERR_NOT_ALLOWED = "Ce motif ne peut pas être réservé de cette façon."
ERR_CONTACT_REQUIRED = "Indiquez un téléphone ou un courriel pour recevoir la confirmation."
ERR_RULE_ORDER = "L'heure de fin doit suivre l'heure de début."
ERR_DATES_ORDER = "La fin doit suivre le début."
MSG_RULE_ADDED = "Plage d'ouverture ajoutée : les créneaux correspondants sont proposés."
MSG_RULE_DELETED = "Plage d'ouverture supprimée : les rendez-vous déjà pris restent à traiter."
MSG_ABSENCE_ADDED = "Absence enregistrée : aucun créneau ne sera proposé pendant cette période."
MSG_ABSENCE_CONFLICTS = (
    "Attention : {count} rendez-vous déjà pris tombe(nt) pendant cette absence. "
    "Déplacez-les ou annulez-les ci-dessous : les personnes seront prévenues."
)
MSG_ABSENCE_DELETED = "Absence supprimée."
ERR_NOT_WAITLISTED = "Cette personne n'est plus sur la liste d'attente."
ERR_CANNOT_CANCEL = "Ce rendez-vous ne peut plus être annulé (déjà annulé ou commencé)."
ERR_TOO_LATE = "Ce rendez-vous a déjà commencé : il ne peut plus être modifié."
ERR_ATTENDANCE_NOT_YET = (
    "Ce rendez-vous n'a pas encore eu lieu : la présence se note une fois qu'il a commencé."
)
ERR_FORCE_REASON = "Indiquez pourquoi vous forcez le chevauchement."
ERR_BAD_TOKEN = "Ce lien n'est pas valide ou a expiré."
ERR_TOO_MANY_HOLDS = (
    "Trop de créneaux ont été retenus depuis cette connexion. Réessayez dans quelques minutes."
)

ERR_FEED_CHOICE = "Choisissez un agenda dans la liste."
MSG_BOOKED = "Votre rendez-vous est confirmé."
MSG_CANCELLED = "Le rendez-vous est annulé."
MSG_MOVED = "Le rendez-vous est déplacé."
MSG_WAITLIST_REMOVED = "La personne est retirée de la liste d'attente."
MSG_WAITLISTED = "L'atelier est complet : vous êtes inscrit(e) en liste d'attente."
MSG_ATTENDANCE = "Présences enregistrées."
MSG_FEED_CREATED = "Adresse créée."
MSG_FEED_REVOKED = "Adresse révoquée : elle ne fonctionne plus."
MSG_FORCED = "Chevauchement forcé et consigné dans l'historique."
