"""A small locator map: the commune's contour inside its département, as SVG paths.

Drawn on the server so that it needs neither JavaScript nor map tiles. Longitudes are scaled
by the cosine of the mean latitude, which is accurate enough at the scale of a département.
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
    frame = departement_contour or commune_contour
    points = [point for ring in _rings(frame) for point in ring]
    if not points:
        return None
    west = min(p[0] for p in points)
    east = max(p[0] for p in points)
    south = min(p[1] for p in points)
    north = max(p[1] for p in points)
    x_scale = math.cos(math.radians((north + south) / 2))
    scale = (SIZE - 2 * MARGIN) / max((east - west) * x_scale, north - south, 1e-9)
    width = round((east - west) * x_scale * scale + 2 * MARGIN)
    height = round((north - south) * scale + 2 * MARGIN)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round((lon - west) * x_scale * scale + MARGIN, 1),
            round((north - lat) * scale + MARGIN, 1),
        )

    def path(geometry: dict | None) -> str:
        if not geometry:
            return ""
        parts = []
        for ring in _rings(geometry):
            coordinates = " ".join(
                "{:.1f},{:.1f}".format(*project(lon, lat)) for lon, lat, *_ in ring
            )
            parts.append(f"M{coordinates}Z")
        return "".join(parts)

    return LocatorMap(
        view_box=f"0 0 {width} {height}",
        commune_path=path(commune_contour),
        departement_path=path(departement_contour),
        marker_x=project(*marker)[0],
        marker_y=project(*marker)[1],
    )
