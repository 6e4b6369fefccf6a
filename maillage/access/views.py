"""Public pages of the access app: "Accès aux services numériques" (the map, the population
figures, the table), its downloads, and a commune's detail.

Every figure shown is a count by commune, EPCI or département, read from the latest stored
computation (`runs.latest_run`); nothing personal is shown. The pickers are a GET form
(`forms.AccessMapForm`): every view has its own address and works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from maillage.places import hours
from maillage.places.models import Place
from maillage.plan.models import ActionSheet
from maillage.spreadsheets import geojson_response, table_response
from maillage.territory.contours import simplified
from maillage.territory.models import Commune, Departement, Epci

from . import choropleth, coverage, kinds, runs
from .booking_links import booking_links
from .choropleth import ValueClass
from .forms import AccessMapForm
from .measures import MEASURES, NO_FIGURE, Measure, days_text, minutes_text
from .times import Reach

EXPORT_FORMATS = {"csv", "xlsx", "geojson"}
CANDIDATES_SHOWN = 5


@dataclass(frozen=True)
class Row:
    """One commune in the table: its figures and the class the map gives it."""

    figure: coverage.CommuneFigure
    epci_name: str
    value_class: ValueClass
    shown: str  # the mapped measure, in French

    @property
    def travel(self) -> str:
        return minutes_text(self.figure.travel_minutes) if self.figure.place_id else "aucun lieu"

    @property
    def waiting(self) -> str:
        if not self.figure.place_id:
            return NO_FIGURE
        if self.figure.waiting_minutes is None:
            return "horaires inconnus"
        return minutes_text(self.figure.waiting_minutes, none="jamais ouvert")

    @property
    def appointment(self) -> str:
        if not self.figure.place_id:
            return NO_FIGURE
        return days_text(self.figure.appointment_days, none="aucun créneau")


def _epcis():
    return (
        Epci.objects.filter(communes__departement_id=settings.MAILLAGE_DEPARTEMENT_CODE)
        .distinct()
        .order_by("name")
    )


def _state(request) -> AccessMapForm:
    return AccessMapForm(request.GET, kinds=kinds.all_kinds(), epcis=_epcis())


def _figures(form: AccessMapForm, run) -> coverage.PopulationFigures | None:
    """The population figures for the pickers, or None when nothing is computed for the kind."""
    if run is None:
        return None
    figures = coverage.population_figures(
        form.kind.key,
        run=run,
        min_half_days=form.min_half_days,
        max_appointment_days=form.max_appointment_days,
    )
    return figures if figures.communes else None


def _rows(
    figures, measure: Measure, epci_names: dict[str, str], *, by_name: bool = True
) -> list[Row]:
    """Rows of `figures` (CommuneFigure), by commune name unless kept in their order."""
    rows = []
    if by_name:
        figures = sorted(figures, key=lambda f: (f.name, f.insee))
    for figure in figures:
        value = measure.value(figure)
        rows.append(
            Row(
                figure=figure,
                epci_name=epci_names.get(figure.epci_id, ""),
                value_class=choropleth.class_of(value, measure.scale),
                shown=measure.text(value),
            )
        )
    return rows


def _drawing(figures, measure: Measure, query: str):
    """The map of the département's communes (those of the figures when computed)."""
    codes = [f.insee for f in figures.communes] if figures else None
    communes = Commune.objects.only("insee_code", "name", "contour", "departement_id")
    if codes is not None:
        communes = communes.filter(insee_code__in=codes)
    else:
        communes = communes.filter(departement_id=settings.MAILLAGE_DEPARTEMENT_CODE)
    communes = list(communes.order_by("insee_code"))
    departement_codes = {c.departement_id for c in communes}
    contour = None
    if len(departement_codes) == 1:
        departement = Departement.objects.filter(pk=departement_codes.pop()).first()
        contour = departement.contour if departement else None
    values = {f.insee: measure.value(f) for f in figures.communes} if figures else {}
    suffix = f"?{query}" if query else ""
    return choropleth.draw(
        communes,
        values,
        measure.scale,
        departement_contour=contour,
        shown=measure.text,
        href=lambda c: reverse("access:commune", args=[c.insee_code]) + suffix,
    )


