"""Importing a document: read it, check everything, then write every sheet in one
transaction (rolled back for a dry run).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from maillage import uploads

from ..models import Plan
from ..sheet_parser import MAX_DOCUMENT_CHARS, ParsedSheet, SheetDocumentError, parse_document
from .desired import Lookups
from .report import ImportReport
from .validation import validate_sheets
from .writer import SheetWriter

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
#: The Charente plan's "Numérique" sheets, shipped with Maillage (see data/SOURCE.txt).
SEED_DOCUMENT = DATA_DIR / "sdaasp-charente-2017-numerique.txt"
DEFAULT_PLAN_SLUG = "sdaasp-charente"
DEFAULT_PLAN_NAME = (
    "Schéma départemental d'amélioration de l'accessibilité des services au public de la Charente"
)
#: A SDAASP runs six years (loi NOTRe, art. 98); the Charente's sheets are dated December 2017.
DEFAULT_PLAN_PERIOD = (2018, 2023)


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
        writer = SheetWriter(
            plan=plan, source_name=source_name, force=force, by=by, context=Lookups(plan)
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
