"""Every French label and message of the organisations app, in one place.

Choices are `TextChoices`: the stored value is English (stable in the database and the
API), the label is what people read.
"""

from django.db import models


class OrganisationKind(models.TextChoices):
    DEPARTEMENT = "departement", "Département (collectivité et ses services)"
    STATE_SERVICE = "state_service", "Service de l'État"
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    ASSOCIATION = "association", "Association"
    PUBLIC_OPERATOR = "public_operator", "Opérateur de service public (Caf, CPAM, MSA…)"
    COMPANY = "company", "Entreprise"
    OTHER = "other", "Autre (syndicat mixte, fonds, instance…)"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur de l'organisation"
    PILOT = "pilot", "Pilote"
    MEDIATOR = "mediator", "Médiateur numérique"
    PARTNER_AGENT = "partner_agent", "Agent d'un organisme partenaire"
    RECEPTIONIST = "receptionist", "Agent d'accueil"
    TRANSPORT_OPERATOR = "transport_operator", "Transporteur"
    NETWORK_COORDINATOR = "network_coordinator", "Coordinateur de réseau"
    VIEWER = "viewer", "Lecteur (consultation seule)"


# What each role means, shown next to the role picker and in the documentation.
ROLE_HELP = {
    Role.ADMIN: "Modifie la fiche de l'organisation et gère ses membres ; a tous les droits "
    "des autres rôles dans cette organisation.",
    Role.PILOT: "Renseigne les fiches action pilotées par l'organisation : avancement, "
    "indicateurs, budget.",
    Role.MEDIATOR: "Accompagne les usagers : ateliers, rendez-vous, suivi des "
    "accompagnements de l'organisation.",
    Role.PARTNER_AGENT: "Tient l'agenda de ses permanences et rendez-vous (Point Visio).",
    Role.RECEPTIONIST: "Accueille le public, prend des rendez-vous et demande des "
    "transports pour les usagers.",
    Role.TRANSPORT_OPERATOR: "Organise les demandes de transport et les tournées.",
    Role.NETWORK_COORDINATOR: "Anime un réseau de professionnels coordonné par l'organisation "
    "(Promeneurs du Net) : membres, formations, bilans mensuels, réunions.",
    Role.VIEWER: "Consulte les informations de l'organisation, sans rien modifier.",
}

# Messages shown to people.
MSG_ORGANISATION_SAVED = "La fiche de l'organisation a été enregistrée."
MSG_MEMBER_ADDED = "{person} a maintenant le rôle « {role} »."
MSG_MEMBER_REMOVED = "Le rôle « {role} » de {person} a été retiré."
MSG_NO_ORGANISATION = (
    "Vous n'êtes membre d'aucune organisation pour l'instant. Demandez à l'administrateur "
    "de votre organisation de vous y ajouter."
)
ERR_UNKNOWN_ACCOUNT = (
    "Aucun compte n'utilise cette adresse. Demandez à un administrateur de la plateforme "
    "de créer le compte, puis ajoutez la personne."
)
ERR_INACTIVE_ACCOUNT = "Ce compte est désactivé : il ne peut pas recevoir de rôle."
ERR_ALREADY_MEMBER = "Cette personne a déjà ce rôle dans l'organisation."
ERR_LAST_ADMIN = (
    "C'est le dernier administrateur de l'organisation : ajoutez d'abord un autre administrateur."
)
ERR_SIREN = "Le SIREN compte 9 chiffres et sa clé de contrôle doit être juste."
ERR_INSEE = "Le code INSEE d'une commune compte 5 caractères (ex. : 16015)."
ERR_PHONE = "Saisissez un numéro de téléphone (chiffres, espaces, points, + ou tirets)."
ERR_PARENT_CYCLE = "Une organisation ne peut pas dépendre d'elle-même, même indirectement."
ERR_EXPORT_FORMAT = "Format d'export inconnu."

# Column headers of the organisation export, in order.
EXPORT_HEADERS = {
    "name": "Nom",
    "short_name": "Sigle",
    "kind": "Type",
    "parent": "Dépend de",
    "siren": "SIREN",
    "commune_insee": "Commune (code INSEE)",
    "address": "Adresse",
    "email": "Courriel",
    "phone": "Téléphone",
    "website": "Site internet",
    "is_active": "Active",
    "my_roles": "Mes rôles",
    "url": "Adresse de la fiche",
}
YES = "oui"
NO = "non"

# Two-factor authentication and password reset
ERR_CODE_WRONG = (
    "Code incorrect ou expiré : saisissez le code à 6 chiffres affiché par l'application, "
    "ou un code de secours."
)
ERR_CODE_TOO_MANY = (
    "Trop de codes incorrects : par sécurité, reconnectez-vous avec votre mot de passe."
)
ERR_LOGIN_EXPIRED = "Le délai pour saisir le code est dépassé : reconnectez-vous."
ERR_TWO_FACTOR_MANDATORY = (
    "La double authentification est obligatoire pour votre compte : vous pouvez changer de "
    "téléphone ou renouveler vos codes de secours, pas la désactiver."
)
MSG_TWO_FACTOR_ENABLED = "Double authentification activée."
MSG_TWO_FACTOR_DISABLED = "Double authentification désactivée."
MSG_TWO_FACTOR_REQUIRED = (
    "La double authentification est obligatoire pour votre compte : activez-la pour continuer."
)
ERR_RESET_TOO_MANY = (
    "Trop de demandes de réinitialisation depuis cette connexion : réessayez dans une heure."
)
