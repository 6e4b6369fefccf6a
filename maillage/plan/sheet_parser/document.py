"""A document cut into sheets at their "Réf :" lines, each sheet into its fields, each
field read by its own module; every problem of the document collected before it is refused.
"""

from __future__ import annotations

import bisect
import re
from datetime import date

from maillage import uploads

from ..amounts import fold
from .actors import parse_actors
from .budget import parse_cost, parse_cost_notes, parse_funding
from .calendar import parse_calendar, parse_rhythm
from .dimensions import parse_dimensions
from .field_labels import (
    CHECKBOX_LINE,
    MANDATORY_FIELDS,
    REF_RE,
    Label,
    choose_labels,
    match_label,
    original_offset,
)
from .indicators import parse_indicators
from .key_figures import PROSE_FIELDS, parse_key_figures
from .lines import GLYPHS, Line, block_text, clean_line, inline_text, logical_entries, trim
from .results import MAX_DOCUMENT_CHARS, IssueLog, ParsedSheet, SheetDocumentError, SheetIssue
from .words import parse_french_date


def _document_lines(text: str) -> list[Line]:
    """Clean lines of the document with their folded form (folded in one go: it is the
    costly part of reading a long document)."""
    # Lines are counted on "\n" (and "\r") only, as editors and grep count them: a form feed
    # or a Unicode line separator inside a line does not shift the numbers people are given.
    physical = re.split(r"\r\n|\r|\n", text.translate(GLYPHS))
    if physical and physical[-1] == "":
        physical.pop()
    cleaned = [clean_line(raw) for raw in physical]
    folded = fold("\n".join(cleaned)).split("\n")
    if len(folded) != len(cleaned):  # defensive: folding never adds or removes line breaks
        folded = [fold(line) for line in cleaned]
    return [
        Line(number, line, folded_line)
        for number, (line, folded_line) in enumerate(zip(cleaned, folded, strict=True), start=1)
    ]


def parse_document(text: str, *, source_name: str = "") -> list[ParsedSheet]:
    """Parse every sheet of a document, or raise `SheetDocumentError` listing all problems.

    Refused: a document with no "Réf :" line, a ref used twice, an unreadable amount or date, a
    stated total that differs from the sum of the budget lines, a sheet without "Thème" or
    "Action"; a document longer than `MAX_DOCUMENT_CHARS` or holding a NUL character.
    """
    try:
        if len(text) > MAX_DOCUMENT_CHARS:
            raise uploads.UploadRefused(
                f"Document trop long : {len(text)} caractères, {MAX_DOCUMENT_CHARS} au plus "
                "(un schéma départemental tient en quelques dizaines de milliers)."
            )
        uploads.check_text(text)
    except uploads.UploadRefused as error:
        raise SheetDocumentError([SheetIssue(None, 1, str(error))], source_name) from None
    lines = _document_lines(text)
    starts = [i for i, line in enumerate(lines) if REF_RE.match(line.folded)]
    if not starts:
        first = next((line.number for line in lines if line.text), 1)
        raise SheetDocumentError(
            [
                SheetIssue(
                    None, first, "aucune ligne « Réf : » : le document ne contient aucune fiche"
                )
            ],
            source_name,
        )
    errors: list[SheetIssue] = []
    sheets: list[ParsedSheet] = []
    seen: dict[str, int] = {}
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        sheet, report = _parse_sheet(lines[start:end], source_name)
        errors.extend(report.errors)
        if sheet is None:
            continue
        if sheet.ref in seen:
            errors.append(
                SheetIssue(
                    sheet.ref,
                    sheet.line,
                    f"référence {sheet.ref} en double (déjà utilisée ligne {seen[sheet.ref]})",
                )
            )
            continue
        seen[sheet.ref] = sheet.line
        sheets.append(sheet)
    if errors:
        raise SheetDocumentError(errors, source_name)
    return sheets


