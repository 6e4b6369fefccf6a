"""Rules on the plan's records: plans, action sheets, indicators, measurements, meetings."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from ..labels import OrganisationKind
from .rule_book import (
    PLAN_ADMINISTER,
    PLAN_EDIT_SHEET,
    PLAN_RECORD_MEASUREMENT,
    _in,
    _is_person,
    _none,
    is_platform_admin,
    member_organisations,
    organisations_where,
)

# --- Plan ----------------------------------------------------------------------------------
# "The organisation" of a sheet is each of its pilot organisations. Anyone reads the public
# (non-draft, non-confidential) items; members of a sheet's pilot or partner organisations
# also read its confidential items.


def is_plan_admin(user) -> bool:
    """Platform administrators, and holders of `plan.administer` in an organisation of kind
    `departement`, administer every plan (drafts, every sheet, meetings)."""
    if is_platform_admin(user):
        return True
    return (
        organisations_where(user, PLAN_ADMINISTER)
        .filter(kind=OrganisationKind.DEPARTEMENT)
        .exists()
    )


def _sheet_actors():
    return apps.get_model("plan", "SheetActor").objects


def _sheet_ids_piloted_where(user, action: str) -> QuerySet:
    return (
        _sheet_actors()
        .pilots()
        .filter(organisation__in=organisations_where(user, action))
        .values("sheet_id")
    )


def visible_plans_q(user) -> Q:
    """Plans `user` may read: every plan for plan administrators, else all but drafts."""
    if is_plan_admin(user):
        return Q()
    return Q(pk__in=apps.get_model("plan", "Plan").objects.public().values("pk"))


def can_see_plan(user, plan) -> bool:
    """`plan` is among `visible_plans_q`."""
    return _in(visible_plans_q(user), plan)


def visible_sheets_q(user) -> Q:
    """Sheets `user` may read: public ones; confidential ones for members (any role) of the
    sheet's pilot or partner organisations; all for plan administrators."""
    if is_plan_admin(user):
        return Q()
    public = Q(pk__in=apps.get_model("plan", "ActionSheet").objects.public().values("pk"))
    if not _is_person(user):
        return public
    insider = _sheet_actors().filter(organisation__in=member_organisations(user))
    return public | Q(pk__in=insider.values("sheet_id"))


def can_see_sheet(user, sheet) -> bool:
    """`sheet` is among `visible_sheets_q`."""
    return _in(visible_sheets_q(user), sheet)


def visible_indicators_q(user) -> Q:
    """Indicators `user` may read: public ones of public sheets; confidential ones for members
    of the sheet's pilot or partner organisations; all for plan administrators."""
    if is_plan_admin(user):
        return Q()
    public = Q(pk__in=apps.get_model("plan", "Indicator").objects.public().values("pk"))
    if not _is_person(user):
        return public
    insider = _sheet_actors().filter(organisation__in=member_organisations(user))
    return public | Q(sheet_id__in=insider.values("sheet_id"))


def can_see_indicator(user, indicator) -> bool:
    """`indicator` is among `visible_indicators_q`."""
    return _in(visible_indicators_q(user), indicator)


def editable_sheets_q(user) -> Q:
    """Sheets `user` may edit: `plan.edit_sheet` in one of their pilot organisations."""
    if is_plan_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(pk__in=_sheet_ids_piloted_where(user, PLAN_EDIT_SHEET))


def editable_sheet_ids(user, plan=None) -> set[int] | None:
    """Ids of the sheets `user` may edit (in `plan` if given); None means every sheet."""
    if is_plan_admin(user):
        return None
    sheets = apps.get_model("plan", "ActionSheet").objects.filter(editable_sheets_q(user))
    if plan is not None:
        sheets = sheets.filter(plan=plan)
    return set(sheets.values_list("pk", flat=True))


def can_edit_sheet(user, sheet) -> bool:
    """`plan.edit_sheet` in one of the sheet's pilot organisations (or plan administrator):
    the sheet, its status, indicators, targets, budget and data sources."""
    return _in(editable_sheets_q(user), sheet)


def measurable_sheets_q(user) -> Q:
    """Sheets whose indicator values `user` records: `plan.record_measurement` in one of
    their pilot organisations (every sheet for plan administrators)."""
    if is_plan_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(pk__in=_sheet_ids_piloted_where(user, PLAN_RECORD_MEASUREMENT))


def can_record_measurement(user, sheet) -> bool:
    """`plan.record_measurement` in one of the sheet's pilot organisations (or plan
    administrator): record or recompute an indicator value of the sheet."""
    if is_plan_admin(user):
        return True
    return _in(measurable_sheets_q(user), sheet)


def can_manage_meetings(user, plan) -> bool:
    """Plan administrators, and whoever may edit at least one sheet of the plan, manage the
    plan's meetings and apply spreadsheet updates to the sheets they may edit."""
    ids = editable_sheet_ids(user, plan)
    return ids is None or bool(ids)


def can_manage_meeting(user, meeting) -> bool:
    """Edit or delete one meeting: plan administrators any; a pilot only a meeting whose
    sheets are all sheets they may edit (a Num08 pilot does not touch Num02's steering
    committee; a meeting of the whole plan, without sheets, is the administrators')."""
    ids = editable_sheet_ids(user, meeting.plan)
    if ids is None:
        return True
    sheet_ids = {s.pk for s in meeting.sheets.all()}
    return bool(sheet_ids) and sheet_ids <= ids


def can_apply_bulk_update(user, bulk_update) -> bool:
    """Only the person who uploaded a spreadsheet update previews and applies it (and only
    while they may still manage the plan's updates)."""
    return (
        _is_person(user)
        and bulk_update.uploaded_by_id == user.pk
        and can_manage_meetings(user, bulk_update.plan)
    )
