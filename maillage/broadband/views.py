"""Pages of the broadband app: the public map and histories (aggregates by commune, EPCI and
département), exports, the roll-out programme; imports and works for their pilots.

Who may import or edit is decided by `organisations.permissions`
(`can_import_broadband_figures`, `can_manage_programme`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage import clock
from maillage.organisations.permissions import (
    can_import_broadband_figures,
    can_manage_programme,
    programme_phases_managed,
)
from maillage.plan.models import ActionSheet, Indicator
from maillage.spreadsheets import geojson_response, table_response
from maillage.territory.models import Commune, Departement, Epci
from maillage.web.query_names import with_old_names

from . import charts, choropleth, figures, imports, labels, layouts, programme
from .forms import FigureImportForm, MapForm, WorkForm, WorksImportForm
from .labels import (
    BASIS_DATASETS,
    DATASET_CATEGORIES,
    Category,
    Dataset,
    MapMeasure,
    Technology,
)
from .models import FigureImport, PremisesCount, Programme, Work
from .quarters import Quarter

EXPORT_FORMATS = {"csv", "xlsx", "geojson"}
IMPORT_EXPORT_HEADER = [
    "Fichier",
    "Présentation",
    "Adresse",
    "Données au",
    "Déposé le",
    "Par",
    "État",
    "Appliqué le",
    "Démonstration",
    "SHA-256",
    "Note",
]
BASIS_LABELS = {"wired": "Réseaux filaires", "terrestrial": "Hors satellite", "all": "Toutes"}


def _communes():
    return Commune.objects.filter(departement_id=settings.MAILLAGE_DEPARTEMENT_CODE).select_related(
        "epci"
    )


def _sources(dataset: str, quarter: Quarter | None):
    """The imports the figures of `dataset` at `quarter` come from (their source notes)."""
    if quarter is None:
        return FigureImport.objects.none()
    return FigureImport.objects.filter(
        pk__in=PremisesCount.objects.filter(dataset=dataset, quarter_end=quarter.end).values(
            "source_id"
        )
    ).order_by("-applied_at")


def _indicators():
    """Public indicators computed from these figures (links from the map)."""
    return (
        Indicator.objects.public()
        .filter(source_key__startswith="broadband.")
        .select_related("sheet__plan")
        .with_latest()
        .order_by("sheet__ref", "order")
    )


# --- The public map --------------------------------------------------------------------------


def _map_state(request) -> tuple[MapForm, str]:
    """The pickers (measure, quarter, EPCI) read from the query string, with defaults."""
    measure = request.GET.get("mesure", "")
    if measure not in MapMeasure.values:
        measure = MapMeasure.FTTH
    quarters = imports.quarters_available(figures.MEASURES[measure][0])
    epcis = (
        Epci.objects.filter(communes__departement_id=settings.MAILLAGE_DEPARTEMENT_CODE)
        .distinct()
        .order_by("name")
    )
    form = MapForm(request.GET or {"mesure": measure}, quarters=quarters, epcis=epcis)
    return form, measure


def _table_rows(measure: str, quarter: Quarter | None, epci: str | None):
    communes = list(_communes())
    values = figures.quarter_figures(measure, quarter, communes) if quarter else {}
    shown = [c for c in communes if not epci or c.epci_id == epci]
    return communes, values, [values.get(c.insee_code) or figures.CommuneFigure(c) for c in shown]


def broadband_map(request):
    form, measure = _map_state(request)
    quarter = form.quarter
    dataset = figures.MEASURES[measure][0]
    communes, values, rows = _table_rows(measure, quarter, form.epci_code)
    departement = Departement.objects.filter(code=settings.MAILLAGE_DEPARTEMENT_CODE).first()
    drawing = choropleth.draw(communes, values, departement.contour if departement else None)
    with_data = [f for f in values.values() if f.has_data]
    total_value = sum(f.value for f in with_data)
    total_premises = sum(f.premises for f in with_data)
    sources = list(_sources(dataset, quarter))
    return render(
        request,
        "broadband/map.html",
        {
            "form": form,
            "measure": measure,
            "measure_label": MapMeasure(measure).label,
            "higher_is_better": figures.MEASURES[measure][2],
            "quarter": quarter,
            "drawing": drawing,
            "rows": rows,
            "total": figures.CommuneFigure(
                commune=None, premises=total_premises or None, value=total_value
            ),
            "communes_with_data": len(with_data),
            "sources": sources,
            "is_demo": any(s.is_demo for s in sources),
            "can_import": can_import_broadband_figures(request.user),
            "programmes": Programme.objects.all(),
            "indicators": _indicators(),
            "sheets": ActionSheet.objects.public()
            .filter(Q(broadband_programmes__isnull=False) | Q(broadband_phases__isnull=False))
            .select_related("plan")
            .distinct()
            .order_by("ref"),
            "query": request.GET.urlencode(),
            "demo_note": labels.DEMO_NOTE,
        },
    )


def _export_header(datasets: list[str]) -> list[tuple[str, str, str]]:
    return [
        (dataset, category, f"{Dataset(dataset).label} — {Category(category).label}")
        for dataset in datasets
        for category in DATASET_CATEGORIES[dataset]
    ]


def broadband_export(request, fmt: str):
    """Every figure of the chosen quarter, one line (or GeoJSON feature) per commune."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    quarters = imports.quarters_available()
    try:
        quarter = Quarter.parse(request.GET["trimestre"])
    except (KeyError, ValueError):
        quarter = quarters[-1] if quarters else None
    epci = request.GET.get("epci", "")
    communes = [c for c in _communes() if not epci or c.epci_id == epci]
    counts: dict[str, dict[tuple[str, str], int]] = {}
    if quarter:
        for insee, dataset, category, value in PremisesCount.objects.filter(
            quarter_end=quarter.end, commune_id__in=[c.insee_code for c in communes]
        ).values_list("commune_id", "dataset", "category", "value"):
            counts.setdefault(insee, {})[(dataset, category)] = value
    datasets = [d for d in Dataset.values if any(d == k[0] for c in counts.values() for k in c)]
    columns = _export_header(datasets)
    label = quarter.slug if quarter else "aucun-trimestre"
    stamp = f"tres-haut-debit-communes-{label}"
    if fmt == "geojson":
        features = [
            {
                "geometry": commune.contour,
                "properties": {
                    "code_insee": commune.insee_code,
                    "nom": commune.name,
                    "epci_siren": commune.epci_id or "",
                    "epci": commune.epci.name if commune.epci_id else "",
                    "trimestre": quarter.label if quarter else "",
                    **{
                        f"{dataset}.{category}": counts.get(commune.insee_code, {}).get(
                            (dataset, category)
                        )
                        for dataset, category, _ in columns
                    },
                },
            }
            for commune in communes
        ]
        return geojson_response(stamp, features)
    header = ["Code INSEE", "Commune", "SIREN EPCI", "EPCI", "Trimestre"] + [c[2] for c in columns]
    rows = (
        [
            commune.insee_code,
            commune.name,
            commune.epci_id or "",
            commune.epci.name if commune.epci_id else "",
            quarter.label if quarter else "",
            *(counts.get(commune.insee_code, {}).get((d, c), "") for d, c, _ in columns),
        ]
        for commune in communes
    )
    return table_response(fmt, stamp, header, rows)


