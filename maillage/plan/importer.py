"""Import text exports of action sheets ("fiches action") into a plan.

`import_sheets(text=…)` reads the document with `sheet_parser.parse_document`, checks that
everything read can be stored (lengths, number sizes, one value per target kind…), and only
then writes, in one transaction: the plan (created if needed), each sheet keyed by (plan,
"Réf"), its pilots and partners (linked to the organisations the referential knows), its
milestones, budget lines, fundings, key figures, indicators with their targets and the
measurements the document states, and the meetings of a stated governance rhythm. A refused
document raises `SheetDocumentError` listing every problem (sheet, line, reason) and writes
nothing.

Re-importing is safe and idempotent. Each sheet keeps what the importer wrote the last time
(`ActionSheet.import_snapshot`), so a new import applies what the *document* changed since:

* an identical document changes nothing: no save, no history record, no `updated` date;
* a value people changed in Maillage (a corrected description, a target a pilot set, an
  organisation linked by hand) is kept unless the document changed that same value;
  `force=True` writes every value of the document instead;
* rows the importer created and the document no longer has are deleted; rows people added
  are never deleted, in particular measurements entered by hand (only measurements with
  source "import" belong to the importer) and the indicators that carry them.

`dry_run=True` runs the same import in a transaction that is rolled back, so the report says
what would change and the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from maillage import clock, uploads
from maillage.organisations.models import Organisation
from maillage.organisations.name_matching import (
    NameIndex,
    find_organisation_by_name,
    find_organisations_in_text,
)
from maillage.territory.models import Departement, Epci
from maillage.territory.names import normalise
from maillage.territory.search import search_communes

from . import labels
from .labels import (
    ActorRole,
    BudgetKind,
    ImportOutcome,
    MeasurementSource,
    Periodicity,
    ScopeLevel,
    TargetKind,
)
from .models import (
    MONEY_DIGITS,
    VALUE_DIGITS,
    ActionSheet,
    BudgetLine,
    Funding,
    Indicator,
    KeyFigure,
    Measurement,
    Milestone,
    Plan,
    SheetActor,
    Target,
)
from .services import meetings_generate_from_rhythm
from .sheet_parser import (
    MAX_DOCUMENT_CHARS,
    ParsedSheet,
    SheetDocumentError,
    SheetIssue,
    parse_document,
)

__all__ = [
    "DEFAULT_PLAN_NAME",
    "DEFAULT_PLAN_PERIOD",
    "DEFAULT_PLAN_SLUG",
    "SEED_DOCUMENT",
    "Change",
    "ImportReport",
    "SheetDocumentError",
    "SheetReport",
    "format_issue",
    "import_sheets",
    "import_sheets_file",
    "infer_scope",
    "read_document",
    "validate_sheets",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The Charente plan's "Numérique" sheets, shipped with Maillage (see data/SOURCE.txt).
SEED_DOCUMENT = DATA_DIR / "sdaasp-charente-2017-numerique.txt"
DEFAULT_PLAN_SLUG = "sdaasp-charente"
DEFAULT_PLAN_NAME = (
    "Schéma départemental d'amélioration de l'accessibilité des services au public de la Charente"
)
#: A SDAASP runs six years (loi NOTRe, art. 98); the Charente's sheets are dated December 2017.
DEFAULT_PLAN_PERIOD = (2018, 2023)

# Groupings of EPCIs that sheets name instead of the EPCIs themselves, by their folded name:
# the Pays Sud Charente (a PETR) is the CC des 4B Sud Charente and the CC Lavalette Tude Dronne.
# Values are the EPCIs' distinctive names (see `_epci_core`).
EPCI_GROUPS: dict[str, tuple[str, ...]] = {
    "pays sud charente": ("4b sud charente", "lavalette tude dronne"),
}

_MISSING = object()
# Where a value was read (lines of the document, its name): refreshed along with a change of
# the values themselves, never a change on its own (a line added above shifts every line).
_WHERE_READ = frozenset({"source_line_start", "source_line_end", "source_line", "provenance"})
_DIMENSION_FIELDS = {label: name for name, label in labels.DIMENSIONS.items()}


# ---------------------------------------------------------------------------------------------
# Report


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


# ---------------------------------------------------------------------------------------------
# Entry points


def read_document(path: Path) -> str:
    """The text of a document file (UTF-8, with or without a byte-order mark); a file far
    larger than any scheme is refused before it is read (`UploadRefused`)."""
    uploads.check_size(Path(path).stat().st_size, 4 * MAX_DOCUMENT_CHARS)  # ≤ 4 bytes a char
    return Path(path).read_text(encoding="utf-8-sig")


def import_sheets_file(path: Path = SEED_DOCUMENT, **options: Any) -> ImportReport:
    """`import_sheets` on a file, named in reports and provenance by its file name."""
    options.setdefault("source_name", Path(path).name)
    return import_sheets(text=read_document(path), **options)


def import_sheets(
    *,
    text: str,
    plan: Plan | None = None,
    plan_slug: str = DEFAULT_PLAN_SLUG,
    plan_name: str = "",
    departement_code: str = "",
    period: tuple[int | None, int | None] | None = None,
    source_name: str = "",
    dry_run: bool = False,
    force: bool = False,
    by=None,
) -> ImportReport:
    """Import every sheet of `text` into `plan` (or the plan `plan_slug`, created if needed).

    Raises `SheetDocumentError` (nothing written) when the document is refused. A new plan is
    named `plan_name` (the Charente's name for the default slug), set in `departement_code`
    (default: settings.MAILLAGE_DEPARTEMENT_CODE) over `period` (default: 2018–2023 for the
    default slug, else the years the sheets' calendars span).
    """
    sheets = parse_document(text, source_name=source_name)
    issues = validate_sheets(sheets)
    if issues:
        raise SheetDocumentError(issues, source_name)
    with transaction.atomic():
        plan, plan_created = _plan(
            plan=plan,
            slug=plan_slug,
            name=plan_name,
            departement_code=departement_code,
            period=period,
            sheets=sheets,
        )
        report = ImportReport(
            plan_slug=plan.slug,
            plan_name=plan.name,
            plan_created=plan_created,
            source_name=source_name,
            dry_run=dry_run,
        )
        writer = _SheetWriter(
            plan=plan, source_name=source_name, force=force, by=by, context=_Context(plan)
        )
        ends = _sheet_ends(text, sheets)
        for sheet in sheets:
            report.sheets.append(writer.write(sheet, end_line=ends[sheet.ref]))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _plan(
    *,
    plan: Plan | None,
    slug: str,
    name: str,
    departement_code: str,
    period: tuple[int | None, int | None] | None,
    sheets: list[ParsedSheet],
) -> tuple[Plan, bool]:
    # The plan's row is locked, so two imports into one plan run one after the other.
    if plan is not None:
        return Plan.objects.select_for_update().get(pk=plan.pk), False
    existing = Plan.objects.select_for_update().filter(slug=slug).first()
    if existing is not None:
        return existing, False
    if period is None:
        period = DEFAULT_PLAN_PERIOD if slug == DEFAULT_PLAN_SLUG else _calendar_span(sheets)
    plan = Plan.objects.create(
        slug=slug,
        name=name or (DEFAULT_PLAN_NAME if slug == DEFAULT_PLAN_SLUG else slug),
        departement_code=departement_code or settings.MAILLAGE_DEPARTEMENT_CODE,
        period_start=period[0],
        period_end=period[1],
    )
    return plan, True


def _calendar_span(sheets: list[ParsedSheet]) -> tuple[int | None, int | None]:
    """The years the sheets' calendars span; an action already under way ("Depuis avril
    2016", "en cours : 2009") does not move the plan's start."""
    periods = [s.calendar_period for s in sheets if s.calendar_period]
    starts = [period.start_year for period in periods if not period.ongoing]
    ends = [period.end_year for period in periods]
    start = min((year for year in starts if year), default=None)
    end = max((year for year in ends if year), default=None)
    if start and end and end < start:
        end = start
    return start, end


def _sheet_ends(text: str, sheets: list[ParsedSheet]) -> dict[str, int]:
    """Last non-blank line of each sheet (lines counted as the parser counts them)."""
    lines = re.split(r"\r\n|\r|\n", text)
    ends = {}
    for position, sheet in enumerate(sheets):
        end = sheets[position + 1].line - 1 if position + 1 < len(sheets) else len(lines)
        while end > sheet.line and not lines[end - 1].strip():
            end -= 1
        ends[sheet.ref] = end
    return ends


# ---------------------------------------------------------------------------------------------
# Validation: everything that could not be stored, found before anything is written


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
            key = _fold(indicator.label)
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
                when = _measurement_date(measurement.year, sheet.date)
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


def _measurement_date(year: int | None, sheet_date: dt.date | None) -> dt.date | None:
    """A result "of 2016" is dated 31 December 2016; without a year, the sheet's date."""
    if year:
        return dt.date(year, 12, 31)
    return sheet_date


# ---------------------------------------------------------------------------------------------
# Comparing values


def _fold(text: str) -> str:
    return normalise(text)


def _canon(value: Any) -> Any:
    """A JSON form in which equal values are equal (15 == 15.0000, dates in ISO format)."""
    if isinstance(value, Decimal):
        return "0" if value == 0 else f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _canon(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canon(item) for item in value]
    return value


def _shown(value: Any, model_field: models.Field | None = None) -> str:
    if value is None or value == "" or value == []:
        return "(vide)"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        integral, _, fraction = _canon(value).partition(".")
        grouped = f"{int(integral):,}".replace(",", "\u202f")
        return f"{grouped},{fraction}" if fraction else grouped
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | dict):
        value = json.dumps(_canon(value), ensure_ascii=False)
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else f"{text[:79]}…"


def _text_difference(old: str, new: str, width: int = 60) -> tuple[str, str]:
    """Two texts shown around where they first differ, so that a long text's change is seen
    ("…en 2019 : 15 points…" → "…en 2019 : 16 points…")."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= width and len(new) <= width:
        return old, new
    first = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = max(0, first - width // 3)

    def cut(text: str) -> str:
        part = text[start : start + width]
        return f"{'…' if start else ''}{part}{'…' if start + width < len(text) else ''}"

    return cut(old), cut(new)


def _keyed(rows: Iterable[Any], base: Callable[[Any], str]) -> dict[str, Any]:
    """Rows by a key made of `base(row)` and its occurrence ("pilot|caf#0")."""
    seen: dict[str, int] = {}
    result = {}
    for row in rows:
        key = base(row)
        count = seen.get(key, 0)
        seen[key] = count + 1
        result[f"{key}#{count}"] = row
    return result


# ---------------------------------------------------------------------------------------------
# What the database knows: organisations and territory


class _Context:
    """Lookups shared by every sheet of an import, built once."""

    def __init__(self, plan: Plan) -> None:
        self.names = NameIndex.build()
        self.organisation_names = {pk: o.name for pk, o in self.names.organisations.items()}
        self.territory = _Territory(plan.departement_code)

    def organisation(self, text: str) -> Organisation | None:
        """The organisation a name designates; None when unknown or when the text names
        several ("sources de subventions (Etat, Europe, Région)")."""
        if not text:
            return None
        exact = self.names.exact(text)
        if exact is not None:
            return exact
        if len(find_organisations_in_text(text, self.names)) > 1:
            return None
        return find_organisation_by_name(text, self.names)


_PREFIXES = re.compile(
    r"^(?:cc|ca|cu|communaute (?:de communes|d agglomeration|urbaine))"
    r"(?: (?:de la|de l|de|des|du|d))? "
)
_NUMBER_LETTER = re.compile(r"\b(\d+) ([a-z])\b")
_ARTICLE = r"(?:(?:le|la|les|l|tout le|toute la|l ensemble du|ensemble du) )?"
_DEPARTEMENT_WORDS = re.compile(
    rf"^{_ARTICLE}(?:departement|territoire departemental)"
    r"(?: (?:de la|de l|de|du|des|d) (?P<name>.+?))?(?: (?:hors|sauf) .+)?$"
)
_COMMUNE_PREFIX = re.compile(
    r"^\s*(?:(?:la|le|les|l['’])\s*)?(?:communes?|villes?|mairies?)\s+"
    r"(?:(?:de\s+la|de|des|du|d['’])\s*)?(?P<names>.+)$",
    re.IGNORECASE,
)
_SURROUNDINGS = re.compile(
    r"\s*(?:\bet\s+)?\b(?:ses|leurs?|les)\s+(?:alentours|environs)\b.*$", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;/]|\bet\b)\s*", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:de\s+la|de|du|d['’])\s*", re.IGNORECASE)
_EXCLUDING = {"hors", "sauf", "excepte"}


def _folded_name(text: str) -> str:
    return _NUMBER_LETTER.sub(r"\1\2", normalise(text))


def _epci_core(name: str) -> str:
    """The distinctive part of an EPCI's name: "CC des 4B Sud Charente" → "4b sud charente"."""
    return _PREFIXES.sub("", _folded_name(name)).strip()


class _Territory:
    """Infers a sheet's scope (département, EPCIs or communes) from its "Emprise" text."""

    def __init__(self, departement_code: str) -> None:
        self.code = departement_code
        names = set()
        if departement := Departement.objects.filter(code=departement_code).first():
            names.add(normalise(departement.name))
        if departement_code == settings.MAILLAGE_DEPARTEMENT_CODE:
            names.add(normalise(settings.MAILLAGE_DEPARTEMENT_NAME))
        self.departement_names = names
        epcis = Epci.objects.filter(
            models.Q(departement_id=departement_code)
            | models.Q(communes__departement_id=departement_code)
        ).distinct()
        self.epcis = {_epci_core(epci.name): epci for epci in epcis}
        self.epci_names = {epci.pk: epci.name for epci in self.epcis.values()}
        self.commune_names: dict[str, str] = {}

    def infer(self, text: str) -> tuple[str, list[str], list[str]]:
        """(scope level, EPCI SIRENs, commune INSEE codes) that `text` designates."""
        communes = self._named_communes(text)
        if communes:
            return ScopeLevel.COMMUNES, [], communes
        epcis = self._epcis(text)
        if epcis:
            return ScopeLevel.EPCI, epcis, []
        if self._is_departement(text):
            return ScopeLevel.DEPARTEMENT, [], []
        if commune := self._commune(normalise(text), exact=True):
            return ScopeLevel.COMMUNES, [], [commune]
        return ScopeLevel.OTHER, [], []

    def _named_communes(self, text: str) -> list[str]:
        match = _COMMUNE_PREFIX.match(text.strip())
        if not match:
            return []
        names = _SURROUNDINGS.sub("", match["names"]).strip(" .")
        found = []
        for name in _NAME_SEPARATORS.split(names):
            name = _LEADING_PREPOSITION.sub("", name)
            commune = self._commune(normalise(name), exact=False)
            if commune and commune not in found:
                found.append(commune)
        return found

    def _commune(self, key: str, *, exact: bool) -> str | None:
        """The commune of the département called `key`, or whose compound name starts with it
        ("barbezieux" → Barbezieux-Saint-Hilaire) when only one does."""
        if not key:
            return None
        candidates = [c for c in search_communes(key, limit=10) if c.departement_id == self.code]
        chosen = [c for c in candidates if c.search_key == key]
        if not chosen and not exact:
            chosen = [c for c in candidates if c.search_key.startswith(f"{key} ")]
        if len(chosen) != 1:
            return None
        self.commune_names[chosen[0].pk] = chosen[0].name
        return chosen[0].pk

    def _epcis(self, text: str) -> list[str]:
        haystack = f" {_folded_name(text)} "
        cores = [core for core in self.epcis if self._names(haystack, core)]
        for group, members in EPCI_GROUPS.items():
            if self._names(haystack, group):
                cores.extend(core for core in members if core in self.epcis)
        sirens = []
        for core in cores:
            if self.epcis[core].pk not in sirens:
                sirens.append(self.epcis[core].pk)
        return sorted(sirens)

    @staticmethod
    def _names(haystack: str, name: str) -> bool:
        """Whether `haystack` names `name` as whole words, not after "hors" / "sauf"."""
        start = haystack.find(f" {name} ")
        while start != -1:
            before = haystack[:start].split()
            if not before or before[-1] not in _EXCLUDING:
                return True
            start = haystack.find(f" {name} ", start + 1)
        return False

    def _is_departement(self, text: str) -> bool:
        head = normalise(re.split(r"[,;(]", text, maxsplit=1)[0])
        if match := _DEPARTEMENT_WORDS.match(head):
            return match["name"] is None or match["name"] in self.departement_names
        without_article = re.sub(rf"^{_ARTICLE}", "", head)
        return without_article in self.departement_names


def infer_scope(text: str, departement_code: str | None = None) -> tuple[str, list[str], list[str]]:
    """The scope a sheet's "Emprise géographique" designates, as (level, EPCI SIRENs, commune
    INSEE codes): "La Charente" → département, "Pays Sud Charente" → its two EPCIs, "Commune
    de Barbezieux et ses alentours" → Barbezieux-Saint-Hilaire, "Internet…" → other."""
    return _Territory(departement_code or settings.MAILLAGE_DEPARTEMENT_CODE).infer(text)


# ---------------------------------------------------------------------------------------------
# Writing


def _rhythm(sheet: ParsedSheet) -> list[dict[str, Any]]:
    return [
        {
            "body": meeting.body,
            "times_per_year": meeting.times_per_year,
            "months": list(meeting.months),
            "text": meeting.text,
        }
        for meeting in sheet.governance_rhythm
    ]


def _desired(sheet: ParsedSheet, *, plan: Plan, context: _Context, end_line: int, source: str):
    """Everything the document says about `sheet`, in the models' terms."""
    level, epcis, communes = context.territory.infer(sheet.scope_text)
    fields = {
        "date": sheet.date,
        "theme": sheet.theme,
        "action": sheet.action,
        "sub_action": sheet.sub_action,
        "description": sheet.description,
        "scope_text": sheet.scope_text,
        "scope_level": level,
        "departement_code": plan.departement_code,
        "pilots_text": sheet.pilots_text,
        "partners_text": sheet.partners_text,
        "calendar_text": sheet.calendar_text,
        "indicators_text": sheet.indicators_text,
        "cost_text": sheet.cost_text,
        "cost_total": sheet.cost_total,
        "cost_notes": "\n".join(sheet.cost_notes),
        "funding_text": sheet.funding_text,
        "governance_rhythm": _rhythm(sheet),
        "source_line_start": sheet.line,
        "source_line_end": end_line,
    }
    for label, name in _DIMENSION_FIELDS.items():
        fields[name] = bool(sheet.dimensions.get(label, False))

    actors = []
    for role, parsed in ((ActorRole.PILOT, sheet.pilots), (ActorRole.PARTNER, sheet.partners)):
        for order, actor in enumerate(parsed):
            organisation = context.organisation(actor.name)
            actors.append(
                {
                    "role": str(role),
                    "name": actor.name,
                    "mission": actor.mission,
                    "organisation_id": organisation.pk if organisation else None,
                    "order": order,
                }
            )
    milestones = [
        {
            "label": milestone.label,
            "when_text": milestone.when_text,
            "date": milestone.date,
            "year": milestone.year,
            "month": milestone.month,
            "order": order,
        }
        for order, milestone in enumerate(sheet.milestones)
    ]
    budget_lines = [
        {
            "label": line.label or labels.IMPORT_DEFAULT_BUDGET_LABEL,
            "amount": line.amount,
            "periodicity": str(
                Periodicity.ANNUAL
                if line.per_year
                else Periodicity.CUMULATIVE
                if line.since_year
                else Periodicity.ONE_OFF
            ),
            "year": line.year,
            # An amount reckoned at a past date ("au 31/12/2016") has been spent.
            "kind": str(BudgetKind.ACTUAL if line.as_of else BudgetKind.PLANNED),
            "nature": line.kind,
            "note": line.note,
            "order": order,
        }
        for order, line in enumerate(sheet.budget_lines)
    ]
    fundings = []
    attached = set()
    for funder in sheet.funders:
        amounts = [a for a in sheet.funding_amounts if a.funder == funder]
        attached.update(id(a) for a in amounts)
        organisation = context.organisation(funder)
        fundings.append(
            {
                "funder_name": funder,
                "funder_id": organisation.pk if organisation else None,
                "amount": sum((a.amount for a in amounts), Decimal(0)) if amounts else None,
                "wording": "; ".join(a.raw for a in amounts),
            }
        )
    for amount in sheet.funding_amounts:
        if id(amount) in attached:
            continue
        organisation = context.organisation(amount.funder or "")
        fundings.append(
            {
                "funder_name": amount.funder or labels.IMPORT_UNKNOWN_FUNDER,
                "funder_id": organisation.pk if organisation else None,
                "amount": amount.amount,
                "wording": amount.raw,
            }
        )
    for order, funding in enumerate(fundings):
        funding["order"] = order
    key_figures = [
        {
            "value": figure.value,
            "comparator": figure.comparator,
            "unit": figure.unit,
            "per_year": figure.per_year,
            "year": figure.year,
            "context": figure.context,
            "raw": figure.raw,
            "source_field": figure.field,
            "source_line": figure.line,
            "order": order,
        }
        for order, figure in enumerate(sheet.key_figures)
    ]
    indicators = {}
    for order, indicator in enumerate(sheet.indicators):
        targets = {
            target.kind: {
                "kind": target.kind,
                "value": target.value,
                "comparator": target.comparator,
                "value_text": target.value_text,
                "date": target.date,
                "year": target.year,
                "end_year": target.end_year,
                "note": target.note,
            }
            for target in indicator.targets
        }
        measurements = {}
        for measurement in indicator.measurements:
            if measurement.value is None:
                continue
            when = _measurement_date(measurement.year, sheet.date)
            measurements[when.isoformat()] = {
                "date": when,
                "value": measurement.value,
                "provenance": {"document": source, "line": measurement.line},
            }
        indicators[_fold(indicator.label)] = {
            "fields": {"label": indicator.label, "unit": indicator.unit, "order": order},
            "targets": targets,
            "measurements": measurements,
        }
    return {
        "sheet": fields,
        "scope": {"epcis": epcis, "communes": communes},
        "actors": _keyed(actors, lambda a: f"{a['role']}|{_fold(a['name'])}"),
        "milestones": _keyed(milestones, lambda m: _fold(m["label"])),
        "budget_lines": _keyed(budget_lines, lambda b: _fold(b["label"])),
        "fundings": _keyed(fundings, lambda f: _fold(f["funder_name"])),
        "key_figures": _keyed(key_figures, lambda k: f"{k['source_field']}|{_fold(k['raw'])}"),
        "indicators": indicators,
    }


def _values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name.removesuffix("_id"))


