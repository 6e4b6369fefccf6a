"""Every choice and user-facing message of the plan app, in French, in one place."""

from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "En préparation"
    ACTIVE = "active", "En vigueur"
    CLOSED = "closed", "Clos"


class SheetStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non démarrée"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    LATE = "late", "En retard"
    SUSPENDED = "suspended", "Suspendue"
    ABANDONED = "abandoned", "Abandonnée"


# Declared transitions of a sheet's status: from → allowed targets.
SHEET_TRANSITIONS: dict[str, set[str]] = {
    SheetStatus.NOT_STARTED: {
        SheetStatus.IN_PROGRESS,
        SheetStatus.LATE,
        SheetStatus.SUSPENDED,
        SheetStatus.ABANDONED,
    },
    SheetStatus.IN_PROGRESS: {
        SheetStatus.DONE,
        SheetStatus.LATE,
        SheetStatus.SUSPENDED,
        SheetStatus.ABANDONED,
    },
    SheetStatus.LATE: {
        SheetStatus.IN_PROGRESS,
        SheetStatus.DONE,
        SheetStatus.SUSPENDED,
        SheetStatus.ABANDONED,
    },
    SheetStatus.SUSPENDED: {SheetStatus.IN_PROGRESS, SheetStatus.ABANDONED},
    SheetStatus.DONE: {SheetStatus.IN_PROGRESS},  # reopened
    SheetStatus.ABANDONED: {SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS},  # revived
}

# DSFR badge colour per status.
SHEET_STATUS_BADGE = {
    SheetStatus.NOT_STARTED: "new",
    SheetStatus.IN_PROGRESS: "info",
    SheetStatus.DONE: "success",
    SheetStatus.LATE: "warning",
    SheetStatus.SUSPENDED: "new",
    SheetStatus.ABANDONED: "error",
}


class ActorRole(models.TextChoices):
    PILOT = "pilot", "Pilote"
    PARTNER = "partner", "Partenaire"


class Periodicity(models.TextChoices):
    ANNUAL = "annual", "Annuel"
    ONE_OFF = "one_off", "Ponctuel"
    CUMULATIVE = "cumulative", "Cumulé"


class BudgetKind(models.TextChoices):
    PLANNED = "planned", "Prévu"
    ACTUAL = "actual", "Réalisé"


class BudgetNature(models.TextChoices):
    INVESTMENT = "investment", "Investissement"
    OPERATING = "operating", "Fonctionnement"
    UNKNOWN = "unknown", "Non précisé"


class Direction(models.TextChoices):
    INCREASE = "increase", "À la hausse (plus c'est haut, mieux c'est)"
    DECREASE = "decrease", "À la baisse (plus c'est bas, mieux c'est)"


class MeasurementMethod(models.TextChoices):
    MANUAL = "manual", "Saisie manuelle"
    COMPUTED = "computed", "Calculé"


class Counting(models.TextChoices):
    """What a computed indicator counts when its source offers both (see `sources.py`)."""

    SESSIONS = "sessions", "Séances (chaque venue compte)"
    PEOPLE = "people", "Personnes distinctes"


class TargetKind(models.TextChoices):
    INITIAL = "initial", "Valeur initiale"
    INTERMEDIATE = "intermediate", "Valeur intermédiaire"
    FINAL = "final", "Valeur finale"


class Comparator(models.TextChoices):
    """A qualifier written before a figure ("plus de 4 millions", "environ 41 000")."""

    GT = ">", "plus de"
    GTE = ">=", "au moins"
    APPROX = "~", "environ"
    LT = "<", "moins de"
    LTE = "<=", "au plus"


class ImportOutcome(models.TextChoices):
    CREATED = "created", "créée"
    UPDATED = "updated", "mise à jour"
    UNCHANGED = "unchanged", "inchangée"


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Saisie"
    COMPUTED = "computed", "Calcul"
    IMPORT = "import", "Import"
    SERIES = "series", "Série importée"


class BulkUpdateKind(models.TextChoices):
    WORKBOOK = "workbook", "Classeur du schéma"
    SERIES = "series", "Séries de valeurs"


class MeetingBody(models.TextChoices):
    COPIL = "copil", "Comité de pilotage"
    COTECH = "cotech", "Comité technique"
    NETWORK = "network", "Réunion de réseau"
    OTHER = "other", "Autre réunion"


class ProgressStatus(models.TextChoices):
    ACHIEVED = "achieved", "Cible atteinte"
    ON_TRACK = "on_track", "Dans les temps"
    LATE = "late", "En retard"
    NO_DATA = "no_data", "Pas de données"


PROGRESS_STATUS_BADGE = {
    ProgressStatus.ACHIEVED: "success",
    ProgressStatus.ON_TRACK: "info",
    ProgressStatus.LATE: "warning",
    ProgressStatus.NO_DATA: "new",
}

# Accessibility dimensions: field name on ActionSheet → label in the source document.
DIMENSIONS: dict[str, str] = {
    "physical": "Physique",
    "digital": "Numérique",
    "schedule": "Horaire",
    "pooling": "Mutualisation",
}


