"""Statistics of accompaniments for dashboards, exports and the public page.

Every figure is a database aggregation over the same querysets the indicator sources use
(`indicator_sources.accompaniments` / `participations`), so a dashboard and an indicator
computed with the same filters agree. Three measures, always labelled: activities (an
accompaniment or a workshop counts once), sessions (each attendance) and distinct people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .indicator_sources import accompaniments, anonymous_participants, participations
from .labels import (
    AccompanimentKind,
    AgeBand,
    OutcomeKind,
    Situation,
    Theme,
)
from .models import Beneficiary, Outcome

MEASURES = {
    "activities": "Accompagnements et ateliers",
    "sessions": "Séances (chaque venue)",
    "people": "Personnes distinctes (nommées)",
}
MONTHS_SHORT = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass
class Row:
    label: str
    activities: int = 0
    sessions: int = 0
    people: int = 0


def totals(filters: dict, *, start: dt.date | None, end: dt.date) -> Row:
    acc = accompaniments(filters, start=start, end=end)
    parts = participations(filters, start=start, end=end)
    anonymous = anonymous_participants(filters, start=start, end=end)
    agg = parts.aggregate(sessions=Count("id"), people=Count("beneficiary_id", distinct=True))
    return Row(
        "Total",
        activities=acc.count(),
        sessions=agg["sessions"] + anonymous,
        people=agg["people"],
    )


def _by_accompaniment_field(filters, start, end, field: str, label_of) -> list[Row]:
    acc = accompaniments(filters, start=start, end=end)
    activity = {
        r[field]: (r["n"], r["anon"] or 0)
        for r in acc.values(field).annotate(n=Count("id"), anon=Sum("anonymous_participants"))
    }
    parts = participations(filters, start=start, end=end).values(f"accompaniment__{field}")
    people = {
        r[f"accompaniment__{field}"]: r
        for r in parts.annotate(s=Count("id"), p=Count("beneficiary_id", distinct=True))
    }
    rows = []
    for key in sorted(set(activity) | set(people), key=lambda k: (k is None, str(k))):
        n, anon = activity.get(key, (0, 0))
        p = people.get(key, {"s": 0, "p": 0})
        rows.append(Row(label_of(key), n, p["s"] + anon, p["p"]))
    return rows


def by_month(filters, *, start, end) -> list[Row]:
    acc = accompaniments(filters, start=start, end=end).annotate(month=TruncMonth("date"))
    activity = {
        r["month"]: (r["n"], r["anon"] or 0)
        for r in acc.values("month").annotate(n=Count("id"), anon=Sum("anonymous_participants"))
    }
    parts = (
        participations(filters, start=start, end=end)
        .annotate(month=TruncMonth("accompaniment__date"))
        .values("month")
        .annotate(s=Count("id"), p=Count("beneficiary_id", distinct=True))
    )
    people = {r["month"]: r for r in parts}
    rows = []
    for month in sorted(set(activity) | set(people)):
        n, anon = activity.get(month, (0, 0))
        p = people.get(month, {"s": 0, "p": 0})
        label = f"{MONTHS_SHORT[month.month - 1]} {month.year}"
        rows.append(Row(label, n, p["s"] + anon, p["p"]))
    return rows


def by_kind(filters, *, start, end) -> list[Row]:
    return _by_accompaniment_field(
        filters, start, end, "kind", lambda k: AccompanimentKind(k).label if k else "—"
    )


def by_place(filters, *, start, end) -> list[Row]:
    return _by_accompaniment_field(
        filters, start, end, "place__name", lambda k: k or "Hors lieu (domicile, à distance)"
    )


def by_commune(filters, *, start, end) -> list[Row]:
    return _by_accompaniment_field(
        filters, start, end, "commune__name", lambda k: k or "Commune non renseignée"
    )


def by_theme(filters, *, start, end) -> list[Row]:
    rows = []
    for theme in Theme:
        themed = {**filters, "themes": [theme.value]}
        row = totals(themed, start=start, end=end)
        if row.activities:
            rows.append(Row(theme.label, row.activities, row.sessions, row.people))
    return sorted(rows, key=lambda r: -r.activities)


def _by_beneficiary_field(filters, start, end, field: str, label_of) -> list[Row]:
    parts = (
        participations(filters, start=start, end=end)
        .values(f"beneficiary__{field}")
        .annotate(
            s=Count("id"),
            p=Count("beneficiary_id", distinct=True),
            a=Count("accompaniment_id", distinct=True),
        )
        .order_by(f"beneficiary__{field}")
    )
    rows = [Row(label_of(r[f"beneficiary__{field}"]), r["a"], r["s"], r["p"]) for r in parts]
    anonymous = anonymous_participants(filters, start=start, end=end)
    if anonymous:
        rows.append(Row("Participants non nommés", 0, anonymous, 0))
    return rows


def by_age_band(filters, *, start, end) -> list[Row]:
    return _by_beneficiary_field(
        filters, start, end, "age_band", lambda k: AgeBand(k).label if k in AgeBand.values else "—"
    )


def by_situation(filters, *, start, end) -> list[Row]:
    return _by_beneficiary_field(
        filters,
        start,
        end,
        "situation",
        lambda k: Situation(k).label if k in Situation.values else "—",
    )


BREAKDOWNS = {
    "mois": ("Par mois", by_month),
    "type": ("Par type d'accompagnement", by_kind),
    "thematique": ("Par thématique", by_theme),
    "lieu": ("Par lieu", by_place),
    "commune": ("Par commune", by_commune),
    "age": ("Par tranche d'âge", by_age_band),
    "situation": ("Par situation", by_situation),
}


@dataclass
class FunnelStep:
    label: str
    people: int


def funnel(filters, *, start, end) -> list[FunnelStep]:
    """Num01's path: people helped individually → later joined the collective courses →
    equipped (distinct people at each step, each step a subset of the previous one)."""
    individual = {**filters, "kind": [AccompanimentKind.INDIVIDUAL, AccompanimentKind.PROCEDURE]}
    helped = participations(individual, start=start, end=end).values("beneficiary_id")
    people = Beneficiary.objects.filter(pk__in=helped)
    joined = people.filter(
        pk__in=Outcome.objects.filter(kind=OutcomeKind.JOINED_COLLECTIVE, date__lte=end).values(
            "beneficiary_id"
        )
    )
    equipped = joined.filter(
        pk__in=Outcome.objects.filter(kind=OutcomeKind.EQUIPPED, date__lte=end).values(
            "beneficiary_id"
        )
    )
    return [
        FunnelStep("Personnes accompagnées individuellement", people.count()),
        FunnelStep("… qui ont ensuite rejoint les cours collectifs", joined.count()),
        FunnelStep("… et qui se sont équipées", equipped.count()),
    ]


# --- Public statistics (masked) -------------------------------------------------------------


def threshold() -> int:
    return settings.MAILLAGE_PUBLIC_STATS_THRESHOLD


def masked(value: int, limit: int | None = None) -> str | int:
    """Counts from 1 to limit-1 are replaced by "< limit": nobody can be recognised."""
    limit = threshold() if limit is None else limit
    if 0 < value < limit:
        return f"< {limit}"
    return value


def masked_rows(rows: list[Row], limit: int | None = None) -> list[dict]:
    return [
        {
            "label": row.label,
            "activities": masked(row.activities, limit),
            "sessions": masked(row.sessions, limit),
            "people": masked(row.people, limit),
        }
        for row in rows
    ]


def plan_organisation_ids(plan) -> list[int]:
    """Organisations acting (pilots, partners) in the plan's public sheets."""
    return list(
        plan.sheets.public()
        .filter(actors__organisation__isnull=False)
        .values_list("actors__organisation_id", flat=True)
        .distinct()
    )


def public_statistics(plan, *, start: dt.date | None, end: dt.date) -> dict:
    """What anyone may read about a plan's mediation: masked totals and breakdowns."""
    limit = threshold()
    filters = {"organisation_ids": plan_organisation_ids(plan)}
    return {
        "threshold": limit,
        "totals": masked_rows([totals(filters, start=start, end=end)], limit)[0],
        "breakdowns": {
            key: {
                "title": title,
                "rows": masked_rows(function(filters, start=start, end=end), limit),
            }
            for key, (title, function) in BREAKDOWNS.items()
        },
    }
