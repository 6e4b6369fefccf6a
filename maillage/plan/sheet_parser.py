"""Read text exports of SDAASP action sheets ("fiches action") into structured data.

A sheet document is the text a word processor or a PDF tool gives for a set of action sheets:
each sheet starts at a "Réf : <ref> <date>" line and continues with labelled fields —
"Thème", "Action", "Sous-action éventuelle", "Description synthétique", "Emprise
géographique", "Pilotes et missions", "Partenaires associés et missions", "Calendrier de mise
en œuvre", "Indicateurs de suivi" (with "Valeur initiale / intermédiaire / finale"), "Coût de
l'action", "Financement" and the "Amélioration de l'accessibilité" check boxes.

Exports are untidy, and the parser is written for the family of documents, not for one file:

* labels vary in wording, case, accents, apostrophes (’ or ') and œ/oe, may be followed by a
  colon or not, may carry their value on the same line or below, and may wrap over two lines
  ("Description synthétique de / l'action");
* page breaks leave a space before a label, justified text leaves runs of spaces, symbol fonts
  leave private-use glyphs (U+F0FE for a ticked box, U+F0B7 for a bullet) or their Latin-1
  shadows ("þ" for a ticked box);
* a label word can also start a line of prose ("Financement : Département et Etat." inside a
  description). Each field occurs once per sheet, so when a label occurs twice the parser keeps
  the occurrence that fits the form's order and the sheet's label style, and the other one
  stays text.

`parse_document` collects every problem of the document before refusing it, so a person fixes
the file once. Amounts are exact `Decimal` values (see `maillage.plan.amounts`). Prose stays
prose: every field keeps its text next to what was read from it.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from maillage import uploads

from .amounts import (
    AmountError,
    AmountMatch,
    comparator_before,
    find_amounts,
    find_quantities,
    fold,
    parse_quantity,
    unit_phrase,
)

__all__ = [
    "DIMENSIONS",
    "Actor",
    "FundingAmount",
    "KeyFigure",
    "Milestone",
    "ParsedBudgetLine",
    "ParsedIndicator",
    "ParsedMeasurement",
    "ParsedSheet",
    "ParsedTarget",
    "Period",
    "RecurringMeeting",
    "SheetDocumentError",
    "SheetIssue",
    "format_euros",
    "parse_document",
    "parse_french_date",
    "sheets_to_json",
]

#: The four ways a sheet improves access to services, as ticked on the national SDAASP form.
DIMENSIONS = ("Physique", "Numérique", "Horaire", "Mutualisation")

# ---------------------------------------------------------------------------------------------
# Results


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


# ---------------------------------------------------------------------------------------------
# Words and dates

_MONTH_NUMBERS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
# Folded month names, longest first so that "juillet" wins over "juil".
_MONTH = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:er)?\s+({_MONTH})\.?\s+({_YEAR})(?!\d)")


def month_number(word: str) -> int | None:
    """The month a French name or abbreviation stands for ("Décembre", "janv.") or None."""
    return _MONTH_NUMBERS.get(fold(word).rstrip("."))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_french_date(text: str) -> date | None:
    """First date written in `text`: "20 décembre 2017", "1er mars 2018", "31/12/2016"."""
    folded = fold(text)
    found = []
    if m := _WORD_DATE.search(folded):
        found.append((m.start(), int(m[3]), _MONTH_NUMBERS[m[2]], int(m[1])))
    if m := _NUMERIC_DATE.search(folded):
        found.append((m.start(), int(m[3]), int(m[2]), int(m[1])))
    if m := _ISO_DATE.search(folded):
        found.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for _, year, month, day in sorted(found):
        return _safe_date(year, month, day)
    return None


def _years(text: str) -> list[int]:
    """Years written in `text` ("2016/2017" gives both), days' dates left out."""
    without_dates = _NUMERIC_DATE.sub(" ", text)
    return [int(y) for y in re.findall(rf"(?<!\d){_YEAR}(?!\d)", without_dates)]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _strip_punctuation(text: str) -> str:
    return text.strip().strip(" .;,:…").strip()


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    folded: str = ""  # fold(text), computed once for the whole document when labels are read

    def fold(self) -> str:
        return self.folded or fold(self.text)


@dataclass(frozen=True)
class _Entry:
    """A logical line: a bullet item or a line with the lines that wrap it, joined."""

    text: str
    line: int
    bullet: bool


_GLYPHS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0e0": "→"})
_HSPACE_RUN = re.compile(r"[ \t\f\v\x85\u2028\u2029]+")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\x00]")


def _clean_line(raw: str) -> str:
    """One physical line without layout noise: runs of spaces become one space, and leading
    and trailing spaces (page-break artefacts) go. Symbol-font bullets are mapped to "•"
    beforehand (`_GLYPHS`), for the whole document at once."""
    return _HSPACE_RUN.sub(" ", _INVISIBLE.sub("", raw)).strip()


_BULLET_RE = re.compile(r"^(?:->|=>|→|[-–—•▪◦●➢►*])\s*")
_CONNECTIVES_TEXT = (
    "de du des la le les et ou en a au aux avec pour par sur dans un une leur leurs "
    "son sa ses via entre vers notamment"
)
_CONNECTIVES = frozenset(_CONNECTIVES_TEXT.split())