# --- Histories by commune and EPCI -------------------------------------------------------------


def _history_context(territory, basis: str) -> dict:
    """Charts and tables of a commune's or an EPCI's figures over the quarters."""
    speed_dataset = BASIS_DATASETS[basis]
    ftth = figures.series(Dataset.FTTH, territory=territory)
    speeds = figures.series(speed_dataset, territory=territory)
    access = figures.series(Dataset.ACCESS, territory=territory)
    context: dict = {"basis": basis, "bases": BASIS_LABELS}
    if ftth:
        quarters = [Quarter.parse(d) for d in sorted(ftth)]
        connectable = [ftth[q.end].get(Category.CONNECTABLE) for q in quarters]
        premises = [ftth[q.end].get(Category.PREMISES) for q in quarters]
        context["ftth"] = {
            "chart": charts.quarter_lines(
                title="Locaux raccordables à la fibre (FttH) par trimestre",
                unit="locaux",
                quarters=quarters,
                series={"Locaux raccordables FttH": connectable, "Locaux (estimation)": premises},
            ),
            "rows": list(zip(quarters, connectable, premises, strict=True)),
        }
    if speeds:
        quarters = [Quarter.parse(d) for d in sorted(speeds)]
        classes = labels.SPEED_CATEGORIES
        context["speeds"] = {
            "chart": charts.quarter_stack(
                title=f"Locaux par classe de débit ({BASIS_LABELS[basis].lower()})",
                quarters=quarters,
                series={
                    Category(c).label: [speeds[q.end].get(c) for q in quarters] for c in classes
                },
            ),
            "classes": [Category(c).label for c in classes],
            "rows": [
                (q, speeds[q.end].get(Category.PREMISES), [speeds[q.end].get(c) for c in classes])
                for q in quarters
            ],
        }
    if access:
        latest = max(access)
        context["access"] = {
            "quarter": Quarter.parse(latest),
            "rows": [
                (Category(c).label, access[latest].get(c))
                for c in labels.ACCESS_CATEGORIES
                if access[latest].get(c) is not None
            ],
            "premises": access[latest].get(Category.PREMISES),
        }
    return context


