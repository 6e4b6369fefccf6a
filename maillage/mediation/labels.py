"""Every French label and message of the mediation app, in one place.

The activity model follows La Coop de la médiation numérique (the national tool for
mediators): three kinds of activity, the same themes, equipment, autonomy levels and
orientation. Stored values are English and stable; labels are what people read.
"""

from django.db import models


class AccompanimentKind(models.TextChoices):
    INDIVIDUAL = "individual", "Accompagnement individuel"
    COLLECTIVE = "collective", "Atelier collectif"
    PROCEDURE = "procedure", "Aide aux démarches administratives"


class LocationKind(models.TextChoices):
    PLACE = "place", "Dans un lieu d'accueil"
    HOME = "home", "À domicile"
    REMOTE = "remote", "À distance (téléphone, visio)"


class Theme(models.TextChoices):
    # Learning (La Coop's "thématiques d'accompagnement")
    BASICS = "basics", "Prendre en main un ordinateur, une tablette (les bases)"
    SMARTPHONE = "smartphone", "Prendre en main un smartphone"
    EMAIL = "email", "Courriels"
    INTERNET = "internet", "Naviguer sur internet"
    SAFETY = "safety", "Sécurité en ligne, arnaques, mots de passe"
    EQUIPMENT_CHOICE = "equipment_choice", "Choisir et acheter un équipement"
    FILES = "files", "Gérer ses fichiers et documents"
    OFFICE = "office", "Bureautique (traitement de texte, tableur)"
    SOCIAL = "social", "Réseaux sociaux, communiquer avec ses proches"
    JOB_SEARCH_TOOLS = "job_tools", "Outils numériques pour l'emploi (CV, candidature)"
    BUSINESS = "business", "Numérique pour son activité (travailleur indépendant)"
    MOBILITY = "mobility", "Mobilité : trajets, transport à la demande, permis"
    # Online procedures ("aide aux démarches administratives")
    TAXES = "taxes", "Démarche : impôts"
    HEALTH = "health", "Démarche : assurance maladie (ameli)"
    CAF = "caf", "Démarche : Caf (prestations familiales, logement)"
    MSA = "msa", "Démarche : MSA (espace privé)"
    PENSION = "pension", "Démarche : retraite"
    JOB_SEARCH = "job_search", "Démarche : France Travail (recherche d'emploi)"
    ANTS = "ants", "Démarche : ANTS (papiers d'identité, permis, carte grise)"
    HOUSING = "housing", "Démarche : logement, énergie"
    JUSTICE = "justice", "Démarche : justice, droits"
    OTHER_PROCEDURE = "other_procedure", "Autre démarche en ligne"


PROCEDURE_THEMES = frozenset(
    {
        Theme.TAXES,
        Theme.HEALTH,
        Theme.CAF,
        Theme.MSA,
        Theme.PENSION,
        Theme.JOB_SEARCH,
        Theme.ANTS,
        Theme.HOUSING,
        Theme.JUSTICE,
        Theme.OTHER_PROCEDURE,
    }
)


class EquipmentUsed(models.TextChoices):
    COMPUTER = "computer", "Ordinateur"
    TABLET = "tablet", "Tablette"
    SMARTPHONE = "smartphone", "Smartphone"
    OWN_DEVICE = "own_device", "Matériel de la personne"
    OTHER = "other", "Autre matériel"


class HomeEquipment(models.TextChoices):
    COMPUTER = "computer", "Ordinateur"
    TABLET = "tablet", "Tablette"
    SMARTPHONE = "smartphone", "Smartphone"
    BASIC_PHONE = "basic_phone", "Téléphone simple"
    NONE = "none", "Aucun équipement"


