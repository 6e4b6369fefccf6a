from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import labels
from .drawing import locator_map
from .models import Commune
from .search import search_communes

RESULTS_SHOWN = 20
JSON_MAX_RESULTS = 50


def commune_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    communes = search_communes(query, limit=RESULTS_SHOWN + 1) if query else []
    return render(
        request,
        "territory/commune_search.html",
        {
            "query": query,
            "communes": communes[:RESULTS_SHOWN],
            "truncated": len(communes) > RESULTS_SHOWN,
            "no_result": labels.NO_RESULT.format(query=query) if query and not communes else "",
            "too_many": labels.TOO_MANY_RESULTS.format(limit=RESULTS_SHOWN),
            "search_label": labels.SEARCH_LABEL,
            "search_hint": labels.SEARCH_HINT,
        },
    )


def commune_detail(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = get_object_or_404(
        Commune.objects.select_related("epci", "departement"), insee_code=insee_code.upper()
    )
    neighbours = []
    if commune.epci:
        neighbours = list(
            commune.epci.communes.exclude(pk=commune.pk)
            .defer("contour")
            .order_by("search_key", "insee_code")
        )
    return render(
        request,
        "territory/commune_detail.html",
        {
            "commune": commune,
            "neighbours": neighbours,
            "map": locator_map(
                commune.contour,
                commune.departement.contour,
                marker=(commune.interior_longitude, commune.interior_latitude),
            ),
            "breadcrumb_data": {
                "links": [{"url": reverse("territory:commune_search"), "title": "Communes"}],
                "current": commune.name,
                "root_dir": reverse("web:home"),
            },
        },
    )


def commune_search_json(request: HttpRequest) -> JsonResponse:
    """Search results for autocompletion: [{insee_code, name, postcodes, epci, lat, lon}]."""
    try:
        limit = min(max(int(request.GET.get("limit", RESULTS_SHOWN)), 1), JSON_MAX_RESULTS)
    except ValueError:
        limit = RESULTS_SHOWN
    communes = search_communes(request.GET.get("q", ""), limit=limit)
    return JsonResponse(
        [
            {
                "insee_code": commune.insee_code,
                "name": commune.name,
                "postcodes": commune.postcode_list,
                "epci": commune.epci.name if commune.epci else None,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
            }
            for commune in communes
        ],
        safe=False,
    )
