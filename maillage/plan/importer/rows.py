"""The lists of rows a sheet has that the importer keeps in step with the document, declared
once: where the rows live, how a row is recognised from one import to the next, and how a
report names it. The writer runs one loop over this table; the desired values are keyed by it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from maillage.territory.names import normalise

from ..labels import ActorRole
from ..models import BudgetLine, Funding, KeyFigure, Milestone, SheetActor
from .comparison import keyed, shown_value


def _as_is(value: str) -> str:
    return value


@dataclass(frozen=True)
class SheetRows:
    """One list of a sheet's rows.

    `section` names the list in the desired values and in the import snapshot, and is the
    sheet's related name for it. A row's key joins its `key` fields, each written as it is or
    folded (a row keeps its key when only accents or case change); `keyed` adds the
    occurrence of a key, so two rows with one key stay two rows. The keys are stored in the
    snapshots of past imports: changing them makes the next import see every row as new.
    """

    section: str
    model: type[models.Model]
    key: tuple[tuple[str, Callable[[str], str]], ...]
    subject: Callable[[Any], str]
    order_by: tuple[str, ...] = ("order", "id")

    def row_key(self, row: models.Model | Mapping[str, Any]) -> str:
        """The key of a stored row or of the values the document gives for one."""

        def value(name: str) -> Any:
            return row[name] if isinstance(row, Mapping) else getattr(row, name)

        return "|".join(read(value(name)) for name, read in self.key)

    def keyed(self, rows) -> dict[str, Any]:
        return keyed(rows, self.row_key)


SHEET_ROWS = (
    SheetRows(
        section="actors",
        model=SheetActor,
        key=(("role", _as_is), ("name", normalise)),
        subject=lambda actor: f"{ActorRole(actor.role).label} « {actor.name} »",
        order_by=("role", "order", "id"),
    ),
    SheetRows(
        section="milestones",
        model=Milestone,
        key=(("label", normalise),),
        subject=lambda milestone: f"Jalon « {shown_value(milestone.label)} »",
    ),
    SheetRows(
        section="budget_lines",
        model=BudgetLine,
        key=(("label", normalise),),
        subject=lambda line: f"Ligne budgétaire « {line.label} »",
    ),
    SheetRows(
        section="fundings",
        model=Funding,
        key=(("funder_name", normalise),),
        subject=lambda funding: f"Financement « {funding.funder_name} »",
    ),
    SheetRows(
        section="key_figures",
        model=KeyFigure,
        key=(("source_field", _as_is), ("raw", normalise)),
        subject=lambda figure: f"Chiffre clé « {figure.raw or figure} »",
    ),
)
