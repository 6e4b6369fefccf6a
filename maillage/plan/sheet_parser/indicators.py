"""The indicators field: indicators with their targets ("Valeur initiale / intermédiaire /
finale") and the measurements the sheet states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..amounts import fold, parse_quantity, unit_phrase
from .field_labels import original_offset
from .lines import BULLET_RE, Entry, Line, logical_entries
from .results import IssueLog, ParsedIndicator, ParsedMeasurement, ParsedTarget
from .words import YEAR, collapse, parse_french_date, strip_punctuation, years_in

_TARGET_RE = re.compile(
    r"^valeurs?\s+(?P<kind>initiales?|de depart|de reference|intermediaires?|d'etape"
    r"|finales?|cibles?|attendues?|visees?)(?![\w])"
)
_TARGET_KINDS = {
    "initial": "initial",
    "de depart": "initial",
    "de reference": "initial",
    "intermedi": "intermediate",
    "d'etape": "intermediate",
}
_QUALIFIER_RE = re.compile(r"^(?P<qualifier>[^:]{0,40}?)\s*:\s*(?P<value>.*)$")
_HEADING_YEAR_RE = re.compile(
    rf"^(?:bilan|resultats?|realise|realisations?|mesures?|donnees|chiffres)\b.*?(?P<y>{YEAR})"
)
_INDICATOR_HEAD_RE = re.compile(
    r"^(?:nombre|nb|taux|part|pourcentage|proportion|montant|delai|duree|frequentation"
    r"|evolution)\b"
)
_MEASURED_RE = re.compile(r"^(?P<label>[^:]{3,}?)\s*:\s*(?P<value>[^:]+)$")


def _target_kind(word: str) -> str:
    for prefix, kind in _TARGET_KINDS.items():
        if word.startswith(prefix):
            return kind
    return "final"


def _is_qualifier(text: str) -> bool:
    """Words between "Valeur finale" and its colon that qualify it: "(max 2022)", "2021"."""
    return not text or text.startswith("(") or (len(text) <= 40 and bool(years_in(text)))


@dataclass
class _IndicatorDraft:
    label: str
    line: int
    targets: list[ParsedTarget] = field(default_factory=list)
    measurements: list[ParsedMeasurement] = field(default_factory=list)

    def freeze(self) -> ParsedIndicator:
        return ParsedIndicator(
            label=self.label,
            unit=_guess_unit(self.label),
            targets=tuple(self.targets),
            measurements=tuple(self.measurements),
            line=self.line,
        )


def _guess_unit(label: str) -> str:
    """What an indicator counts: "Nombre de points de médiation…" → "points de médiation"."""
    folded = fold(label)
    if m := re.match(r"^(?:nombre|nb\.?)\s+(?:de\s+|d'\s*)", folded):
        return unit_phrase(label[original_offset(label, m.end()) :])
    if re.match(r"^(?:taux|part|pourcentage|proportion)\b", folded):
        return "%"
    if re.match(r"^(?:montant|cout|budget)\b", folded):
        return "€"
    return ""


def _figure(text: str) -> tuple[Decimal | None, str, str]:
    """Value, unit and comparator of a text that starts with a figure (years excluded)."""
    quantity = parse_quantity(text)
    if quantity is None:
        return None, "", ""
    if not quantity.unit and re.fullmatch(YEAR, str(quantity.value)):
        return None, "", ""  # "Valeur finale : 2021" gives a year, not a value
    return quantity.value, quantity.unit, quantity.comparator


def _parse_target(target: _TargetText) -> ParsedTarget:
    """Read a target: its figure if it starts with one, its date or years (from the label's
    qualifier first: "Valeur finale (max 2022)"), and the qualifier's words as a note."""
    qualifier = target.qualifier
    value_text = collapse(target.text)
    when = None
    if m := re.match(r"^(\d{1,2}/\d{1,2}/(?:19|20)\d\d)\s*:\s*", value_text):
        when = parse_french_date(m[1])
        value_text = value_text[m.end() :]
    value, unit, comparator = _figure(value_text)
    when = when or parse_french_date(value_text)
    qualifier_years = years_in(qualifier)
    years = qualifier_years or ([when.year] if when else years_in(value_text)[-1:])
    note = strip_punctuation(qualifier.strip("() "))
    if re.fullmatch(rf"{YEAR}(?:\s*[/-]\s*{YEAR})*", note):
        note = ""
    return ParsedTarget(
        kind=target.kind,
        value=value,
        unit=unit,
        comparator=comparator,
        value_text=value_text,
        date=when,
        year=years[0] if years else None,
        end_year=years[-1] if len(years) > 1 else None,
        note=note,
        line=target.line,
    )