def _basis(request) -> str:
    basis = request.GET.get("base", "wired")
    return basis if basis in BASIS_DATASETS else "wired"


def commune_history(request, insee: str):
    commune = get_object_or_404(_communes(), insee_code=insee)
    works = Work.objects.filter(commune=commune).select_related("phase__programme")
    return render(
        request,
        "broadband/history.html",
        {
            "title": commune.name,
            "is_commune": True,
            "trail": [(reverse("broadband:epci", args=[commune.epci_id]), commune.epci.name)]
            if commune.epci_id
            else [],
            "commune": commune,
            "epci": commune.epci,
            "works": works,
            **_history_context(commune.insee_code, _basis(request)),
        },
    )


def epci_history(request, siren: str):
    epci = get_object_or_404(Epci, siren=siren)
    communes = list(_communes().filter(epci=epci))
    if not communes:
        raise Http404
    works = (
        Work.objects.filter(commune__epci=epci)
        .values("phase__programme__name", "phase__name")
        .annotate(planned=Sum("planned_premises"), done=Sum("done_premises"))
        .order_by("phase__programme__name", "phase__name")
    )
    return render(
        request,
        "broadband/history.html",
        {
            "title": epci.name,
            "is_commune": False,
            "trail": [],
            "epci": epci,
            "communes": communes,
            "works_by_phase": works,
            **_history_context(epci.siren, _basis(request)),
        },
    )


# --- Imports (pilots) --------------------------------------------------------------------------


def _require_import(user) -> None:
    if not can_import_broadband_figures(user):
        raise PermissionDenied