class Connection(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    FIXED = "fixed", "Internet fixe (box)"
    MOBILE_ONLY = "mobile_only", "Seulement par le téléphone mobile"
    NONE = "none", "Pas de connexion"


class Autonomy(models.TextChoices):
    """La Coop's "niveau d'autonomie" of the person in the activity."""

    UNKNOWN = "", "Non renseigné"
    DONE_FOR = "done_for", "Entièrement accompagné (fait pour la personne)"
    PARTIAL = "partial", "Partiellement autonome (fait avec la personne)"
    AUTONOMOUS = "autonomous", "Autonome"


AUTONOMY_RANK = {Autonomy.DONE_FOR: 1, Autonomy.PARTIAL: 2, Autonomy.AUTONOMOUS: 3}


class Situation(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    RETIRED = "retired", "Retraité"
    JOBSEEKER = "jobseeker", "Demandeur d'emploi"
    RSA = "rsa", "Allocataire du rSa"
    EMPLOYEE = "employee", "Salarié"
    SELF_EMPLOYED = "self_employed", "Travailleur indépendant"
    STUDENT = "student", "Étudiant, élève"
    OTHER = "other", "Autre situation"


class AgeBand(models.TextChoices):
    UNKNOWN = "", "Non renseigné"
    UNDER_18 = "u18", "Moins de 18 ans"
    A18_24 = "18-24", "18 à 24 ans"
    A25_39 = "25-39", "25 à 39 ans"
    A40_59 = "40-59", "40 à 59 ans"
    A60_69 = "60-69", "60 à 69 ans"
    A70_PLUS = "70+", "70 ans et plus"


# (upper bound of age, exclusive) → band, in order.
AGE_BANDS = (
    (18, AgeBand.UNDER_18),
    (25, AgeBand.A18_24),
    (40, AgeBand.A25_39),
    (60, AgeBand.A40_59),
    (70, AgeBand.A60_69),
    (200, AgeBand.A70_PLUS),
)


class OutcomeKind(models.TextChoices):
    JOINED_COLLECTIVE = "joined_collective", "A rejoint les cours collectifs"
    EQUIPPED = "equipped", "S'est équipé (achat ou don d'un équipement)"
    ONLINE_ACCOUNT = "online_account", "A créé un compte en ligne"
    AUTONOMY = "autonomy", "A progressé en autonomie"
    REVENUE_BAND = "revenue_band", "Chiffre d'affaires : changement de tranche"


class EquipmentMeans(models.TextChoices):
    UNKNOWN = "", "Non précisé"
    BOUGHT = "bought", "Acheté"
    RECEIVED = "received", "Reçu (don, prêt, reconditionné)"


class OnlineAccount(models.TextChoices):
    UNKNOWN = "", "Non précisé"
    MSA = "msa", "Espace privé MSA"
    CAF = "caf", "Compte Caf"
    AMELI = "ameli", "Compte ameli"
    TAXES = "taxes", "Espace particulier impots.gouv.fr"
    ANTS = "ants", "Compte ANTS"
    FRANCE_TRAVAIL = "france_travail", "Espace France Travail"
    FRANCE_CONNECT = "france_connect", "FranceConnect"
    EMAIL = "email", "Adresse électronique"
    OTHER = "other", "Autre compte"


class RevenueBand(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    NONE = "0", "Pas de chiffre d'affaires"
    UNDER_500 = "1-500", "Moins de 500 € par mois"
    UNDER_1000 = "500-1000", "500 à 1 000 € par mois"
    UNDER_2000 = "1000-2000", "1 000 à 2 000 € par mois"
    OVER_2000 = "2000+", "Plus de 2 000 € par mois"


class SubscriptionKind(models.TextChoices):
    MEMBERSHIP = "membership", "Adhésion annuelle"
    SEMESTER = "semester", "Ateliers du semestre"
    FREE_TRACK = "free_track", "Service étendu gratuit (domicile, transport)"


class PaymentMethod(models.TextChoices):
    UNPAID = "", "Non réglé"
    CASH = "cash", "Espèces"
    CHEQUE = "cheque", "Chèque"
    CARD = "card", "Carte bancaire"
    TRANSFER = "transfer", "Virement"
    FREE = "free", "Gratuit"


# Fees of the Espace Numérique Sud Charente (sheet Num01): 30 € membership + 35 € a semester.
DEFAULT_FEES = {
    SubscriptionKind.MEMBERSHIP: "30.00",
    SubscriptionKind.SEMESTER: "35.00",
    SubscriptionKind.FREE_TRACK: "0.00",
}


class Counting(models.TextChoices):
    SESSIONS = "sessions", "Séances (chaque venue compte)"
    PEOPLE = "people", "Personnes distinctes"


class LogAction(models.TextChoices):
    VIEWED = "viewed", "Consultation de la fiche"
    CREATED = "created", "Création"
    UPDATED = "updated", "Modification"
    MERGED_INTO = "merged_into", "Fusionnée dans une autre fiche"
    MERGED_FROM = "merged_from", "A reçu une fiche fusionnée"
    EXPORTED = "exported", "Export des données (droit d'accès)"
    ERASED = "erased", "Effacement des données personnelles"
    RECEIPT = "receipt", "Reçu téléchargé"


# Messages
MSG_BENEFICIARY_SAVED = "Fiche du bénéficiaire {code} enregistrée."
MSG_ACCOMPANIMENT_SAVED = "Accompagnement du {date} enregistré."
MSG_MERGED = "La fiche {duplicate} a été fusionnée dans {target} : ses accompagnements suivent."
MSG_ERASED = "Les données personnelles de {code} ont été effacées ; les statistiques restent."
MSG_OUTCOME_SAVED = "Suivi enregistré."
MSG_SUBSCRIPTION_SAVED = "{label} enregistrée."
MSG_FROM_ATTENDANCE = "Accompagnement créé depuis le rendez-vous : {count} participant(s)."
MSG_ALREADY_FROM_ATTENDANCE = "Cet accompagnement existait déjà : rien n'a été ajouté."
MSG_RETENTION = "{count} fiche(s) inactive(s) depuis {months} mois effacée(s)."
ERR_CONTACT_WITHOUT_CONSENT = (
    "Le nom, le téléphone et le courriel ne sont enregistrés qu'avec l'accord de la personne : "
    "cochez la case du consentement ou laissez ces champs vides."
)
ERR_BIRTH_YEAR = "Année de naissance invraisemblable."
ERR_PLACE_REQUIRED = "Choisissez le lieu de l'accompagnement."
ERR_INDIVIDUAL_ONE_PERSON = "Un accompagnement individuel concerne une seule personne."
ERR_NO_PARTICIPANT = "Indiquez au moins un participant (nommé ou compté)."
ERR_OTHER_ORGANISATION = "Cette fiche appartient à une autre organisation."
ERR_MERGE_SELF = "Une fiche ne peut pas être fusionnée avec elle-même."
ERR_MERGE_MERGED = "Cette fiche a déjà été fusionnée."
ERR_ERASED = "Cette fiche a été effacée."
ERR_FUTURE_DATE = "La date ne peut pas être dans le futur."
ERR_ATTENDANCE_NOT_YET = (
    "Ce rendez-vous n'a pas encore eu lieu : l'accompagnement s'enregistre une fois qu'il a eu "
    "lieu."
)
ERR_UNKNOWN_SOURCE = "Origine inconnue : {source}."
ERR_REVENUE_BANDS = "Indiquez la tranche avant et après."
ERR_ACCOUNT = "Précisez le compte créé."

NOTE_HINT = (
    "Ce qui aide à reprendre l'accompagnement. Pas de données de santé ni de numéro de "
    "sécurité sociale."
)
ERASED_TEXT = "[effacé]"
PUBLIC_MASK = "< {threshold}"
PUBLIC_MASK_NOTE = (
    "Pour que personne ne puisse être reconnu, les effectifs inférieurs à {threshold} ne sont "
    "pas affichés (« < {threshold} »)."
)
DEMO_NOTE = "Données de démonstration : personnes et accompagnements fictifs."
MSG_ACCOMPANIMENT_CORRECTED = (
    "Accompagnement corrigé (la version précédente reste dans l'historique)."
)
MSG_ACCOMPANIMENT_DELETED = (
    "Accompagnement supprimé : il ne compte plus dans les statistiques (l'historique le garde)."
)
