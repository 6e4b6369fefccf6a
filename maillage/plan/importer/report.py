"""What an import did, sheet by sheet: the values set, rows added or removed, notes and
the parser's warnings, and the summary people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..labels import ImportOutcome
from ..sheet_parser import SheetIssue


@dataclass(frozen=True)
class Change:
    """One change an import makes: a value set ("~"), a row added ("+") or removed ("-")."""

    subject: str
    field: str = ""
    old: str = ""
    new: str = ""
    action: str = "~"

    def __str__(self) -> str:
        if self.action == "+":
            return f"{self.subject} : ajout"
        if self.action == "-":
            return f"{self.subject} : suppression"
        where = f"{self.subject} — {self.field}" if self.subject else self.field
        return f"{where} : {self.old} → {self.new}"


@dataclass
class SheetReport:
    ref: str
    outcome: str = ImportOutcome.UNCHANGED
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: tuple[SheetIssue, ...] = ()
    meetings_created: int = 0

    @property
    def outcome_label(self) -> str:
        return ImportOutcome(self.outcome).label


@dataclass
class ImportReport:
    plan_slug: str
    plan_name: str
    plan_created: bool
    source_name: str
    dry_run: bool
    sheets: list[SheetReport] = field(default_factory=list)

    def refs(self, outcome: str) -> list[str]:
        return [sheet.ref for sheet in self.sheets if sheet.outcome == outcome]

    @property
    def created(self) -> list[str]:
        return self.refs(ImportOutcome.CREATED)

    @property
    def updated(self) -> list[str]:
        return self.refs(ImportOutcome.UPDATED)

    @property
    def unchanged(self) -> list[str]:
        return self.refs(ImportOutcome.UNCHANGED)

    @property
    def meetings_created(self) -> int:
        return sum(sheet.meetings_created for sheet in self.sheets)

    @property
    def changed(self) -> bool:
        return self.plan_created or bool(self.created or self.updated or self.meetings_created)

    def summary(self) -> str:
        where = f"{self.source_name or 'document'} → schéma « {self.plan_slug} »"
        if not self.changed:
            text = (
                f"Fiches action ({where}) : aucune modification, "
                f"{len(self.sheets)} fiche(s) inchangée(s)."
            )
        else:
            text = (
                f"Fiches action ({where}) : {len(self.created)} créée(s), "
                f"{len(self.updated)} mise(s) à jour, {len(self.unchanged)} inchangée(s)."
            )
        if self.dry_run:
            text = f"Simulation, rien n'a été enregistré. {text}"
        return text

    def lines(self, *, all_sheets: bool = False) -> list[str]:
        """The report for a person: changed sheets (every sheet with `all_sheets`), with their
        changes and the parser's warnings, then the summary."""
        result = []
        if self.plan_created:
            result.append(f"Schéma créé : {self.plan_name} ({self.plan_slug})")
        for sheet in self.sheets:
            if sheet.outcome == ImportOutcome.UNCHANGED and not all_sheets:
                continue
            result.append(f"{sheet.ref} : {sheet.outcome_label}")
            result.extend(f"  - {change}" for change in sheet.changes)
            result.extend(f"  * {note}" for note in sheet.notes)
            if sheet.meetings_created:
                result.append(f"  * {sheet.meetings_created} réunion(s) planifiée(s)")
            result.extend(f"  ! {format_issue(warning)}" for warning in sheet.warnings)
        result.append(self.summary())
        return result


def format_issue(issue: SheetIssue) -> str:
    """How a problem of a document is shown to people: "Fiche Num05, ligne 123 : …"."""
    text = str(issue)
    return text[:1].upper() + text[1:]
