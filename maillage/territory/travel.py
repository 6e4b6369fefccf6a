"""Distances and travel times between points, behind one small interface.

`trips(origin, destinations)` and `matrix(points)` are what the apps call. The default estimate
needs no network: the great-circle distance, times a detour factor for the roads' bends, divided
by an average speed — slower near the origin (town streets), faster beyond (rural roads). A
routing engine implements the same `TravelTimeProvider` protocol: the OSRM client
(`territory/osrm.py`) is used when `MAILLAGE_OSRM_URL` is set, and falls back to the estimate
(trips marked `estimated`) when the server fails. `MAILLAGE_TRAVEL_PROVIDER` (dotted path of a
class) overrides both.

Settings (see `docs/places.md`):
  MAILLAGE_TRAVEL_DETOUR_FACTOR   road km per great-circle km (1.3)
  MAILLAGE_TRAVEL_SPEED_KMH       average speed on rural roads (50)
  MAILLAGE_TRAVEL_URBAN_SPEED_KMH average speed for the first kilometres (30)
  MAILLAGE_TRAVEL_URBAN_RADIUS_KM how many road kilometres count as town driving (3)
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

EARTH_RADIUS_KM = 6371.0088

Point = tuple[float, float]  # (latitude, longitude) in WGS84 degrees


def great_circle_km(a: Point, b: Point) -> float:
    """Distance along the Earth's surface (haversine formula), in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Trip:
    """An estimated trip: road kilometres and minutes, and whether it is an estimate."""

    km: float
    minutes: float
    estimated: bool = True

    @property
    def rounded_minutes(self) -> int:
        """Minutes for people: at least 1, rounded to 5 beyond 20 minutes."""
        if self.minutes < 20:
            return max(1, round(self.minutes))
        return int(5 * round(self.minutes / 5))


class TravelTimeProvider(Protocol):
    def trips(self, origin: Point, destinations: Sequence[Point]) -> list[Trip]: ...

    def matrix(self, points: Sequence[Point]) -> list[list[Trip]]: ...


class CrowFliesEstimate:
    """Great-circle distance × detour factor, at town speed first, then at rural speed."""

    def __init__(
        self,
        detour_factor: float | None = None,
        speed_kmh: float | None = None,
        urban_speed_kmh: float | None = None,
        urban_radius_km: float | None = None,
    ) -> None:
        self.detour_factor = detour_factor or getattr(
            settings, "MAILLAGE_TRAVEL_DETOUR_FACTOR", 1.3
        )
        self.speed_kmh = speed_kmh or getattr(settings, "MAILLAGE_TRAVEL_SPEED_KMH", 50.0)
        self.urban_speed_kmh = urban_speed_kmh or getattr(
            settings, "MAILLAGE_TRAVEL_URBAN_SPEED_KMH", 30.0
        )
        self.urban_radius_km = (
            urban_radius_km
            if urban_radius_km is not None
            else getattr(settings, "MAILLAGE_TRAVEL_URBAN_RADIUS_KM", 3.0)
        )

    def trip(self, origin: Point, destination: Point) -> Trip:
        km = great_circle_km(origin, destination) * self.detour_factor
        urban = min(km, self.urban_radius_km)
        hours = urban / self.urban_speed_kmh + (km - urban) / self.speed_kmh
        return Trip(km=km, minutes=hours * 60)

    def trips(self, origin: Point, destinations: Sequence[Point]) -> list[Trip]:
        return [self.trip(origin, destination) for destination in destinations]

    def matrix(self, points: Sequence[Point]) -> list[list[Trip]]:
        return [self.trips(origin, points) for origin in points]


ESTIMATE = "maillage.territory.travel.CrowFliesEstimate"
OSRM = "maillage.territory.osrm.OsrmTravelTimes"


@cache
def _provider_class(path: str):
    return import_string(path)


def provider_path() -> str:
    """The dotted path of the provider class: `MAILLAGE_TRAVEL_PROVIDER` if set, else OSRM when
    `MAILLAGE_OSRM_URL` is set, else the estimate. Providers are only ever loaded by this path,
    so this module imports none of them (they import it, for `Trip` and `Point`)."""
    if path := getattr(settings, "MAILLAGE_TRAVEL_PROVIDER", ""):
        return path
    return OSRM if getattr(settings, "MAILLAGE_OSRM_URL", "") else ESTIMATE


def provider() -> TravelTimeProvider:
    return _provider_class(provider_path())()


def trips(origin: Point, destinations: Sequence[Point]) -> list[Trip]:
    """Estimated trips from `origin` to each destination, in the same order."""
    return provider().trips(origin, destinations)


def matrix(points: Sequence[Point]) -> list[list[Trip]]:
    """Trips between every pair of points: `matrix(points)[i][j]` goes from i to j."""
    return provider().matrix(points)
