"""Figures stated in a sheet's prose (money and counted quantities), with the sentence
around them, so that no stated figure is left only in text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from decimal import Decimal

from ..amounts import AmountError, comparator_before, find_amounts, find_quantities
from .lines import BULLET_RE, Line
from .results import IssueLog, KeyFigure
from .words import collapse, years_in

PROSE_FIELDS = ("sub_action", "description", "scope", "pilots", "partners", "calendar")
_FIELD_TITLES = {
    "sub_action": "sous-action",
    "description": "description",
    "scope": "emprise géographique",
    "pilots": "pilotes",
    "partners": "partenaires",
    "calendar": "calendrier",
}
# Sentence ends for a figure's context. A blank line followed by lower case is a page break
# in the middle of a sentence, not the end of a paragraph.
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n\s*\n(?!\s*[a-zà-ÿ])|\n(?=\s*(?:->|→|[-–•▪]))|:\s*\n")


def _context(text: str, start: int, end: int) -> str:
    """The sentence (or list item) around `text[start:end]`."""
    begin = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        begin = boundary.end()
    after = _SENTENCE_END.search(text, end)
    stop = (
        after.end()
        if after and after.group().strip() in ".!?;"
        else (after.start() if after else len(text))
    )
    return BULLET_RE.sub("", collapse(text[begin:stop]))


def _single_year(text: str) -> int | None:
    years = set(years_in(text))
    return years.pop() if len(years) == 1 else None


def parse_key_figures(name: str, lines: list[Line], report: IssueLog) -> list[KeyFigure]:
    """Figures stated in a prose field: money and counted quantities, not years or dates.

    An unreadable amount in prose is only a warning: the field stays text, and no figure is
    made up from it.
    """
    if not lines:
        return []
    text = "\n".join(line.text for line in lines)
    starts = list(itertools.accumulate((len(line.text) + 1 for line in lines), initial=0))
    unreadable: list[AmountError] = []
    found: list[tuple[int, int, Decimal, str, str, bool, str]] = []
    for match in find_amounts(text, errors=unreadable):
        comparator, start = comparator_before(text, match.start)
        amount = match.amount
        found.append((start, match.end, amount.value, "€", comparator, amount.per_year, amount.raw))
    for error in unreadable:
        report.warn(lines[0].number, f"{_FIELD_TITLES[name]} : {error}")
    for match in find_quantities(text):
        quantity = match.quantity
        overlaps = any(s < match.end and match.start < e for s, e, *_ in found)
        if quantity.unit and not overlaps:
            found.append(
                (
                    match.start,
                    match.end,
                    quantity.value,
                    quantity.unit,
                    quantity.comparator,
                    False,
                    quantity.raw,
                )
            )
    figures = []
    for start, end, value, unit, comparator, per_year, raw in sorted(found, key=lambda f: f[0]):
        context = _context(text, start, end)
        figures.append(
            KeyFigure(
                value=value,
                unit=unit,
                comparator=comparator,
                per_year=per_year,
                year=_single_year(context),
                context=context,
                field=name,
                raw=collapse(raw),
                line=lines[bisect.bisect_right(starts, start) - 1].number,
            )
        )
    return figures
