"""Public endpoints on communes and EPCIs (open data: no login)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from maillage.territory.models import Commune, Epci
from maillage.territory.search import search_communes

from .errors import errors

router = Router(tags=["Territoire"])


class EpciOut(Schema):
    siren: str
    name: str


class CommuneOut(Schema):
    insee_code: str
    name: str
    postcodes: list[str]
    population: int
    epci: EpciOut | None
    latitude: float
    longitude: float

    @staticmethod
    def resolve_postcodes(obj: Commune) -> list[str]:
        return obj.postcode_list


class CommuneDetailOut(CommuneOut):
    area_km2: float | None
    former_codes: list[str]
    contour: dict | None

    @staticmethod
    def resolve_former_codes(obj: Commune) -> list[str]:
        return obj.former_code_list


@router.get(
    "/communes",
    response={200: list[CommuneOut], **errors(422)},
    summary="Chercher des communes",
)
def communes(request, q: str = "", limit: int = 20):
    """Communes matching `q` (name, postcode or INSEE code, forgiving accents and "St");
    without `q`, every commune in alphabetical order."""
    limit = max(1, min(limit, 500))
    if q.strip():
        return search_communes(q, limit=limit)
    return Commune.objects.select_related("epci")[:limit]


@router.get(
    "/communes/{insee_code}",
    response={200: CommuneDetailOut, **errors(404)},
    summary="Une commune",
)
def commune(request, insee_code: str):
    return get_object_or_404(Commune.objects.select_related("epci"), insee_code=insee_code)


@router.get("/epcis", response=list[EpciOut], summary="Les intercommunalités (EPCI)")
def epcis(request):
    return Epci.objects.order_by("name")
