"""Indicator sources offered by the places app: name → documented computation at a date.

The plan's `Indicator` has `measurement_method = "computed"` and a `source_key`; a source key
names one of the entries below. Each source computes the value at a date (a `Decimal`), so
past values can be recomputed when places' opening and closing dates are corrected.

The plan's registry of sources (`maillage.plan.sources`) receives these entries through
`maillage.mediation.indicator_sources.register_all()`, which adapts each call to the
registry's `compute(filters, *, start, end)` by taking the value at `end` (counts of places
are stocks; people helped are counted from the beginning). For a count restricted to a
territory, `counts.open_places_count(kind, on=…, territory=INSEE code or EPCI SIREN)`.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import counts


@dataclass(frozen=True)
class Source:
    label: str
    compute: Callable[[dt.date], Decimal]
    description: str
    sheets: tuple[str, ...] = ()
    unit: str = ""

    def __call__(self, on: dt.date) -> Decimal:
        return self.compute(on)


def _count(function: Callable[[dt.date], int]) -> Callable[[dt.date], Decimal]:
    def compute(on: dt.date) -> Decimal:
        return Decimal(function(on))

    compute.__doc__ = function.__doc__
    return compute


SOURCES: dict[str, Source] = {
    "places.points_visio_open": Source(
        label="Points Visio ouverts",
        compute=_count(counts.points_visio_open),
        description="Nombre de lieux de type « Point Visio » ouverts à la date "
        "(ouverts ce jour-là ou avant, pas encore fermés).",
        sheets=("Num06",),
        unit="points",
    ),
    "places.library_mediation_points_open": Source(
        label="Points de médiation numérique en bibliothèque",
        compute=_count(counts.library_mediation_points_open),
        description="Nombre de bibliothèques du réseau départemental de lecture servant de "
        "point de médiation numérique à la date (cible : 15 en 2019, 59 en 2022).",
        sheets=("Num08",),
        unit="points de médiation",
    ),
    "places.cyber_cafes_open": Source(
        label="Cyber-cafés ouverts",
        compute=_count(counts.cyber_cafes_open),
        description="Nombre de cyber-cafés ouverts à la date (1 = le cyber-café est créé).",
        sheets=("Num04",),
    ),
    "places.visio_operators": Source(
        label="Opérateurs présents dans les Points Visio",
        compute=_count(counts.visio_operators_present),
        description="Nombre d'organismes partenaires (Caf, CPAM, MSA…) joignables depuis au "
        "moins un Point Visio ouvert à la date.",
        sheets=("Num06",),
        unit="opérateurs",
    ),
    "places.epn_open": Source(
        label="Espaces publics numériques ouverts",
        compute=_count(lambda on: counts.open_places_count("epn", on=on)),
        description="Nombre d'espaces publics numériques (lieux de type EPN) ouverts à la date.",
        sheets=("Num01",),
    ),
    "places.people_helped_digital": Source(
        label="Personnes accompagnées dans la médiation numérique (ligne de rappel)",
        compute=_count(counts.people_helped_digital),
        description="Demandes « être rappelé » au besoin numérique passées au statut « résolue », "
        "depuis l'ouverture de la ligne jusqu'à la date (chaque demande comptée une fois).",
        sheets=("Num05",),
        unit="personnes",
    ),
    "places.people_helped_mobility": Source(
        label="Personnes accompagnées dans la mobilité (ligne de rappel)",
        compute=_count(counts.people_helped_mobility),
        description="Demandes « être rappelé » au besoin de mobilité passées au statut "
        "« résolue », jusqu'à la date.",
        sheets=("Num05",),
        unit="personnes",
    ),
}
