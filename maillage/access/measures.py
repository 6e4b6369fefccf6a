"""What the public map can colour — one of a commune's figures, on a scale — and how each figure
reads in French.

The commune's figures (`coverage.CommuneFigure`) keep travel, waiting for opening and the delay
to an appointment apart; a measure picks one. Infinity means "none": no place of the kind
passes the filters (« aucun lieu »), the nearest never opens, or it has no free slot in the
horizon (« aucun créneau »). None means "no figure" (the nearest place's hours are unknown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .choropleth import DAYS, MINUTES, Scale, shown_whole

NO_PLACE = "aucun lieu"
NO_SLOT = "aucun créneau"
NO_FIGURE = "—"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    scale: Scale
    attribute: str  # of coverage.CommuneFigure
    needs_appointment: bool = False

    def value(self, figure) -> float | None:
        """The figure's value for this measure (inf: none; None: unknown)."""
        has_place = (
            figure.best_place_id if self.attribute == "best_score_minutes" else figure.place_id
        )
        if has_place is None:
            return math.inf
        value = getattr(figure, self.attribute)
        if value is None and self.attribute == "appointment_days":
            return math.inf  # a place, but no free slot in the horizon
        return value

    def text(self, value: float | None) -> str:
        if self.scale is DAYS:
            return days_text(value, none=NO_SLOT)
        return minutes_text(
            value, none=NO_SLOT if self.attribute == "waiting_minutes" else NO_PLACE
        )


MEASURES = (
    Measure("trajet", "Trajet jusqu'au lieu le plus proche", MINUTES, "travel_minutes"),
    Measure(
        "trajet-attente",
        "Trajet et attente de l'ouverture (meilleur lieu)",
        MINUTES,
        "best_score_minutes",
    ),
    Measure("attente", "Attente de l'ouverture au lieu le plus proche", MINUTES, "waiting_minutes"),
    Measure(
        "rendez-vous",
        "Délai du premier rendez-vous libre au lieu le plus proche",
        DAYS,
        "appointment_days",
        needs_appointment=True,
    ),
)
BY_KEY = {measure.key: measure for measure in MEASURES}


def minutes_text(value: float | None, *, none: str = NO_PLACE) -> str:
    """« 7 min », « 1 h 05 », « 2 j 3 h », rounded up to the minute; `none` for infinity,
    « — » for None."""
    if value is None:
        return NO_FIGURE
    if math.isinf(value):
        return none
    minutes = shown_whole(value)
    if minutes < 60:
        return f"{minutes}\u00a0min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}\u00a0h\u00a0{minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days}\u00a0j\u00a0{hours}\u00a0h" if hours else f"{days}\u00a0j"


def days_text(value: float | None, *, none: str = NO_SLOT) -> str:
    """« sous 3 jours », « sous 1 jour » (rounded up: a slot in 1.2 days is within 2 days);
    `none` for infinity, « — » for None."""
    if value is None:
        return NO_FIGURE
    if math.isinf(value):
        return none
    days = max(1, shown_whole(value))
    return f"sous {days}\u00a0jour{'s' if days > 1 else ''}"
