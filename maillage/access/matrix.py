"""Travel times between many origins and many destinations, and the spatial index that keeps
them few.

`travel_minutes(origins, destinations)` is the rectangular matrix the access times and the
siting scenarios use. It asks the territory app's provider (`territory.travel.provider()`):
the offline estimate is computed for the whole matrix at once with numpy (the same formula as
`CrowFliesEstimate.trip`); a provider with a `table(sources, destinations)` method (OSRM) gets
one request per batch of origins; any other provider is asked origin by origin (`trips`).

`NearestIndex` (scipy's cKDTree on points projected to kilometres) finds the few nearest
destinations of each origin, so the exact times are computed on those only: nearest-place
travel for 35 000 communes and 10 000 places takes a fraction of a second (`bench/access.py`).
With the offline estimate the nearest by distance is the nearest by time (time grows with
distance); with a road router the index keeps a margin of candidates (`k`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from maillage.territory import travel
from maillage.territory.travel import CrowFliesEstimate, Point

EARTH_RADIUS_KM = travel.EARTH_RADIUS_KM
ORIGINS_PER_REQUEST = 50  # a routing table request covers this many origins


def project_km(points: Sequence[Point] | np.ndarray, reference_latitude: float | None = None):
    """(latitude, longitude) degrees → (x, y) kilometres on an equirectangular projection
    centred on `reference_latitude` (the points' mean by default): distances within a
    département or France stay within ~1 % of the great circle, enough to pick candidates."""
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    if reference_latitude is None:
        reference_latitude = float(array[:, 0].mean()) if len(array) else 46.5
    scale = math.cos(math.radians(reference_latitude))
    y = np.radians(array[:, 0]) * EARTH_RADIUS_KM
    x = np.radians(array[:, 1]) * EARTH_RADIUS_KM * scale
    return np.column_stack([x, y])


def great_circle_km_matrix(origins, destinations) -> np.ndarray:
    """Haversine distances (km), shape (len(origins), len(destinations))."""
    a = np.radians(np.asarray(origins, dtype=float).reshape(-1, 2))
    b = np.radians(np.asarray(destinations, dtype=float).reshape(-1, 2))
    lat1, lon1 = a[:, :1], a[:, 1:]
    lat2, lon2 = b[:, 0][None, :], b[:, 1][None, :]
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def estimate_minutes(km: np.ndarray, estimate: CrowFliesEstimate) -> np.ndarray:
    """`CrowFliesEstimate.trip`'s minutes for great-circle kilometres, element-wise."""
    road = km * estimate.detour_factor
    urban = np.minimum(road, estimate.urban_radius_km)
    return (urban / estimate.urban_speed_kmh + (road - urban) / estimate.speed_kmh) * 60


@dataclass(frozen=True)
class TravelMatrix:
    """Minutes and road kilometres from each origin (rows) to each destination (columns), and
    whether each figure is an estimate rather than a routed time."""

    minutes: np.ndarray
    km: np.ndarray
    estimated: np.ndarray  # bool


def travel_matrix(
    origins: Sequence[Point], destinations: Sequence[Point], *, provider=None
) -> TravelMatrix:
    """Travel from every origin to every destination with the territory's travel provider."""
    provider = provider or travel.provider()
    rows, columns = len(origins), len(destinations)
    if rows == 0 or columns == 0:
        empty = np.zeros((rows, columns))
        return TravelMatrix(empty, empty.copy(), np.ones((rows, columns), dtype=bool))
    if isinstance(provider, CrowFliesEstimate):
        km = great_circle_km_matrix(origins, destinations)
        return TravelMatrix(
            estimate_minutes(km, provider),
            km * provider.detour_factor,
            np.ones((rows, columns), dtype=bool),
        )
    minutes = np.empty((rows, columns))
    km = np.empty((rows, columns))
    estimated = np.empty((rows, columns), dtype=bool)
    table = getattr(provider, "table", None)
    if table is None:
        for row, origin in enumerate(origins):
            _fill(minutes, km, estimated, row, 0, provider.trips(origin, list(destinations)))
        return TravelMatrix(minutes, km, estimated)
    origin_step, destination_step = table_batches(columns)
    for first in range(0, rows, origin_step):
        batch = list(origins[first : first + origin_step])
        for start in range(0, columns, destination_step):
            trips_rows = table(batch, list(destinations[start : start + destination_step]))
            for offset, trips in enumerate(trips_rows):
                _fill(minutes, km, estimated, first + offset, start, trips)
    return TravelMatrix(minutes, km, estimated)


def table_batches(destinations: int) -> tuple[int, int]:
    """(origins, destinations) per table request so that both fit the routing server's
    `MAILLAGE_OSRM_MAX_TABLE_SIZE` coordinates (OSRM's `--max-table-size`, 100 by default):
    every destination in one request and as many origins as fit, else halves of the limit."""
    limit = max(2, int(getattr(settings, "MAILLAGE_OSRM_MAX_TABLE_SIZE", 100)))
    if destinations < limit:
        return max(1, min(ORIGINS_PER_REQUEST, limit - destinations)), max(1, destinations)
    return limit // 2, limit - limit // 2


def _fill(minutes, km, estimated, row: int, start: int, trips) -> None:
    stop = start + len(trips)
    minutes[row, start:stop] = [trip.minutes for trip in trips]
    km[row, start:stop] = [trip.km for trip in trips]
    estimated[row, start:stop] = [trip.estimated for trip in trips]


def travel_minutes(
    origins: Sequence[Point], destinations: Sequence[Point], *, provider=None
) -> np.ndarray:
    """Minutes from every origin (rows) to every destination (columns); see `travel_matrix`."""
    return travel_matrix(origins, destinations, provider=provider).minutes


class NearestIndex:
    """The destinations nearest to origins as the crow flies (cKDTree on projected km)."""

    def __init__(self, destinations: Sequence[Point], reference_latitude: float | None = None):
        self.destinations = np.asarray(destinations, dtype=float).reshape(-1, 2)
        self.reference_latitude = (
            reference_latitude
            if reference_latitude is not None
            else (float(self.destinations[:, 0].mean()) if len(self.destinations) else 46.5)
        )
        # scipy is imported here, on the first index, not with the module: the URL
        # configuration imports this module, and scipy costs more than half a second.
        from scipy.spatial import cKDTree

        self.tree = cKDTree(project_km(self.destinations, self.reference_latitude))

    def __len__(self) -> int:
        return len(self.destinations)

    def nearest(self, origins: Sequence[Point], k: int) -> np.ndarray:
        """Indices of the `k` nearest destinations of each origin, nearest first; shape
        (len(origins), min(k, len(destinations)))."""
        k = min(k, len(self))
        if k == 0:
            return np.zeros((len(origins), 0), dtype=int)
        _distances, indices = self.tree.query(
            project_km(origins, self.reference_latitude), k=k, workers=1
        )
        return np.asarray(indices, dtype=int).reshape(len(origins), k)

    def within_km(self, origins: Sequence[Point], radius_km: float) -> list[list[int]]:
        """Indices of the destinations within `radius_km` (crow flies) of each origin."""
        return self.tree.query_ball_point(
            project_km(origins, self.reference_latitude), r=radius_km, workers=1
        )


def nearest_travel(
    origins: Sequence[Point],
    destinations: Sequence[Point],
    *,
    k: int = 5,
    provider=None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each origin, the index of the quickest destination among its `k` nearest as the crow
    flies, and the minutes to it. (-1, inf) when there is no destination."""
    provider = provider or travel.provider()
    rows = len(origins)
    if not len(destinations):
        return np.full(rows, -1), np.full(rows, np.inf)
    index = NearestIndex(destinations)
    candidates = index.nearest(origins, k)
    origin_array = np.asarray(origins, dtype=float).reshape(-1, 2)
    if isinstance(provider, CrowFliesEstimate):
        chosen = index.destinations[candidates]  # (rows, k, 2)
        a = np.radians(origin_array)[:, None, :]
        b = np.radians(chosen)
        h = (
            np.sin((b[..., 0] - a[..., 0]) / 2) ** 2
            + np.cos(a[..., 0]) * np.cos(b[..., 0]) * np.sin((b[..., 1] - a[..., 1]) / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        minutes = estimate_minutes(km, provider)
    else:
        minutes = np.empty(candidates.shape)
        for row, (origin, columns) in enumerate(zip(origins, candidates, strict=True)):
            trips = provider.trips(origin, [tuple(index.destinations[c]) for c in columns])
            minutes[row] = [trip.minutes for trip in trips]
    best = minutes.argmin(axis=1)
    rows_range = np.arange(rows)
    return candidates[rows_range, best], minutes[rows_range, best]