def _continues(previous: str, following: str) -> bool:
    """Is `following` the wrapped end of `previous` rather than a new item?

    Exports drop the difference between a wrapped line and a new line, so this reads the text:
    a line ending on a comma, an open parenthesis or a small word ("de", "et", "l'") goes on;
    so does a line starting in lower case; and a comma-separated list goes on until it ends
    with a full stop. A short line like "Les EPN" followed by "Les MFR" is two items.
    """
    if not previous or not following or _BULLET_RE.match(following):
        return False
    if previous.endswith((",", "(", "/", "+", "&", "'", "’")):
        return True
    if previous.count("(") > previous.count(")"):
        return True
    last = fold(previous).split()[-1]
    if last in _CONNECTIVES or last.endswith("'"):
        return True
    if following[0].islower():
        return True
    return "," in previous and not previous.endswith((".", ";", ":", "!", "?", "…"))


def _entries(lines: list[_Line]) -> list[_Entry]:
    """Group lines into logical entries (bullet items, wrapped lines joined by a space)."""
    entries: list[_Entry] = []
    current: list[str] = []
    start = 0
    is_bullet = False
    for line in lines:
        text = line.text
        if not text:
            continue
        if current and _continues(current[-1], text):
            current.append(text)
            continue
        if current:
            entries.append(_Entry(" ".join(current), start, is_bullet))
        bullet = _BULLET_RE.match(text)
        is_bullet = bool(bullet)
        current = [text[bullet.end() :] if bullet else text]
        start = line.number
    if current:
        entries.append(_Entry(" ".join(current), start, is_bullet))
    return [e for e in entries if e.text]


