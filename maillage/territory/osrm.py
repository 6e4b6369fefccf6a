"""A client for an OSRM routing server (table and route services) and its travel-time provider.

OSRM answers `GET {url}/table/v1/driving/{lon},{lat};{lon},{lat}…?annotations=duration,distance`
with `{"code": "Ok", "durations": [[s, …], …], "distances": [[m, …], …]}` and
`GET {url}/route/v1/driving/{lon},{lat};…?overview=full&geometries=geojson` with
`{"code": "Ok", "routes": [{"duration": s, "distance": m, "geometry": {…}}]}`; any other `code`
is an error with a `message`. Durations are seconds, distances metres, coordinates lon,lat.

Every failure — connection refused, timeout, HTTP error, JSON that is not JSON or not in that
shape — raises `OsrmError` with a plain message. `OsrmTravelTimes` (the provider chosen by
`territory.travel` when `MAILLAGE_OSRM_URL` is set) catches it, logs it and answers with the
offline estimate instead, so a planner never stops because the routing server is down; cells
OSRM cannot route (`null`) are estimated too. Estimated trips say so (`Trip.estimated`).
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from .travel import CrowFliesEstimate, Point, Trip

logger = logging.getLogger(__name__)


class OsrmError(Exception):
    """The routing server could not answer usefully (the message says why)."""


@dataclass(frozen=True)
class Route:
    seconds: float
    metres: float
    geometry: dict | None  # GeoJSON LineString (lon, lat) when asked for


def _coordinates(points: Sequence[Point]) -> str:
    return ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)


class OsrmClient:
    def __init__(self, url: str = "", timeout: float | None = None, profile: str = "driving"):
        self.url = (url or settings.MAILLAGE_OSRM_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.MAILLAGE_OSRM_TIMEOUT
        self.profile = profile
        if not self.url:
            raise OsrmError("aucun serveur OSRM configuré (MAILLAGE_OSRM_URL)")

    def _get(self, service: str, points: Sequence[Point], params: dict) -> dict:
        if len(points) < 2:
            raise OsrmError("il faut au moins deux points")
        query = urllib.parse.urlencode(params)
        address = f"{self.url}/{service}/v1/{self.profile}/{_coordinates(points)}?{query}"
        try:
            with urllib.request.urlopen(address, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            # OSRM answers 400 with a JSON body for bad requests (NoSegment, InvalidQuery…).
            raw = error.read()
            try:
                payload = json.loads(raw)
                detail = f"{payload.get('code')} : {payload.get('message', '')}"
            except (ValueError, AttributeError):
                detail = raw[:200].decode(errors="replace")
            raise OsrmError(f"OSRM a répondu HTTP {error.code} ({detail})") from error
        except TimeoutError as error:
            raise OsrmError(f"OSRM n'a pas répondu en {self.timeout:g} s") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise OsrmError(f"OSRM n'a pas répondu en {self.timeout:g} s") from error
            raise OsrmError(f"OSRM injoignable : {reason}") from error
        try:
            payload = json.loads(raw)
        except ValueError as error:
            raise OsrmError("réponse OSRM illisible (JSON invalide)") from error
        if not isinstance(payload, dict):
            raise OsrmError("réponse OSRM inattendue (pas un objet JSON)")
        if payload.get("code") != "Ok":
            raise OsrmError(f"OSRM : {payload.get('code')} {payload.get('message', '')}".strip())
        return payload

    def table(
        self,
        points: Sequence[Point],
        sources: Sequence[int] | None = None,
        destinations: Sequence[int] | None = None,
    ) -> tuple[list[list], list[list]]:
        """Durations (s) and distances (m) from each of `sources` to each of `destinations`
        (indices into `points`; all points by default); None where unroutable."""
        params = {"annotations": "duration,distance"}
        if sources is not None:
            params["sources"] = ";".join(str(i) for i in sources)
        if destinations is not None:
            params["destinations"] = ";".join(str(i) for i in destinations)
        payload = self._get("table", points, params)
        durations = payload.get("durations")
        distances = payload.get("distances")
        rows = len(points) if sources is None else len(sources)
        columns = len(points) if destinations is None else len(destinations)
        if not _rectangle(durations, rows, columns):
            raise OsrmError("réponse OSRM inattendue : matrice des durées absente ou mal formée")
        if distances is not None and not _rectangle(distances, rows, columns):
            raise OsrmError("réponse OSRM inattendue : matrice des distances mal formée")
        if distances is None:
            distances = [[None] * columns for _ in range(rows)]
        return durations, distances

    def route(self, points: Sequence[Point]) -> Route:
        """The fastest route through `points` in order, with its geometry (GeoJSON)."""
        payload = self._get("route", points, {"overview": "full", "geometries": "geojson"})
        routes = payload.get("routes")
        try:
            best = routes[0]
            return Route(
                seconds=float(best["duration"]),
                metres=float(best["distance"]),
                geometry=best.get("geometry") if isinstance(best.get("geometry"), dict) else None,
            )
        except (TypeError, KeyError, IndexError, ValueError) as error:
            raise OsrmError("réponse OSRM inattendue : aucun itinéraire lisible") from error


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rectangle(matrix, rows: int, columns: int) -> bool:
    return (
        isinstance(matrix, list)
        and len(matrix) == rows
        and all(
            isinstance(row, list)
            and len(row) == columns
            and all(cell is None or _number(cell) for cell in row)
            for row in matrix
        )
    )


class OsrmTravelTimes:
    """Travel-time provider backed by OSRM, falling back to the offline estimate on failure."""

    def __init__(self, client: OsrmClient | None = None, fallback=None) -> None:
        self.fallback = fallback or CrowFliesEstimate()
        try:
            self.client = client or OsrmClient()
        except OsrmError:
            self.client = None
        self.last_error: str = ""

    def matrix(self, points: Sequence[Point]) -> list[list[Trip]]:
        points = list(points)
        if len(points) < 2 or self.client is None:
            return self.fallback.matrix(points)
        try:
            durations, distances = self.client.table(points)
        except OsrmError as error:
            self.last_error = str(error)
            logger.warning("OSRM indisponible, temps estimés à vol d'oiseau : %s", error)
            return self.fallback.matrix(points)
        return self._trips(points, points, durations, distances)

    def trips(self, origin: Point, destinations: Sequence[Point]) -> list[Trip]:
        if not destinations:
            return []
        return self.matrix([origin, *destinations])[0][1:]

    def table(self, origins: Sequence[Point], destinations: Sequence[Point]) -> list[list[Trip]]:
        """Trips from each origin to each destination in one table request (`sources` and
        `destinations`), the estimate where OSRM fails or cannot route."""
        origins, destinations = list(origins), list(destinations)
        if not origins or not destinations:
            return [[] for _ in origins]
        if self.client is None:
            return [self.fallback.trips(origin, destinations) for origin in origins]
        points = origins + destinations
        try:
            durations, distances = self.client.table(
                points,
                sources=range(len(origins)),
                destinations=range(len(origins), len(points)),
            )
        except OsrmError as error:
            self.last_error = str(error)
            logger.warning("OSRM indisponible, temps estimés à vol d'oiseau : %s", error)
            return [self.fallback.trips(origin, destinations) for origin in origins]
        return self._trips(origins, destinations, durations, distances)

    def _trips(self, origins, destinations, durations, distances) -> list[list[Trip]]:
        """OSRM's answer as trips; a pair it cannot route (or a distance it omits) is estimated."""
        rows = []
        for i, origin in enumerate(origins):
            row = []
            for j, destination in enumerate(destinations):
                seconds, metres = durations[i][j], distances[i][j]
                if seconds is None:
                    row.append(self.fallback.trip(origin, destination))
                    continue
                km = (
                    metres / 1000
                    if metres is not None
                    else self.fallback.trip(origin, destination).km
                )
                row.append(Trip(km=km, minutes=seconds / 60, estimated=False))
            rows.append(row)
        return rows
