"""Every French label and message of the places app, in one place.

Choices specific to Maillage are `TextChoices` with English stored values; the national
standard's enumerations keep their own (French) values, read from the schema (`standard.py`).
"""

from django.db import models


class PlaceKind(models.TextChoices):
    EPN = "epn", "Espace public numérique (EPN)"
    LIBRARY = "library", "Bibliothèque du réseau départemental de lecture"
    CYBER_CAFE = "cyber_cafe", "Cyber-café"
    MOBILITY_SPACE = "mobility_space", "Espace de médiation numérique et de mobilité"
    POINT_VISIO = "point_visio", "Point Visio"
    TOWN_HALL = "town_hall", "Mairie"
    FRANCE_SERVICES = "france_services", "France Services"
    OPERATOR_OFFICE = "operator_office", "Accueil d'un organisme (Caf, CPAM, MSA…)"
    OTHER = "other", "Autre lieu d'aide au numérique"


class Equipment(models.TextChoices):
    PUBLIC_COMPUTERS = "public_computers", "Ordinateurs en libre accès"
    TABLETS = "tablets", "Tablettes"
    GPS = "gps", "GPS"
    VIDEOCONFERENCE = "videoconference", "Matériel de visioconférence"
    WIFI = "wifi", "Wi-Fi public"
    PRINTER_SCANNER = "printer_scanner", "Imprimante et scanner"


