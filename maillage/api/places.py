"""Places of help as open data: the registry, "find help near me", counts at a date.

All public (no login): places are open data under the national standard's licence.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from maillage.places.exchange import place_to_row
from maillage.places.indicator_sources import SOURCES
from maillage.places.labels import Need, PlaceKind
from maillage.places.models import Place
from maillage.places.search import find_places
from maillage.territory.geocoding import geocode

from .errors import Id, errors

router = Router(tags=["Lieux d'aide"])


class PlaceOut(Schema):
    id: int
    standard_id: str
    name: str
    kind: str
    kind_label: str
    commune: str
    insee_code: str
    latitude: float | None
    longitude: float | None
    opened_on: dt.date | None
    closed_on: dt.date | None
    opening_hours: str
    open_now: bool | None
    services: list[str]
    url: str

    @staticmethod
    def resolve_kind_label(obj: Place) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_commune(obj: Place) -> str:
        return obj.commune_name

    @staticmethod
    def resolve_open_now(obj: Place) -> bool | None:
        state = obj.open_state()
        return state.open_now if state.known else None

    @staticmethod
    def resolve_url(obj: Place) -> str:
        return obj.get_absolute_url()


class PlaceDetailOut(PlaceOut):
    standard: dict[str, str]

    @staticmethod
    def resolve_standard(obj: Place) -> dict[str, str]:
        return place_to_row(obj)


class NearOut(Schema):
    origin: str
    approximate: bool
    note: str
    results: list[dict]


class CountOut(Schema):
    source: str
    label: str
    date: dt.date
    value: int


@router.get("/places", response={200: list[PlaceOut], **errors(422)}, summary="Les lieux d'aide")
def places(
    request,
    kind: PlaceKind | None = None,
    insee_code: str = "",
    open_on: dt.date | None = None,
    limit: int = 500,
):
    """Places of the registry; `open_on` keeps those open on that date (opened, not closed)."""
    queryset = Place.objects.select_related("commune").order_by("name", "pk")
    if kind:
        queryset = queryset.filter(kind=kind)
    if insee_code:
        queryset = queryset.filter(insee_code=insee_code)
    if open_on:
        queryset = queryset.open_on(open_on)
    return queryset[: max(1, min(limit, 2000))]


@router.get(
    "/places/near",
    response={200: NearOut, **errors(404, 422)},
    summary="Trouver de l'aide près de chez soi",
)
def near(request, q: str, need: Need | None = None, limit: int = 10):
    """The nearest places answering `need`, from a commune, postcode or address, by estimated
    travel time (great-circle distance × detour factor ÷ average speed)."""
    origin = geocode(q)
    if origin is None:
        raise HttpError(404, f"Commune introuvable : « {q} ».")
    results = find_places(origin.point, need, limit=max(1, min(limit, 50)))
    return {
        "origin": origin.label,
        "approximate": origin.approximate,
        "note": origin.note,
        "results": [
            {
                "id": r.place.pk,
                "name": r.place.name,
                "minutes": r.minutes,
                "km": r.km,
                "open_now": r.open_state.open_now if r.open_state.known else None,
                "url": r.place.get_absolute_url(),
            }
            for r in results
        ],
    }


@router.get(
    "/places/counts",
    response={200: list[CountOut], **errors(422)},
    summary="Comptes pour les indicateurs",
)
def place_counts(request, on: dt.date | None = None):
    """Every indicator source of the places app, computed at `on` (today by default)."""
    day = on or timezone.localdate()
    return [
        {"source": key, "label": source.label, "date": day, "value": int(source(day))}
        for key, source in SOURCES.items()
    ]


@router.get(
    "/places/{place_id}",
    response={200: PlaceDetailOut, **errors(404, 422)},
    summary="Un lieu d'aide",
)
def place(request, place_id: Id):
    return get_object_or_404(Place.objects.select_related("commune"), pk=place_id)