def _sheets():
    """The plan's public sheets these figures serve (Num05, Num06, Num08), for the links."""
    refs = {kind.sheet for kind in kinds.STATIC_KINDS if kind.sheet}
    return ActionSheet.objects.public().filter(ref__in=refs).select_related("plan").order_by("ref")


def access_map(request):
    form = _state(request)
    kind, measure = form.kind, form.measure
    run = runs.latest_run()
    figures = _figures(form, run)
    epci_names = dict(_epcis().values_list("siren", "name"))
    rows = _rows(figures.communes, measure, epci_names) if figures else []
    shown_rows = [r for r in rows if not form.epci_code or r.figure.epci_id == form.epci_code]
    query = form.query()
    return render(
        request,
        "access/map.html",
        {
            "form": form,
            "kind": kind,
            "measure": measure,
            "measures": [m for m in MEASURES if kind.needs_appointment or not m.needs_appointment],
            "run": run,
            "figures": figures,
            "drawing": _drawing(figures, measure, query),
            "rows": shown_rows,
            "worst": _rows(figures.worst, measure, epci_names, by_name=False) if figures else [],
            "query": query,
            "sheets": _sheets(),
            "is_demo": Place.objects.filter(is_demo=True).exists(),
        },
    )


# --- Downloads ---------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Code INSEE",
    "Commune",
    "SIREN EPCI",
    "EPCI",
    "Population",
    "Type d'aide",
    "Ouverture minimale (demi-journées par semaine)",
    "Rendez-vous libre sous (jours)",
    "Lieu le plus proche",
    "Trajet (minutes)",
    "Distance (km)",
    "Attente de l'ouverture (minutes)",
    "Premier rendez-vous libre (jours)",
    "Meilleur lieu (trajet + attente)",
    "Trajet jusqu'au meilleur lieu (minutes)",
    "Attente au meilleur lieu (minutes)",
    "Trajet + attente (minutes)",
    "Carte",
    "Classe sur la carte",
    "Calculé le",
]


def _number(value: float | None) -> float | str:
    """A figure for a download: rounded to 0.1; empty when unknown or infinite."""
    if value is None or value == float("inf"):
        return ""
    return round(value, 1)


def _export_values(row: Row, form: AccessMapForm, measure: Measure, run) -> list:
    f = row.figure
    return [
        f.insee,
        f.name,
        f.epci_id,
        row.epci_name,
        f.population,
        form.kind.label,
        form.min_half_days or "",
        form.max_appointment_days or "",
        f.place_name,
        _number(f.travel_minutes),
        _number(f.km),
        _number(f.waiting_minutes),
        _number(f.appointment_days),
        f.best_place_name,
        _number(f.best_travel_minutes),
        _number(f.best_waiting_minutes),
        _number(f.best_score_minutes),
        measure.label,
        row.value_class.label,
        run.computed_on.isoformat() if run else "",
    ]


