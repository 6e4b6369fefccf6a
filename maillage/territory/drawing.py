"""Maps drawn on the server as SVG paths: a commune inside its département (the locator map),
or every commune of the département (the broadband map colours them).

Drawn on the server so that they need neither JavaScript nor map tiles. Longitudes are
scaled by the cosine of the mean latitude, which is accurate enough at the scale of a
département.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass

SIZE = 400  # width and height of the drawing's bounding box, in SVG units
MARGIN = 4


@dataclass(frozen=True)
class LocatorMap:
    view_box: str
    commune_path: str
    departement_path: str
    marker_x: float
    marker_y: float


def _rings(geometry: dict) -> Iterator[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


class Projection:
    """Fits a frame geometry into a `size`-wide box; projects points and geometries to SVG."""

    def __init__(self, frame: dict, *, size: int = SIZE, margin: int = MARGIN) -> None:
        points = [point for ring in _rings(frame) for point in ring]
        if not points:
            raise ValueError("empty frame")
        self.west = min(p[0] for p in points)
        east = max(p[0] for p in points)
        south = min(p[1] for p in points)
        self.north = max(p[1] for p in points)
        self.margin = margin
        self.x_scale = math.cos(math.radians((self.north + south) / 2))
        self.scale = (size - 2 * margin) / max(
            (east - self.west) * self.x_scale, self.north - south, 1e-9
        )
        self.width = round((east - self.west) * self.x_scale * self.scale + 2 * margin)
        self.height = round((self.north - south) * self.scale + 2 * margin)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round((lon - self.west) * self.x_scale * self.scale + self.margin, 1),
            round((self.north - lat) * self.scale + self.margin, 1),
        )

    def path(self, geometry: dict | None) -> str:
        """The SVG path data ("M…Z" per ring) of a Polygon or MultiPolygon."""
        if not geometry:
            return ""
        parts = []
        for ring in _rings(geometry):
            coordinates = " ".join(
                "{:.1f},{:.1f}".format(*self.point(lon, lat)) for lon, lat, *_ in ring
            )
            parts.append(f"M{coordinates}Z")
        return "".join(parts)


def locator_map(
    commune_contour: dict | None,
    departement_contour: dict | None,
    *,
    marker: tuple[float, float],
) -> LocatorMap | None:
    """The map of the commune within its département (or alone), or None without contour.

    `marker` (longitude, latitude) is a point inside the commune, circled so that small
    communes stay visible on the map of the whole département.
    """
    if not commune_contour:
        return None
    try:
        projection = Projection(departement_contour or commune_contour)
    except ValueError:
        return None
    marker_x, marker_y = projection.point(*marker)
    return LocatorMap(
        view_box=projection.view_box,
        commune_path=projection.path(commune_contour),
        departement_path=projection.path(departement_contour),
        marker_x=marker_x,
        marker_y=marker_y,
    )
