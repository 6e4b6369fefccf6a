"""The network's yearly activity report (for the comité de pilotage), as PDF.

Everything is counted in the database for the calendar year (up to today for the current
year): members at the start and the end, arrivals and departures, the network by territory
and trade, trainings and attendance, governance meetings and the yearly rule, returns sent
against returns due, and the sums of the returns. Counts only: nobody is named but the
network's own meetings and trainings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Min, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from maillage import clock
from maillage.plan.charts import bar_chart
from maillage.territory.models import Commune

from .labels import CountKind, Job, MemberStatus, Presence
from .meetings import YearRule, network_meetings, year_rule
from .models import (
    Member,
    MemberStatusChange,
    MonthlyReturn,
    Network,
    TrainingSession,
    month_end,
    month_label,
)
from .returns import Completion, completion, grid_totals


@dataclass
class YearReport:
    network: Network
    year: int
    end: dt.date
    active_start: int
    active_end: int
    in_training_end: int
    target: int | None
    joined: int
    left: int
    by_territory: list[tuple[str, int]]
    by_job: list[tuple[str, int]]
    trainings: list
    meetings: list
    rule: YearRule
    completions: list[Completion]
    totals: dict
    follow_ups: int
    physical_meetings: int
    contacts: int
    contacts_chart: SafeString

    @property
    def is_partial_year(self) -> bool:
        return self.end < dt.date(self.year, 12, 31)

    @property
    def returns_sent(self) -> int:
        return sum(c.sent for c in self.completions)

    @property
    def returns_expected(self) -> int:
        return sum(c.expected for c in self.completions)

    @property
    def returns_percent(self) -> int | None:
        expected = self.returns_expected
        return round(100 * self.returns_sent / expected) if expected else None

    @property
    def channel_totals(self):
        return self.totals[CountKind.CHANNEL]

    @property
    def subject_totals(self):
        return self.totals[CountKind.SUBJECT]

    @property
    def partner_totals(self):
        return self.totals[CountKind.PARTNER]


def network_target(network: Network) -> int | None:
    """The final target of the plan indicator counting this network's active members."""
    if network.sheet_id is None:
        return None
    from maillage.plan.labels import TargetKind
    from maillage.plan.models import Target

    target = Target.objects.filter(
        indicator__sheet_id=network.sheet_id,
        indicator__source_key="networks.active_members",
        kind=TargetKind.FINAL,
        value__isnull=False,
    ).first()
    return int(target.value) if target else None


def _by_territory(members) -> list[tuple[str, int]]:
    codes = Counter(m.organisation.commune_insee for m in members)
    communes = {
        c.pk: c
        for c in Commune.objects.select_related("epci").defer("contour").filter(pk__in=codes)
    }
    by_epci: Counter = Counter()
    for code, count in codes.items():
        commune = communes.get(code)
        name = commune.epci.name if commune and commune.epci else "Territoire non renseigné"
        by_epci[name] += count
    return sorted(by_epci.items(), key=lambda item: (-item[1], item[0]))


def year_report(network: Network, year: int) -> YearReport:
    today = clock.today()
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today)
    members = Member.objects.filter(network=network)
    active_end = list(members.active_on(end).select_related("organisation"))
    changes = MemberStatusChange.objects.filter(
        member__network=network, effective_on__gte=start, effective_on__lte=end
    )
    first_changes = MemberStatusChange.objects.filter(member__network=network).values("member")
    joined = (
        first_changes.annotate(first=Min("effective_on"))
        .filter(first__gte=start, first__lte=end)
        .count()
    )
    returns = MonthlyReturn.objects.filter(
        member__network=network, month__gte=start, month__lte=end
    )
    sums = returns.aggregate(follow_ups=Sum("follow_ups"), physical=Sum("physical_meetings"))
    totals = grid_totals(returns)
    # Months that are over (the current one is still being reported).
    months = [dt.date(year, m, 1) for m in range(1, 13) if month_end(dt.date(year, m, 1)) < today]
    monthly = dict(
        returns.values("month")
        .annotate(n=Sum("counts__count", filter=Q(counts__kind=CountKind.CHANNEL)))
        .values_list("month", "n")
    )
    contacts_rows = [
        {"label": month_label(m).capitalize(), "contacts": monthly.get(m) or 0} for m in months
    ]
    meetings = network_meetings(network).filter(
        starts_at__date__gte=start, starts_at__date__lte=dt.date(year, 12, 31)
    )
    return YearReport(
        network=network,
        year=year,
        end=end,
        active_start=members.active_on(start).count(),
        active_end=len(active_end),
        in_training_end=members.with_status_on(end)
        .filter(status_on=MemberStatus.IN_TRAINING)
        .count(),
        target=network_target(network),
        joined=joined,
        left=changes.filter(status=MemberStatus.LEFT).values("member").distinct().count(),
        by_territory=_by_territory(active_end),
        by_job=sorted(
            Counter(Job(m.job).label for m in active_end).items(), key=lambda i: (-i[1], i[0])
        ),
        trainings=list(
            TrainingSession.objects.filter(
                network=network, starts_on__gte=start, starts_on__lte=dt.date(year, 12, 31)
            )
            .annotate(
                present=Count("attendances", filter=Q(attendances__presence=Presence.PRESENT))
            )
            .order_by("starts_on")
        ),
        meetings=list(meetings.order_by("starts_at")),
        rule=year_rule(network, year),
        completions=[completion(network, m) for m in months],
        totals=totals,
        follow_ups=sums["follow_ups"] or 0,
        physical_meetings=sums["physical"] or 0,
        contacts=sum(row["contacts"] for row in contacts_rows),
        contacts_chart=bar_chart(
            title=f"Contacts en ligne par mois — {year}",
            rows=contacts_rows,
            measure="contacts",
            measure_label="Contacts en ligne",
        ),
    )


def report_pdf(report: YearReport) -> bytes:
    from maillage.plan.exports import _pdf

    html = render_to_string(
        "networks/pdf/report.html", {"r": report, "generated": timezone.localtime()}
    )
    return _pdf(html)