def access_export(request, fmt: str):
    """The table of the page with every figure, one line (or GeoJSON feature) per commune."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    form = _state(request)
    measure = form.measure
    run = runs.latest_run()
    figures = _figures(form, run)
    epci_names = dict(_epcis().values_list("siren", "name"))
    rows = _rows(figures.communes, measure, epci_names) if figures else []
    rows = [r for r in rows if not form.epci_code or r.figure.epci_id == form.epci_code]
    stamp = f"acces-{form.kind.key}-{run.computed_on.isoformat() if run else 'non-calcule'}"
    if fmt == "geojson":
        contours = dict(
            Commune.objects.filter(insee_code__in=[r.figure.insee for r in rows]).values_list(
                "insee_code", "contour"
            )
        )
        keys = [
            "code_insee",
            "nom",
            "epci_siren",
            "epci",
            "population",
            "type_aide",
            "ouverture_min_demi_journees",
            "rendez_vous_sous_jours",
            "lieu_proche",
            "trajet_min",
            "distance_km",
            "attente_min",
            "rendez_vous_jours",
            "meilleur_lieu",
            "meilleur_trajet_min",
            "meilleure_attente_min",
            "meilleur_trajet_attente_min",
            "carte",
            "classe",
            "calcule_le",
        ]
        features = (
            {
                "geometry": simplified(contours.get(row.figure.insee)),
                "properties": {
                    key: (None if value == "" else value)
                    for key, value in zip(
                        keys, _export_values(row, form, measure, run), strict=True
                    )
                },
            }
            for row in rows
        )
        return geojson_response(stamp, features)
    return table_response(
        fmt, stamp, EXPORT_HEADER, (_export_values(row, form, measure, run) for row in rows)
    )


# --- A commune ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A place reachable from the commune, with what a visitor needs to know."""

    reach: Reach
    place: Place | None
    week: list | None  # places.hours.DayHours of the coming 7 days
    passes: bool  # open enough / a slot soon enough for the filters
    is_nearest: bool
    is_best: bool
    links: list

    @property
    def travel(self) -> str:
        return minutes_text(self.reach.travel_minutes)

    @property
    def waiting(self) -> str:
        if self.reach.waiting_minutes is None:
            return "horaires inconnus"
        return minutes_text(self.reach.waiting_minutes, none="jamais ouvert")

    @property
    def appointment(self) -> str:
        return days_text(self.reach.appointment_days, none="aucun créneau")

    @property
    def next_slot(self) -> str:
        return _moment(self.reach.place.next_slot_at)


def _moment(moment) -> str:
    """« demain à 9 h », « lundi 14 décembre à 14 h 30 »; empty without a moment."""
    return hours.format_moment(timezone.localtime(moment)) if moment else ""


def commune_access(request, insee: str):
    commune = get_object_or_404(Commune.objects.select_related("epci"), pk=insee)
    form = _state(request)
    kind = form.kind
    run = runs.latest_run()
    access = None
    if run is not None:
        found = runs.load_accesses(run, kind.key, communes=[commune.insee_code])
        access = found[0] if found else None
    context = {
        "commune": commune,
        "form": form,
        "kind": kind,
        "run": run,
        "access": access,
        "query": form.query(),
        "map_url": reverse("access:map") + (f"?{form.query()}" if form.query() else ""),
    }
    if access is not None:
        figure = coverage.commune_figures(
            [access],
            min_half_days=form.min_half_days,
            max_appointment_days=form.max_appointment_days,
        )[0]
        shown = list(access.candidates[:CANDIDATES_SHOWN])
        for extra in (
            access.best,
            access.nearest_matching(
                min_half_days=form.min_half_days, max_appointment_days=form.max_appointment_days
            ),
        ):
            if extra is not None and all(extra.place is not r.place for r in shown):
                shown.append(extra)
        ids = [r.place.place_id for r in shown]
        places = {p.pk: p for p in Place.objects.filter(pk__in=ids)}
        links = booking_links(
            kind,
            ids,
            commune_name=commune.name,
            first_slots={r.place.place_id: r.place.next_slot_at for r in shown},
        )
        context["figure"] = figure
        context["row"] = Row(
            figure,
            commune.epci.name if commune.epci_id else "",
            choropleth.class_of(form.measure.value(figure), form.measure.scale),
            form.measure.text(form.measure.value(figure)),
        )
        chosen = next((r for r in shown if r.place.place_id == figure.place_id), None)
        context["nearest_slot"] = _moment(chosen.place.next_slot_at) if chosen else ""
        context["candidates"] = [
            Candidate(
                reach=reach,
                place=places.get(reach.place.place_id),
                week=hours.week(places[reach.place.place_id].opening_hours)
                if reach.place.place_id in places
                else None,
                passes=reach.matches(
                    min_half_days=form.min_half_days,
                    max_appointment_days=form.max_appointment_days,
                ),
                is_nearest=reach.place.place_id == figure.place_id,
                is_best=reach.place.place_id == figure.best_place_id,
                links=links.get(reach.place.place_id, []),
            )
            for reach in shown
        ]
    return render(request, "access/commune.html", context)
