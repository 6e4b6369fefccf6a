"""The communes of the département coloured by a share, as SVG drawn on the server.

Colours come from viridis, which people with any common colour-vision deficiency read in
order (dark → light), and every class also differs in lightness, so the map survives
grey-scale printing; communes without figures are hatched, not coloured. The page shows the
same numbers as a table: the map is never the only way to read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from maillage.territory.drawing import Projection
from maillage.territory.models import Commune

from .figures import CommuneFigure

# (upper bound excluded, label, fill, text colour on the legend swatch)
CLASSES = (
    (Decimal(10), "moins de 10 %", "#fde725"),
    (Decimal(25), "10 à 25 %", "#5ec962"),
    (Decimal(50), "25 à 50 %", "#21918c"),
    (Decimal(75), "50 à 75 %", "#3b528b"),
    (None, "75 % ou plus", "#440154"),
)
NO_DATA = "pas de données"


@dataclass(frozen=True)
class Shape:
    insee: str
    path: str
    fill: str  # a colour, or "" for the hatch pattern
    title: str


@dataclass(frozen=True)
class LegendEntry:
    label: str
    fill: str
    count: int


@dataclass(frozen=True)
class Choropleth:
    view_box: str
    outline: str
    shapes: list[Shape]
    legend: list[LegendEntry]


def class_of(share: Decimal | None) -> int | None:
    """Index in CLASSES of a share (percent), or None without data."""
    if share is None:
        return None
    for index, (upper, _label, _fill) in enumerate(CLASSES):
        if upper is None or share < upper:
            return index
    return len(CLASSES) - 1  # pragma: no cover - the last class has no upper bound


def _percent(share: Decimal) -> str:
    return f"{share:.1f}".replace(".", ",") + " %"


def draw(
    communes: list[Commune], figures: dict[str, CommuneFigure], departement_contour: dict | None
) -> Choropleth | None:
    """The map, or None when no commune has a contour."""
    drawn = [c for c in communes if c.contour]
    if not drawn:
        return None
    frame = departement_contour or {
        "type": "MultiPolygon",
        "coordinates": [
            polygon
            for c in drawn
            for polygon in (
                [c.contour["coordinates"]]
                if c.contour["type"] == "Polygon"
                else c.contour["coordinates"]
            )
        ],
    }
    projection = Projection(frame, size=560)
    counts = [0] * len(CLASSES)
    missing = 0
    shapes = []
    for commune in drawn:
        figure = figures.get(commune.insee_code)
        share = figure.share if figure else None
        index = class_of(share)
        if index is None:
            missing += 1
            fill, shown = "", NO_DATA
        else:
            counts[index] += 1
            fill, shown = CLASSES[index][2], _percent(share)
        shapes.append(
            Shape(
                commune.insee_code,
                projection.path(commune.contour),
                fill,
                f"{commune.name} : {shown}",
            )
        )
    legend = [
        LegendEntry(label, fill, count)
        for (_upper, label, fill), count in zip(CLASSES, counts, strict=True)
    ]
    legend.append(LegendEntry(NO_DATA, "", missing))
    return Choropleth(
        view_box=projection.view_box,
        outline=projection.path(departement_contour) if departement_contour else "",
        shapes=shapes,
        legend=legend,
    )
