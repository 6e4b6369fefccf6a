"""Before/after maps of a siting scenario: each commune coloured by the minutes to the nearest
open point, before and after the new points, drawn on the server (no tiles, no script) with
`territory.drawing.Projection`, like the broadband choropleth.

Colours come from viridis (read in order by people with any common colour-vision deficiency,
and different in lightness, so the maps survive grey-scale printing); communes that no point
reaches are hatched. The page gives the same figures as tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from maillage.territory.drawing import Projection
from maillage.territory.models import Commune, Departement

# (upper bound in minutes, included; label; fill)
CLASSES = (
    (10, "10 min ou moins", "#fde725"),
    (15, "de 10 à 15 min", "#5ec962"),
    (20, "de 15 à 20 min", "#21918c"),
    (30, "de 20 à 30 min", "#3b528b"),
    (None, "plus de 30 min", "#440154"),
)
UNREACHED = "aucun point accessible"


@dataclass(frozen=True)
class Shape:
    path: str
    fill: str  # "" for the hatch pattern
    title: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Legend:
    label: str
    fill: str
    before: int
    after: int


@dataclass(frozen=True)
class SitingMaps:
    view_box: str
    outline: str
    before: list[Shape]
    after: list[Shape]
    markers: list[Marker]
    legend: list[Legend]


def class_of(minutes: float | None) -> int | None:
    if minutes is None:
        return None
    for index, (upper, _label, _fill) in enumerate(CLASSES):
        if upper is None or minutes <= upper:
            return index
    return len(CLASSES) - 1  # pragma: no cover - the last class has no upper bound


def _shape(path: str, name: str, minutes: float | None) -> Shape:
    index = class_of(minutes)
    if index is None:
        return Shape(path, "", f"{name} : {UNREACHED}")
    shown = f"{minutes:.0f} min" if minutes >= 1 else "moins d'une minute"
    return Shape(path, CLASSES[index][2], f"{name} : {shown}")


def draw(result: dict) -> SitingMaps | None:
    """The two maps of a solved scenario, or None when no commune has a contour."""
    rows = {row["insee"]: row for row in result.get("communes", [])}
    communes = list(
        Commune.objects.filter(pk__in=rows, contour__isnull=False).only(
            "insee_code", "name", "contour", "departement_id"
        )
    )
    if not communes:
        return None
    departements = list(
        Departement.objects.filter(
            pk__in={c.departement_id for c in communes}, contour__isnull=False
        ).only("contour")
    )
    polygons = []
    for geometry in [d.contour for d in departements] or [c.contour for c in communes]:
        polygons += (
            [geometry["coordinates"]]
            if geometry["type"] == "Polygon"
            else list(geometry["coordinates"])
        )
    frame = {"type": "MultiPolygon", "coordinates": polygons}
    projection = Projection(frame, size=420)
    before, after = [], []
    counts_before = [0] * (len(CLASSES) + 1)
    counts_after = [0] * (len(CLASSES) + 1)
    for commune in communes:
        row = rows[commune.insee_code]
        path = projection.path(commune.contour)
        before.append(_shape(path, commune.name, row["before"]))
        after.append(_shape(path, commune.name, row["after"]))
        for counts, minutes in ((counts_before, row["before"]), (counts_after, row["after"])):
            index = class_of(minutes)
            counts[len(CLASSES) if index is None else index] += 1
    markers = []
    for site in result.get("new_sites", []):
        x, y = projection.point(site["longitude"], site["latitude"])
        markers.append(Marker(x, y, f"Nouveau point : {site['name']}"))
    legend = [
        Legend(label, fill, counts_before[index], counts_after[index])
        for index, (_upper, label, fill) in enumerate(CLASSES)
    ]
    legend.append(Legend(UNREACHED, "", counts_before[-1], counts_after[-1]))
    return SitingMaps(
        view_box=projection.view_box,
        outline="".join(projection.path(d.contour) for d in departements),
        before=before,
        after=after,
        markers=markers,
        legend=legend,
    )


def still_far(result: dict, limit: int | None = None) -> list[dict]:
    """Communes still beyond the threshold after the new points, farthest first."""
    threshold = result["minutes"]
    far = [
        row
        for row in result.get("communes", [])
        if row["after"] is None or row["after"] > threshold
    ]
    far.sort(key=lambda row: (row["after"] is not None, -(row["after"] or 0), row["name"]))
    return far[:limit] if limit else far


def newly_served(result: dict) -> list[dict]:
    """Communes brought within the threshold by the new points, most populated first."""
    threshold = result["minutes"]
    rows = [
        row
        for row in result.get("communes", [])
        if row["after"] is not None
        and row["after"] <= threshold
        and (row["before"] is None or row["before"] > threshold)
    ]
    return sorted(rows, key=lambda row: (-row["population"], row["name"]))