def _block_text(lines: list[_Line]) -> str:
    """Prose of a field: its lines as written, one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if line.text or (out and out[-1]):
            out.append(line.text)
    return "\n".join(out).strip()


def _inline_text(lines: list[_Line]) -> str:
    return " ".join(line.text for line in lines if line.text)


def _trim(lines: list[_Line]) -> list[_Line]:
    start, end = 0, len(lines)
    while start < end and not lines[start].text:
        start += 1
    while end > start and not lines[end - 1].text:
        end -= 1
    return lines[start:end]


# ---------------------------------------------------------------------------------------------
# Labels

# (field, rank, folded pattern). Rank 0 is the form's own wording, rank 1 a synonym: when a
# field's label occurs twice, the form's wording wins.
_LABELS: list[tuple[str, int, str]] = [
    ("theme", 0, r"themes?|thematiques?"),
    ("action", 0, r"actions?"),
    ("action", 1, r"intitule(?: de l'action)?"),
    ("sub_action", 0, r"sous[- ]?actions?(?: eventuelles?)?"),
    (
        "description",
        0,
        r"description(?: synthetique)?"
        r"(?: \(?(?:de l'action|de l'operation|du projet|de la sous[- ]action)\)?)?",
    ),
    ("scope", 0, r"emprises?(?: geographiques?)?"),
    (
        "scope",
        1,
        r"perimetre(?: geographique| d'intervention)?|territoires? concernes?"
        r"|zones? geographiques?",
    ),
    ("pilots", 0, r"pilotes?(?: et missions?)?"),
    ("pilots", 1, r"porteurs?(?: de l'action| du projet| de projet)?(?: et missions?)?"),
    ("partners", 0, r"partenaires?(?: associes)?(?: et missions?)?"),
    (
        "calendar",
        0,
        r"calendrier(?: (?:de |de la )?mise en oeuvre| previsionnel| de realisation)?",
    ),
    ("calendar", 1, r"echeanciers?|planning"),
    (
        "indicators",
        0,
        r"indicateurs?(?: de (?:suivi|resultats?|realisation|performance)| d'evaluation)?",
    ),
    (
        "cost",
        0,
        r"couts? (?:de l'action|du projet|de l'operation)"
        r"(?: (?:annuels?|\(annuel\)|(?:en|pour) (?:19|20)\d\d|par an))*",
    ),
    (
        "cost",
        1,
        r"(?:couts?(?: total| global| previsionnel| estime)?|budget(?: previsionnel)?"
        r"|montant(?: de l'action| total| previsionnel))"
        r"(?: (?:annuels?|\(annuel\)|(?:en|pour) (?:19|20)\d\d|par an))*",
    ),
    (
        "funding",
        0,
        r"financements?(?: (?:prevus?|sollicites?|envisages?|previsionnels?))?"
        r"|plan de financement|financeurs?",
    ),
    ("dimensions", 0, r"amelioration de l'accessibilite(?: des services(?: au public)?)?"),
]
#: The form's order, used to tell a real label from a label word starting a line of prose.
FIELD_ORDER = (
    "theme",
    "action",
    "sub_action",
    "description",
    "scope",
    "pilots",
    "partners",
    "calendar",
    "indicators",
    "cost",
    "funding",
    "dimensions",
)
MANDATORY_FIELDS = {"theme": "Thème", "action": "Action"}
_LABEL_RE = re.compile(
    "^(?:"
    + "|".join(f"(?P<{name}__{rank}>{pattern})" for name, rank, pattern in _LABELS)
    + r")(?=$|[\s:])"
)
_AFTER_LABEL_RE = re.compile(r"(?P<colon>\s*:)?\s*")
#: Words that labels are made of: a line ending with only such words may wrap a label.
_LABEL_WORDS = frozenset(
    form
    for word in re.findall(r"[a-z']+", " ".join(pattern for _, _, pattern in _LABELS))
    for form in (word, word.removesuffix("s"))
)
_REF_RE = re.compile(r"^ref(?:erence)?\s*(?:\.\s*:?|:)\s*(?P<rest>.*)$")

_TICKED = "þ\uf0fe\uf0fd\uf0fc☑☒✔✓✅■ý"
_UNTICKED = "□☐❑❒❏◻◽▢\uf06f\uf0a8\uf071¨"
_BOX = rf"[{_TICKED}{_UNTICKED}]|\[\s*[xX✓✔]?\s*\]"
_CHECKBOX_LINE = re.compile(rf"^(?:{_BOX})")
_CHECKBOX_ITEM = re.compile(rf"(?P<box>{_BOX})\s*(?P<label>[^{_TICKED}{_UNTICKED}\[]*)")


def _original_offset(text: str, folded_offset: int) -> int:
    """Position in `text` of the character at `folded_offset` in `fold(text)`."""
    if len(fold(text)) == len(text):
        return folded_offset
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if len(fold(text[:middle])) < folded_offset:
            low = middle + 1
        else:
            high = middle
    return low


@dataclass(frozen=True)
class _Label:
    field: str
    rank: int
    index: int  # index of the label's first line in the sheet's lines
    value_index: int  # index of the line where the value starts
    value_offset: int  # where the value starts on that line
    colon: bool
    text: str  # the label as folded text, qualifiers included ("cout de l'action en 2017")


def _read_label(folded: str) -> tuple[str, int, int, bool, str] | None:
    """Field, rank, end of the label (colon and spaces included), colon, label text."""
    match = _LABEL_RE.match(folded)
    if not match:
        return None
    name, rank = (match.lastgroup or "").split("__")
    after = _AFTER_LABEL_RE.match(folded, match.end())
    assert after is not None  # the pattern matches the empty string
    return name, int(rank), after.end(), bool(after["colon"]), match.group()


def _match_label(lines: list[_Line], index: int) -> _Label | None:
    text = lines[index].text
    folded = lines[index].fold()
    found = _read_label(folded)
    if found is None:
        return None
    field_name, rank, end, colon, label_text = found
    label = _Label(field_name, rank, index, index, _original_offset(text, end), colon, label_text)
    # A label may wrap: "Description synthétique de" / "l'action". Only worth a look when what
    # follows the label on its line could itself be the start of a longer label.
    if not set(folded[end:].split()) <= _LABEL_WORDS:
        return label
    following = next((i for i in range(index + 1, len(lines)) if lines[i].text), None)
    if following is None:
        return label
    joined = f"{folded} {lines[following].fold()}"
    longer = _read_label(joined)
    if longer and longer[0] == field_name and len(longer[4]) > len(folded):
        next_text = lines[following].text
        return dataclasses.replace(
            label,
            value_index=following,
            value_offset=_original_offset(next_text, longer[2] - len(folded) - 1),
            colon=longer[3],
            text=longer[4],
        )
    return label


def _choose_labels(candidates: list[_Label]) -> list[_Label]:
    """Keep one label per field.

    A label word may start a line of prose ("Financement : Département et Etat." inside a
    description, "Périmètre :" inside a description). When a field has several candidates, the
    one that fits between the fields around it in the form's order wins, then the one written
    like the sheet's other labels (with or without a colon), then the form's own wording, then
    the first.
    """
    by_field: dict[str, list[_Label]] = {}
    for candidate in candidates:
        by_field.setdefault(candidate.field, []).append(candidate)
    chosen = {name: found[0] for name, found in by_field.items() if len(found) == 1}
    colons = sum(label.colon for label in chosen.values())
    colon_style = colons * 2 > len(chosen)
    for name in FIELD_ORDER:
        found = by_field.get(name, [])
        if len(found) < 2:
            continue
        position = FIELD_ORDER.index(name)
        before = [chosen[f].index for f in FIELD_ORDER[:position] if f in chosen]
        after = [chosen[f].index for f in FIELD_ORDER[position + 1 :] if f in chosen]
        low, high = max(before, default=-1), min(after, default=10**9)

        def score(label: _Label, low: int = low, high: int = high) -> tuple[int, int, int, int]:
            fits = low < label.index < high
            return (-int(fits), -int(label.colon == colon_style), label.rank, label.index)

        chosen[name] = min(found, key=score)
    return sorted(chosen.values(), key=lambda label: label.index)


# ---------------------------------------------------------------------------------------------
# Sheet splitting


@dataclass
class _Report:
    """Errors and warnings of one sheet, with the sheet's ref for messages."""

    ref: str | None
    errors: list[SheetIssue] = field(default_factory=list)
    warnings: list[SheetIssue] = field(default_factory=list)

    def error(self, line: int, reason: str) -> None:
        self.errors.append(SheetIssue(self.ref, line, reason))

    def warn(self, line: int, reason: str) -> None:
        self.warnings.append(SheetIssue(self.ref, line, reason))