@login_required
def import_list(request):
    _require_import(request.user)
    form = FigureImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            figure_import = imports.figures_import_create(
                content=upload.read(),
                filename=upload.name,
                by=request.user,
                layout=form.cleaned_data["layout"],
                url=form.cleaned_data["url"],
                data_date=form.cleaned_data["data_date"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            imports.figures_import_enqueue(figure_import)
            messages.info(request, labels.MSG_IMPORT_QUEUED)
            return redirect(figure_import)
    recent = FigureImport.objects.select_related("created_by", "applied_by")
    status = with_old_names(request.GET, {"etat": "statut"}).get("statut", "")
    if status in labels.ImportStatus.values:
        recent = recent.filter(status=status)
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"}:
        return table_response(
            fmt,
            "imports-tres-haut-debit",
            IMPORT_EXPORT_HEADER,
            (
                [
                    i.filename,
                    i.get_layout_display(),
                    i.url,
                    i.data_date or "",
                    f"{i.created_at:%d/%m/%Y %H:%M}",
                    str(i.created_by or ""),
                    i.get_status_display(),
                    f"{i.applied_at:%d/%m/%Y %H:%M}" if i.applied_at else "",
                    "oui" if i.is_demo else "",
                    i.sha256,
                    i.note,
                ]
                for i in recent
            ),
        )
    return render(
        request,
        "broadband/import_list.html",
        {
            "form": form,
            "imports": recent[:50],
            "statuses": labels.ImportStatus.choices,
            "status": status,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def import_detail(request, pk: int):
    _require_import(request.user)
    figure_import = get_object_or_404(FigureImport.objects.select_related("created_by"), pk=pk)
    summary = figure_import.summary
    by_quarter = [
        {
            **entry,
            "quarter_label": Quarter.parse(entry["quarter"]).label,
            "dataset_label": Dataset(entry["dataset"]).label,
            "totals_shown": [
                (Category(c).label, v) for c, v in entry["totals"].items() if c != Category.PREMISES
            ],
        }
        for entry in summary.get("by_quarter", [])
    ]
    changes = [
        {
            **change,
            "quarter_label": Quarter.parse(change["quarter"]).label,
            "dataset_label": Dataset(change["dataset"]).label,
            "category_label": Category(change["category"]).label,
        }
        for change in summary.get("changes", [])
    ]
    return render(
        request,
        "broadband/import_detail.html",
        {
            "import": figure_import,
            "summary": summary,
            "applied": summary.get("applied"),
            "by_quarter": by_quarter,
            "changes": changes,
            "trail": [(reverse("broadband:import_list"), "Imports")],
        },
    )


@require_POST
@login_required
def import_apply(request, pk: int):
    _require_import(request.user)
    figure_import = get_object_or_404(FigureImport, pk=pk)
    try:
        counts = imports.figures_import_apply(figure_import=figure_import, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(figure_import)
    messages.success(request, labels.MSG_IMPORT_APPLIED.format(**counts))
    # Show the map of what was imported, at its latest quarter, when the map shows it.
    datasets = {record[2] for record in figure_import.records}
    measure = next((m for m, (d, _c, _h) in figures.MEASURES.items() if d in datasets), None)
    latest = max(figure_import.quarters, default=None)
    if measure is None or latest is None:
        return redirect("broadband:map")
    return redirect(reverse("broadband:map") + f"?mesure={measure}&trimestre={latest.slug}")


def rip_template(request):
    """The CSV template for a public-initiative network's operator (one example line)."""
    example = {
        "code_insee": "16028",
        "nom_commune": "Barbezieux-Saint-Hilaire",
        "trimestre": "T3 2024",
        "locaux": "2600",
        "ftth_raccordables": "1900",
    }
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-operateur-rip.csv"'
    response.write("\ufeff" + ";".join(layouts.RIP_HEADER) + "\r\n")
    response.write(";".join(example.get(h, "") for h in layouts.RIP_HEADER) + "\r\n")
    return response


# --- The roll-out programme ------------------------------------------------------------------


def _works_filtered(request, programme: Programme):
    works = Work.objects.filter(phase__programme=programme).select_related("phase", "commune__epci")
    phase = request.GET.get("phase", "")
    epci = request.GET.get("epci", "")
    state = with_old_names(request.GET, {"etat": "statut"}).get("statut", "")
    today = clock.today()
    if phase.isdigit():
        works = works.filter(phase_id=int(phase))
    if epci:
        works = works.filter(commune__epci_id=epci)
    if state == "realise":
        works = works.filter(done_quarter__lte=today)
    elif state == "en-retard":
        works = works.filter(done_quarter__isnull=True, planned_quarter__lt=today)
    elif state == "prevu":
        works = works.filter(Q(done_quarter__isnull=True) | Q(done_quarter__gt=today))
    return works.order_by("planned_quarter", "commune__name"), {
        "phase": phase,
        "epci": epci,
        "statut": state,
    }


WORK_STATES = {"": "Tous", "prevu": "Prévus", "realise": "Mis en service", "en-retard": "En retard"}


def programme_detail(request, slug: str):
    programme_ = get_object_or_404(
        Programme.objects.select_related("sheet__plan", "owner"), slug=slug
    )
    today = clock.today()
    works, filters = _works_filtered(request, programme_)
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"}:
        return table_response(
            fmt,
            f"{programme_.slug}-chantiers",
            [
                "Phase",
                "Code INSEE",
                "Commune",
                "EPCI",
                "Technologie",
                "Locaux prévus",
                "Trimestre prévu",
                "Locaux réalisés",
                "Trimestre de mise en service",
            ],
            (
                [
                    w.phase.name,
                    w.commune_id,
                    w.commune.name,
                    w.commune.epci.name if w.commune.epci_id else "",
                    w.get_technology_display(),
                    w.planned_premises,
                    w.planned.label,
                    "" if w.done_premises is None else w.done_premises,
                    w.done.label if w.done else "",
                ]
                for w in works
            ),
        )
    rows = figures.works_by_quarter(programme=programme_)
    chart = None
    if rows:
        quarters = [r["quarter"] for r in rows]
        chart = charts.quarter_lines(
            title="Locaux prévus et mis en service, cumulés par trimestre",
            unit="locaux",
            quarters=quarters,
            series={
                "Prévus (cumul)": [r["planned_total"] for r in rows],
                "Mis en service (cumul)": [r["done_total"] for r in rows],
            },
        )
    sheet = programme_.sheet
    managed = programme_phases_managed(request.user, programme_)
    managed_ids = None if managed is None else set(managed.values_list("pk", flat=True))
    return render(
        request,
        "broadband/programme.html",
        {
            "programme": programme_,
            "progress": programme.progress(
                Work.objects.filter(phase__programme=programme_), today=today
            ),
            "phases": programme.phases_progress(programme_, today=today),
            "by_epci": programme.progress_by_epci(programme_, today=today),
            "by_quarter": rows,
            "chart": chart,
            "works": works[:500],
            "works_count": works.count(),
            "filters": filters,
            "states": WORK_STATES,
            "epcis": Epci.objects.filter(
                communes__in=Work.objects.filter(phase__programme=programme_).values("commune")
            )
            .distinct()
            .order_by("name"),
            "budget_lines": sheet.budget_lines.all() if sheet else [],
            "fundings": sheet.fundings.select_related("funder") if sheet else [],
            "milestones": sheet.milestones.all() if sheet else [],
            "can_manage": managed is None or bool(managed_ids),
            "editable_phases": managed_ids,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def work_edit(request, slug: str, pk: int):
    programme_ = get_object_or_404(Programme, slug=slug)
    work = get_object_or_404(
        Work.objects.select_related("phase", "commune"), pk=pk, phase__programme=programme_
    )
    if not can_manage_programme(request.user, programme_, work.phase):
        raise PermissionDenied
    form = WorkForm(request.POST or None, instance=work)
    if request.method == "POST" and form.is_valid():
        try:
            programme.work_save(work=form.save(commit=False), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_WORK_SAVED)
            return redirect(programme_)
    return render(
        request,
        "broadband/work_form.html",
        {
            "programme": programme_,
            "work": work,
            "form": form,
            "trail": [(programme_.get_absolute_url(), programme_.name)],
        },
    )


@login_required
def works_import(request, slug: str):
    programme_ = get_object_or_404(Programme, slug=slug)
    managed = programme_phases_managed(request.user, programme_)
    if managed is not None and not managed.exists():
        raise PermissionDenied
    form = WorksImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = programme.works_import(
            programme=programme_, content=form.cleaned_data["file"].read(), by=request.user
        )
        if report.valid:
            messages.success(
                request,
                labels.MSG_WORKS_IMPORTED.format(
                    created=report.created, updated=report.updated, unchanged=report.unchanged
                ),
            )
            return redirect(programme_)
    return render(
        request,
        "broadband/works_import.html",
        {
            "programme": programme_,
            "form": form,
            "report": report,
            "header": programme.WORKS_HEADER,
            "technologies": Technology.choices,
            "trail": [(programme_.get_absolute_url(), programme_.name)],
        },
    )
