"""The cost and funding fields: budget lines, a stated total checked against their sum,
funders and their amounts, notes such as "gratuit pour l'usager".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..amounts import AmountError, AmountMatch, find_amounts, fold
from .actors import SEMICOLON, clean_name, split_top_level
from .lines import Line, logical_entries
from .results import FundingAmount, IssueLog, ParsedBudgetLine, format_euros
from .words import YEAR, parse_french_date, strip_punctuation

_TOTAL_RE = re.compile(r"^(?:total|montant total|cout total|soit(?: un total)?)\b")
_INVESTMENT_RE = re.compile(
    r"invest|materiel|equipement|travaux|amenagement|acquisition|mobilier|immobilis"
)
_OPERATING_RE = re.compile(
    r"fonctionnement|salaire|salari|personnel|ingenierie|animation|deplacement|frais"
    r"|remuneration|poste|etp|prestation|loyer|maintenance|abonnement|formation"
)
_NOTHING = {"", "-", "–", "—", "neant", "sans objet", "n/a", "/"}
_COST_NOTE_RE = re.compile(r"^co[uû]ts?\s*:\s*(?P<note>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Cost:
    lines: tuple[ParsedBudgetLine, ...] = ()
    total: Decimal | None = None
    total_stated: bool = False
    notes: tuple[str, ...] = ()


def _budget_kind(label: str) -> str:
    folded = fold(label)
    if _INVESTMENT_RE.search(folded):
        return "investment"
    if _OPERATING_RE.search(folded):
        return "operating"
    return "unknown"


def parse_cost(lines: list[Line], label: str, report: IssueLog) -> _Cost:
    """Budget lines, stated total and notes of the cost field.

    "Salaire : 6 000 € ; déplacements : 5 000 €" under "Coût de l'action annuel" gives two
    yearly lines; "Total opération : 60 000 €" is a total, checked against the lines' sum;
    text without an amount ("Non défini à ce stade du projet") becomes a note.
    """
    label_per_year = bool(re.search(r"annuel|par an", label))
    label_year = int(m[1]) if (m := re.search(rf"(?:en|pour) ({YEAR})", label)) else None
    budget: list[ParsedBudgetLine] = []
    notes: list[str] = []
    total: tuple[Decimal, int] | None = None
    for entry in logical_entries(lines):
        for segment in split_top_level(entry.text, SEMICOLON):
            if fold(strip_punctuation(segment)) in _NOTHING:
                continue
            try:
                matches = find_amounts(segment, strict=True)
            except AmountError as error:
                report.error(entry.line, f"coût : {error}")
                continue
            if not matches:
                notes.append(strip_punctuation(segment))
                continue
            previous_end = 0
            for position, match in enumerate(matches):
                item_label = _without_joiners(segment[previous_end : match.start])
                following = matches[position + 1].start if position + 1 < len(matches) else None
                note = _without_joiners(segment[match.end : following])
                previous_end = match.end
                if re.match(r"^dont\b", fold(item_label)) and budget:
                    continue  # "X € dont Y € pour …" details X, it is not another line
                if _TOTAL_RE.match(fold(item_label)):
                    total = (match.amount.value, entry.line)
                    continue
                budget.append(
                    _budget_line(item_label, note, match, label_per_year, label_year, entry.line)
                )
    total_value = total[0] if total else None
    if total and budget:
        computed = sum((line.amount for line in budget), Decimal(0))
        if computed != total[0]:
            report.error(
                total[1],
                f"le total indiqué ({format_euros(total[0])}) ne correspond pas à la somme "
                f"des lignes ({format_euros(computed)})",
            )
    if total_value is None and budget:
        total_value = sum((line.amount for line in budget), Decimal(0))
    return _Cost(tuple(budget), total_value, total is not None, tuple(notes))


_JOINERS = re.compile(r"^(?:\s|[:=–+,;/-]|\bet\b|\bpuis\b)+|(?:\s|[:=–+,;/.-]|\bet\b)+$")


def _without_joiners(text: str) -> str:
    """Words around an amount without what joins it to its neighbours ("+", "et", ":")."""
    return _JOINERS.sub("", text)


def _budget_line(
    label: str,
    note: str,
    match: AmountMatch,
    label_per_year: bool,
    label_year: int | None,
    line: int,
) -> ParsedBudgetLine:
    words = fold(f"{label} {note}")
    year = label_year
    if year is None and (m := re.search(rf"\b(?:en|pour|annee) ({YEAR})\b", words)):
        year = int(m[1])
    since = re.search(rf"\b(?:depuis|a partir de|des) ({YEAR})\b", words)
    return ParsedBudgetLine(
        label=label,
        amount=match.amount.value,
        per_year=match.amount.per_year or label_per_year or "par an" in words,
        year=year,
        kind=_budget_kind(label),
        note=note,
        since_year=int(since[1]) if since else None,
        as_of=parse_french_date(note),
        raw=match.amount.raw,
        line=line,
    )


def parse_cost_notes(lines: list[Line]) -> tuple[str, ...]:
    """What a "Coût : gratuit pour l'usager." line says, wherever it is written."""
    notes = []
    for entry in logical_entries(lines):
        if m := _COST_NOTE_RE.match(entry.text):
            try:
                priced = bool(find_amounts(m["note"]))
            except AmountError:
                priced = True  # reported, if anywhere, as a figure of the prose
            if not priced:
                notes.append(strip_punctuation(m["note"]))
    return tuple(notes)


@dataclass(frozen=True)
class _Funding:
    funders: tuple[str, ...] = ()
    amounts: tuple[FundingAmount, ...] = ()
    cost_notes: tuple[str, ...] = ()


_FUNDER_SEPARATORS = re.compile(
    r"\s*[,;+]\s*|\s+/\s+|\s+et\s+(?=[A-ZÉÈÀÂÎÔÛ])"
    r"|\s+avec\s+(?:une|la|le|l['’])\s*(?:participation|soutien|aide|contribution|appui)\s+"
    r"(?:du|de la|de l['’]|des|de|d['’])\s*",
)
_PURPOSE_RE = re.compile(r"\s+pour\s+(?:le|la|les|l['’])\s*[a-zà-ÿ].*$")
_AMOUNT_LEAD_RE = re.compile(r"(?:\s*(?:\b[àa] hauteur de|\bpour|\bsoit|\bde|:|\())+\s*$")


def parse_funding(lines: list[Line], report: IssueLog) -> _Funding:
    """Funders and amounts of the funding field; "Coût : gratuit…" lines become cost notes."""
    funders: list[str] = []
    amounts: list[FundingAmount] = []
    cost_notes: list[str] = []
    for entry in logical_entries(lines):
        text = entry.text
        if m := _COST_NOTE_RE.match(text):
            cost_notes.append(strip_punctuation(m["note"]))
            continue
        text = re.sub(r"^financements?\s*:\s*", "", text, flags=re.IGNORECASE)
        if fold(strip_punctuation(text)) in _NOTHING:
            continue
        for part in split_top_level(text, _FUNDER_SEPARATORS):
            try:
                found = find_amounts(part, strict=True)
            except AmountError as error:
                report.error(entry.line, f"financement : {error}")
                continue
            name = part
            for match in reversed(found):
                name = name[: match.start] + name[match.end :]
            if found:
                name = _AMOUNT_LEAD_RE.sub("", name[: found[0].start]) + name[found[0].start :]
            name = _PURPOSE_RE.sub("", re.sub(r"\(\s*\)", "", name).strip())
            name, _ = clean_name(name)
            if name and fold(name) not in _NOTHING and name not in funders:
                funders.append(name)
            for match in found:
                amounts.append(
                    FundingAmount(
                        funder=name or None,
                        amount=match.amount.value,
                        per_year=match.amount.per_year,
                        raw=match.amount.raw,
                        line=entry.line,
                    )
                )
    return _Funding(tuple(funders), tuple(amounts), tuple(cost_notes))
