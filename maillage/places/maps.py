"""What every Leaflet map of Maillage needs (read by `places/map.js`): the optional tile layer
and the commune contours used as base layer when there are no tiles."""

from django.conf import settings
from django.urls import reverse


def map_config() -> dict:
    return {
        "tileUrl": settings.MAILLAGE_MAP_TILE_URL,
        "tileAttribution": settings.MAILLAGE_MAP_TILE_ATTRIBUTION,
        "contoursUrl": reverse("places:communes_geojson"),
    }
