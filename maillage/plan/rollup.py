"""Read model of a plan: sheets with their indicators' progress, in a fixed number of queries.

Used by the plan page, the dashboard, the exports and the report, so that what people see,
print and download agrees. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from maillage import clock
from maillage.organisations import permissions
from maillage.territory.labels import ScopeLevel
from maillage.web.query_names import with_old_names

from . import labels
from .labels import ActorRole, ProgressStatus
from .models import ActionSheet, BudgetLine, Indicator, Plan, SheetActor, Target
from .progress import IndicatorState, indicator_state, plan_progress, sheet_progress


@dataclass
class IndicatorRow:
    indicator: Indicator
    state: IndicatorState


@dataclass
class SheetRow:
    sheet: ActionSheet
    pilots: list[SheetActor]
    partners: list[SheetActor]
    indicators: list[IndicatorRow]
    progress: Decimal | None
    budget_total: Decimal
    can_edit: bool

    @property
    def progress_int(self) -> int | None:
        return None if self.progress is None else int(self.progress.to_integral_value())

    @property
    def pilot_names(self) -> str:
        return ", ".join(a.display_name for a in self.pilots)

    @property
    def partner_names(self) -> str:
        return ", ".join(a.display_name for a in self.partners)


# A filter's name in the address when it differs from its field (`web/query_names.py`); the
# field's name, used before, is still read.
FILTER_QUERY_NAMES = {"pilot": "pilote", "status": "statut", "territory": "territoire"}


@dataclass
class Filters:
    theme: str = ""
    pilot: str = ""
    dimension: str = ""
    status: str = ""
    territory: str = ""

    @staticmethod
    def _query_name(name: str) -> str:
        return FILTER_QUERY_NAMES.get(name, name)

    @classmethod
    def from_query(cls, query) -> Filters:
        query = with_old_names(query, FILTER_QUERY_NAMES)
        filters = cls(
            **{
                name: query.get(cls._query_name(name), "").strip()
                for name in cls.__dataclass_fields__
            }
        )
        if filters.dimension not in labels.DIMENSIONS:
            filters.dimension = ""
        if filters.status not in labels.SheetStatus.values:
            filters.status = ""
        return filters

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({self._query_name(k): v for k, v in self.__dict__.items() if v})


@dataclass
class PlanOverview:
    plan: Plan
    rows: list[SheetRow]
    progress: Decimal | None
    on: dt.date
    status_counts: dict[str, int] = field(default_factory=dict)
    indicator_status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def progress_int(self) -> int | None:
        return None if self.progress is None else int(self.progress.to_integral_value())


def _territory_q(code: str) -> Q:
    """Sheets concerning an EPCI (SIREN, 9 digits) or a commune (INSEE code)."""
    departement_wide = Q(scope_level=ScopeLevel.DEPARTEMENT)
    if len(code) == 9 and code.isdigit():
        return departement_wide | Q(epcis=code) | Q(communes__epci=code)
    if len(code) == 5:
        return (
            departement_wide
            | Q(communes=code)
            | Q(epcis__communes=code)
            | Q(scope_level=ScopeLevel.OTHER, scope_text__icontains=code)
        )
    return Q(scope_level=code) if code in ScopeLevel.values else Q(pk__in=[])


def filter_sheets(qs, filters: Filters):
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.dimension:
        qs = qs.filter(**{filters.dimension: True})
    if filters.pilot:
        pilots = SheetActor.objects.filter(role=ActorRole.PILOT).filter(
            Q(organisation__name=filters.pilot) | Q(organisation__isnull=True, name=filters.pilot)
        )
        qs = qs.filter(pk__in=pilots.values("sheet_id"))
    if filters.territory:
        qs = qs.filter(
            pk__in=ActionSheet.objects.filter(_territory_q(filters.territory)).values("pk")
        )
    return qs


def sheets_queryset(plan: Plan, user):
    """The plan's sheets `user` may see, with everything a row needs prefetched."""
    budget = (
        BudgetLine.objects.filter(sheet=OuterRef("pk"))
        .values("sheet")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    indicators = (
        Indicator.objects.visible_to(user)
        .with_latest()
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by()))
        .order_by("order", "id")
    )
    actors = SheetActor.objects.select_related("organisation").order_by("role", "order", "id")
    return (
        ActionSheet.objects.filter(plan=plan)
        .visible_to(user)
        .annotate(
            budget_total=Coalesce(
                Subquery(budget, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        )
        .prefetch_related(Prefetch("actors", queryset=actors), Prefetch("indicators", indicators))
        .order_by("order", "ref")
    )


def indicator_row(indicator: Indicator, on: dt.date) -> IndicatorRow:
    latest_value = getattr(indicator, "latest_value", None)
    latest_date = getattr(indicator, "latest_date", None)
    if not hasattr(indicator, "latest_value"):
        latest = indicator.measurements.order_by("-date", "-id").first()
        latest_value = latest.value if latest else None
        latest_date = latest.date if latest else None
    state = indicator_state(
        targets=indicator.targets_by_kind(),
        current=latest_value,
        current_date=latest_date,
        direction=indicator.direction,
        on=on,
    )
    return IndicatorRow(indicator=indicator, state=state)


def sheet_row(sheet: ActionSheet, *, on: dt.date, editable: set[int] | None) -> SheetRow:
    indicator_rows = [indicator_row(i, on) for i in sheet.indicators.all()]
    actors = list(sheet.actors.all())
    return SheetRow(
        sheet=sheet,
        pilots=[a for a in actors if a.role == ActorRole.PILOT],
        partners=[a for a in actors if a.role == ActorRole.PARTNER],
        indicators=indicator_rows,
        progress=sheet_progress((r.state.progress, r.indicator.weight) for r in indicator_rows),
        budget_total=getattr(sheet, "budget_total", Decimal(0)) or Decimal(0),
        can_edit=editable is None or sheet.pk in editable,
    )


def plan_overview(
    plan: Plan, user, *, filters: Filters | None = None, on: dt.date | None = None
) -> PlanOverview:
    on = on or clock.today()
    qs = sheets_queryset(plan, user)
    if filters is not None:
        qs = filter_sheets(qs, filters)
    editable = permissions.editable_sheet_ids(user, plan)
    rows = []
    for sheet in qs:
        sheet.plan = plan  # one plan for every row: no query per row for links
        rows.append(sheet_row(sheet, on=on, editable=editable))
    status_counts = dict.fromkeys(labels.SheetStatus.values, 0)
    indicator_counts = dict.fromkeys(ProgressStatus.values, 0)
    for row in rows:
        status_counts[row.sheet.status] += 1
        for indicator in row.indicators:
            indicator_counts[indicator.state.status] += 1
    return PlanOverview(
        plan=plan,
        rows=rows,
        progress=plan_progress((r.progress, r.sheet.weight) for r in rows),
        on=on,
        status_counts=status_counts,
        indicator_status_counts=indicator_counts,
    )


def filter_choices(plan: Plan, user) -> dict:
    """Values offered in the filters: only those present in the plan's visible sheets."""
    sheets = ActionSheet.objects.filter(plan=plan).visible_to(user)
    themes = sorted(set(sheets.exclude(theme="").values_list("theme", flat=True)))
    pilots = set()
    for org_name, name in SheetActor.objects.filter(
        sheet__in=sheets, role=ActorRole.PILOT
    ).values_list("organisation__name", "name"):
        pilots.add(org_name or name)
    from django.apps import apps

    epci_model = apps.get_model("territory", "Epci")
    return {
        "themes": themes,
        "pilots": sorted(pilots),
        "dimensions": list(labels.DIMENSIONS.items()),
        "statuses": labels.SheetStatus.choices,
        "scope_levels": ScopeLevel.choices,
        "epcis": list(epci_model.objects.order_by("name").values_list("siren", "name")),
    }
