"""Everything that could not be stored (lengths, number sizes, one value per target kind,
measurements without a year…), found before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import models

from maillage import clock
from maillage.territory.names import normalise

from .. import labels
from ..labels import TargetKind
from ..models import (
    MONEY_DIGITS,
    VALUE_DIGITS,
    ActionSheet,
    BudgetLine,
    Funding,
    Indicator,
    KeyFigure,
    Milestone,
    SheetActor,
)
from ..sheet_parser import ParsedSheet, SheetIssue


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _fits(value: Decimal, digits: dict[str, int]) -> bool:
    """Whether `value` fits a DecimalField of `digits` (max_digits, decimal_places) unrounded."""
    _sign, figures, exponent = value.normalize().as_tuple()
    if not isinstance(exponent, int):  # infinity or NaN
        return False
    places = max(0, -exponent)
    integral = max(0, len(figures) + exponent)
    return (
        places <= digits["decimal_places"]
        and integral <= digits["max_digits"] - digits["decimal_places"]
    )


def validate_sheets(sheets: Iterable[ParsedSheet]) -> list[SheetIssue]:
    """Problems that would stop the parsed sheets from being stored, with their lines."""
    issues: list[SheetIssue] = []
    this_year = clock.today().year

    def too_long(ref: str, line: int, what: str, text: str, model, name: str) -> None:
        limit = _max_length(model, name)
        if len(text) > limit:
            shown = text if len(text) <= 60 else f"{text[:57]}…"
            reason = labels.IMPORT_TOO_LONG.format(
                what=what, length=len(text), limit=limit, text=shown
            )
            issues.append(SheetIssue(ref, line, reason))

    def number(ref: str, line: int, what: str, value: Decimal | None, digits) -> None:
        if value is not None and (not _fits(value, digits) or value < 0):
            reason = labels.IMPORT_NUMBER_TOO_LARGE.format(what=what, value=value)
            issues.append(SheetIssue(ref, line, reason))

    for sheet in sheets:
        ref, lines = sheet.ref, sheet.field_lines
        too_long(ref, sheet.line, "Référence", ref, ActionSheet, "ref")
        too_long(ref, lines.get("theme", sheet.line), "Thème", sheet.theme, ActionSheet, "theme")
        for role, actors in (("pilots", sheet.pilots), ("partners", sheet.partners)):
            for actor in actors:
                line = lines.get(role, sheet.line)
                too_long(ref, line, "Nom d'organisation", actor.name, SheetActor, "name")
        for milestone in sheet.milestones:
            too_long(ref, milestone.line, "Échéance", milestone.when_text, Milestone, "when_text")
        for budget_line in sheet.budget_lines:
            too_long(ref, budget_line.line, "Poste", budget_line.label, BudgetLine, "label")
            number(ref, budget_line.line, "Montant", budget_line.amount, MONEY_DIGITS)
        cost_line = lines.get("cost", sheet.line)
        number(ref, cost_line, "Coût total", sheet.cost_total, MONEY_DIGITS)
        funding_line = lines.get("funding", sheet.line)
        for funder in sheet.funders:
            too_long(ref, funding_line, "Financeur", funder, Funding, "funder_name")
        for amount in sheet.funding_amounts:
            number(ref, amount.line, "Montant de financement", amount.amount, MONEY_DIGITS)
        for figure in sheet.key_figures:
            too_long(ref, figure.line, "Unité", figure.unit, KeyFigure, "unit")
            number(ref, figure.line, "Chiffre", figure.value, VALUE_DIGITS)
        seen_indicators: dict[str, int] = {}
        for indicator in sheet.indicators:
            key = normalise(indicator.label)
            if key in seen_indicators:
                reason = labels.IMPORT_DUPLICATE_INDICATOR.format(
                    label=indicator.label, line=seen_indicators[key]
                )
                issues.append(SheetIssue(ref, indicator.line, reason))
            seen_indicators.setdefault(key, indicator.line)
            too_long(ref, indicator.line, "Unité", indicator.unit, Indicator, "unit")
            seen_kinds: dict[str, int] = {}
            for target in indicator.targets:
                if target.kind in seen_kinds:
                    reason = labels.IMPORT_DUPLICATE_TARGET.format(
                        kind=TargetKind(target.kind).label,
                        label=indicator.label,
                        line=seen_kinds[target.kind],
                    )
                    issues.append(SheetIssue(ref, target.line, reason))
                seen_kinds.setdefault(target.kind, target.line)
                number(ref, target.line, "Valeur cible", target.value, VALUE_DIGITS)
            seen_dates: dict[dt.date, int] = {}
            for measurement in indicator.measurements:
                if measurement.value is None:
                    continue  # a result in words ("très favorable") stays in the text
                when = measurement_date(measurement.year, sheet.date)
                if measurement.year and measurement.year > this_year:
                    reason = labels.IMPORT_FUTURE_MEASUREMENT.format(
                        label=indicator.label, year=measurement.year
                    )
                    issues.append(SheetIssue(ref, measurement.line, reason))
                if when is not None and when in seen_dates:
                    reason = labels.IMPORT_DUPLICATE_MEASUREMENT.format(
                        year=when.year, label=indicator.label, line=seen_dates[when]
                    )
                    issues.append(SheetIssue(ref, measurement.line, reason))
                if when is not None:
                    seen_dates.setdefault(when, measurement.line)
                if when is None:
                    reason = f"mesure de l'indicateur « {indicator.label} » sans année"
                    issues.append(SheetIssue(ref, measurement.line, reason))
                number(ref, measurement.line, "Mesure", measurement.value, VALUE_DIGITS)
    return issues


def measurement_date(year: int | None, sheet_date: dt.date | None) -> dt.date | None:
    """A result "of 2016" is dated 31 December 2016; without a year, the sheet's date."""
    if year:
        return dt.date(year, 12, 31)
    return sheet_date