@dataclass
class _SheetWriter:
    plan: Plan
    source_name: str
    force: bool
    by: Any
    context: _Context

    @property
    def reason(self) -> str:
        return f"Import du document {self.source_name}" if self.source_name else "Import"

    def write(self, parsed: ParsedSheet, *, end_line: int) -> SheetReport:
        report = SheetReport(ref=parsed.ref, warnings=parsed.warnings)
        desired = _desired(
            parsed,
            plan=self.plan,
            context=self.context,
            end_line=end_line,
            source=self.source_name,
        )
        snapshot = _canon(desired)
        sheet = ActionSheet.objects.filter(plan=self.plan, ref=parsed.ref).first()
        if sheet is None:
            sheet = ActionSheet(plan=self.plan, ref=parsed.ref, **desired["sheet"])
            self._save(sheet)
            report.outcome = ImportOutcome.CREATED
            last = None
        else:
            stored = sheet.import_snapshot or {}
            last = stored.get("values") or None
            if last == snapshot and not self.force:
                return report
        self._sync(sheet, desired, last, report, created=report.outcome == ImportOutcome.CREATED)
        if report.outcome != ImportOutcome.CREATED and report.changes:
            report.outcome = ImportOutcome.UPDATED
        new_snapshot = {"document": self.source_name, "values": snapshot}
        if sheet.import_snapshot != new_snapshot:
            # Through update(): neither a history record nor a new `updated` date.
            ActionSheet.objects.filter(pk=sheet.pk).update(import_snapshot=new_snapshot)
        rhythm = desired["sheet"]["governance_rhythm"]
        last_rhythm = (last or {}).get("sheet", {}).get("governance_rhythm")
        if rhythm and (last_rhythm != _canon(rhythm) or self.force):
            year = clock.today().year
            for planned_year in (year, year + 1):
                report.meetings_created += len(
                    meetings_generate_from_rhythm(
                        plan=self.plan, year=planned_year, rhythm=rhythm, sheets=[sheet]
                    )
                )
        return report

    # -- helpers

    def _save(self, instance: models.Model) -> None:
        instance._history_user = self.by
        instance._change_reason = self.reason
        instance.save()

    def _delete(self, instance: models.Model) -> None:
        instance._history_user = self.by
        instance._change_reason = self.reason
        instance.delete()

    def _merge(
        self, instance: models.Model, wanted: dict[str, Any], last: dict[str, Any] | None
    ) -> tuple[list[tuple[str, Any, Any]], bool]:
        """Set on `instance` the wanted values the document changed since the last import
        (all of them without a previous import, or with `force`).

        Returns the changes to report and whether `instance` needs saving: where a value was
        read (`_WHERE_READ`) is refreshed along with a real change, never a change by itself.
        """
        changed = []
        where_read = []
        for name, value in wanted.items():
            if not self.force and last is not None and last.get(name, _MISSING) == _canon(value):
                continue  # unchanged in the document: what is stored stays
            old = getattr(instance, name)
            if _canon(old) != _canon(value):
                (where_read if name in _WHERE_READ else changed).append((name, old, value))
        if not (changed or (self.force and where_read)):
            return [], False
        for name, _old, value in [*changed, *where_read]:
            setattr(instance, name, value)
        return changed, True

    def _show(self, model: type[models.Model], name: str, value: Any) -> str:
        if name in {"organisation_id", "funder_id"} and value is not None:
            return self.context.organisation_names.get(value, str(value))
        return _shown(value, _field(model, name))

    def _show_change(
        self, model: type[models.Model], name: str, old: Any, new: Any
    ) -> tuple[str, str]:
        if isinstance(old, str) and isinstance(new, str) and old and new:
            return _text_difference(old, new)
        return self._show(model, name, old), self._show(model, name, new)

    def _record(
        self,
        report: SheetReport,
        model: type[models.Model],
        subject: str,
        changed: list[tuple[str, Any, Any]],
    ) -> None:
        for name, old, new in changed:
            shown_old, shown_new = self._show_change(model, name, old, new)
            report.changes.append(
                Change(
                    subject=subject,
                    field=str(_field(model, name).verbose_name).capitalize(),
                    old=shown_old,
                    new=shown_new,
                )
            )

    def _sync_rows(
        self,
        report: SheetReport,
        *,
        model: type[models.Model],
        existing: dict[str, models.Model],
        wanted: dict[str, dict[str, Any]],
        last: dict[str, Any] | None,
        owned: Callable[[str], bool],
        make: Callable[[dict[str, Any]], models.Model],
        subject: Callable[[Any], str],
        quiet: bool = False,
    ) -> dict[str, models.Model]:
        """Bring the rows `existing` (by key) to `wanted`; returns the rows by key after."""
        result = {}
        for key, values in wanted.items():
            instance = existing.get(key)
            previous = None if last is None else last.get(key)
            if instance is None:
                if previous is not None and previous == _canon(values) and not self.force:
                    continue  # imported before, deleted in Maillage since: stays deleted
                instance = make(values)
                self._save(instance)
                if not quiet:
                    report.changes.append(Change(subject(instance), action="+"))
            else:
                changed, dirty = self._merge(instance, values, previous)
                if dirty:
                    self._save(instance)
                    self._record(report, model, subject(instance), changed)
            result[key] = instance
        for key, instance in existing.items():
            if key not in wanted and owned(key):
                if not quiet:
                    report.changes.append(Change(subject(instance), action="-"))
                self._delete(instance)
        return result

    def _sync(
        self,
        sheet: ActionSheet,
        desired: dict[str, Any],
        last: dict[str, Any] | None,
        report: SheetReport,
        *,
        created: bool,
    ) -> None:
        # On a new sheet every row is new: the report says "créée", not each addition.
        quiet = created
        last = last or None
        part = (lambda name: last.get(name)) if last is not None else (lambda name: None)

        changed, dirty = self._merge(sheet, desired["sheet"], part("sheet"))
        if dirty:
            self._save(sheet)
            self._record(report, ActionSheet, "", changed)

        last_scope = part("scope")
        for name in ("epcis", "communes"):
            wanted = desired["scope"][name]
            if not self.force and last_scope is not None and last_scope.get(name) == wanted:
                continue
            current = sorted(getattr(sheet, name).values_list("pk", flat=True))
            if current != wanted:
                getattr(sheet, name).set(wanted)
                if not quiet:
                    report.changes.append(
                        Change(
                            subject="",
                            field=str(ActionSheet._meta.get_field(name).verbose_name).capitalize(),
                            old=self._territory_names(name, current),
                            new=self._territory_names(name, wanted),
                        )
                    )

        def owned_row(section: str) -> Callable[[str], bool]:
            # Before any import the document is the reference for these lists.
            previous = part(section)
            return lambda key: last is None or (previous is not None and key in previous)

        role_labels = dict(ActorRole.choices)
        self._sync_rows(
            report,
            model=SheetActor,
            existing=_keyed(
                sheet.actors.order_by("role", "order", "id"),
                lambda a: f"{a.role}|{_fold(a.name)}",
            ),
            wanted=desired["actors"],
            last=part("actors"),
            owned=owned_row("actors"),
            make=lambda values: SheetActor(sheet=sheet, **values),
            subject=lambda a: f"{role_labels[a.role]} « {a.name} »",
            quiet=quiet,
        )
        self._sync_rows(
            report,
            model=Milestone,
            existing=_keyed(sheet.milestones.order_by("order", "id"), lambda m: _fold(m.label)),
            wanted=desired["milestones"],
            last=part("milestones"),
            owned=owned_row("milestones"),
            make=lambda values: Milestone(sheet=sheet, **values),
            subject=lambda m: f"Jalon « {_shown(m.label)} »",
            quiet=quiet,
        )
        self._sync_rows(
            report,
            model=BudgetLine,
            existing=_keyed(sheet.budget_lines.order_by("order", "id"), lambda b: _fold(b.label)),
            wanted=desired["budget_lines"],
            last=part("budget_lines"),
            owned=owned_row("budget_lines"),
            make=lambda values: BudgetLine(sheet=sheet, **values),
            subject=lambda b: f"Ligne budgétaire « {b.label} »",
            quiet=quiet,
        )
        self._sync_rows(
            report,
            model=Funding,
            existing=_keyed(sheet.fundings.order_by("order", "id"), lambda f: _fold(f.funder_name)),
            wanted=desired["fundings"],
            last=part("fundings"),
            owned=owned_row("fundings"),
            make=lambda values: Funding(sheet=sheet, **values),
            subject=lambda f: f"Financement « {f.funder_name} »",
            quiet=quiet,
        )
        self._sync_rows(
            report,
            model=KeyFigure,
            existing=_keyed(
                sheet.key_figures.order_by("order", "id"),
                lambda k: f"{k.source_field}|{_fold(k.raw)}",
            ),
            wanted=desired["key_figures"],
            last=part("key_figures"),
            owned=owned_row("key_figures"),
            make=lambda values: KeyFigure(sheet=sheet, **values),
            subject=lambda k: f"Chiffre clé « {k.raw or k} »",
            quiet=quiet,
        )
        self._sync_indicators(sheet, desired["indicators"], part("indicators"), report, quiet)

    def _territory_names(self, name: str, keys: list[str]) -> str:
        names = (
            self.context.territory.epci_names
            if name == "epcis"
            else self.context.territory.commune_names
        )
        return ", ".join(names.get(key, key) for key in keys) or "(vide)"

    def _sync_indicators(
        self,
        sheet: ActionSheet,
        wanted: dict[str, dict[str, Any]],
        last: dict[str, Any] | None,
        report: SheetReport,
        quiet: bool,
    ) -> None:
        existing = {_fold(i.label): i for i in sheet.indicators.order_by("order", "id")}
        for key, desired in wanted.items():
            previous = None if last is None else last.get(key)
            indicator = existing.get(key)
            subject = f"Indicateur « {desired['fields']['label']} »"
            if indicator is None:
                indicator = Indicator(sheet=sheet, **desired["fields"])
                self._save(indicator)
                if not quiet:
                    report.changes.append(Change(subject, action="+"))
            else:
                changed, dirty = self._merge(
                    indicator, desired["fields"], previous and previous.get("fields")
                )
                if dirty:
                    self._save(indicator)
                    self._record(report, Indicator, subject, changed)
            last_targets = previous.get("targets") if previous else None
            self._sync_rows(
                report,
                model=Target,
                existing={t.kind: t for t in indicator.targets.all()},
                wanted=desired["targets"],
                last=last_targets,
                # Targets people set in Maillage are theirs: only imported ones are removed.
                owned=lambda kind, last_targets=last_targets: bool(
                    last_targets and kind in last_targets
                ),
                make=lambda values, indicator=indicator: Target(indicator=indicator, **values),
                subject=lambda t, subject=subject: f"{subject} — {t.get_kind_display().lower()}",
                quiet=quiet,
            )
            self._sync_rows(
                report,
                model=Measurement,
                existing={
                    m.date.isoformat(): m
                    for m in indicator.measurements.filter(source=MeasurementSource.IMPORT)
                },
                wanted=desired["measurements"],
                last=previous.get("measurements") if previous else None,
                owned=lambda key: True,  # every measurement with source "import" is ours
                make=lambda values, indicator=indicator: Measurement(
                    indicator=indicator,
                    source=MeasurementSource.IMPORT,
                    author=self.by,
                    **values,
                ),
                subject=lambda m, subject=subject: f"{subject} — mesure du {m.date:%d/%m/%Y}",
                quiet=quiet,
            )
        if last is None:
            return
        for key, indicator in existing.items():
            if key in wanted or key not in last:
                continue
            subject = f"Indicateur « {indicator.label} »"
            kept = indicator.measurements.exclude(source=MeasurementSource.IMPORT).exists()
            if not kept:
                report.changes.append(Change(subject, action="-"))
                self._delete(indicator)
                continue
            # Kept for the measurements people entered; what the document brought goes.
            report.notes.append(labels.IMPORT_INDICATOR_KEPT.format(label=indicator.label))
            for measurement in indicator.measurements.filter(source=MeasurementSource.IMPORT):
                report.changes.append(
                    Change(f"{subject} — mesure du {measurement.date:%d/%m/%Y}", action="-")
                )
                self._delete(measurement)