def _parse_ref_line(line: Line, report: IssueLog) -> tuple[str | None, date | None]:
    text = line.text
    match = REF_RE.match(fold(text))
    assert match is not None
    rest = text[original_offset(text, match.start("rest")) :].strip()
    if not rest:
        report.error(line.number, "référence absente après « Réf : »")
        return None, None
    ref, _, date_text = rest.partition(" ")
    ref = ref.strip(",;–-")
    report.ref = ref
    date_text = date_text.strip(" ,;:–—-")
    if not date_text:
        report.warn(line.number, "date de la fiche absente")
        return ref, None
    parsed = parse_french_date(date_text)
    if parsed is None:
        report.error(line.number, f"date illisible : « {date_text} »")
    return ref, parsed


def _parse_sheet(lines: list[Line], source_name: str) -> tuple[ParsedSheet | None, IssueLog]:
    report = IssueLog(ref=None)
    ref_line = lines[0]
    ref, sheet_date = _parse_ref_line(ref_line, report)
    body = lines[1:]
    candidates: list[Label] = []
    checkbox_indexes: list[int] = []
    for index, line in enumerate(body):
        if CHECKBOX_LINE.match(line.text):
            checkbox_indexes.append(index)
        elif label := match_label(body, index):
            candidates.append(label)
    labels = choose_labels(candidates)
    blocks = _blocks(body, labels, set(checkbox_indexes))
    first_label = min([label.index for label in labels] + checkbox_indexes + [len(body)])
    if preamble := trim(body[:first_label]):
        report.warn(preamble[0].number, "texte avant le premier libellé ignoré")
    for name, title in MANDATORY_FIELDS.items():
        if name not in blocks:
            report.error(ref_line.number, f"libellé obligatoire « {title} » absent")
    if ref is None:
        return None, report

    def block(name: str) -> list[Line]:
        return blocks.get(name, ([], ""))[0]

    cost = parse_cost(block("cost"), blocks.get("cost", ([], ""))[1], report)
    funding = parse_funding(block("funding"), report)
    calendar = parse_calendar(block("calendar"))
    indicators, notes = parse_indicators(block("indicators"), report)
    prose_cost_notes = parse_cost_notes(block("description"))
    sheet = ParsedSheet(
        ref=ref,
        date=sheet_date,
        theme=inline_text(block("theme")),
        action=inline_text(block("action")),
        sub_action=inline_text(block("sub_action")),
        description=block_text(block("description")),
        scope_text=inline_text(block("scope")),
        pilots_text=block_text(block("pilots")),
        pilots=parse_actors(block("pilots")),
        partners_text=block_text(block("partners")),
        partners=parse_actors(block("partners")),
        calendar_text=block_text(block("calendar")),
        calendar_period=calendar.period,
        milestones=calendar.milestones,
        governance_rhythm=calendar.rhythm + parse_rhythm(logical_entries(block("pilots"))),
        indicators_text=block_text(block("indicators")),
        indicators=indicators,
        indicator_notes=notes,
        cost_text=block_text(block("cost")),
        budget_lines=cost.lines,
        cost_total=cost.total,
        cost_total_stated=cost.total_stated,
        cost_notes=cost.notes + prose_cost_notes + funding.cost_notes,
        funding_text=block_text(block("funding")),
        funders=funding.funders,
        funding_amounts=funding.amounts,
        dimensions=parse_dimensions(
            [body[i] for i in checkbox_indexes] + block("dimensions"), report
        ),
        key_figures=tuple(
            figure
            for name in PROSE_FIELDS
            for figure in parse_key_figures(name, block(name), report)
        ),
        line=ref_line.number,
        field_lines={label.field: body[label.index].number for label in labels},
        warnings=tuple(report.warnings),
        source_name=source_name,
    )
    return sheet, report


def _blocks(
    body: list[Line], labels: list[Label], checkbox_indexes: set[int]
) -> dict[str, tuple[list[Line], str]]:
    """Each chosen field's value lines (from its label to the next label or check box line),
    with the label's folded text (it carries qualifiers such as "annuel" or "en 2017")."""
    boundaries = sorted({label.index for label in labels} | checkbox_indexes | {len(body)})
    blocks: dict[str, tuple[list[Line], str]] = {}
    for label in labels:
        end = boundaries[bisect.bisect_right(boundaries, label.index)]
        end = max(end, label.value_index + 1)
        first = body[label.value_index]
        value_lines = [Line(first.number, first.text[label.value_offset :].strip())]
        value_lines += body[label.value_index + 1 : end]
        blocks[label.field] = (trim(value_lines), label.text)
    return blocks
