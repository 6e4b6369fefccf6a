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
