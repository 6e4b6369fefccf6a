"""The registry of indicator sources: named, documented queries any indicator can be bound to.

An app registers its sources in its `AppConfig.ready()`:

    sources.register(
        "mediation.people",
        label="Personnes accompagnées",
        description="…",
        unit="personnes",
        compute=compute,            # compute(filters, *, start, end) -> Decimal
        countings=("sessions", "people"),
        filters=("organisation", "territory", "situation"),
        page=("mediation:home", "Médiation numérique"),  # the page showing its data (optional)
    )

`filters` is the indicator's `source_filters` (a JSON object) plus `counting` when the source
offers several; `start` (None: from the beginning) and `end` bound the period. A compute
function must run in the database (aggregations), never loop over rows in Python. When
it has nothing to count from yet (no figure published before the date), it raises `NoData`:
no value is stored, rather than a misleading zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

Compute = Callable[..., Decimal]


class NoData(Exception):
    """The source holds no data for the period: the indicator cannot be computed yet."""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    description: str
    unit: str
    compute: Compute
    countings: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    sheets: tuple[str, ...] = field(default=())
    page: tuple[str, str] | None = None  # (URL name, label) of the page showing its data

    do_not_call_in_templates: ClassVar[bool] = True  # templates read its fields

    def __call__(
        self, filters: dict | None = None, *, start: dt.date | None, end: dt.date
    ) -> Decimal:
        return Decimal(self.compute(dict(filters or {}), start=start, end=end))


_REGISTRY: dict[str, Source] = {}


def register(
    key: str,
    *,
    label: str,
    description: str,
    unit: str = "",
    compute: Compute,
    countings: tuple[str, ...] = (),
    filters: tuple[str, ...] = (),
    sheets: tuple[str, ...] = (),
    page: tuple[str, str] | None = None,
) -> Source:
    """Add (or replace, e.g. on reload) the source named `key`."""
    source = Source(key, label, description, unit, compute, countings, filters, sheets, page)
    _REGISTRY[key] = source
    return source


def get(key: str) -> Source | None:
    return _REGISTRY.get(key)


def all_sources() -> list[Source]:
    return sorted(_REGISTRY.values(), key=lambda s: s.key)


def pages(keys) -> list[tuple[str, str]]:
    """(URL, label) of the pages showing the data of the sources named `keys`, once each."""
    from django.urls import reverse

    found = {}
    for key in keys:
        source = _REGISTRY.get(key)
        if source is not None and source.page:
            name, label = source.page
            found.setdefault(reverse(name), label)
    return list(found.items())


def sheet_pages(ref: str) -> list[tuple[str, str]]:
    """(URL, label) of the pages of every source serving the sheet `ref` (bound or not)."""
    return pages(source.key for source in all_sources() if ref in source.sheets)


def choices() -> list[tuple[str, str]]:
    return [(s.key, f"{s.label} ({s.key})") for s in all_sources()]
