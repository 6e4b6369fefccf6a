"""Every French label and message of the access app, in one place."""

from django.db import models


class RunStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


NO_SLOT = "aucun créneau"
HOURS_UNKNOWN = "horaires inconnus"
NO_PLACE = "aucun lieu"
NO_APPOINTMENT = "aucun rendez-vous libre"


class CandidateSource(models.TextChoices):
    COMMUNES = "communes", "Chaque commune (sa mairie)"
    LIBRARIES = "libraries", "Chaque bibliothèque du réseau de lecture"
    PLACES = "places", "Chaque lieu existant"
    FILE = "file", "Une liste importée (CSV)"


class SitingObjective(models.TextChoices):
    COVERAGE = "coverage", "Couverture maximale (population à moins de T minutes)"
    MEDIAN = "median", "Temps de trajet moyen minimal (p-médiane)"


SITING_SOLVED_OPTIMAL = "optimum prouvé"
SITING_NOT_PROVEN = "optimum non prouvé (écart {gap})"
