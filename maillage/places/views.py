"""Pages of the places app: find help (public), place pages (public), the call-back form
(public), the open-data exports (public), and the back office of places and help requests.

Rights are decided by `organisations.permissions` (through `services` and the querysets'
`editable_by` / `visible_to`), never here.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from maillage import clock
from maillage.organisations import permissions
from maillage.organisations.models import User
from maillage.spreadsheets import table_response
from maillage.territory.geocoding import geocode
from maillage.territory.models import Commune
from maillage.web.query_names import with_old_names

from . import booking_offers, labels, services
from .exchange import EXPORT_FORMATS, export_places, last_skipped
from .forms import (
    FindHelpForm,
    HelpRequestFilterForm,
    HelpRequestForm,
    HelpRequestUpdateForm,
    PlaceFilterForm,
    PlaceForm,
)
from .labels import HelpRequestStatus, Need
from .maps import map_config
from .models import HelpRequest, Place
from .search import find_places, help_request_candidates

RESULTS_SHOWN = 10
EXPORT_CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "lieux-mediation-numerique.csv"),
    "json": ("application/json", "lieux-mediation-numerique.json"),
    "geojson": ("application/geo+json", "lieux-mediation-numerique.geojson"),
    "data-inclusion": ("application/json", "lieux-data-inclusion-v1.json"),
}


def _marker(place: Place, **extra) -> dict:
    latitude, longitude = place.position
    return {
        "name": place.name,
        "url": place.get_absolute_url(),
        "lat": latitude,
        "lon": longitude,
        "kind": place.get_kind_display(),
        **extra,
    }


# --- Public pages ---------------------------------------------------------------------------


def find_help(request):
    """Type a commune / postcode / address, choose a need: the nearest places, a map."""
    form = FindHelpForm(request.GET if "q" in request.GET else None)
    results, listing, origin, markers = [], [], None, []
    if form.is_bound and form.is_valid():
        origin = geocode(form.cleaned_data["q"])
        if origin is None:
            form.add_error("q", labels.ERR_PLACE_NOT_FOUND.format(query=form.cleaned_data["q"]))
        else:
            operator = form.cleaned_data.get("operator")
            need = form.cleaned_data["need"]
            results = find_places(
                origin.point,
                need,
                operator_id=operator.pk if operator and need == Need.VISIO else None,
                limit=RESULTS_SHOWN,
            )
            markers = [
                _marker(result.place, minutes=result.minutes, rank=index)
                for index, result in enumerate(results, start=1)
            ]
            offers = booking_offers.offers_at(result.place.pk for result in results)
            listing = [(result, offers.get(result.place.pk, [])) for result in results]
    return render(
        request,
        "places/find_help.html",
        {
            "form": form,
            "results": results,
            "listing": listing,
            "origin": origin,
            "need_label": Need(form.cleaned_data["need"]).label if results else "",
            "map_data": {
                **map_config(),
                "origin": (
                    {"lat": origin.latitude, "lon": origin.longitude, "label": origin.label}
                    if origin
                    else None
                ),
                "places": markers,
            },
            "travel_note": labels.TRAVEL_ESTIMATE_NOTE,
            "handles_help_requests": permissions.can_anywhere(
                request.user, permissions.PLACES_HANDLE_HELP_REQUESTS
            ),
            "edits_places": permissions.can_anywhere(request.user, permissions.PLACES_EDIT_PLACE),
        },
    )


def place_detail(request, pk: int):
    place = get_object_or_404(
        Place.objects.select_related("organisation", "commune").prefetch_related("visio_operators"),
        pk=pk,
    )
    today = timezone.localdate()
    return render(
        request,
        "places/place_detail.html",
        {
            "place": place,
            "open_state": place.open_state(),
            "week": place.week(today),
            "serving_today": place.is_open_on(today),
            "offers": booking_offers.offers_at([place.pk]).get(place.pk, []),
            "ph_default_note": labels.HOURS_PH_DEFAULT_NOTE,
            "can_edit": permissions.can_edit_place(request.user, place),
            "map_data": {
                **map_config(),
                "origin": None,
                "places": [_marker(place)] if place.position else [],
            },
            "demo_note": labels.DEMO_NOTE,
        },
    )


def _simplified(geometry: dict, digits: int = 3) -> dict:
    """Coordinates rounded (≈ 100 m) and repeated points dropped: a light base layer."""

    def ring(points):
        out = []
        for lon, lat, *_ in points:
            point = [round(lon, digits), round(lat, digits)]
            if not out or out[-1] != point:
                out.append(point)
        return (
            out if len(out) >= 4 else [[round(p[0], digits), round(p[1], digits)] for p in points]
        )

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in polygon] for polygon in geometry["coordinates"]],
    }


@require_safe
@cache_control(public=True, max_age=86400)
def communes_geojson(request):
    """Contours of the département's communes (simplified), the map's base layer."""
    communes = Commune.objects.filter(
        departement_id=settings.MAILLAGE_DEPARTEMENT_CODE, contour__isnull=False
    ).only("insee_code", "name", "contour")
    features = [
        {
            "type": "Feature",
            "properties": {"code": commune.insee_code, "nom": commune.name},
            "geometry": _simplified(commune.contour),
        }
        for commune in communes
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_safe
def open_data_export(request, fmt: str):
    """The registry as open data: national standard (CSV, JSON), GeoJSON, data·inclusion."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    data = export_places(fmt)  # invalid places are left out and reported to staff
    content_type, filename = EXPORT_CONTENT_TYPES[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def help_request_create(request):
    """The public "être rappelé / demander de l'aide" form (sheet Num05's line)."""
    retention = settings.MAILLAGE_HELP_REQUEST_RETENTION_MONTHS
    if request.method == "POST":
        form = HelpRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            help_request = services.help_request_create(
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                commune=data["commune"],
                need=data["need"],
                preferred_times=data["preferred_times"],
                message=data["message"],
            )
            request.session["help_request_place"] = (
                help_request.place.name if help_request.place else ""
            )
            return redirect("places:help_request_sent")
    else:
        form = HelpRequestForm(
            initial={
                "commune": request.GET.get("commune", "")[:100],
                "need": request.GET.get("besoin", ""),
            }
        )
    return render(
        request,
        "places/help_request_form.html",
        {"form": form, "consent_text": labels.HELP_CONSENT_TEXT.format(retention=retention)},
    )


def help_request_sent(request):
    place = request.session.pop("help_request_place", None)
    if place is None:
        return redirect("places:help_request_create")
    message = (
        labels.MSG_HELP_REQUEST_SENT.format(place=place)
        if place
        else labels.MSG_HELP_REQUEST_SENT_NO_PLACE
    )
    return render(request, "places/help_request_sent.html", {"message": message})


# --- Back office: places --------------------------------------------------------------------


def _filtered_places(request):
    form = PlaceFilterForm(request.GET or None)
    places = (
        Place.objects.editable_by(request.user)
        .select_related("organisation", "commune")
        .order_by("name", "pk")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            places = places.filter(
                Q(name__icontains=data["q"]) | Q(commune_name__icontains=data["q"])
            )
        if data["kind"]:
            places = places.filter(kind=data["kind"])
        if data["state"] == "open":
            places = places.open_on(timezone.localdate())
        elif data["state"] == "closed":
            places = places.exclude(pk__in=Place.objects.open_on(timezone.localdate()))
    return form, places


@login_required
def place_manage_list(request):
    if not permissions.can_anywhere(request.user, permissions.PLACES_EDIT_PLACE):
        raise PermissionDenied
    form, places = _filtered_places(request)
    if with_old_names(request.GET, {"export": "format"}).get("format") == "csv":
        headers = labels.PLACE_EXPORT_HEADERS
        rows = (
            [
                place.standard_id,
                place.name,
                place.get_kind_display(),
                place.organisation or "",
                place.commune_name,
                place.insee_code,
                place.opened_on or "",
                place.closed_on or "",
                place.opening_hours,
                " | ".join(place.services),
                labels.YES if place.is_demo else labels.NO,
            ]
            for place in places
        )
        return table_response("csv", "lieux", list(headers.values()), rows)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("export", None)
    return render(
        request,
        "places/place_manage_list.html",
        {
            "form": form,
            "places": places,
            "export_query": query.urlencode(),
            "open_data_skipped": last_skipped()
            if permissions.is_platform_admin(request.user)
            else None,
        },
    )


def _place_form_response(request, form, place):
    """The place form; the hours as the public will read them, beside their code."""
    week = place.week(timezone.localdate()) if place is not None and place.opening_hours else []
    return render(
        request, "places/place_form.html", {"form": form, "place": place, "hours_week": week}
    )


@login_required
def place_create(request):
    organisations = permissions.organisations_where(request.user, permissions.PLACES_EDIT_PLACE)
    if not organisations.exists():
        raise PermissionDenied
    form = PlaceForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        try:
            services.place_save(
                place=place, by=request.user, visio_operators=form.cleaned_data["visio_operators"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_PLACE_SAVED)
            return redirect(place)
    return _place_form_response(request, form, None)


@login_required
def place_edit(request, pk: int):
    place = get_object_or_404(Place, pk=pk)
    if not permissions.can_edit_place(request.user, place):
        raise PermissionDenied
    organisations = permissions.organisations_where(request.user, permissions.PLACES_EDIT_PLACE)
    form = PlaceForm(request.POST or None, instance=place, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        place = form.save(commit=False)
        try:
            services.place_save(
                place=place, by=request.user, visio_operators=form.cleaned_data["visio_operators"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_PLACE_SAVED)
            return redirect(place)
    return _place_form_response(request, form, place)


# --- Back office: help requests -------------------------------------------------------------


def _visible_requests(user):
    return HelpRequest.objects.visible_to(user).select_related("commune", "place", "assigned_to")


def _queue_places(user):
    if permissions.is_platform_admin(user):
        return Place.objects.filter(accepts_help_requests=True)
    return Place.objects.filter(
        organisation__in=permissions.organisations_where(
            user, permissions.PLACES_HANDLE_HELP_REQUESTS
        )
    )


@login_required
def help_request_list(request):
    if not permissions.can_anywhere(request.user, permissions.PLACES_HANDLE_HELP_REQUESTS):
        raise PermissionDenied
    form = HelpRequestFilterForm(request.GET or None, places=_queue_places(request.user))
    requests_ = _visible_requests(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == "open":
            requests_ = requests_.filter(status__in=labels.OPEN_HELP_REQUEST_STATUSES)
        elif data["status"]:
            requests_ = requests_.filter(status=data["status"])
        if data["need"]:
            requests_ = requests_.filter(need=data["need"])
        if data["place"]:
            requests_ = requests_.filter(place=data["place"])
        if data["mine"]:
            requests_ = requests_.filter(assigned_to=request.user)
    if with_old_names(request.GET, {"export": "format"}).get("format") == "csv":
        rows = (
            [
                item.pk,
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
                item.get_status_display(),
                item.get_need_display(),
                item.commune.name,
                item.place or "",
                item.assigned_to or "",
                item.name,
                item.phone,
                item.email,
                ", ".join(item.preferred_time_labels),
            ]
            for item in requests_
        )
        headers = list(labels.HELP_REQUEST_EXPORT_HEADERS.values())
        return table_response("csv", "demandes-de-rappel", headers, rows)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("export", None)
    return render(
        request,
        "places/help_request_list.html",
        {"form": form, "help_requests": requests_, "export_query": query.urlencode()},
    )


@login_required
def help_request_detail(request, pk: int):
    help_request = get_object_or_404(_visible_requests(request.user), pk=pk)
    people = list(services.assignable_people(help_request.place))
    # The places a request may be moved to follow the routing rule (the current one kept).
    candidates = help_request_candidates(help_request.need, clock.today())
    places = Place.objects.filter(
        Q(pk__in=[place.pk for place in candidates]) | Q(pk=help_request.place_id)
    ).order_by("name")
    initial = {
        "status": help_request.status,
        "assigned_to": help_request.assigned_to_id or "",
        "place": help_request.place_id,
        "redirected_to": help_request.redirected_to,
    }
    form = HelpRequestUpdateForm(
        request.POST or None, initial=initial, people=people, places=places
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignee = None
        if data["assigned_to"]:
            assignee = User.objects.filter(pk=data["assigned_to"]).first()
        try:
            services.help_request_update(
                request=help_request,
                by=request.user,
                status=data["status"],
                assigned_to=assignee,
                unassign=not data["assigned_to"],
                place=data["place"],
                redirected_to=data["redirected_to"],
                note=data["note"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, labels.MSG_HELP_REQUEST_UPDATED)
            if HelpRequest.objects.visible_to(request.user).filter(pk=pk).exists():
                return redirect(help_request)
            return redirect("places:help_request_list")
    return render(
        request,
        "places/help_request_detail.html",
        {
            "help_request": help_request,
            "page_title": f"Demande n° {help_request.pk}",
            "events": help_request.events.select_related("user"),
            "form": form,
            "allowed_statuses": [
                HelpRequestStatus(s).label
                for s in labels.HELP_REQUEST_TRANSITIONS[HelpRequestStatus(help_request.status)]
            ],
        },
    )
