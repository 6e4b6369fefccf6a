"""Pages of the plan: public reading (no login), back office for pilots and admins, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from maillage import clock
from maillage.organisations import permissions

from . import bulk, charts, computed, exports, history, labels, services, sources
from .forms import (
    BulkUpdateForm,
    IndicatorBindingForm,
    MeasurementForm,
    MeetingForm,
    MeetingsGenerateForm,
    SeriesImportForm,
    SheetForm,
)
from .models import ActionSheet, BulkUpdate, Indicator, Measurement, Plan
from .rollup import (
    Filters,
    filter_choices,
    indicator_row,
    plan_overview,
    sheet_row,
    sheets_queryset,
)

DASHBOARD_CHARTS_MAX = 12


def _plan(request, slug: str) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user), slug=slug)


def _sheet(request, plan: Plan, ref: str) -> ActionSheet:
    qs = ActionSheet.objects.filter(plan=plan).visible_to(request.user)
    return get_object_or_404(qs, ref=ref)


def _indicator(request, sheet: ActionSheet, pk: int) -> Indicator:
    qs = Indicator.objects.filter(sheet=sheet).visible_to(request.user).with_latest()
    indicator = get_object_or_404(qs.prefetch_related("targets"), pk=pk)
    indicator.sheet = sheet
    return indicator


def _measurement_points(indicator: Indicator):
    return list(indicator.measurements.order_by("date", "id").values_list("date", "value"))


def _indicator_chart(row, measurements, **size):
    return charts.indicator_chart(
        label=row.indicator.label,
        unit=row.indicator.unit,
        measurements=measurements,
        trajectory=row.state.points,
        **size,
    )


# --- Public pages ---------------------------------------------------------------------------


def plan_list(request):
    plans = Plan.objects.visible_to(request.user).order_by("-period_start", "name")
    return render(request, "plan/plan_list.html", {"plans": plans})


def plan_detail(request, slug):
    plan = _plan(request, slug)
    filters = Filters.from_query(request.GET)
    overview = plan_overview(plan, request.user, filters=filters)
    return render(
        request,
        "plan/plan_detail.html",
        {
            "plan": plan,
            "overview": overview,
            "filters": filters,
            "choices": filter_choices(plan, request.user),
            "can_bulk_update": permissions.can_manage_meetings(request.user, plan),
            "dimension_labels": labels.DIMENSIONS,
        },
    )


def sheet_detail(request, slug, ref):
    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    sheet = (
        sheets_queryset(plan, request.user)
        .filter(pk=sheet.pk)
        .prefetch_related(
            "milestones",
            "budget_lines",
            "fundings__funder",
            "key_figures",
            "epcis",
            "communes",
        )
        .get()
    )
    row = sheet_row(sheet, on=clock.today(), editable=None)
    row.can_edit = permissions.can_edit_sheet(request.user, sheet)
    indicator_blocks = []
    for indicator_row_ in row.indicators:
        points = _measurement_points(indicator_row_.indicator)
        indicator_blocks.append(
            {
                "row": indicator_row_,
                "chart": _indicator_chart(indicator_row_, points, width=480, height=300),
            }
        )
    budget_lines = list(sheet.budget_lines.all())
    data_pages = sources.pages(r.indicator.source_key for r in row.indicators)
    return render(
        request,
        "plan/sheet_detail.html",
        {
            "plan": plan,
            "sheet": sheet,
            "row": row,
            "indicator_blocks": indicator_blocks,
            "budget_lines": budget_lines,
            "budget_total": sum((b.amount for b in budget_lines), start=0),
            "meetings": sheet.meetings.upcoming()[:3],
            "status_changes": sheet.status_changes.select_related("user")[:10],
            "data_pages": data_pages,
            "related_pages": [p for p in sources.sheet_pages(sheet.ref) if p not in data_pages],
        },
    )


def indicator_detail(request, slug, ref, pk):
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    indicator = _indicator(request, sheet, pk)
    can_record = permissions.can_record_measurement(request.user, sheet)
    form = MeasurementForm()
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form = MeasurementForm(request.POST)
        if form.is_valid():
            try:
                measurement = services.measurement_record(
                    indicator=indicator,
                    value=form.cleaned_data["value"],
                    date=form.cleaned_data["date"],
                    comment=form.cleaned_data["comment"],
                    author=request.user,
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    labels.MSG_MEASUREMENT_RECORDED.format(
                        value=f"{measurement.value.normalize():f}".replace(".", ","),
                        date=f"{measurement.date:%d/%m/%Y}",
                    ),
                )
                return redirect(indicator.get_absolute_url())
    row = indicator_row(indicator, clock.today())
    measurements = list(
        indicator.measurements.select_related("author").order_by("-date", "-id")[:200]
    )
    points = [(m.date, m.value) for m in reversed(measurements)]
    can_edit = permissions.can_edit_sheet(request.user, sheet)
    return render(
        request,
        "plan/indicator_detail.html",
        {
            "plan": plan,
            "sheet": sheet,
            "indicator": indicator,
            "binding": computed.binding_summary(indicator),
            "binding_form": IndicatorBindingForm(indicator=indicator) if can_edit else None,
            "row": row,
            "chart": _indicator_chart(row, points),
            "measurements": measurements,
            "targets": sorted(
                indicator.targets.all(), key=lambda t: labels.TargetKind.values.index(t.kind)
            ),
            "can_edit": can_edit,
            "can_record": can_record,
            "form": form,
        },
    )


@require_POST
@login_required
def indicator_recompute(request, slug, ref, pk):
    """The "Recalculer" button: compute a bound indicator now (pilots of the sheet)."""
    from .computed import indicator_compute

    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    indicator = _indicator(request, sheet, pk)
    if not permissions.can_record_measurement(request.user, sheet):
        raise PermissionDenied
    if not indicator.source_key:
        raise Http404
    measurement = indicator_compute(indicator, by=request.user)
    if measurement is None:
        messages.info(request, labels.MSG_MEASUREMENT_NO_DATA)
        return redirect(indicator.get_absolute_url())
    messages.success(
        request,
        labels.MSG_MEASUREMENT_COMPUTED.format(
            value=f"{measurement.value.normalize():f}".replace(".", ","),
            date=f"{measurement.date:%d/%m/%Y}",
        ),
    )
    return redirect(indicator.get_absolute_url())


@require_POST
@login_required
def indicator_bind(request, slug, ref, pk):
    """Bind the indicator to a source of the registry (pilots of the sheet), then compute it."""
    from .computed import indicator_bind as bind
    from .computed import indicator_compute
    from .forms import IndicatorBindingForm

    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    indicator = _indicator(request, sheet, pk)
    if not permissions.can_edit_sheet(request.user, sheet):
        raise PermissionDenied
    form = IndicatorBindingForm(request.POST)
    if form.is_valid():
        source_key, filters, counting = form.binding()
        try:
            bind(
                indicator=indicator,
                source_key=source_key,
                filters=filters,
                counting=counting,
                by=request.user,
            )
            if source_key:
                indicator_compute(indicator, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, labels.MSG_BINDING_SAVED)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(indicator.get_absolute_url())


def dashboard(request, slug):
    plan = _plan(request, slug)
    filters = Filters.from_query(request.GET)
    overview = plan_overview(plan, request.user, filters=filters)
    indicator_rows = [i for r in overview.rows for i in r.indicators if i.state.points]
    shown = indicator_rows[:DASHBOARD_CHARTS_MAX]
    series: dict[int, list] = {}
    for indicator_id, date, value in (
        Measurement.objects.filter(indicator__in=[r.indicator for r in shown])
        .order_by("date", "id")
        .values_list("indicator_id", "date", "value")
    ):
        series.setdefault(indicator_id, []).append((date, value))
    indicator_charts = [
        {
            "row": r,
            "chart": _indicator_chart(r, series.get(r.indicator.pk, []), width=480, height=300),
        }
        for r in shown
    ]
    themes: dict[str, list] = {}
    for r in overview.rows:
        themes.setdefault(r.sheet.theme or "Sans thème", []).append(r)
    return render(
        request,
        "plan/dashboard.html",
        {
            "plan": plan,
            "overview": overview,
            "filters": filters,
            "choices": filter_choices(plan, request.user),
            "histogram": charts.progress_histogram(r.progress for r in overview.rows),
            "status_chart": charts.status_chart(overview.status_counts),
            "indicator_status_chart": charts.indicator_status_chart(
                overview.indicator_status_counts
            ),
            "indicator_charts": indicator_charts,
            "more_indicators": max(0, len(indicator_rows) - len(shown)),
            "next_meetings": plan.meetings.upcoming().prefetch_related("sheets")[:3],
            "can_manage_meetings": permissions.can_manage_meetings(request.user, plan),
            "status_rows": [
                (labels.SheetStatus(s).label, n) for s, n in overview.status_counts.items()
            ],
            "indicator_status_rows": [
                (labels.ProgressStatus(s).label, n)
                for s, n in overview.indicator_status_counts.items()
            ],
        },
    )


# --- Back office ----------------------------------------------------------------------------


@login_required
def sheet_edit(request, slug, ref):
    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    if not permissions.can_edit_sheet(request.user, sheet):
        raise PermissionDenied
    form = SheetForm(request.POST or None, instance=ActionSheet.objects.get(pk=sheet.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.SHEET_EDITABLE_FIELDS}
        fresh = ActionSheet.objects.get(pk=sheet.pk)
        try:
            services.sheet_update(sheet=fresh, data=data, by=request.user)
            if form.cleaned_data["status"] != fresh.status:
                services.sheet_change_status(
                    sheet=fresh,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    comment=form.cleaned_data["status_comment"],
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_SHEET_SAVED)
            return redirect(sheet.get_absolute_url())
    return render(request, "plan/sheet_edit.html", {"plan": plan, "sheet": sheet, "form": form})


@login_required
def sheet_history(request, slug, ref):
    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    entries = history.sheet_changes(sheet, request.user)
    return render(
        request,
        "plan/sheet_history.html",
        {"plan": plan, "sheet": sheet, "entries": entries},
    )


# --- Exports --------------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def plan_export(request, slug, what, fmt):
    plan = _plan(request, slug)
    overview = plan_overview(plan, request.user, filters=Filters.from_query(request.GET))
    stamp = clock.today().isoformat()
    if fmt == "csv" and what == "fiches":
        content = exports.sheets_csv(overview)
    elif fmt == "csv" and what == "indicateurs":
        content = exports.indicators_csv(overview)
    elif fmt == "xlsx" and what == "schema":
        return _download(exports.plan_xlsx(overview), XLSX, f"{plan.slug}-{stamp}.xlsx")
    else:
        raise Http404
    return _download(content, "text/csv; charset=utf-8", f"{plan.slug}-{what}-{stamp}.csv")


@require_safe
def sheet_pdf(request, slug, ref):
    plan = _plan(request, slug)
    sheet = _sheet(request, plan, ref)
    sheet = (
        sheets_queryset(plan, request.user)
        .filter(pk=sheet.pk)
        .prefetch_related("milestones", "budget_lines", "fundings", "key_figures")
        .get()
    )
    row = sheet_row(sheet, on=clock.today(), editable=None)
    blocks = [
        {
            "row": r,
            "chart": _indicator_chart(r, _measurement_points(r.indicator), width=480, height=280),
        }
        for r in row.indicators
    ]
    budget_lines = list(sheet.budget_lines.all())
    context = {
        "plan": plan,
        "sheet": sheet,
        "row": row,
        "indicator_blocks": blocks,
        "budget_lines": budget_lines,
        "budget_total": sum((b.amount for b in budget_lines), start=0),
        "today": clock.today(),
    }
    return _download(exports.sheet_pdf(context), "application/pdf", f"{plan.slug}-{sheet.ref}.pdf")


@require_safe
def plan_report(request, slug):
    plan = _plan(request, slug)
    overview = plan_overview(plan, request.user)
    context = {
        "plan": plan,
        "overview": overview,
        "histogram": charts.progress_histogram(r.progress for r in overview.rows),
        "status_chart": charts.status_chart(overview.status_counts),
        "next_meetings": plan.meetings.upcoming()[:5],
        "today": clock.today(),
    }
    return _download(
        exports.plan_report_pdf(context),
        "application/pdf",
        f"{plan.slug}-rapport-{clock.today().isoformat()}.pdf",
    )


@require_safe
def meetings_ics(request, slug):
    plan = _plan(request, slug)
    meetings = plan.meetings.prefetch_related("sheets").order_by("starts_at")
    content = exports.meetings_ics(plan, meetings, host=request.get_host().split(":")[0])
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(plan.slug)}-instances.ics"'
    return response


# --- Bulk update ----------------------------------------------------------------------------


@login_required
def bulk_update_upload(request, slug):
    plan = _plan(request, slug)
    if not permissions.can_manage_meetings(request.user, plan):
        raise PermissionDenied
    form = BulkUpdateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            update = bulk.bulk_update_read(
                plan=plan, file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("plan:bulk_update_preview", slug=plan.slug, pk=update.pk)
    return render(request, "plan/bulk_update_upload.html", {"plan": plan, "form": form})


@login_required
def series_upload(request, slug):
    """Series of values from another system (the Archives' exports for Num03…): upload, then
    the same preview and confirmation as the workbook."""
    from .series import series_read

    plan = _plan(request, slug)
    if not permissions.can_manage_meetings(request.user, plan):
        raise PermissionDenied
    form = SeriesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            update = series_read(
                plan=plan, content=upload.read(), filename=upload.name, user=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("plan:bulk_update_preview", slug=plan.slug, pk=update.pk)
    indicators = (
        Indicator.objects.filter(sheet__plan=plan)
        .visible_to(request.user)
        .select_related("sheet")
        .order_by("sheet__order", "sheet__ref", "order")
    )
    return render(
        request,
        "plan/series_upload.html",
        {"plan": plan, "form": form, "indicators": indicators},
    )


@login_required
def bulk_update_preview(request, slug, pk):
    plan = _plan(request, slug)
    update = get_object_or_404(BulkUpdate, pk=pk, plan=plan)
    if not permissions.can_apply_bulk_update(request.user, update):
        raise Http404
    if request.method == "POST":
        try:
            count = bulk.bulk_update_apply(bulk_update=update, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("plan:bulk_update_preview", slug=plan.slug, pk=update.pk)
        if count:
            messages.success(request, labels.MSG_IMPORT_APPLIED.format(count=count))
        else:
            messages.info(request, labels.MSG_IMPORT_NOTHING)
        return redirect(plan.get_absolute_url())
    return render(request, "plan/bulk_update_preview.html", {"plan": plan, "update": update})


# --- Meetings -------------------------------------------------------------------------------


def meeting_list(request, slug):
    plan = _plan(request, slug)
    meetings = plan.meetings.prefetch_related("sheets").order_by("-starts_at")
    return render(
        request,
        "plan/meeting_list.html",
        {
            "plan": plan,
            "meetings": meetings,
            "can_manage": permissions.can_manage_meetings(request.user, plan),
            "generate_form": MeetingsGenerateForm(initial={"year": clock.today().year}),
        },
    )


def meeting_detail(request, slug, pk):
    plan = _plan(request, slug)
    meeting = get_object_or_404(plan.meetings.prefetch_related("sheets"), pk=pk)
    visible = set(
        ActionSheet.objects.filter(plan=plan).visible_to(request.user).values_list("pk", flat=True)
    )
    return render(
        request,
        "plan/meeting_detail.html",
        {
            "plan": plan,
            "meeting": meeting,
            "sheets": [s for s in meeting.sheets.all() if s.pk in visible],
            "can_manage": permissions.can_manage_meeting(request.user, meeting),
        },
    )


@login_required
def meeting_edit(request, slug, pk=None):
    plan = _plan(request, slug)
    if not permissions.can_manage_meetings(request.user, plan):
        raise PermissionDenied
    meeting = get_object_or_404(plan.meetings, pk=pk) if pk else None
    if meeting is not None and not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        plan=plan,
        editable_sheet_ids=permissions.editable_sheet_ids(request.user, plan),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "sheets"}
        try:
            if meeting is None:
                meeting = services.meeting_create(
                    plan=plan, data=data, sheets=form.cleaned_data["sheets"], by=request.user
                )
            else:
                services.meeting_update(
                    meeting=meeting, data=data, sheets=form.cleaned_data["sheets"], by=request.user
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_MEETING_SAVED)
            return redirect("plan:meeting_detail", slug=plan.slug, pk=meeting.pk)
    return render(
        request, "plan/meeting_form.html", {"plan": plan, "form": form, "meeting": meeting}
    )


@login_required
def meeting_delete(request, slug, pk):
    """GET asks for confirmation and says what goes with the meeting; POST deletes."""
    plan = _plan(request, slug)
    meeting = get_object_or_404(plan.meetings.prefetch_related("sheets"), pk=pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    if request.method == "POST":
        services.meeting_delete(meeting=meeting, by=request.user)
        messages.success(request, labels.MSG_MEETING_DELETED)
        return redirect("plan:meeting_list", slug=plan.slug)
    return render(request, "plan/meeting_delete.html", {"plan": plan, "meeting": meeting})


@require_POST
@login_required
def meetings_generate(request, slug):
    """Plan a year of meetings from the rhythms written in the sheets (e.g. Num02)."""
    plan = _plan(request, slug)
    if not permissions.can_manage_meetings(request.user, plan):
        raise PermissionDenied
    form = MeetingsGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez une année valide.")
        return redirect("plan:meeting_list", slug=plan.slug)
    created = 0
    sheets = plan.sheets.exclude(governance_rhythm=[])
    editable = permissions.editable_sheet_ids(request.user, plan)
    if editable is not None:
        sheets = sheets.filter(pk__in=editable)
    for sheet in sheets:
        created += len(
            services.meetings_generate_from_rhythm(
                plan=plan,
                year=form.cleaned_data["year"],
                rhythm=sheet.governance_rhythm,
                sheets=[sheet],
                by=request.user,
            )
        )
    messages.success(request, f"{created} réunion(s) planifiée(s).")
    return redirect("plan:meeting_list", slug=plan.slug)


def _measurement(request, slug: str, pk: int):
    """A measurement of a sheet `request.user` may record values for (404 / 403 otherwise)."""
    plan = _plan(request, slug)
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__sheet"), pk=pk, indicator__sheet__plan=plan
    )
    sheet = _sheet(request, plan, measurement.indicator.sheet.ref)
    _indicator(request, sheet, measurement.indicator_id)
    if not permissions.can_record_measurement(request.user, sheet):
        raise PermissionDenied
    return measurement


@login_required
def measurement_edit(request, slug, pk):
    """Correct a value (date, value, comment); the history keeps the one it replaces."""
    measurement = _measurement(request, slug, pk)
    indicator = measurement.indicator
    form = MeasurementForm(
        request.POST or None,
        correcting=True,
        initial={"value": measurement.value, "comment": measurement.comment},
    )
    if request.method != "POST":
        form.initial["date"] = measurement.date
        form.fields["date"].initial = measurement.date
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_update(
                measurement=measurement,
                value=form.cleaned_data["value"],
                date=form.cleaned_data["date"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, labels.MSG_MEASUREMENT_CORRECTED)
            return redirect(indicator.get_absolute_url())
    return render(
        request,
        "plan/measurement_form.html",
        {"measurement": measurement, "indicator": indicator, "form": form},
    )


@login_required
def measurement_delete(request, slug, pk):
    """GET asks for confirmation; POST deletes (the sheet's history keeps the value)."""
    measurement = _measurement(request, slug, pk)
    indicator = measurement.indicator
    if request.method == "POST":
        services.measurement_delete(measurement=measurement, by=request.user)
        messages.success(request, labels.MSG_MEASUREMENT_DELETED)
        return redirect(indicator.get_absolute_url())
    return render(
        request,
        "plan/measurement_delete.html",
        {"measurement": measurement, "indicator": indicator},
    )
