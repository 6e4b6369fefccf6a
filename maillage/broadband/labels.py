"""Every choice and user-facing message of the broadband app, in French, in one place.

Stored values are English and stable; labels are what people read.
"""

from django.db import models

from maillage.import_errors import Wording


class Dataset(models.TextChoices):
    """A family of counts for a commune and a quarter; each sums up its own way."""

    ACCESS = "access", "Meilleur accès disponible"
    ELIGIBILITY = "eligibility", "Éligibilité par technologie"
    SPEED_ALL = "speed_all", "Débits, toutes technologies"
    SPEED_TERRESTRIAL = "speed_terrestrial", "Débits, hors satellite"
    SPEED_WIRED = "speed_wired", "Débits, réseaux filaires"
    FTTH = "ftth", "Déploiement de la fibre (FttH)"


class Category(models.TextChoices):
    PREMISES = "premises", "Locaux"
    # Technologies: best available access (partition) or eligibility (overlapping).
    FTTH = "ftth", "Fibre jusqu'à l'abonné (FttH)"
    CABLE = "cable", "Câble coaxial"
    DSL = "dsl", "Cuivre (ADSL, VDSL2)"
    DSL_30 = "dsl_30", "Cuivre VDSL2/ADSL, 30 Mbit/s ou plus"
    DSL_8 = "dsl_8", "Cuivre VDSL2/ADSL, 8 à 30 Mbit/s"
    DSL_3 = "dsl_3", "Cuivre ADSL, 3 à 8 Mbit/s"
    DSL_SLOW = "dsl_slow", "Cuivre ADSL, moins de 3 Mbit/s"
    THD_RADIO = "thd_radio", "Très haut débit radio (THD radio)"
    FIXED_4G = "fixed_4g", "4G fixe"
    HD_RADIO = "hd_radio", "Haut débit radio"
    SATELLITE = "satellite", "Satellite"
    NONE = "none", "Aucun accès"
    OTHER = "other", "Accès plus lent ou aucun (détail non publié)"
    # Speed classes (partition of the premises).
    INELIGIBLE = "ineligible", "Inéligibles (moins de 0,5 Mbit/s)"
    BELOW_3 = "below_3", "0,5 à 3 Mbit/s"
    FROM_3 = "from_3", "3 à 8 Mbit/s"
    FROM_8 = "from_8", "8 à 30 Mbit/s"
    FROM_30 = "from_30", "30 à 100 Mbit/s"
    FROM_100 = "from_100", "100 Mbit/s ou plus"
    # FttH deployment.
    CONNECTABLE = "connectable", "Locaux raccordables à la fibre (FttH)"


ACCESS_CATEGORIES = (
    Category.FTTH,
    Category.CABLE,
    Category.DSL_30,
    Category.DSL_8,
    Category.DSL_3,
    Category.DSL_SLOW,
    Category.THD_RADIO,
    Category.FIXED_4G,
    Category.HD_RADIO,
    Category.SATELLITE,
    Category.NONE,
    Category.OTHER,
)
ELIGIBILITY_CATEGORIES = (
    Category.FTTH,
    Category.CABLE,
    Category.DSL,
    Category.THD_RADIO,
    Category.FIXED_4G,
    Category.HD_RADIO,
    Category.SATELLITE,
)
SPEED_CATEGORIES = (
    Category.INELIGIBLE,
    Category.BELOW_3,
    Category.FROM_3,
    Category.FROM_8,
    Category.FROM_30,
    Category.FROM_100,
)
SPEED_DATASETS = (Dataset.SPEED_ALL, Dataset.SPEED_TERRESTRIAL, Dataset.SPEED_WIRED)

# The categories each dataset holds, in the order people read them (premises first).
DATASET_CATEGORIES: dict[str, tuple[str, ...]] = {
    Dataset.ACCESS: (Category.PREMISES, *ACCESS_CATEGORIES),
    Dataset.ELIGIBILITY: (Category.PREMISES, *ELIGIBILITY_CATEGORIES),
    **dict.fromkeys(SPEED_DATASETS, (Category.PREMISES, *SPEED_CATEGORIES)),
    Dataset.FTTH: (Category.PREMISES, Category.CONNECTABLE),
}
# Datasets whose categories (premises aside) split the premises exactly.
PARTITIONS: dict[str, tuple[str, ...]] = {
    Dataset.ACCESS: ACCESS_CATEGORIES,
    **dict.fromkeys(SPEED_DATASETS, SPEED_CATEGORIES),
}

# Speed bases: the `basis` filter of the indicators and the map.
BASIS_DATASETS = {
    "all": Dataset.SPEED_ALL,
    "terrestrial": Dataset.SPEED_TERRESTRIAL,
    "wired": Dataset.SPEED_WIRED,
}


class Layout(models.TextChoices):
    """The file layouts an import reads (see `layouts.py`)."""

    MCI_TECHNO = "mci_techno", "Arcep « Ma connexion internet » — commune_techno.csv"
    MCI_BEST = "mci_best", "Arcep « Ma connexion internet » — commune_meilleure_techno_thd.csv"
    MCI_SPEED = "mci_speed", "Arcep « Ma connexion internet » — commune_debit.csv"
    MCI_SPEED_TERRESTRIAL = (
        "mci_speed_terrestrial",
        "Arcep « Ma connexion internet » — commune_debit_terrestre.csv",
    )
    MCI_SPEED_WIRED = (
        "mci_speed_wired",
        "Arcep « Ma connexion internet » — commune_debit_filaire.csv",
    )
    FTTH_OBSERVATORY = (
        "ftth_observatory",
        "Arcep, observatoire des déploiements — onglet « Communes » (locaux raccordables)",
    )
    RIP = "rip", "Modèle Maillage pour les données d'un opérateur de réseau d'initiative publique"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "En attente de lecture"
    READING = "reading", "Lecture en cours"
    READY = "ready", "Prêt à appliquer"
    REFUSED = "refused", "Refusé (erreurs)"
    APPLIED = "applied", "Appliqué"
    FAILED = "failed", "Échec de la lecture"


