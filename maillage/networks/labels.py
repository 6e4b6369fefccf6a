"""Every French label and message of the networks app (Promeneurs du Net), in one place.

Stored values are English and stable; labels are what people read. The monthly return's
counting grid (channels, subjects, partners) follows the national Promeneurs du Net activity
report: counts only, never anything about a young person.
"""

from django.db import models


class MemberStatus(models.TextChoices):
    IN_TRAINING = "in_training", "En formation"
    ACTIVE = "active", "Actif"
    PAUSED = "paused", "En pause"
    LEFT = "left", "A quitté le réseau"


# Declared transitions of a member's status (the log keeps every change, with its date).
MEMBER_TRANSITIONS: dict[str, set[str]] = {
    MemberStatus.IN_TRAINING: {MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.LEFT},
    MemberStatus.ACTIVE: {MemberStatus.PAUSED, MemberStatus.LEFT},
    MemberStatus.PAUSED: {MemberStatus.ACTIVE, MemberStatus.IN_TRAINING, MemberStatus.LEFT},
    MemberStatus.LEFT: {MemberStatus.IN_TRAINING, MemberStatus.ACTIVE},
}
# Statuses of members who owe a monthly return.
REPORTING_STATUSES = (MemberStatus.IN_TRAINING, MemberStatus.ACTIVE)
MEMBER_STATUS_BADGE = {
    MemberStatus.IN_TRAINING: "info",
    MemberStatus.ACTIVE: "success",
    MemberStatus.PAUSED: "warning",
    MemberStatus.LEFT: "new",
}


class Job(models.TextChoices):
    YOUTH_WORKER = "youth_worker", "Animateur ou animatrice jeunesse"
    EDUCATOR = "educator", "Éducateur ou éducatrice (spécialisé·e, de prévention)"
    YOUTH_INFORMATION = "youth_information", "Informateur ou informatrice jeunesse"
    CAREER_ADVISER = "career_adviser", "Conseiller ou conseillère en insertion (mission locale)"
    SOCIAL_WORKER = "social_worker", "Travailleur ou travailleuse social·e"
    COORDINATOR = "coordinator", "Coordinateur ou coordinatrice jeunesse"
    OTHER = "other", "Autre métier de la jeunesse"


class Audience(models.TextChoices):
    AGE_11_14 = "11_14", "11-14 ans (collégiens)"
    AGE_15_17 = "15_17", "15-17 ans (lycéens, apprentis)"
    AGE_18_25 = "18_25", "18-25 ans (jeunes adultes)"
    PARENTS = "parents", "Parents et familles"


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    SNAPCHAT = "snapchat", "Snapchat"
    TIKTOK = "tiktok", "TikTok"
    DISCORD = "discord", "Discord"
    FACEBOOK = "facebook", "Facebook et Messenger"
    WHATSAPP = "whatsapp", "WhatsApp"
    YOUTUBE = "youtube", "YouTube"
    TWITCH = "twitch", "Twitch"
    X = "x", "X (Twitter)"
    OTHER = "other", "Autre réseau ou site"


class Subject(models.TextChoices):
    SCHOOL = "school", "Scolarité, orientation"
    EMPLOYMENT = "employment", "Emploi, formation, stages"
    HEALTH = "health", "Santé, bien-être"
    RELATIONS = "relations", "Relations (famille, amis, vie affective)"
    DIGITAL = "digital", "Usages du numérique, cyberharcèlement"
    RIGHTS = "rights", "Droits, démarches, logement, mobilité"
    LEISURE = "leisure", "Loisirs, projets, engagement"
    OTHER = "other", "Autre sujet"


class Partner(models.TextChoices):
    YOUTH_INFORMATION = "youth_information", "Information jeunesse (CIJ, PIJ)"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    HEALTH = "health", "Santé (Maison des adolescents, CMP, planning familial)"
    SOCIAL = "social", "Services sociaux, protection de l'enfance"
    SCHOOL = "school", "Établissement scolaire, CIO"
    OTHER = "other", "Autre partenaire"


class CountKind(models.TextChoices):
    """The three grids of a monthly return."""

    CHANNEL = "channel", "Contacts en ligne par canal"
    SUBJECT = "subject", "Sujets abordés"
    PARTNER = "partner", "Orientations vers un partenaire"


COUNT_CHOICES = {
    CountKind.CHANNEL: Platform,
    CountKind.SUBJECT: Subject,
    CountKind.PARTNER: Partner,
}
# Column prefixes of the CSV import/template: contacts_instagram, sujets_sante…
COUNT_COLUMN_PREFIX = {
    CountKind.CHANNEL: "contacts",
    CountKind.SUBJECT: "sujets",
    CountKind.PARTNER: "orientations",
}


class ReturnSource(models.TextChoices):
    FORM = "form", "Formulaire"
    IMPORT = "import", "Import CSV"


class TrainingKind(models.TextChoices):
    INITIAL = "initial", "Formation initiale"
    PRACTICE_ANALYSIS = "practice_analysis", "Analyse de pratique"
    OTHER = "other", "Autre formation ou journée départementale"


class Presence(models.TextChoices):
    PRESENT = "present", "Présent"
    EXCUSED = "excused", "Excusé"
    ABSENT = "absent", "Absent"


class RuleStatus(models.TextChoices):
    DONE = "done", "Fait"
    ON_TRACK = "on_track", "Dans les temps"
    LATE = "late", "En retard"


RULE_STATUS_BADGE = {
    RuleStatus.DONE: "success",
    RuleStatus.ON_TRACK: "info",
    RuleStatus.LATE: "warning",
}