class VisioEquipmentQuality(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    STANDARD = "standard", "Standard (webcam et micro intégrés)"
    HIGH = "high", "Haute qualité (caméra, micro et écran dédiés, scanner de documents)"


class Need(models.TextChoices):
    """What a person looking for help says they need (the find-help form)."""

    PROCEDURE = "procedure", "Être aidé pour une démarche en ligne (impôts, Caf, retraite…)"
    LEARN = "learn", "Apprendre à utiliser un ordinateur, une tablette, un smartphone, internet"
    EQUIPMENT = "equipment", "Utiliser un ordinateur, une imprimante, une connexion internet"
    VISIO = "visio", "Un rendez-vous en visio avec un organisme (Caf, CPAM, MSA…)"
    MOBILITY = "mobility", "Trouver une solution pour se déplacer (mobilité)"


# Standard "services" values answering each need (empty: answered by other fields).
NEED_SERVICES = {
    Need.PROCEDURE: {"Aide aux démarches administratives"},
    Need.LEARN: {
        "Maîtrise des outils numériques du quotidien",
        "Utilisation sécurisée du numérique",
        "Compréhension du monde numérique",
        "Parentalité et éducation avec le numérique",
        "Loisirs et créations numériques",
        "Insertion professionnelle via le numérique",
    },
    Need.EQUIPMENT: {
        "Accès internet et matériel informatique",
        "Acquisition de matériel informatique à prix solidaire",
    },
    Need.VISIO: set(),
    Need.MOBILITY: set(),
}


class HelpNeed(models.TextChoices):
    DIGITAL = "digital", "Numérique (démarche en ligne, ordinateur, internet…)"
    MOBILITY = "mobility", "Mobilité (se déplacer, transport, permis…)"


class PreferredTime(models.TextChoices):
    MORNING = "morning", "Le matin (9 h – 12 h)"
    LUNCH = "lunch", "Entre midi et deux (12 h – 14 h)"
    AFTERNOON = "afternoon", "L'après-midi (14 h – 18 h)"
    ANY = "any", "À n'importe quel moment de la journée"


class HelpRequestStatus(models.TextChoices):
    NEW = "new", "Nouvelle"
    CALLED_BACK = "called_back", "Rappelée"
    RESOLVED = "resolved", "Résolue"
    REDIRECTED = "redirected", "Réorientée"


# Allowed status transitions of a help request (a resolved or redirected one may be reopened).
HELP_REQUEST_TRANSITIONS = {
    HelpRequestStatus.NEW: {
        HelpRequestStatus.CALLED_BACK,
        HelpRequestStatus.RESOLVED,
        HelpRequestStatus.REDIRECTED,
    },
    HelpRequestStatus.CALLED_BACK: {HelpRequestStatus.RESOLVED, HelpRequestStatus.REDIRECTED},
    HelpRequestStatus.RESOLVED: {HelpRequestStatus.CALLED_BACK},
    HelpRequestStatus.REDIRECTED: {HelpRequestStatus.CALLED_BACK},
}
OPEN_HELP_REQUEST_STATUSES = (HelpRequestStatus.NEW, HelpRequestStatus.CALLED_BACK)
# DSFR badge colour of the statuses shown in colour (the others stay grey).
HELP_REQUEST_STATUS_BADGE = {HelpRequestStatus.NEW: "new", HelpRequestStatus.RESOLVED: "success"}

# --- Opening hours --------------------------------------------------------------------------
HOURS_EXAMPLE = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
ERR_HOURS = (
    "Horaires non reconnus{where} : écrivez-les au format OpenStreetMap, par exemple "
    "« {example} » (jours en anglais abrégés Mo Tu We Th Fr Sa Su, heures sur 24 h "
    "avec deux chiffres, « PH off » pour fermé les jours fériés)."
)
ERR_HOURS_WHERE = " à partir du caractère {column} (« {excerpt} »)"
HOURS_UNKNOWN = "Horaires non renseignés"
HOURS_OPEN_NOW = "Ouvert en ce moment"
HOURS_CLOSED_NOW = "Fermé en ce moment"
HOURS_CLOSED_DAY = "Fermé"
HOURS_HOLIDAY_NOTE = "jour férié : {name}"
HOURS_PH_DEFAULT_NOTE = "Fermé les jours fériés, sauf mention contraire dans les horaires."

# --- Import / export ------------------------------------------------------------------------
ERR_REQUIRED = "valeur obligatoire manquante"
ERR_TYPE = "attendu {expected}, reçu « {value} »"
ERR_PATTERN_LIST = (
    "attendu une ou plusieurs valeurs parmi {values}, séparées par « | » ; reçu « {value} »"
)
ERR_PATTERN = "attendu la forme {pattern}, reçu « {value} »"
ERR_MAX_LENGTH = "attendu au plus {limit} caractères, reçu {length}"
ERR_UNIQUE = "identifiant « {value} » déjà présent plus haut dans le fichier"
ERR_MISSING_COLUMN = "colonne obligatoire « {field} » absente"
ERR_EXTRA_COLUMN = "colonne « {field} » inconnue du standard"
ERR_PIVOT = (
    "attendu un SIRET (14 chiffres dont la clé de contrôle est juste), un SIREN (9 chiffres), "
    "un numéro RNA (W suivi de 9 chiffres) ou un RIDET ; reçu « {value} »"
)
ERR_TYPOLOGY = (
    "attendu un ou plusieurs codes de la liste nationale des typologies de structures "
    "(ex. EPN, BIB, MUNI, CCAS, ASSO), séparés par « | » ; code(s) inconnu(s) : {values}"
)
ERR_JSON = "le fichier n'est pas un JSON valide ({detail})"
ERR_JSON_SHAPE = "attendu une liste d'objets (un par lieu) ou un objet avec une clé « lieux »"
ERR_EMPTY = "le fichier ne contient aucun lieu"
ERR_ENCODING = "le fichier doit être encodé en UTF-8"
ERR_FORMAT = "format inconnu « {value} » : attendu csv ou json"
TYPE_NAMES = {
    "number": "un nombre (point décimal, ex. 45.47762)",
    "date": "une date AAAA-MM-JJ (ex. 2024-04-02)",
    "string": "un texte",
    "integer": "un nombre entier",
}
FIELD_PATTERN_HINTS = {
    "pivot": "9 à 14 lettres ou chiffres (SIRET, SIREN, RNA ou RIDET)",
    "code_postal": "5 chiffres (ex. 16300)",
    "code_insee": "5 caractères (ex. 16028)",
    "telephone": "numéro international sans espace (ex. +33545000000)",
}

# --- Find help -----------------------------------------------------------------------------
FIND_QUERY_LABEL = "Votre commune, code postal ou adresse"
FIND_QUERY_HINT = "Par exemple : Chalais, 16300 ou 2 place du Château 16300 Barbezieux"
FIND_NEED_LABEL = "De quoi avez-vous besoin ?"
FIND_OPERATOR_LABEL = "Avec quel organisme ? (pour un rendez-vous en visio)"
FIND_OPERATOR_ANY = "N'importe lequel"
ERR_PLACE_NOT_FOUND = (
    "Nous n'avons pas trouvé « {query} ». Essayez le nom de votre commune ou son code postal."
)
APPROXIMATE_POSITION = "position approximative : centre de la commune"
TRAVEL_ESTIMATE_NOTE = (
    "Temps de trajet estimé en voiture, à partir de la distance à vol d'oiseau : "
    "comptez davantage en transport en commun."
)

# --- Help requests --------------------------------------------------------------------------
HELP_CONSENT_LABEL = (
    "J'accepte que ces informations soient transmises aux médiateurs du lieu le plus proche "
    "pour qu'ils me rappellent."
)
HELP_CONSENT_TEXT = (
    "Vos coordonnées servent uniquement à vous rappeler au sujet de votre demande. Elles sont "
    "lues par les médiateurs du lieu d'aide le plus proche de votre commune, et effacées "
    "{retention} mois après le traitement de la demande. Vous pouvez demander leur "
    "effacement à tout moment en le disant au médiateur qui vous rappelle."
)
ERR_CONTACT_REQUIRED = (
    "Indiquez un numéro de téléphone ou une adresse électronique pour être recontacté."
)
ERR_CONSENT = "Cochez la case pour que les médiateurs puissent vous rappeler."
ERR_COMMUNE_UNKNOWN = (
    "Commune introuvable : saisissez son nom ou son code postal (ex. : Chalais ou 16210)."
)
ERR_COMMUNE_AMBIGUOUS = (
    "Plusieurs communes correspondent ({names}) : saisissez le nom complet de la vôtre."
)
ERR_TRANSITION = "Une demande « {current} » ne peut pas passer à « {target} »."
ERR_ASSIGNEE = "Cette personne n'est pas médiatrice ou administratrice de l'organisation du lieu."
ERR_PLACE_CLOSING = "La date de fermeture doit être postérieure à la date d'ouverture."
MSG_HELP_REQUEST_SENT = (
    "Votre demande est enregistrée. Un médiateur de « {place} » vous recontactera, "
    "en principe sous deux jours ouvrés."
)
MSG_HELP_REQUEST_SENT_NO_PLACE = (
    "Votre demande est enregistrée. Un médiateur vous recontactera, en principe sous deux "
    "jours ouvrés."
)
MSG_HELP_REQUEST_UPDATED = "La demande a été mise à jour."
MSG_PLACE_SAVED = "La fiche du lieu a été enregistrée."
DEMO_NOTE = "Donnée de démonstration (fictive)"

# Column headers of the staff exports.
PLACE_EXPORT_HEADERS = {
    "standard_id": "Identifiant",
    "name": "Nom",
    "kind": "Type",
    "organisation": "Organisation",
    "commune": "Commune",
    "insee_code": "Code INSEE",
    "opened_on": "Ouvert le",
    "closed_on": "Fermé le",
    "opening_hours": "Horaires",
    "services": "Services",
    "is_demo": "Démonstration",
}
HELP_REQUEST_EXPORT_HEADERS = {
    "id": "Numéro",
    "created_at": "Reçue le",
    "status": "Statut",
    "need": "Besoin",
    "commune": "Commune",
    "place": "Lieu",
    "assigned_to": "Suivie par",
    "name": "Nom ou pseudonyme",
    "phone": "Téléphone",
    "email": "Courriel",
    "preferred_times": "Moments préférés",
}
YES = "oui"
NO = "non"
