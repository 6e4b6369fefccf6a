"""Every user-facing message of the transport app, in French, in one place."""

from django.db import models


class UnservedReason(models.TextChoices):
    """Why the planner could not serve a ride request, in words a dispatcher can act on."""

    DIRECT_TRIP_TOO_LONG = (
        "direct_trip_too_long",
        "temps de trajet direct supérieur à la durée maximale de trajet",
    )
    WINDOWS_INCOMPATIBLE = (
        "windows_incompatible",
        "les horaires de prise en charge et de dépose sont incompatibles avec le temps de trajet",
    )
    PICKUP_WINDOW_UNREACHABLE = (
        "pickup_window_unreachable",
        "aucun véhicule ne peut respecter la fenêtre horaire de prise en charge",
    )
    CAPACITY = "capacity", "capacité insuffisante"
    SHIFT = (
        "shift",
        "aucun véhicule ne peut faire ce trajet dans son service (horaires ou durée maximale)",
    )
    NO_ROOM = (
        "no_room",
        "faisable seul, mais aucune tournée n'a de place à ce moment-là sans retarder "
        "d'autres usagers au-delà de leurs contraintes",
    )


# Load dimensions as people name them, for "capacité insuffisante (…)".
DIMENSION_LABELS = {
    "places": "places assises",
    "seats": "places assises",
    "wheelchairs": "fauteuil roulant",
    "wheelchair": "fauteuil roulant",
}
