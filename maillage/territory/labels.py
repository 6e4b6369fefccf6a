"""User-facing texts of the territory app, kept in one place."""

from django.db import models

# Search
SEARCH_LABEL = "Nom de la commune ou code postal"
SEARCH_HINT = "Par exemple : Saint-Séverin, st severin, 16390 ou Angoulême."
NO_RESULT = (
    "Aucune commune ne correspond à « {query} ». Vérifiez l'orthographe ou essayez le code postal."
)
TOO_MANY_RESULTS = (
    "Seules les {limit} premières communes sont affichées : précisez votre recherche."
)

# Import: what a column was expected to hold.
EXPECTED_INTEGER = "nombre entier attendu"
EXPECTED_POSITIVE_INTEGER = "nombre entier positif ou nul attendu"
EXPECTED_DECIMAL = "nombre décimal attendu (point comme séparateur)"
EXPECTED_LATITUDE = "latitude en degrés entre -90 et 90 attendue"
EXPECTED_LONGITUDE = "longitude en degrés entre -180 et 180 attendue"
EXPECTED_INSEE_CODE = "code INSEE à 5 caractères du département {departement} attendu"
EXPECTED_NAME = "nom non vide attendu"
EXPECTED_SIREN = "numéro SIREN à 9 chiffres attendu (ou vide si la commune n'a pas d'EPCI)"
EXPECTED_EPCI_NAME = "nom de l'EPCI attendu puisque le SIREN est renseigné"
EXPECTED_POSTCODES = "un ou plusieurs codes postaux à 5 chiffres, séparés par des espaces, attendus"
EXPECTED_FORMER_CODES = "codes INSEE à 5 caractères séparés par des espaces attendus"
EXPECTED_FLAG = "0 ou 1 attendu"
DUPLICATE_CODE = "code INSEE {code} déjà présent ligne {line}"
EPCI_NAME_CONFLICT = "l'EPCI {siren} s'appelle « {other} » ligne {line}, reçu « {name} »"
MISSING_COLUMNS = "colonne(s) obligatoire(s) absente(s) : {columns}"
EMPTY_FILE = "le fichier ne contient aucune commune"
UNREADABLE_FILE = "fichier illisible : {reason}"
NOT_UTF8 = "le fichier doit être encodé en UTF-8"
GEOJSON_EXPECTED = "GeoJSON attendu : {reason}"
CONTOUR_CODE_MISSING = "propriété « code » (code INSEE) absente"
CONTOUR_GEOMETRY = "géométrie Polygon ou MultiPolygon attendue, reçu {received}"
CONTOUR_UNKNOWN_CODE = "commune {code} absente du fichier CSV"
CONTOUR_DUPLICATE = "contour de la commune {code} déjà donné par l'objet n° {index}"
DEPARTEMENT_CODE = "code de département attendu (2 ou 3 caractères, ex. 16, 2A, 971), reçu {code!r}"
DEPARTEMENT_NAME = "nom du département attendu"


class ScopeLevel(models.TextChoices):
    """How far a text's territory reaches (an action sheet's "emprise géographique")."""

    DEPARTEMENT = "departement", "Département"
    EPCI = "epci", "Intercommunalité(s)"
    COMMUNES = "communes", "Commune(s)"
    OTHER = "other", "Autre"
