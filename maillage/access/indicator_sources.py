"""Indicator sources computed from the stored access times, registered in the plan's registry
(`maillage.plan.sources`) so a pilot binds them to Num06, Num08 or a new indicator.

The value at a date comes from the last computation finished on or before that date
(`runs.latest_run(on=end)`): the nightly `maillage compute-access` makes the history, and the
plan's measurements keep it. No computation yet, or none of that kind, raises `NoData`.

Filters (the indicator's `source_filters`): `kind` (a kind key, see `kinds.py`; each source has
a default), `minutes` (the threshold, 15 or 20 by default), `min_half_days` (count only places
open at least that many half-days a week), `max_appointment_days` (only places with a free
appointment within that many days), `territory` (an EPCI SIREN, a département code or an INSEE
code). The counting is `coverage.population_figures`, the one the pages show (it reads one row
per commune of one run, a few hundred rows for a département).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from maillage.plan import sources

from . import coverage, kinds, runs

FILTERS = ("kind", "minutes", "min_half_days", "max_appointment_days", "territory")


def _number(filters: dict, name: str, default=None):
    value = filters.get(name, default)
    if value in (None, ""):
        return None
    return float(value)


def _figures(filters: dict, end: dt.date, default_kind: str, default_minutes: int):
    kind = str(filters.get("kind") or default_kind)
    minutes = int(_number(filters, "minutes", default_minutes))
    run = runs.latest_run(on=end)
    if run is None or (run.kinds and kind not in run.kinds):
        raise sources.NoData
    figures = coverage.population_figures(
        kind,
        run=run,
        thresholds=(minutes,),
        min_half_days=_number(filters, "min_half_days"),
        max_appointment_days=_number(filters, "max_appointment_days"),
        territory=str(filters.get("territory") or ""),
    )
    if not figures.communes:
        raise sources.NoData
    return figures, minutes


def population_share_within(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    figures, minutes = _figures(filters, end, kinds.DIGITAL, 15)
    share = figures.whole.share(minutes)
    return Decimal(str(round(100 * share.share, 1)))


def population_within(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    figures, minutes = _figures(filters, end, kinds.DIGITAL, 15)
    return Decimal(figures.whole.share(minutes).population)


def communes_beyond(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    figures, minutes = _figures(filters, end, kinds.VISIO, 20)
    return Decimal(figures.whole.communes - figures.whole.share(minutes).communes)


def median_travel_minutes(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    figures, _minutes = _figures(filters, end, kinds.DIGITAL, 15)
    median = figures.whole.median_travel_minutes
    if median is None or math.isinf(median):
        raise sources.NoData
    return Decimal(str(round(median, 1)))


def register_all() -> None:
    sources.register(
        "access.population_share_within",
        label="Part de la population à moins de N minutes d'un lieu d'aide",
        description="Part de la population (municipale, au centre de chaque commune) à moins "
        "de « minutes » (15 par défaut) de trajet du lieu le plus proche du type « kind » "
        "(digital : tout lieu d'aide au numérique, par défaut ; mediation : bibliothèque point "
        "de médiation ; visio : Point Visio ; visio-<organisme> ; service-<n°>). Filtres : "
        "« min_half_days » (lieux ouverts au moins N demi-journées par semaine), "
        "« max_appointment_days » (un rendez-vous libre sous D jours), « territory ». "
        "Dernier calcul des temps d'accès à la date.",
        unit="%",
        compute=population_share_within,
        filters=FILTERS,
        sheets=("Num05", "Num06", "Num08"),
    )
    sources.register(
        "access.population_within",
        label="Habitants à moins de N minutes d'un lieu d'aide",
        description="Nombre d'habitants à moins de « minutes » (15 par défaut) du lieu le plus "
        "proche du type « kind » (digital par défaut) ; mêmes filtres que la part.",
        unit="habitants",
        compute=population_within,
        filters=FILTERS,
        sheets=("Num05", "Num06", "Num08"),
    )
    sources.register(
        "access.communes_beyond",
        label="Communes à plus de N minutes d'un lieu d'aide",
        description="Communes dont le centre est à plus de « minutes » (20 par défaut) du lieu "
        "le plus proche du type « kind » (visio : Point Visio, par défaut), ou sans lieu.",
        unit="communes",
        compute=communes_beyond,
        filters=FILTERS,
        sheets=("Num06", "Num08"),
    )
    sources.register(
        "access.median_travel_minutes",
        label="Temps de trajet médian jusqu'au lieu d'aide le plus proche",
        description="La moitié de la population vit à moins de ce temps (minutes) du lieu le "
        "plus proche du type « kind » (digital par défaut).",
        unit="minutes",
        compute=median_travel_minutes,
        filters=FILTERS,
        sheets=("Num05", "Num06", "Num08"),
    )