IMPORT_STATUS_BADGE = {
    ImportStatus.PENDING: "new",
    ImportStatus.READING: "info",
    ImportStatus.READY: "info",
    ImportStatus.REFUSED: "error",
    ImportStatus.APPLIED: "success",
    ImportStatus.FAILED: "error",
}


class Technology(models.TextChoices):
    """What a phase of works deploys."""

    FTTH = "ftth", "Fibre jusqu'à l'abonné (FttH)"
    COPPER_UPGRADE = "copper_upgrade", "Montée en débit du cuivre"
    RADIO = "radio", "Radio (THD radio, 4G fixe)"
    SATELLITE = "satellite", "Satellite"
    BACKHAUL = "backhaul", "Réseau de collecte"


# The measures the map colours communes by: key → (label, legend title, higher is better).
class MapMeasure(models.TextChoices):
    SLOW_WIRED = "lent-filaire", "Part des locaux à moins de 3 Mbit/s (réseaux filaires)"
    SLOW_ALL = "lent", "Part des locaux à moins de 3 Mbit/s (toutes technologies)"
    FTTH = "fibre", "Part des locaux raccordables à la fibre (FttH)"


# Messages
MSG_IMPORT_QUEUED = "Fichier reçu : la lecture commence. Cette page se met à jour seule."
MSG_IMPORT_APPLIED = (
    "Import appliqué : {created} valeur(s) ajoutée(s), {updated} modifiée(s), "
    "{unchanged} inchangée(s)."
)
MSG_IMPORT_NOT_READY = "Cet import ne peut pas être appliqué (état : {status})."
MSG_WORK_SAVED = "Chantier enregistré."
MSG_WORKS_IMPORTED = (
    "{created} chantier(s) ajouté(s), {updated} modifié(s), {unchanged} inchangé(s)."
)
DEMO_NOTE = (
    "Données de démonstration (valeurs fictives) : elles ne décrivent pas la Charente réelle."
)

# Import errors. Rows are numbered as a spreadsheet shows them (header = its own line).
ERR_FILE = "Fichier : {message}"
ERR_ROW = "Ligne {row} : {message}"
ERR_ROW_COLUMN = "Ligne {row}, colonne « {field} » : {message}"
# How this app's import errors say where they are (`maillage.import_errors`).
ROW_ERRORS = Wording(file=ERR_FILE, row=ERR_ROW, row_field=ERR_ROW_COLUMN)
ERR_TOO_LARGE = "fichier trop volumineux ({size} Mo, {limit} Mo au plus)."
ERR_TOO_MANY_ROWS = "trop de lignes (plus de {limit})."
ERR_UNCOMPRESSED = "classeur trop volumineux une fois décompressé ({size} Mo, {limit} Mo au plus)."
ERR_ENCODING = "encodage non reconnu (UTF-8 ou Windows-1252 attendu)."
ERR_EMPTY = "le fichier ne contient aucune ligne de données."
ERR_XLSX = "classeur XLSX illisible ({error})."
ERR_HEADER_NOT_FOUND = (
    "ligne d'en-tête introuvable : aucune cellule « {column} » dans les {rows} premières lignes."
)
ERR_LAYOUT_UNKNOWN = (
    "présentation non reconnue : les colonnes ne correspondent à aucun fichier connu "
    "(fichiers « Ma connexion internet » de l'Arcep, onglet « Communes » de l'observatoire "
    "des déploiements, modèle Maillage)."
)
ERR_MISSING_COLUMN = "colonne « {column} » manquante."
ERR_NO_QUARTER_COLUMN = "aucune colonne de trimestre (« T1 2024 »…) : rien à importer."
ERR_NO_ROW_HERE = "aucune ligne pour une commune du département {code}."
ERR_REQUIRED = "valeur obligatoire."
ERR_INTEGER = "nombre entier positif ou nul attendu, reçu « {value} »."
ERR_INSEE = "code INSEE de commune attendu (5 caractères, ex. 16015), reçu « {value} »."
ERR_UNKNOWN_COMMUNE = "commune {code} inconnue du référentiel (ni code actuel, ni code de 2018)."
ERR_QUARTER = "trimestre attendu (« T3 2024 », « 2024-T3 » ou 2024-09-30), reçu « {value} »."
ERR_FUTURE_QUARTER = "le trimestre {quarter} n'est pas encore terminé."
ERR_DUPLICATE = "la commune {code} apparaît deux fois{where} (déjà ligne {line})."
ERR_EXCEEDS = "{value} dépasse {other_column} ({other})."
ERR_DECREASING = (
    "{value} dépasse « {other_column} » ({other}) : les seuils de débit sont cumulatifs."
)
ERR_SUM = "la somme des colonnes {columns} ({total}) ne fait pas « {column} » ({value})."
ERR_GROUP_PARTIAL = "les colonnes {columns} vont ensemble : renseignez-les toutes ou aucune."