@dataclass(frozen=True)
class _TargetText:
    """The words of one "Valeur …" block before they are read."""

    kind: str
    qualifier: str
    text: str
    line: int


def _split_targets(lines: list[Line]) -> list[Line | _TargetText]:
    """Separate "Valeur initiale / intermédiaire / finale" blocks from the indicators' lines.

    A target's label may wrap ("Valeur initiale" / "2016/2017 :") and its value may follow on
    later lines; it ends at the next target or the next bullet.
    """
    items: list[Line | _TargetText] = []
    body = [line for line in lines if line.text]
    i = 0
    while i < len(body):
        line = body[i]
        folded = fold(line.text)
        match = _TARGET_RE.match(folded)
        if not match:
            items.append(line)
            i += 1
            continue
        kind = _target_kind(match["kind"])
        rest = line.text[original_offset(line.text, match.end()) :].strip()
        qualifier, value = "", rest
        if (m := _QUALIFIER_RE.match(rest)) and _is_qualifier(m["qualifier"]):
            qualifier, value = m["qualifier"], m["value"]
        elif (not rest or (years_in(rest) and len(rest) <= 20)) and i + 1 < len(body):
            m = _QUALIFIER_RE.match(body[i + 1].text)
            if m and _is_qualifier(m["qualifier"]) and not _TARGET_RE.match(fold(body[i + 1].text)):
                qualifier, value = f"{rest} {m['qualifier']}".strip(), m["value"]
                i += 1
        parts = [value]
        i += 1
        while (
            i < len(body)
            and not _TARGET_RE.match(fold(body[i].text))
            and not BULLET_RE.match(body[i].text)
        ):
            parts.append(body[i].text)
            i += 1
        items.append(_TargetText(kind, qualifier, " ".join(parts), line.number))
    return items


def parse_indicators(
    lines: list[Line], report: IssueLog
) -> tuple[tuple[ParsedIndicator, ...], tuple[str, ...]]:
    """Indicators with their targets and measurements, and the notes written among them.

    Layouts: a bullet list, a single line, "Bilan 2016" followed by "- Nombre d'ateliers : 15"
    (measurements of 2016), "Valeur initiale / intermédiaire / finale" blocks attached to the
    indicator above them. A sentence after the list ("Les critères de suivi restent à
    travailler…") is a note, not an indicator.
    """
    drafts: list[_IndicatorDraft] = []
    notes: list[str] = []
    heading_year: int | None = None
    pending: list[Line] = []

    def flush() -> None:
        nonlocal heading_year
        for entry in logical_entries(pending):
            heading_year = _indicator_entry(entry, drafts, notes, heading_year)
        pending.clear()

    for item in _split_targets(lines):
        if isinstance(item, Line):
            pending.append(item)
            continue
        flush()
        if not drafts:
            report.warn(item.line, "valeur cible sans indicateur au-dessus")
            drafts.append(_IndicatorDraft(label="", line=item.line))
        drafts[-1].targets.append(_parse_target(item))
    flush()
    return tuple(d.freeze() for d in drafts), tuple(notes)


def _indicator_entry(
    entry: Entry, drafts: list[_IndicatorDraft], notes: list[str], heading_year: int | None
) -> int | None:
    text = entry.text.strip()
    folded = fold(text)
    if not entry.bullet and (m := _HEADING_YEAR_RE.match(folded)) and len(text.split()) <= 4:
        return int(m["y"])
    if not entry.bullet and text.endswith(":"):
        years = years_in(text)
        return years[0] if years else heading_year
    measured = _MEASURED_RE.match(text)
    if measured and len(measured["value"].split()) > 8:
        measured = None
    if not (entry.bullet or not drafts or measured or _INDICATOR_HEAD_RE.match(folded)):
        notes.append(collapse(text))
        return heading_year
    label = strip_punctuation(measured["label"] if measured else text)
    draft = _IndicatorDraft(label=label, line=entry.line)
    if measured:
        value_text = strip_punctuation(measured["value"])
        value, unit, _ = _figure(value_text)
        years = years_in(value_text)
        draft.measurements.append(
            ParsedMeasurement(
                value=value,
                unit=unit or _guess_unit(label),
                value_text=value_text,
                year=heading_year or (years[-1] if years else None),
                line=entry.line,
            )
        )
    drafts.append(draft)
    return heading_year
