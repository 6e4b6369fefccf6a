"""The plan as open data: plans, sheets with their indicators' targets, measurements and
progress. Reads are public (confidential items only for those who may see them);
recording a measurement needs a session and the right to edit the sheet."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from maillage.organisations import permissions
from maillage.plan.models import Indicator, Plan
from maillage.plan.progress import sheet_progress
from maillage.plan.rollup import indicator_row, plan_overview, sheets_queryset
from maillage.plan.services import measurement_record

from .errors import Id, InvalidInputOut, errors, invalid

router = Router(tags=["Schéma"])


def _plan(user, slug: str) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user), slug=slug)


class PlanOut(Schema):
    slug: str
    name: str
    departement_code: str
    period_start: int | None
    period_end: int | None
    status: str


class ActorOut(Schema):
    name: str
    organisation: str | None
    mission: str

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.slug if obj.organisation_id else None


class SheetSummaryOut(Schema):
    ref: str
    action: str
    sub_action: str
    status: str
    dimensions: list[str]
    pilots: list[ActorOut]
    progress: Decimal | None
    budget_total: Decimal


class PlanDetailOut(PlanOut):
    progress: Decimal | None
    sheets: list[SheetSummaryOut]


class TargetOut(Schema):
    kind: str
    value: Decimal | None
    value_text: str
    date: dt.date | None
    year: int | None
    note: str


class MeasurementOut(Schema):
    id: int
    value: Decimal
    date: dt.date
    source: str
    comment: str


class IndicatorOut(Schema):
    id: int
    label: str
    unit: str
    direction: str
    measurement_method: str
    targets: list[TargetOut]
    measurements: list[MeasurementOut]
    current: Decimal | None
    progress: Decimal | None
    status: str


class BudgetLineOut(Schema):
    label: str
    amount: Decimal
    periodicity: str
    year: int | None
    kind: str
    nature: str


class FundingOut(Schema):
    funder_name: str
    funder: str | None
    amount: Decimal | None
    wording: str

    @staticmethod
    def resolve_funder(obj) -> str | None:
        return obj.funder.slug if obj.funder_id else None


class MilestoneOut(Schema):
    label: str
    date: dt.date | None
    year: int | None
    done: bool


class SheetOut(Schema):
    ref: str
    date: dt.date | None
    theme: str
    action: str
    sub_action: str
    description: str
    scope_text: str
    scope_level: str
    calendar_text: str
    status: str
    dimensions: list[str]
    pilots: list[ActorOut]
    partners: list[ActorOut]
    milestones: list[MilestoneOut]
    budget_lines: list[BudgetLineOut]
    cost_text: str
    cost_total: Decimal | None
    cost_notes: str
    fundings: list[FundingOut]
    funding_text: str
    indicators: list[IndicatorOut]
    progress: Decimal | None


def _indicator_out(row) -> dict:
    indicator = row.indicator
    return {
        "id": indicator.pk,
        "label": indicator.label,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "measurement_method": indicator.measurement_method,
        "targets": list(indicator.targets.all()),
        "measurements": list(indicator.measurements.order_by("date", "id")),
        "current": row.state.current,
        "progress": row.state.progress,
        "status": row.state.status,
    }


@router.get("/plans", response=list[PlanOut], summary="Les schémas publiés")
def plans(request):
    return Plan.objects.visible_to(request.user)


@router.get(
    "/plans/{slug}",
    response={200: PlanDetailOut, **errors(404)},
    summary="Un schéma et ses fiches action",
)
def plan(request, slug: str):
    overview = plan_overview(_plan(request.user, slug), request.user)
    sheets = [
        {
            "ref": row.sheet.ref,
            "action": row.sheet.action,
            "sub_action": row.sheet.sub_action,
            "status": row.sheet.status,
            "dimensions": row.sheet.dimensions,
            "pilots": row.pilots,
            "progress": row.progress,
            "budget_total": row.budget_total,
        }
        for row in overview.rows
    ]
    return {
        **PlanOut.from_orm(overview.plan).dict(),
        "progress": overview.progress,
        "sheets": sheets,
    }


@router.get(
    "/plans/{slug}/sheets/{ref}",
    response={200: SheetOut, **errors(404)},
    summary="Une fiche action",
)
def sheet(request, slug: str, ref: str):
    plan = _plan(request.user, slug)
    found = sheets_queryset(plan, request.user).filter(ref=ref).first()
    if found is None:
        raise Http404
    today = timezone.localdate()
    overview_rows = [indicator_row(i, today) for i in found.indicators.all()]
    return {
        **{name: getattr(found, name) for name in SheetOut.model_fields if hasattr(found, name)},
        "pilots": list(found.actors.pilots()),
        "partners": list(found.actors.partners()),
        "milestones": list(found.milestones.all()),
        "budget_lines": list(found.budget_lines.all()),
        "fundings": list(found.fundings.select_related("funder")),
        "indicators": [_indicator_out(row) for row in overview_rows],
        "progress": sheet_progress((r.state.progress, r.indicator.weight) for r in overview_rows),
    }


class MeasurementIn(Schema):
    value: Decimal
    date: dt.date | None = None
    comment: str = ""


@router.post(
    "/indicators/{indicator_id}/measurements",
    response={201: MeasurementOut, **errors(400, 401, 403, 404, 422)},
    auth=django_auth,
    summary="Saisir une mesure",
)
def add_measurement(request, indicator_id: Id, payload: MeasurementIn):
    indicator = get_object_or_404(
        Indicator.objects.visible_to(request.auth).select_related("sheet"), pk=indicator_id
    )
    try:
        measurement = measurement_record(
            indicator=indicator,
            value=payload.value,
            date=payload.date,
            author=request.auth,
            comment=payload.comment,
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Vous ne pouvez pas saisir de mesure pour cette fiche.") from exc
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"value": exc.messages}
        raise invalid(fields) from exc
    return Status(201, measurement)


class SeriesValueOut(Schema):
    indicator: int
    sheet: str
    date: dt.date
    old: Decimal | None
    new: Decimal


class SeriesOut(Schema):
    applied: bool
    changed: int
    unchanged: int
    values: list[SeriesValueOut]
    errors: list[str]


@router.post(
    "/plans/{slug}/series",
    response={200: SeriesOut, 422: SeriesOut | InvalidInputOut, **errors(400, 401, 403, 404)},
    auth=django_auth,
    summary="Importer des séries de valeurs d'indicateurs (CSV ou XLSX)",
    description="Le même import que la page « Importer des séries de valeurs » et la commande "
    "`import-series` : tout le fichier est vérifié, puis appliqué en une fois (sauf "
    "`dry_run`), idempotent par indicateur et date. Réponse 422 avec les erreurs (ligne, "
    "colonne) quand rien n'a été écrit.",
)
def import_series(request, slug: str, file: File[UploadedFile], dry_run: bool = False):
    from maillage.plan.series import series_import

    plan = _plan(request.auth, slug)
    if not permissions.can_manage_meetings(request.auth, plan):
        raise HttpError(403, "Vous ne pouvez pas mettre à jour ce schéma.")
    try:
        update = series_import(
            plan=plan,
            content=file.read(),
            filename=file.name or "",
            user=request.auth,
            dry_run=dry_run,
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Vous ne pouvez pas modifier ces fiches.") from exc
    except ValidationError as exc:
        return Status(422, _series_out(None, errors=exc.messages))
    return Status(422 if update.errors else 200, _series_out(update))


def _series_out(update, errors=None) -> dict:
    if update is None:
        return {"applied": False, "changed": 0, "unchanged": 0, "values": [], "errors": errors}
    return {
        "applied": update.applied_at is not None,
        "changed": len(update.changes),
        "unchanged": update.unchanged,
        "values": [
            {
                "indicator": change["pk"],
                "sheet": change["ref"],
                "date": change["new"]["date"],
                "old": change["old"],
                "new": change["new"]["value"],
            }
            for change in update.changes
        ],
        "errors": update.errors,
    }
