"""A client for the French national address API (Base Adresse Nationale, "API Adresse").

`GET {url}/search/?q=2+rue+de+la+Mairie&limit=1&citycode=16073` answers a GeoJSON
FeatureCollection: `{"type": "FeatureCollection", "features": [{"geometry": {"type": "Point",
"coordinates": [lon, lat]}, "properties": {"label": …, "score": 0.93, "citycode": "16073",
"type": "housenumber", …}}]}`. The best feature comes first; `score` (0 to 1) says how well it
matches the text.

Every failure — connection refused, timeout, HTTP error, malformed JSON or features — raises
`BanError` with a plain message; `territory.geocoding.geocode_address` catches it and falls back
to the commune's centroid, marked approximate.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class BanError(Exception):
    """The address API could not answer usefully (the message says why)."""


@dataclass(frozen=True)
class BanAddress:
    latitude: float
    longitude: float
    label: str
    score: float
    citycode: str
    kind: str = ""


class BanClient:
    def __init__(self, url: str = "", timeout: float | None = None) -> None:
        self.url = (url or settings.MAILLAGE_BAN_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.MAILLAGE_BAN_TIMEOUT
        if not self.url:
            raise BanError("aucune API Adresse configurée (MAILLAGE_BAN_URL)")

    def search(self, text: str, *, citycode: str = "", limit: int = 1) -> list[BanAddress]:
        """The addresses matching `text` (best first), within the commune `citycode` if given."""
        params = {"q": text, "limit": str(limit)}
        if citycode:
            params["citycode"] = citycode
        address = f"{self.url}/search/?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(address, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise BanError(f"l'API Adresse a répondu HTTP {error.code}") from error
        except TimeoutError as error:
            raise BanError(f"l'API Adresse n'a pas répondu en {self.timeout:g} s") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError | socket.timeout):
                raise BanError(f"l'API Adresse n'a pas répondu en {self.timeout:g} s") from error
            raise BanError(f"API Adresse injoignable : {reason}") from error
        try:
            payload = json.loads(raw)
        except ValueError as error:
            raise BanError("réponse de l'API Adresse illisible (JSON invalide)") from error
        features = payload.get("features") if isinstance(payload, dict) else None
        if not isinstance(features, list):
            raise BanError("réponse de l'API Adresse inattendue : pas de liste « features »")
        results = []
        for feature in features:
            try:
                lon, lat = feature["geometry"]["coordinates"][:2]
                properties = feature["properties"]
                results.append(
                    BanAddress(
                        latitude=float(lat),
                        longitude=float(lon),
                        label=str(properties["label"]),
                        score=float(properties.get("score", 0)),
                        citycode=str(properties.get("citycode", "")),
                        kind=str(properties.get("type", "")),
                    )
                )
            except (KeyError, TypeError, ValueError, IndexError) as error:
                raise BanError(
                    "réponse de l'API Adresse inattendue : adresse mal formée"
                ) from error
        return results