def _document_lines(text: str) -> list[_Line]:
    """Clean lines of the document with their folded form (folded in one go: it is the
    costly part of reading a long document)."""
    # Lines are counted on "\n" (and "\r") only, as editors and grep count them: a form feed
    # or a Unicode line separator inside a line does not shift the numbers people are given.
    physical = re.split(r"\r\n|\r|\n", text.translate(_GLYPHS))
    if physical and physical[-1] == "":
        physical.pop()
    cleaned = [_clean_line(raw) for raw in physical]
    folded = fold("\n".join(cleaned)).split("\n")
    if len(folded) != len(cleaned):  # defensive: folding never adds or removes line breaks
        folded = [fold(line) for line in cleaned]
    return [
        _Line(number, line, folded_line)
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
    starts = [i for i, line in enumerate(lines) if _REF_RE.match(line.folded)]
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


def _parse_ref_line(line: _Line, report: _Report) -> tuple[str | None, date | None]:
    text = line.text
    match = _REF_RE.match(fold(text))
    assert match is not None
    rest = text[_original_offset(text, match.start("rest")) :].strip()
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


def _parse_sheet(lines: list[_Line], source_name: str) -> tuple[ParsedSheet | None, _Report]:
    report = _Report(ref=None)
    ref_line = lines[0]
    ref, sheet_date = _parse_ref_line(ref_line, report)
    body = lines[1:]
    candidates: list[_Label] = []
    checkbox_indexes: list[int] = []
    for index, line in enumerate(body):
        if _CHECKBOX_LINE.match(line.text):
            checkbox_indexes.append(index)
        elif label := _match_label(body, index):
            candidates.append(label)
    labels = _choose_labels(candidates)
    blocks = _blocks(body, labels, set(checkbox_indexes))
    first_label = min([label.index for label in labels] + checkbox_indexes + [len(body)])
    if preamble := _trim(body[:first_label]):
        report.warn(preamble[0].number, "texte avant le premier libellé ignoré")
    for name, title in MANDATORY_FIELDS.items():
        if name not in blocks:
            report.error(ref_line.number, f"libellé obligatoire « {title} » absent")
    if ref is None:
        return None, report

    def block(name: str) -> list[_Line]:
        return blocks.get(name, ([], ""))[0]

    cost = _parse_cost(block("cost"), blocks.get("cost", ([], ""))[1], report)
    funding = _parse_funding(block("funding"), report)
    calendar = _parse_calendar(block("calendar"))
    indicators, notes = _parse_indicators(block("indicators"), report)
    prose_cost_notes = _cost_notes(block("description"))
    sheet = ParsedSheet(
        ref=ref,
        date=sheet_date,
        theme=_inline_text(block("theme")),
        action=_inline_text(block("action")),
        sub_action=_inline_text(block("sub_action")),
        description=_block_text(block("description")),
        scope_text=_inline_text(block("scope")),
        pilots_text=_block_text(block("pilots")),
        pilots=_parse_actors(block("pilots")),
        partners_text=_block_text(block("partners")),
        partners=_parse_actors(block("partners")),
        calendar_text=_block_text(block("calendar")),
        calendar_period=calendar.period,
        milestones=calendar.milestones,
        governance_rhythm=calendar.rhythm + _rhythm(_entries(block("pilots"))),
        indicators_text=_block_text(block("indicators")),
        indicators=indicators,
        indicator_notes=notes,
        cost_text=_block_text(block("cost")),
        budget_lines=cost.lines,
        cost_total=cost.total,
        cost_total_stated=cost.total_stated,
        cost_notes=cost.notes + prose_cost_notes + funding.cost_notes,
        funding_text=_block_text(block("funding")),
        funders=funding.funders,
        funding_amounts=funding.amounts,
        dimensions=_parse_dimensions(
            [body[i] for i in checkbox_indexes] + block("dimensions"), report
        ),
        key_figures=tuple(
            figure for name in _PROSE_FIELDS for figure in _key_figures(name, block(name), report)
        ),
        line=ref_line.number,
        field_lines={label.field: body[label.index].number for label in labels},
        warnings=tuple(report.warnings),
        source_name=source_name,
    )
    return sheet, report


def _blocks(
    body: list[_Line], labels: list[_Label], checkbox_indexes: set[int]
) -> dict[str, tuple[list[_Line], str]]:
    """Each chosen field's value lines (from its label to the next label or check box line),
    with the label's folded text (it carries qualifiers such as "annuel" or "en 2017")."""
    boundaries = sorted({label.index for label in labels} | checkbox_indexes | {len(body)})
    blocks: dict[str, tuple[list[_Line], str]] = {}
    for label in labels:
        end = boundaries[bisect.bisect_right(boundaries, label.index)]
        end = max(end, label.value_index + 1)
        first = body[label.value_index]
        value_lines = [_Line(first.number, first.text[label.value_offset :].strip())]
        value_lines += body[label.value_index + 1 : end]
        blocks[label.field] = (_trim(value_lines), label.text)
    return blocks


# ---------------------------------------------------------------------------------------------
# Pilots and partners

# Only a lower-case article is dropped ("…, l'ATLEB, la Mission locale"): a capitalised one
# may belong to the name ("La Poste"); organisation matching ignores articles anyway.
_ARTICLE_RE = re.compile(r"^(?:(?:le|la|les)\s+|l['’]\s*)")
_QUALIFIER_START = re.compile(
    r"^(?:en|notamment|avec|via|dont|pour|dans|soit|y compris|ainsi que|sous)\b"
)
_PROSE_VERBS = re.compile(
    r"\b(?:est|sont|sera|seront|ont|permet|permettent|doit|doivent|peut|peuvent|fait|font"
    r"|assurer|restent|reste|va|vont)\b"
)
_ROLE_VERB_RE = re.compile(
    r"^(?P<subject>.{2,100}?)\s+(?P<verb>assurent|assure|pilotent|pilote|coordonnent|coordonne"
    r"|animent|anime|portent|porte|organisent|organise|financent|finance|g[èe]rent|g[èe]re"
    r"|prennent en charge|prend en charge)\s+(?P<mission>.+)$",
    re.IGNORECASE,
)
_COLON_RE = re.compile(r"^(?P<names>[^:]{2,120}?)\s*:\s*(?P<mission>.*)$")
_SHORT_SENTENCE_RE = re.compile(r"^(?P<name>[^.,:;()]{2,60}?)\.\s+(?P<mission>[A-ZÉÈÀ].+)$")


def _split_top_level(text: str, separators: re.Pattern[str]) -> list[str]:
    """Split on `separators` outside parentheses and quotes."""
    if not any(bracket in text for bracket in "(«["):
        return [part.strip() for part in separators.split(text) if part.strip()]
    parts: list[str] = []
    depth = 0
    start = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char in "(«[":
            depth += 1
        elif char in ")»]":
            depth = max(0, depth - 1)
        elif depth == 0 and (match := separators.match(text, position)):
            parts.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


# Lists of names: commas, semicolons, "+", " / ", and "et" before a capitalised name ("Etat et
# Département") — "Ministère de la Culture et de la Communication" stays one name.
_NAME_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+/\s+|\s+et\s+(?=[A-ZÉÈÀÂÎÔÛ])")
_LIST_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+/\s+")  # items, before "et" is looked at
_SUBJECT_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+et\s+", re.IGNORECASE)  # "La Caf et L'État"
_SEMICOLON = re.compile(r"\s*;\s*")


def _clean_name(name: str) -> tuple[str, str]:
    """An organisation's name without lower-case article or trailing punctuation, and the
    mission hidden in a long lower-case parenthesis ("Etat (mission THD via …)")."""
    name = _strip_punctuation(name)
    name = _ARTICLE_RE.sub("", name).strip()
    mission = ""
    m = re.match(r"^(?P<name>.+?)\s*\((?P<inside>[a-zà-ÿ][^()]*)\)$", name)
    if m and len(m["inside"].split()) > 3:
        name, mission = m["name"], m["inside"]
    return name, mission


def _names(text: str) -> list[tuple[str, str]]:
    return [
        cleaned
        for part in _split_top_level(text, _NAME_SEPARATORS)
        if (cleaned := _clean_name(part))[0]
    ]


def _actors_from_entry(text: str) -> list[Actor]:
    text = _strip_punctuation(text)
    if not text or text in {"-", "–"}:
        return []
    if text.count(":") > 1 and ";" in text:  # "A : mission ; B : mission" on one line
        parts = _split_top_level(text, _SEMICOLON)
        return [actor for part in parts for actor in _actors_from_entry(part)]
    if m := _ROLE_VERB_RE.match(text):
        subject = m["subject"]
        if len(subject.split()) <= 8 and not _PROSE_VERBS.search(fold(subject)):
            names = _split_top_level(subject, _SUBJECT_SEPARATORS)
            mission = _strip_punctuation(m["mission"])
            return [Actor(n, mission) for name in names if (n := _clean_name(name)[0])]
    if ":" in text:
        m = _COLON_RE.match(text)
        if not m or len(m["names"].split()) > 8 or _PROSE_VERBS.search(fold(m["names"])):
            return []  # a sentence introducing a list of domains, not organisations
        mission = _strip_punctuation(m["mission"])
        return [Actor(name, mission or own) for name, own in _names(m["names"])]
    if _PROSE_VERBS.search(fold(text)):
        return []
    if (m := _SHORT_SENTENCE_RE.match(text)) and len(m["name"].split()) <= 4:
        name, own = _clean_name(m["name"])
        return [Actor(name, _strip_punctuation(m["mission"]) or own)]
    actors: list[Actor] = []
    for part in _split_top_level(text, _LIST_SEPARATORS):
        if actors and _QUALIFIER_START.match(fold(part)):
            previous = actors[-1]
            mission = f"{previous.mission}, {part}" if previous.mission else part
            actors[-1] = Actor(previous.name, _strip_punctuation(mission))
            continue
        for name, mission in _names(part):
            actors.append(Actor(name, mission))
    return actors


def _parse_actors(lines: list[_Line]) -> tuple[Actor, ...]:
    """Organisations named in a pilots/partners field.

    Handles "Name : mission", lists ("Ddcspp, Conseil départemental, …"), one name per line
    ("Les EPN" / "Les MFR") and governance sentences ("La Caf et L'État assurent le pilotage
    du Copil"). An entry ending with a colon introduces details ("->Composition : …") that
    describe it rather than name organisations.
    """
    actors: list[Actor] = []
    introducing = False
    for entry in _entries(lines):
        if entry.bullet and introducing:
            continue
        introducing = entry.text.rstrip().endswith(":")
        if introducing:
            continue
        for actor in _actors_from_entry(entry.text):
            if actor.name and actor not in actors:
                actors.append(actor)
    return tuple(actors)


# ---------------------------------------------------------------------------------------------
# Calendar

_PERIOD_RANGE = re.compile(
    rf"(?:(?:de|du|entre)\s+)?(?:(?P<m1>{_MONTH})\.?\s+)?(?P<y1>{_YEAR})\s*"
    rf"(?:-|–|a|au|et|/)\s*(?:(?P<m2>{_MONTH})\.?\s+)?(?P<y2>{_YEAR})(?!\d)"
)
_PERIOD_SINCE = re.compile(
    rf"(?:depuis|a partir d[eu']|a compter d[eu']|debut|des)\b[^\d]*?"
    rf"(?:(?P<m>{_MONTH})\.?\s+)?(?P<y>{_YEAR})(?!\d)"
)
_PERIOD_UNTIL = re.compile(
    rf"(?:d'ici|jusqu'(?:a|en|au)|avant|au plus tard|horizon|fin)\b[^\d]*?"
    rf"(?:(?P<m>{_MONTH})\.?\s+)?(?P<y>{_YEAR})(?!\d)"
)
_PERIOD_SINGLE = re.compile(rf"(?:(?P<m>{_MONTH})\.?\s+)?(?P<y>{_YEAR})(?!\d)")

_WHEN = (
    r"(?:(?P<qualifier>fin|d[ée]but|mi|courant|mi-)\s*-?\s*)?"
    r"(?:(?P<day>\d{1,2})(?:er)?\s+)?(?P<month>[A-Za-zéûÉÛ]+\.?)(?:\s+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<dmy>\d{1,2}/\d{1,2}/(?:19|20)\d\d)"
    r"|(?P<yonly>(?:19|20)\d\d)"
)
_MILESTONE_RE = re.compile(rf"^(?P<when>{_WHEN})\s*:\s*(?P<label>.+)$", re.IGNORECASE)
_INDEX_RE = re.compile(r"^(?P<index>\d{1,2})\s*[-.)]\s*(?=\S)")
_RHYTHM_RE = re.compile(
    r"^(?P<body>[^:]{2,60}?)\s*:\s*(?P<times>\d+)\s*(?:/\s*an|fois\s+par\s+an|par\s+an)\b"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Calendar:
    period: Period | None
    milestones: tuple[Milestone, ...]
    rhythm: tuple[RecurringMeeting, ...]


def _parse_period(text: str) -> Period | None:
    """Years (and months) of a calendar: "2017 - 2018", "2017 à 2020", "Depuis avril 2016"."""
    folded = fold(text)
    ongoing = "en cours" in folded

    def month(value: str | None) -> int | None:
        return month_number(value) if value else None

    if m := _PERIOD_RANGE.search(folded):
        return Period(
            text, int(m["y1"]), month(m["m1"]), int(m["y2"]), month(m["m2"]), ongoing=ongoing
        )
    if m := _PERIOD_SINCE.search(folded):
        return Period(text, int(m["y"]), month(m["m"]), ongoing=True)
    if m := _PERIOD_UNTIL.search(folded):
        return Period(text, None, end_year=int(m["y"]), end_month=month(m["m"]), ongoing=ongoing)
    found = list(_PERIOD_SINGLE.finditer(folded))
    if len(found) == 1:
        m = found[0]
        year, start_month = int(m["y"]), month(m["m"])
        return Period(text, year, start_month, year, start_month, ongoing=ongoing)
    return None


def _list_indexes(entries: list[_Entry]) -> set[int]:
    """Positions of entries that are items of a numbered list 1, 2, 3…

    "1-10 Mars 2017: …" followed by "2- Mai: …" is item 1 on 10 March, not 1 to 10 March:
    leading numbers count as item numbers only when they run 1, 2, 3… down the list.
    """
    numbered = [
        (i, int(m["index"])) for i, e in enumerate(entries) if (m := _INDEX_RE.match(e.text))
    ]
    if len(numbered) >= 2 and [n for _, n in numbered] == list(range(1, len(numbered) + 1)):
        return {i for i, _ in numbered}
    return set()


def _parse_milestones(entries: list[_Entry], period: Period | None) -> tuple[Milestone, ...]:
    indexed = _list_indexes(entries)
    milestones: list[Milestone] = []
    last_year = period.start_year if period else None
    last_month = 0
    for position, entry in enumerate(entries):
        text, index = entry.text, None
        if position in indexed and (m := _INDEX_RE.match(text)):
            index, text = int(m["index"]), text[m.end() :]
        m = _MILESTONE_RE.match(text)
        if not m:
            continue
        month = month_number(m["month"]) if m["month"] else None
        if m["month"] and month is None:
            continue  # "Composition: …" is not a date
        day = int(m["day"]) if m["day"] else None
        year = int(m["year"] or m["yonly"] or 0) or None
        when_date = None
        if m["dmy"]:
            when_date = parse_french_date(m["dmy"])
            year, month = (when_date.year, when_date.month) if when_date else (None, None)
        if year is None and month is not None and last_year is not None:
            year = last_year + (1 if month < last_month else 0)
        if year is not None and month is not None and day is not None:
            when_date = _safe_date(year, month, day)
        if year is not None:
            last_year = year
        last_month = month or last_month
        milestones.append(
            Milestone(
                label=_strip_punctuation(m["label"]),
                when_text=m["when"].strip(),
                index=index,
                date=when_date,
                year=year,
                month=month,
                line=entry.line,
            )
        )
    return tuple(milestones)


def _rhythm(entries: list[_Entry]) -> tuple[RecurringMeeting, ...]:
    meetings = []
    for entry in entries:
        if m := _RHYTHM_RE.match(entry.text):
            months = [
                _MONTH_NUMBERS[w]
                for w in re.findall(r"[a-z]+", fold(m["rest"]))
                if w in _MONTH_NUMBERS
            ]
            meetings.append(
                RecurringMeeting(
                    body=m["body"].strip(),
                    times_per_year=int(m["times"]),
                    months=tuple(months),
                    text=entry.text,
                    line=entry.line,
                )
            )
    return tuple(meetings)


def _parse_calendar(lines: list[_Line]) -> _Calendar:
    entries = _entries(lines)
    period = None
    if (
        entries
        and not _MILESTONE_RE.match(entries[0].text)
        and not _INDEX_RE.match(entries[0].text)
    ):
        period = _parse_period(entries[0].text)
    return _Calendar(period, _parse_milestones(entries, period), _rhythm(entries))


# ---------------------------------------------------------------------------------------------
# Indicators

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
    rf"^(?:bilan|resultats?|realise|realisations?|mesures?|donnees|chiffres)\b.*?(?P<y>{_YEAR})"
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
    return not text or text.startswith("(") or (len(text) <= 40 and bool(_years(text)))


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
        return unit_phrase(label[_original_offset(label, m.end()) :])
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
    if not quantity.unit and re.fullmatch(_YEAR, str(quantity.value)):
        return None, "", ""  # "Valeur finale : 2021" gives a year, not a value
    return quantity.value, quantity.unit, quantity.comparator


def _parse_target(target: _TargetText) -> ParsedTarget:
    """Read a target: its figure if it starts with one, its date or years (from the label's
    qualifier first: "Valeur finale (max 2022)"), and the qualifier's words as a note."""
    qualifier = target.qualifier
    value_text = _collapse(target.text)
    when = None
    if m := re.match(r"^(\d{1,2}/\d{1,2}/(?:19|20)\d\d)\s*:\s*", value_text):
        when = parse_french_date(m[1])
        value_text = value_text[m.end() :]
    value, unit, comparator = _figure(value_text)
    when = when or parse_french_date(value_text)
    qualifier_years = _years(qualifier)
    years = qualifier_years or ([when.year] if when else _years(value_text)[-1:])
    note = _strip_punctuation(qualifier.strip("() "))
    if re.fullmatch(rf"{_YEAR}(?:\s*[/-]\s*{_YEAR})*", note):
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


def _split_targets(lines: list[_Line]) -> list[_Line | _TargetText]:
    """Separate "Valeur initiale / intermédiaire / finale" blocks from the indicators' lines.

    A target's label may wrap ("Valeur initiale" / "2016/2017 :") and its value may follow on
    later lines; it ends at the next target or the next bullet.
    """
    items: list[_Line | _TargetText] = []
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
        rest = line.text[_original_offset(line.text, match.end()) :].strip()
        qualifier, value = "", rest
        if (m := _QUALIFIER_RE.match(rest)) and _is_qualifier(m["qualifier"]):
            qualifier, value = m["qualifier"], m["value"]
        elif (not rest or (_years(rest) and len(rest) <= 20)) and i + 1 < len(body):
            m = _QUALIFIER_RE.match(body[i + 1].text)
            if m and _is_qualifier(m["qualifier"]) and not _TARGET_RE.match(fold(body[i + 1].text)):
                qualifier, value = f"{rest} {m['qualifier']}".strip(), m["value"]
                i += 1
        parts = [value]
        i += 1
        while (
            i < len(body)
            and not _TARGET_RE.match(fold(body[i].text))
            and not _BULLET_RE.match(body[i].text)
        ):
            parts.append(body[i].text)
            i += 1
        items.append(_TargetText(kind, qualifier, " ".join(parts), line.number))
    return items


def _parse_indicators(
    lines: list[_Line], report: _Report
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
    pending: list[_Line] = []

    def flush() -> None:
        nonlocal heading_year
        for entry in _entries(pending):
            heading_year = _indicator_entry(entry, drafts, notes, heading_year)
        pending.clear()

    for item in _split_targets(lines):
        if isinstance(item, _Line):
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
    entry: _Entry, drafts: list[_IndicatorDraft], notes: list[str], heading_year: int | None
) -> int | None:
    text = entry.text.strip()
    folded = fold(text)
    if not entry.bullet and (m := _HEADING_YEAR_RE.match(folded)) and len(text.split()) <= 4:
        return int(m["y"])
    if not entry.bullet and text.endswith(":"):
        years = _years(text)
        return years[0] if years else heading_year
    measured = _MEASURED_RE.match(text)
    if measured and len(measured["value"].split()) > 8:
        measured = None
    if not (entry.bullet or not drafts or measured or _INDICATOR_HEAD_RE.match(folded)):
        notes.append(_collapse(text))
        return heading_year
    label = _strip_punctuation(measured["label"] if measured else text)
    draft = _IndicatorDraft(label=label, line=entry.line)
    if measured:
        value_text = _strip_punctuation(measured["value"])
        value, unit, _ = _figure(value_text)
        years = _years(value_text)
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


# ---------------------------------------------------------------------------------------------
# Cost and funding

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


def _parse_cost(lines: list[_Line], label: str, report: _Report) -> _Cost:
    """Budget lines, stated total and notes of the cost field.

    "Salaire : 6 000 € ; déplacements : 5 000 €" under "Coût de l'action annuel" gives two
    yearly lines; "Total opération : 60 000 €" is a total, checked against the lines' sum;
    text without an amount ("Non défini à ce stade du projet") becomes a note.
    """
    label_per_year = bool(re.search(r"annuel|par an", label))
    label_year = int(m[1]) if (m := re.search(rf"(?:en|pour) ({_YEAR})", label)) else None
    budget: list[ParsedBudgetLine] = []
    notes: list[str] = []
    total: tuple[Decimal, int] | None = None
    for entry in _entries(lines):
        for segment in _split_top_level(entry.text, _SEMICOLON):
            if fold(_strip_punctuation(segment)) in _NOTHING:
                continue
            try:
                matches = find_amounts(segment, strict=True)
            except AmountError as error:
                report.error(entry.line, f"coût : {error}")
                continue
            if not matches:
                notes.append(_strip_punctuation(segment))
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
    if year is None and (m := re.search(rf"\b(?:en|pour|annee) ({_YEAR})\b", words)):
        year = int(m[1])
    since = re.search(rf"\b(?:depuis|a partir de|des) ({_YEAR})\b", words)
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


def _cost_notes(lines: list[_Line]) -> tuple[str, ...]:
    """What a "Coût : gratuit pour l'usager." line says, wherever it is written."""
    notes = []
    for entry in _entries(lines):
        if m := _COST_NOTE_RE.match(entry.text):
            try:
                priced = bool(find_amounts(m["note"]))
            except AmountError:
                priced = True  # reported, if anywhere, as a figure of the prose
            if not priced:
                notes.append(_strip_punctuation(m["note"]))
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


def _parse_funding(lines: list[_Line], report: _Report) -> _Funding:
    """Funders and amounts of the funding field; "Coût : gratuit…" lines become cost notes."""
    funders: list[str] = []
    amounts: list[FundingAmount] = []
    cost_notes: list[str] = []
    for entry in _entries(lines):
        text = entry.text
        if m := _COST_NOTE_RE.match(text):
            cost_notes.append(_strip_punctuation(m["note"]))
            continue
        text = re.sub(r"^financements?\s*:\s*", "", text, flags=re.IGNORECASE)
        if fold(_strip_punctuation(text)) in _NOTHING:
            continue
        for part in _split_top_level(text, _FUNDER_SEPARATORS):
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
            name, _ = _clean_name(name)
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


# ---------------------------------------------------------------------------------------------
# Dimensions


def _parse_dimensions(lines: list[_Line], report: _Report) -> dict[str, bool]:
    """Ticked boxes of "Amélioration de l'accessibilité des services au public".

    "þ" and the symbol-font glyph U+F0FE mean ticked, "□" not ticked. When a standard
    dimension has no box at all (an export dropped a symbol-font glyph), it is taken as ticked,
    because only ticked boxes are drawn with such glyphs; a warning says so.
    """
    dimensions = dict.fromkeys(DIMENSIONS, False)
    if not lines:
        return dimensions
    standard = {fold(name): name for name in DIMENSIONS}
    for line in lines:
        for item in _CHECKBOX_ITEM.finditer(line.text):
            box = item["box"]
            ticked = box in _TICKED or bool(re.search(r"[xX✓✔]", box))
            label = _strip_punctuation(item["label"])
            words = re.findall(r"[\w-]+", label)
            known = [standard[fold(word)] for word in words if fold(word) in standard]
            if not known:
                if label:
                    dimensions[label] = ticked
                continue
            dimensions[known[0]] = ticked
            for name in known[1:]:
                dimensions[name] = True
                report.warn(
                    line.number, f"case « {name} » sans symbole lisible : considérée cochée"
                )
    return dimensions


# ---------------------------------------------------------------------------------------------
# Key figures

_PROSE_FIELDS = ("sub_action", "description", "scope", "pilots", "partners", "calendar")
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
    return _BULLET_RE.sub("", _collapse(text[begin:stop]))


def _single_year(text: str) -> int | None:
    years = set(_years(text))
    return years.pop() if len(years) == 1 else None


def _key_figures(name: str, lines: list[_Line], report: _Report) -> list[KeyFigure]:
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
                raw=_collapse(raw),
                line=lines[bisect.bisect_right(starts, start) - 1].number,
            )
        )
    return figures