class LogAction(models.TextChoices):
    CREATED = "created", "Inscription"
    UPDATED = "updated", "Modification"
    VIEWED = "viewed", "Consultation"
    EXPORTED = "exported", "Export"
    STATUS = "status", "Changement de statut"
    CONSENT = "consent", "Accord de publication"
    ERASED = "erased", "Effacement"


# Publication consents, in the order the form and the directory show them.
CONSENT_FIELDS = {
    "publish_name": "Mon nom et mon prénom",
    "publish_job": "Mon métier et les publics que j'accompagne",
    "publish_structure": "Ma structure employeuse",
    "publish_territory": "Mon territoire (commune de la structure, communes couvertes)",
    "publish_contact": "Mes coordonnées professionnelles (courriel, téléphone)",
}

# Messages shown to people.
MSG_NETWORK_SAVED = "Réglages du réseau enregistrés."
MSG_MEMBER_SAVED = "La fiche de {name} a été enregistrée."
MSG_ACCOUNT_LINKED = (
    "Le compte {email} est lié à cette fiche : la personne peut envoyer ses bilans mensuels."
)
MSG_NO_ACCOUNT = (
    "Aucun compte n'utilise l'adresse {email} : vous pouvez saisir ou importer ses bilans ; "
    "un administrateur de la plateforme peut créer son compte pour qu'elle les envoie elle-même."
)
MSG_STATUS_CHANGED = "Statut de {name} : {status} depuis le {date}."
MSG_CONSENTS_SAVED = "Vos choix de publication sont enregistrés."
MSG_RETURN_SAVED = "Bilan de {month} enregistré. Merci !"
MSG_TRAINING_SAVED = "Session enregistrée."
MSG_ATTENDANCE_SAVED = "Présences enregistrées ({count} membre(s) présent(s))."
MSG_MEETING_SAVED = "Présences et compte rendu enregistrés."
MSG_IMPORT_DONE = "Import terminé : {created} bilan(s) créé(s), {updated} mis à jour."
MSG_IMPORT_REFUSED = "{count} erreur(s) : rien n'a été enregistré."
MSG_REMINDERS_QUEUED = "Relances en cours d'envoi pour les bilans de {month}."
MSG_ERASED = "Les données personnelles de ce membre ont été effacées."

ERR_TRANSITION = "Passage impossible de « {old} » à « {new} »."
ERR_STATUS_BEFORE_LAST = (
    "La date doit être postérieure ou égale au dernier changement de statut ({date})."
)
ERR_FUTURE_DATE = "La date ne peut pas être dans le futur."
ERR_FUTURE_MONTH = "On ne peut pas envoyer le bilan d'un mois qui n'a pas commencé."
ERR_MONTH = "Mois attendu au format AAAA-MM (par exemple 2026-03)."
ERR_NEGATIVE = "Un nombre entier positif ou nul est attendu."
ERR_ENDS_BEFORE = "La date de fin précède la date de début."
ERR_ACCOUNT_TAKEN = "Ce compte est déjà lié à un autre membre du réseau."
ERR_DUPLICATE_EMAIL = "Un membre du réseau utilise déjà cette adresse."
ERR_UNDO_FIRST_STATUS = (
    "Le premier statut d'un membre ne s'annule pas : modifiez-le par un nouveau."
)
MSG_STATUS_UNDONE = (
    "Dernier changement de statut annulé : {name} est « {status} » depuis le {date}."
)
ERR_ERASED = "Les données de ce membre ont été effacées : la fiche ne peut plus être modifiée."
ERR_NOT_A_MEMBER = "Ce membre ne faisait pas partie du réseau ce mois-là : pas de bilan attendu."
ERR_PRESENCE_EMPTY = "Indiquez le pseudonyme ou l'adresse de la page."
ERR_TRAINING_MEMBER = "Ce membre n'appartient pas à ce réseau."

# CSV import of monthly returns.
ERR_ENCODING = "le fichier doit être un CSV enregistré en UTF-8."
ERR_EMPTY = "le fichier est vide."
ERR_MISSING_COLUMN = "colonne obligatoire absente : « {column} »."
ERR_UNKNOWN_COLUMN = "colonne inconnue : « {column} » (colonnes attendues : voir le modèle)."
ERR_TOO_MANY_CELLS = "{cells} cellules pour {columns} colonnes."
ERR_UNKNOWN_MEMBER = "aucun membre du réseau n'a l'adresse « {value} »."
ERR_DUPLICATE_ROW = "le bilan de ce membre pour ce mois figure déjà ligne {row}."
ERR_TOO_LARGE = "le fichier dépasse {limit} lignes ; découpez-le."

# Reminder email.
REMINDER_SUBJECT = "Promeneurs du Net : votre bilan de {month}"
REMINDER_BODY = (
    "Bonjour {first_name},\n\n"
    "Votre bilan mensuel de {month} pour le réseau « {network} » n'a pas encore été envoyé.\n"
    "Il ne prend que deux minutes : des nombres seulement, rien sur les jeunes eux-mêmes.\n\n"
    "Envoyer le bilan : {url}\n\n"
    "Merci pour votre présence en ligne auprès des jeunes.\n"
    "{coordinator}\n"
)

PUBLIC_ANONYMOUS_NAME = "Promeneur du Net"
UNPUBLISHED_TERRITORY = "Territoire non publié"
DEMO_NOTE = "Données de démonstration : les personnes et les structures sont fictives."
