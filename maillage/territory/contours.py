"""Contours made lighter for downloads: fewer points, shorter numbers.

The contours shipped with Maillage are already simplified for drawing; a GeoJSON download of
every commune (or of a whole country loaded with `import-communes`) is lighter still when each
ring keeps only the points that move it by more than `tolerance` degrees (Douglas–Peucker,
shapely's `simplify` with `preserve_topology`, so a ring never crosses itself or vanishes) and
coordinates keep five decimals (about a metre).

shapely (and numpy with it) is imported on the first contour made lighter, not with this
module, which the URL configuration imports.
"""

from __future__ import annotations

TOLERANCE_DEGREES = 0.0005  # about 55 m north–south, 40 m east–west at 45° N
DECIMALS = 5


def simplified(
    geometry: dict | None, *, tolerance: float = TOLERANCE_DEGREES, decimals: int = DECIMALS
) -> dict | None:
    """A lighter copy of a GeoJSON Polygon or MultiPolygon (None stays None)."""
    if not geometry:
        return None
    import shapely
    from shapely.geometry import mapping, shape

    lighter = shape(geometry).simplify(tolerance, preserve_topology=True)
    if lighter.is_empty:
        lighter = shape(geometry)
    rounded = shapely.set_precision(lighter, 10**-decimals)
    if rounded.is_empty:
        rounded = lighter
    result = mapping(rounded)
    return {"type": result["type"], "coordinates": _lists(result["coordinates"], decimals)}


def _lists(coordinates, decimals: int):
    """Tuples to lists, floats rounded (set_precision leaves binary noise: 45.12345000000001)."""
    if coordinates and isinstance(coordinates[0], float | int):
        return [round(value, decimals) for value in coordinates]
    return [_lists(part, decimals) for part in coordinates]


def point_count(geometry: dict | None) -> int:
    """How many positions a Polygon or MultiPolygon holds."""
    if not geometry:
        return 0
    import shapely
    from shapely.geometry import shape

    return int(shapely.get_num_coordinates(shape(geometry)))
