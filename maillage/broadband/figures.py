"""Read the stored counts: one quarter by commune (the map), series over time (the charts),
the latest known figure at a date (the indicators). Every read is an aggregation in the
database; the number of queries does not grow with the number of communes or quarters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from maillage.territory.models import Commune

from .labels import BASIS_DATASETS, Category, Dataset, MapMeasure
from .models import PremisesCount, Work
from .quarters import Quarter

# A map measure: the dataset it reads, the categories summed above the line, the
# denominator's dataset (premises), and whether a high share is good news.
MEASURES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    MapMeasure.SLOW_WIRED: (Dataset.SPEED_WIRED, (Category.INELIGIBLE, Category.BELOW_3), False),
    MapMeasure.SLOW_ALL: (Dataset.SPEED_ALL, (Category.INELIGIBLE, Category.BELOW_3), False),
    MapMeasure.FTTH: (Dataset.FTTH, (Category.CONNECTABLE,), True),
}


def programme_communes(programme: str | list[str] | None) -> list[str] | None:
    """INSEE codes of the communes where the programme(s) (by slug) have works."""
    if not programme:
        return None
    slugs = programme if isinstance(programme, list | tuple) else [programme]
    return list(
        Work.objects.filter(phase__programme__slug__in=slugs)
        .values_list("commune_id", flat=True)
        .distinct()
    )


def latest_total(
    dataset: str,
    category: str,
    *,
    on: dt.date,
    territory: str | list[str] | None = None,
    communes: list[str] | None = None,
) -> int | None:
    """Sum over communes of each one's latest count at or before `on`; None without any."""
    qs = (
        PremisesCount.objects.filter(dataset=dataset, category=category)
        .latest_at(on)
        .in_territory(territory)
    )
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    result = qs.aggregate(total=Sum("value"), rows=Count("pk"))
    return result["total"] if result["rows"] else None


@dataclass
class CommuneFigure:
    commune: Commune
    premises: int | None = None
    value: int | None = None  # the premises counted by the measure
    details: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> Decimal | None:
        """The measure as a percentage of the premises (may exceed 100 for FttH: the
        regulator's estimate of premises lags the networks' own counts)."""
        if self.value is None or not self.premises:
            return None
        return (Decimal(self.value) * 100 / self.premises).quantize(Decimal("0.1"))

    @property
    def has_data(self) -> bool:
        return self.share is not None


def quarter_figures(
    measure: str, quarter: Quarter, communes: list[Commune]
) -> dict[str, CommuneFigure]:
    """The measure for each commune at the end of `quarter` (premises: the same dataset's,
    or for FttH the latest estimate known at that quarter, else the first one after)."""
    dataset, categories, _ = MEASURES[measure]
    figures = {c.insee_code: CommuneFigure(commune=c) for c in communes}
    rows = PremisesCount.objects.filter(
        dataset=dataset, quarter_end=quarter.end, commune_id__in=figures
    ).values_list("commune_id", "category", "value")
    for insee, category, value in rows:
        figure = figures[insee]
        figure.details[category] = value
        if category == Category.PREMISES:
            figure.premises = value
        elif category in categories:
            figure.value = (figure.value or 0) + value
    if dataset == Dataset.FTTH:
        _fill_ftth_premises(figures, quarter)
    return figures


def _fill_ftth_premises(figures: dict[str, CommuneFigure], quarter: Quarter) -> None:
    """The observatory gives the premises estimate for its latest quarter only."""
    missing = [insee for insee, f in figures.items() if f.premises is None]
    if not missing:
        return
    estimates: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    for insee, day, value in PremisesCount.objects.filter(
        dataset=Dataset.FTTH, category=Category.PREMISES, commune_id__in=missing
    ).values_list("commune_id", "quarter_end", "value"):
        estimates[insee].append((day, value))
    for insee, known in estimates.items():
        before = [item for item in known if item[0] <= quarter.end]
        chosen = max(before) if before else min(known)
        figures[insee].premises = chosen[1]


def series(
    dataset: str, *, territory: str | list[str] | None = None
) -> dict[dt.date, dict[str, int]]:
    """Totals by quarter and category of a commune, an EPCI or the whole département."""
    qs = PremisesCount.objects.filter(dataset=dataset).in_territory(territory)
    result: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, category, total in (
        qs.values("quarter_end", "category")
        .annotate(total=Sum("value"))
        .order_by("quarter_end")
        .values_list("quarter_end", "category", "total")
    ):
        result[day][category] = total
    return dict(result)


def works_by_quarter(*, programme) -> list[dict]:
    """Premises planned and put into service per quarter, and cumulated, for the works."""
    qs = Work.objects.filter(phase__programme=programme)
    planned = dict(
        qs.values("planned_quarter")
        .annotate(n=Sum("planned_premises"))
        .values_list("planned_quarter", "n")
    )
    done = dict(
        qs.filter(done_quarter__isnull=False)
        .values("done_quarter")
        .annotate(n=Sum("done_premises"))
        .values_list("done_quarter", "n")
    )
    days = sorted(set(planned) | set(done))
    rows, planned_total, done_total = [], 0, 0
    for day in days:
        planned_total += planned.get(day, 0)
        done_total += done.get(day, 0)
        rows.append(
            {
                "quarter": Quarter.parse(day),
                "planned": planned.get(day, 0),
                "done": done.get(day, 0),
                "planned_total": planned_total,
                "done_total": done_total,
            }
        )
    return rows


def basis_dataset(filters: dict) -> str:
    return BASIS_DATASETS.get(filters.get("basis", "all"), Dataset.SPEED_ALL)
