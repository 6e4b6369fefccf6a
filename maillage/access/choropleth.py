"""The communes of the département coloured by their time to help, as SVG drawn on the server.

The same approach as the broadband map (`territory.drawing.Projection`, contours shipped with
Maillage): no tiles, no JavaScript, no outside network. Colours come from **cividis**, made for
people with any common colour-vision deficiency: one hue ramp from light yellow (near) to dark
blue (far), each class also differing in lightness so that the map survives grey-scale
printing. Communes with no place at all (or none open, or no free slot) are hatched, not
coloured, and communes without a figure (not computed yet, or the nearest place's hours
unknown) are left blank: neither is mistaken for a class.

`class_of` is the one rule that puts a value in a class: the map, its legend, the table and the
downloads all call it, so they cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from maillage.territory.drawing import Projection
from maillage.territory.models import Commune

# cividis at 1, 0.75, 0.5, 0.25 and 0 (matplotlib's table): light is near, dark is far.
PALETTE = ("#fee838", "#bbad6d", "#7d7c78", "#434e6c", "#00224e")
HATCHED = "hatched"  # fill of a commune with no suitable place (infinite value)
BLANK = "blank"  # fill of a commune not computed


@dataclass(frozen=True)
class Scale:
    """Four whole upper bounds (included) cut the values into five classes.

    Values are shown rounded *up* to a whole number (`shown_whole`): 10.4 minutes reads
    "11 min", so a value is within a bound exactly when its shown number is, and the classes,
    the table and the population figures ("within 10 minutes" counts 10.0, not 10.4) agree.
    """

    bounds: tuple[int, int, int, int]
    unit: str  # "min", "j"
    none_label: str  # label of the infinite value, e.g. "aucun lieu"

    def labels(self) -> list[str]:
        b, unit = self.bounds, self.unit
        return [
            f"{b[0]} {unit} ou moins",
            *(f"{low + 1} à {high} {unit}" for low, high in pairwise(b)),
            f"plus de {b[-1]} {unit}",
        ]


def shown_whole(value: float) -> int:
    """The whole number a finite value is shown as (rounded up, never below 0)."""
    return max(0, math.ceil(value))


MINUTES = Scale((10, 15, 20, 30), "min", "aucun lieu")
DAYS = Scale((2, 7, 14, 30), "j", "aucun créneau")
NOT_COMPUTED = "pas de chiffre"


@dataclass(frozen=True)
class ValueClass:
    """Where a value falls: `index` in the scale (0 nearest), or a hatched / blank state."""

    index: int | None
    label: str
    fill: str  # a colour, HATCHED or BLANK

    @property
    def hatched(self) -> bool:
        return self.fill == HATCHED

    @property
    def blank(self) -> bool:
        return self.fill == BLANK


def class_of(value: float | None, scale: Scale) -> ValueClass:
    """The class of `value`: None is not computed, infinity is "no place" (hatched)."""
    if value is None:
        return ValueClass(None, NOT_COMPUTED, BLANK)
    if math.isinf(value):
        return ValueClass(None, scale.none_label, HATCHED)
    labels = scale.labels()
    for index, upper in enumerate(scale.bounds):
        if shown_whole(value) <= upper:
            return ValueClass(index, labels[index], PALETTE[index])
    return ValueClass(len(scale.bounds), labels[-1], PALETTE[-1])


def legend_classes(scale: Scale) -> list[ValueClass]:
    """Every class of the scale, nearest first, then the hatched and blank states."""
    return [
        *(
            ValueClass(index, label, fill)
            for index, (label, fill) in enumerate(zip(scale.labels(), PALETTE, strict=True))
        ),
        ValueClass(None, scale.none_label, HATCHED),
        ValueClass(None, NOT_COMPUTED, BLANK),
    ]


@dataclass(frozen=True)
class Shape:
    insee: str
    path: str
    value_class: ValueClass
    title: str  # "Brossac : 12 min"
    href: str


@dataclass(frozen=True)
class LegendEntry:
    value_class: ValueClass
    count: int


@dataclass(frozen=True)
class Choropleth:
    view_box: str
    outline: str
    shapes: list[Shape]
    legend: list[LegendEntry]


def _frame(communes: list[Commune], departement_contour: dict | None) -> dict:
    if departement_contour:
        return departement_contour
    return {
        "type": "MultiPolygon",
        "coordinates": [
            polygon
            for c in communes
            for polygon in (
                [c.contour["coordinates"]]
                if c.contour["type"] == "Polygon"
                else c.contour["coordinates"]
            )
        ],
    }


def draw(
    communes: Iterable[Commune],
    values: dict[str, float | None],
    scale: Scale,
    *,
    departement_contour: dict | None,
    shown: Callable[[float | None], str],
    href: Callable[[Commune], str],
) -> Choropleth | None:
    """The map of `values` (by INSEE code), or None when no commune has a contour.

    `shown` writes a value for the commune's tooltip, `href` is the commune's detail page.
    """
    drawn = [c for c in communes if c.contour]
    if not drawn:
        return None
    projection = Projection(_frame(drawn, departement_contour), size=560)
    classes = legend_classes(scale)
    counts = {entry.label: 0 for entry in classes}
    shapes = []
    for commune in drawn:
        value = values.get(commune.insee_code)
        value_class = class_of(value, scale)
        counts[value_class.label] += 1
        shapes.append(
            Shape(
                insee=commune.insee_code,
                path=projection.path(commune.contour),
                value_class=value_class,
                title=f"{commune.name} : {shown(value)}",
                href=href(commune),
            )
        )
    return Choropleth(
        view_box=projection.view_box,
        outline=projection.path(departement_contour) if departement_contour else "",
        shapes=shapes,
        legend=[LegendEntry(c, counts[c.label]) for c in classes],
    )
