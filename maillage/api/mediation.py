"""Mediation as open data: the registry of indicator sources and a plan's anonymous
statistics (small counts masked). No personal data is ever served here."""

import datetime as dt
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from maillage.mediation.statistics import public_statistics
from maillage.plan import sources
from maillage.plan.models import Plan

from .errors import errors

router = Router(tags=["Médiation numérique"])


class SourceOut(Schema):
    key: str
    label: str
    description: str
    unit: str
    countings: list[str]
    filters: list[str]
    sheets: list[str]


@router.get("/indicator-sources", response=list[SourceOut], summary="Sources des indicateurs")
def indicator_sources(request):
    """The named, documented queries any indicator of a plan can be bound to."""
    return [
        {
            "key": s.key,
            "label": s.label,
            "description": s.description,
            "unit": s.unit,
            "countings": list(s.countings),
            "filters": list(s.filters),
            "sheets": list(s.sheets),
        }
        for s in sources.all_sources()
    ]


@router.get(
    "/plans/{slug}/mediation-statistics",
    response={200: dict[str, Any], **errors(404, 422)},
    summary="Statistiques anonymes de médiation",
)
def mediation_statistics(
    request, slug: str, year: Annotated[int | None, Query(ge=2000, le=2100)] = None
):
    """Activities, sessions and distinct people, in total and by month, kind, theme, place,
    commune, age band and situation; counts under the threshold read "< 5"."""
    plan = get_object_or_404(Plan.objects.public(), slug=slug)
    today = timezone.localdate()
    start, end = None, today
    if year:
        start, end = dt.date(year, 1, 1), min(today, dt.date(year, 12, 31))
    return public_statistics(plan, start=start, end=end)
