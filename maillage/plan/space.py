"""The plan's panel of "Mon espace": the sheets a pilot runs, with their state, and the
indicators waiting for this year's value."""

import datetime as dt

from django.db.models import Max, Q

from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .labels import MeasurementMethod
from .models import ActionSheet, Indicator

SHEETS_SHOWN = 12
INDICATORS_SHOWN = 8


def sheets_panel(user, *, today: dt.date) -> Panel | None:
    """The sheets the person may edit, and the manual indicators of the sheets whose values
    they record that have no value yet this year (three queries)."""
    if not permissions.can_anywhere(user, permissions.PLAN_EDIT_SHEET):
        return None
    sheets = list(
        ActionSheet.objects.filter(permissions.editable_sheets_q(user))
        .filter(plan__in=_visible_plans(user))
        .select_related("plan")
        .order_by("plan__name", "ref")[:SHEETS_SHOWN]
    )
    year_start = today.replace(month=1, day=1)
    due = list(
        Indicator.objects.filter(
            sheet__in=ActionSheet.objects.filter(permissions.measurable_sheets_q(user)).filter(
                plan__in=_visible_plans(user)
            ),
            measurement_method=MeasurementMethod.MANUAL,
        )
        .annotate(last_date=Max("measurements__date"))
        .filter(Q(last_date__isnull=True) | Q(last_date__lt=year_start))
        .select_related("sheet__plan")
        .order_by("sheet__ref", "order", "pk")[: INDICATORS_SHOWN + 1]
    )
    return Panel(
        title="Mes fiches action",
        template="plan/space/sheets.html",
        context={
            "sheets": sheets,
            "due": due[:INDICATORS_SHOWN],
            "more_due": len(due) > INDICATORS_SHOWN,
            "year": today.year,
        },
    )


def _visible_plans(user):
    from .models import Plan

    return Plan.objects.visible_to(user)


def register() -> None:
    register_panel("plan.sheets", 40, sheets_panel)
