"""What the parser gives: the parsed sheets and their parts, the problems found
(`SheetIssue`, `SheetDocumentError`) and the log of one sheet's problems (`IssueLog`).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

#: The Charente's scheme is 23 000 characters; a document 40 times longer is not a scheme (a
#: 50 MB file took 7.5 minutes and 1.1 GB to be refused).
MAX_DOCUMENT_CHARS = 1_000_000


@dataclass(frozen=True)
class SheetIssue:
    """A problem found in a document: which sheet (None before the first "Réf"), which line
    (1-based) and why, in French for the person who will fix the file."""

    ref: str | None
    line: int
    reason: str

    def __str__(self) -> str:
        where = f"fiche {self.ref}, ligne {self.line}" if self.ref else f"ligne {self.line}"
        return f"{where} : {self.reason}"


class SheetDocumentError(ValueError):
    """The document is refused; `errors` lists every problem found, not only the first."""

    def __init__(self, errors: list[SheetIssue], source_name: str = "") -> None:
        self.errors = tuple(errors)
        self.source_name = source_name
        heading = f"Document {source_name} refusé" if source_name else "Document refusé"
        details = "\n".join(f"- {error}" for error in self.errors)
        super().__init__(f"{heading} ({len(self.errors)} erreur(s)) :\n{details}")


@dataclass(frozen=True)
class Actor:
    """A pilot or partner organisation and, when the sheet says it, its mission."""

    name: str
    mission: str = ""


@dataclass(frozen=True)
class Period:
    """When an action runs, as far as the calendar says: years, months when given."""

    text: str
    start_year: int | None
    start_month: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    ongoing: bool = False


@dataclass(frozen=True)
class Milestone:
    """A dated step of the calendar ("1-10 Mars 2017: Réunion d'information…").

    `index` is the number of a numbered list item (1 in "1-10 Mars 2017", where 10 is the day).
    `year` may be inferred from the previous steps or the calendar's period.
    """

    label: str
    when_text: str
    index: int | None
    date: date | None
    year: int | None
    month: int | None
    line: int


@dataclass(frozen=True)
class RecurringMeeting:
    """A governance body meeting regularly ("Comité de pilotage: 2/an janvier et juin")."""

    body: str
    times_per_year: int
    months: tuple[int, ...]
    text: str
    line: int


@dataclass(frozen=True)
class ParsedTarget:
    """A value the indicator should reach (or start from). `kind`: initial, intermediate, final.

    `value` is None when the target is a sentence ("Mise en service de l'ensemble du
    programme."), whose text stays in `value_text`. `note` keeps what qualified the label, such
    as "max 2022".
    """

    kind: str
    value: Decimal | None
    unit: str
    comparator: str
    value_text: str
    date: date | None
    year: int | None
    end_year: int | None
    note: str
    line: int


@dataclass(frozen=True)
class ParsedMeasurement:
    """A value already measured ("Bilan 2016 - Nombre d'ateliers : 15")."""

    value: Decimal | None
    unit: str
    value_text: str
    year: int | None
    line: int


@dataclass(frozen=True)
class ParsedIndicator:
    label: str
    unit: str
    targets: tuple[ParsedTarget, ...]
    measurements: tuple[ParsedMeasurement, ...]
    line: int


@dataclass(frozen=True)
class ParsedBudgetLine:
    """One costed item. `kind` is investment, operating or unknown (guessed from its label).

    `since_year` and `as_of` describe a cumulative amount ("418 826 € depuis 2009 (au
    31/12/2016)"); `note` keeps the words written after the amount.
    """

    label: str
    amount: Decimal
    per_year: bool
    year: int | None
    kind: str
    note: str
    since_year: int | None
    as_of: date | None
    raw: str
    line: int


@dataclass(frozen=True)
class FundingAmount:
    """An amount written in the funding field, with the funder it is attached to if any."""

    funder: str | None
    amount: Decimal
    per_year: bool
    raw: str
    line: int


@dataclass(frozen=True)
class KeyFigure:
    """A figure stated in the prose of a sheet ("environ 41 000 prises", "81,4 Millions
    d'euros"), so that no stated figure is left only in text. `unit` is "€" for money;
    `year` is the year its sentence names, when it names exactly one ("à l'horizon 2020")."""

    value: Decimal
    unit: str
    comparator: str
    per_year: bool
    year: int | None
    context: str
    field: str
    raw: str
    line: int


@dataclass(frozen=True)
class ParsedSheet:
    ref: str
    date: date | None
    theme: str
    action: str
    sub_action: str
    description: str
    scope_text: str
    pilots_text: str
    pilots: tuple[Actor, ...]
    partners_text: str
    partners: tuple[Actor, ...]
    calendar_text: str
    calendar_period: Period | None
    milestones: tuple[Milestone, ...]
    governance_rhythm: tuple[RecurringMeeting, ...]
    indicators_text: str
    indicators: tuple[ParsedIndicator, ...]
    indicator_notes: tuple[str, ...]
    cost_text: str
    budget_lines: tuple[ParsedBudgetLine, ...]
    cost_total: Decimal | None
    cost_total_stated: bool
    cost_notes: tuple[str, ...]
    funding_text: str
    funders: tuple[str, ...]
    funding_amounts: tuple[FundingAmount, ...]
    dimensions: dict[str, bool]
    key_figures: tuple[KeyFigure, ...]
    line: int
    field_lines: dict[str, int]
    warnings: tuple[SheetIssue, ...] = ()
    source_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: decimals as strings (exact), dates in ISO format."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def sheets_to_json(sheets: list[ParsedSheet] | tuple[ParsedSheet, ...]) -> str:
    """The parsed sheets as JSON text (UTF-8 characters kept, decimals as strings)."""
    return json.dumps([sheet.to_dict() for sheet in sheets], ensure_ascii=False, indent=2)


def format_euros(value: Decimal) -> str:
    """French display of an amount for messages: Decimal("60000") → "60 000 €"."""
    sign = "-" if value < 0 else ""
    integral, _, fraction = f"{abs(value):f}".partition(".")
    groups = f"{int(integral):,}".replace(",", "\u202f")
    return f"{sign}{groups}{',' + fraction if fraction else ''} €"


@dataclass
class IssueLog:
    """Errors and warnings of one sheet, with the sheet's ref for messages."""

    ref: str | None
    errors: list[SheetIssue] = field(default_factory=list)
    warnings: list[SheetIssue] = field(default_factory=list)

    def error(self, line: int, reason: str) -> None:
        self.errors.append(SheetIssue(self.ref, line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.warnings.append(SheetIssue(self.ref, line, reason))
