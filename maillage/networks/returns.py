"""Monthly returns: the member's counts for a month (sent through the short form, or imported),
who owes one, and who has not sent it.

A return holds numbers only: online contacts by channel, subjects, redirections to a partner,
young people followed individually, physical meetings after an online contact. Sending a
return again for the same month replaces it (idempotent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from maillage import clock

from . import labels
from .labels import COUNT_CHOICES, CountKind, MemberStatus, ReturnSource
from .models import Member, MonthlyReturn, Network, ReturnCount, month_end, month_start
from .services import _check_act_for, recompute_indicators

SCALAR_FIELDS = ("follow_ups", "physical_meetings")


@dataclass(frozen=True)
class ReturnData:
    """What one return says, validated: the two scalar counts and the three grids."""

    follow_ups: int = 0
    physical_meetings: int = 0
    counts: Mapping[str, Mapping[str, int]] | None = None

    def non_zero_counts(self) -> list[tuple[str, str, int]]:
        return [
            (kind, code, value)
            for kind, grid in (self.counts or {}).items()
            for code, value in grid.items()
            if value
        ]


def check_data(data: ReturnData) -> None:
    """Every number a non-negative integer, every grid code a known one."""
    problems = {}
    for name in SCALAR_FIELDS:
        value = getattr(data, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems[name] = labels.ERR_NEGATIVE
    for kind, grid in (data.counts or {}).items():
        if kind not in COUNT_CHOICES:
            problems[kind] = f"Grille inconnue : « {kind} »."
            continue
        for code, value in grid.items():
            if code not in COUNT_CHOICES[kind].values:
                problems[f"{kind}_{code}"] = f"Rubrique inconnue : « {code} »."
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems[f"{kind}_{code}"] = labels.ERR_NEGATIVE
    if problems:
        raise ValidationError(problems)


def check_month(member: Member, month: dt.date) -> None:
    """A month that has begun, during which the person was a member of the network."""
    if month != month_start(month):
        raise ValidationError({"month": labels.ERR_MONTH})
    if month > clock.today():
        raise ValidationError({"month": labels.ERR_FUTURE_MONTH})
    at_end = member.status_on(month_end(month))
    if at_end is None or (
        at_end == MemberStatus.LEFT and member.status_on(month) in (MemberStatus.LEFT, None)
    ):
        raise ValidationError({"month": labels.ERR_NOT_A_MEMBER})


def write_return(
    *, member: Member, month: dt.date, data: ReturnData, source: str, by=None
) -> tuple[MonthlyReturn, bool]:
    """Create or replace the return (no permission check, no recomputation: the callers)."""
    monthly_return, created = MonthlyReturn.objects.update_or_create(
        member=member,
        month=month,
        defaults={
            "follow_ups": data.follow_ups,
            "physical_meetings": data.physical_meetings,
            "source": source,
            "submitted_at": timezone.now(),
            "submitted_by": by if by is not None and by.is_authenticated else None,
        },
    )
    if not created:
        monthly_return.counts.all().delete()
    ReturnCount.objects.bulk_create(
        ReturnCount(monthly_return=monthly_return, kind=kind, code=code, count=value)
        for kind, code, value in data.non_zero_counts()
    )
    return monthly_return, created


@transaction.atomic
def return_submit(
    *,
    member: Member,
    month: dt.date,
    data: ReturnData,
    by=None,
    source: str = ReturnSource.FORM,
) -> MonthlyReturn:
    """The member (or a coordinator for them) sends the return of `month`."""
    _check_act_for(by, member)
    if member.is_erased:
        raise ValidationError(labels.ERR_ERASED)
    check_month(member, month)
    check_data(data)
    monthly_return, _created = write_return(
        member=member, month=month, data=data, source=source, by=by
    )
    recompute_indicators(month)
    return monthly_return


def initial_data(monthly_return: MonthlyReturn | None) -> dict:
    """The form's initial values for an existing return (or none)."""
    if monthly_return is None:
        return {}
    initial = {name: getattr(monthly_return, name) for name in SCALAR_FIELDS}
    for kind, grid in monthly_return.counts_by_kind().items():
        for code, value in grid.items():
            initial[f"{kind}_{code}"] = value
    return initial


# --- Who owes a return -------------------------------------------------------------------------


def missing_returns(network: Network, month: dt.date) -> QuerySet[Member]:
    """Members who owe the return of `month` and have not sent it."""
    sent = MonthlyReturn.objects.filter(member=OuterRef("pk"), month=month)
    return (
        Member.objects.filter(network=network, erased_at__isnull=True)
        .reporting_for(month)
        .annotate(sent=Exists(sent))
        .filter(sent=False)
        .select_related("organisation", "network")
    )


@dataclass(frozen=True)
class Completion:
    month: dt.date
    expected: int
    sent: int

    @property
    def missing(self) -> int:
        return max(self.expected - self.sent, 0)

    @property
    def percent(self) -> int | None:
        return round(100 * self.sent / self.expected) if self.expected else None


def completion(network: Network, month: dt.date) -> Completion:
    """How many returns of `month` were expected and how many of those arrived."""
    expected = Member.objects.filter(network=network).reporting_for(month)
    sent = expected.filter(returns__month=month).count()
    return Completion(month=month, expected=expected.count(), sent=sent)


def grid_totals(returns: QuerySet[MonthlyReturn]) -> dict[str, list[tuple[str, int]]]:
    """Sums of each grid over `returns`: {kind: [(label, total)…]} in the grid's order."""
    from django.db.models import Sum

    rows = (
        ReturnCount.objects.filter(monthly_return__in=returns)
        .values("kind", "code")
        .annotate(total=Sum("count"))
    )
    totals = {(row["kind"], row["code"]): row["total"] for row in rows}
    return {
        kind: [(label, totals.get((kind, code), 0)) for code, label in COUNT_CHOICES[kind].choices]
        for kind in CountKind.values
    }