# Messages
MSG_TRANSITION_FORBIDDEN = "Passage du statut « {old} » au statut « {new} » non autorisé."
MSG_TARGET_VALUE_REQUIRED = "Indiquez une valeur chiffrée ou un libellé."
MSG_MEASUREMENT_RECORDED = "Mesure enregistrée : {value} au {date}."
MSG_MEASUREMENT_COMPUTED = "Valeur recalculée : {value} au {date}."
MSG_MEASUREMENT_NO_DATA = (
    "Pas encore de données pour calculer cet indicateur : rien n'est enregistré."
)
MSG_BINDING_SAVED = "Source du calcul enregistrée."
MSG_SHEET_SAVED = "Fiche enregistrée."
MSG_MEETING_SAVED = "Réunion enregistrée."
MSG_MEETING_DELETED = "Réunion supprimée."
ERR_MEETING_SHEETS_REQUIRED = "Cochez au moins une des fiches que vous pilotez."
MSG_IMPORT_APPLIED = "{count} modification(s) appliquée(s)."
MSG_IMPORT_NOTHING = "Aucune modification à appliquer."
MSG_IMPORT_STALE = (
    "La fiche {ref} a changé depuis l'aperçu ({field}) : recommencez l'import pour la "
    "mettre à jour."
)
MSG_SERIES_STALE = "« {indicator} » : la {date} a changé depuis l'aperçu ; recommencez l'import."
MSG_IMPORT_BAD_FILE = "Le fichier n'est pas un classeur XLSX lisible : {error}"
MSG_IMPORT_MISSING_SHEET = "Le classeur ne contient pas d'onglet « {name} »."
MSG_IMPORT_UNKNOWN_REF = "la fiche « {ref} » n'existe pas dans ce schéma."
MSG_IMPORT_FORBIDDEN = "Ligne {row} : vous ne pouvez pas modifier la fiche {ref}."
# Workbook errors follow "Onglet « … », ligne N, colonne X « … » : " (`bulk._at`).
MSG_IMPORT_BAD_CELL = "valeur « {value} » invalide ({error})."
MSG_IMPORT_NOT_YOURS = "vous ne pouvez pas modifier la fiche {ref}."
MSG_IMPORT_UNKNOWN_INDICATOR_CELL = "l'indicateur n° {pk} n'appartient pas à ce schéma."
MSG_IMPORT_BAD_VALUE = "Ligne {row}, colonne « {column} » : valeur « {value} » invalide ({error})."
MSG_NO_CHANGE = "Aucun changement."
# The preview's "Élément" column for a change of the sheet's own fields (not an indicator's).
BULK_SHEET_ELEMENT = "Fiche"

# Importing sheet documents (`importer/`, command `import_sheets`)
IMPORT_DEFAULT_BUDGET_LABEL = "Coût de l'action"
IMPORT_UNKNOWN_FUNDER = "Financeur non précisé"
IMPORT_DOCUMENT_REFUSED = "Document {name} refusé, rien n'a été enregistré ({count} erreur(s)) :"
IMPORT_TOO_LONG = "{what} trop long ({length} caractères, {limit} au plus) : « {text} »"
IMPORT_DUPLICATE_INDICATOR = "indicateur « {label} » en double (déjà ligne {line})"
IMPORT_DUPLICATE_TARGET = "{kind} en double pour l'indicateur « {label} » (déjà ligne {line})"
IMPORT_DUPLICATE_MEASUREMENT = (
    "deux mesures pour {year} de l'indicateur « {label} » (déjà ligne {line})"
)
IMPORT_FUTURE_MEASUREMENT = "mesure de l'indicateur « {label} » datée de {year}, dans le futur"
IMPORT_NUMBER_TOO_LARGE = "{what} hors des limites enregistrables : {value}"
IMPORT_INDICATOR_KEPT = (
    "indicateur « {label} » absent du document, conservé : il porte des mesures saisies"
)

# An indicator counts (whole values only) when its label or unit says so (`Indicator.is_count`).
COUNT_LABEL_STARTS = ("nombre ", "nombre d", "nb ")
COUNT_UNITS = frozenset(
    {
        "nombre",
        "personnes",
        "usagers",
        "bénéficiaires",
        "points",
        "lieux",
        "lignes",
        "prises",
        "communes",
        "ateliers",
        "participants",
        "comptes",
        "opérateurs",
        "documents",
        "images",
        "consultations",
        "visites",
        "contacts",
        "rencontres",
        "membres",
    }
)
ERR_COUNT_DECIMAL = "Cet indicateur compte des unités : saisissez un nombre entier, sans décimale."
ERR_SAME_DATE = (
    "Une valeur existe déjà au {date} ({value}). Cochez « Remplacer la valeur de cette date » "
    "pour la corriger, ou choisissez une autre date."
)
ERR_COMPUTED_NOT_EDITABLE = (
    "Une valeur calculée ne se corrige pas à la main : recalculez l'indicateur."
)
MSG_MEASUREMENT_CORRECTED = "Mesure corrigée (l'ancienne valeur reste dans l'historique)."
MSG_MEASUREMENT_DELETED = "Mesure supprimée (elle reste dans l'historique de la fiche)."
