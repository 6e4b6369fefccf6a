"""French amounts and quantities read as exact decimals.

Action sheets state figures the way people type them in French office documents: "6 000 €",
"75 094€/an", "81,4 M€", "7,3 Millions d'euros", "4 millions d'images", "70 %", "0,75 ETP",
"une trentaine de partenaires". Thousands are grouped with an ordinary space, a no-break space
(U+00A0), a narrow no-break space (U+202F) or a thin space (U+2009) — sometimes two spaces when
the source text was justified — and decimals use a comma. Money is kept as `Decimal`, never
float, so a figure read from a sheet is exactly the figure written on it.

A number that sits right before a currency sign but cannot be read ("1O 000 €" typed with a
letter O, "6 00 €" with a broken group) raises `AmountError` instead of being silently read as
something else: a wrong budget is worse than a refused document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Amount",
    "AmountError",
    "AmountMatch",
    "Quantity",
    "QuantityMatch",
    "comparator_before",
    "find_amounts",
    "find_quantities",
    "fold",
    "parse_amount",
    "parse_quantity",
    "unit_phrase",
]

#: Characters accepted between groups of thousands.
GROUP_SPACES = " \u00a0\u202f\u2009"
_SP = f"[{GROUP_SPACES}]"

# A "token" is one space-free chunk of a number. Letters that look like digits (O, o, I, l) are
# accepted here only so that a mistyped amount is reported rather than half-read.
_LOOKALIKES = "OoIl"
_TOKEN = rf"[{_LOOKALIKES}]*\d(?:[\d{_LOOKALIKES}]|[.,](?=\d))*"
# A run never starts in the middle of a number: not after a letter, a digit or a separator.
_RUN = rf"(?<![\w.,])(?<!\d{_SP})(?<!\d{_SP}{_SP}){_TOKEN}(?:{_SP}{{1,2}}{_TOKEN})*"
_MULTIPLIER = r"(?:(?i:milliards?|millions?|milliers?)\b|Mds?(?![\w])|M(?=\s*€)|[kK](?=\s*€))"
_CURRENCY = r"(?:€|(?i:euros?)\b|EUR\b)"
_PER_YEAR = r"(?:\s*(?:/\s*an|par\s+an|/\s*ann[ée]e|par\s+ann[ée]e|annuel(?:le)?s?)\b)"
_AMOUNT_RE = re.compile(
    rf"(?P<run>{_RUN})\s*"
    rf"(?:(?P<mult>{_MULTIPLIER})\s*(?:d['’]\s*|de\s+)?)?"
    rf"(?P<cur>{_CURRENCY})"
    r"(?P<tax>\s*(?:HT|TTC)\b)?"
    rf"(?P<per>{_PER_YEAR})?"
)
_CURRENCY_RE = re.compile(_CURRENCY)

_MULTIPLIERS = {
    "k": Decimal(1000),
    "millier": Decimal(1000),
    "milliers": Decimal(1000),
    "m": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "millions": Decimal(10) ** 6,
    "md": Decimal(10) ** 9,
    "mds": Decimal(10) ** 9,
    "milliard": Decimal(10) ** 9,
    "milliards": Decimal(10) ** 9,
}


class AmountError(ValueError):
    """Something written as an amount (digits before "€" or "euros") that cannot be read."""

    def __init__(self, text: str, reason: str = "montant illisible") -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{reason} : « {text} »")


@dataclass(frozen=True)
class Amount:
    """A sum of money in euros. `per_year` says it recurs every year ("/an", "annuel")."""

    value: Decimal
    per_year: bool
    raw: str


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a longer text, with its position (`text[start:end]` is `raw`)."""

    amount: Amount
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    """A counted or measured figure: "4 300 lignes", "70 %", "plus de 4 millions d'images".

    `unit` is the word(s) naming what is counted ("lignes", "%", "points de médiation"), empty
    when nothing follows the number. `comparator` records a qualifier written before the number:
    ">" (plus de), ">=" (au moins, à minima), "<" (moins de), "<=" (au plus, maximum) or "~"
    (environ, près de, une trentaine de).
    """

    value: Decimal
    unit: str
    comparator: str
    raw: str


@dataclass(frozen=True)
class QuantityMatch:
    """A quantity found in a longer text; `start` includes a leading qualifier ("environ")."""

    quantity: Quantity
    start: int
    end: int


# ---------------------------------------------------------------------------------------------
# Numbers


_FOLD_REPLACEMENTS = (
    ("’", "'"),
    ("‘", "'"),
    ("ʼ", "'"),
    ("œ", "oe"),
    ("Œ", "Oe"),
    ("æ", "ae"),
    ("Æ", "Ae"),
)
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case, accent-free, straight-apostrophe form of `text`, same length for ASCII.

    Used to compare words ("Décembre" and "decembre", "d’euros" and "d'euros") without caring
    how the document was typed. Ligatures are expanded (œ → oe), so lengths may differ.
    """
    if text.isascii():
        return text.lower()
    for ligature, replacement in _FOLD_REPLACEMENTS:
        if ligature in text:
            text = text.replace(ligature, replacement)
    decomposed = unicodedata.normalize("NFKD", text)
    return _COMBINING_RE.sub("", decomposed).lower()


def clean_decimal(value: Decimal) -> Decimal:
    """`Decimal` without exponent or useless trailing zeros (81.4 × 10⁶ → 81400000)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _token_number(token: str) -> Decimal | None:
    """Read one space-free token: "6000", "81,4", "1.234.567,89" (dotted thousands), "3.5"."""
    if re.fullmatch(r"\d+(?:,\d+)?", token):
        return Decimal(token.replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", token):
        return Decimal(token)
    return None


def _grouped_number(tokens: list[str]) -> Decimal | None:
    """Read tokens split on spaces as one number with groups of three ("3", "374", "200")."""
    if len(tokens) == 1:
        return _token_number(tokens[0])
    first, *middle, last = tokens
    if not re.fullmatch(r"\d{1,3}", first) or not all(re.fullmatch(r"\d{3}", t) for t in middle):
        return None
    if not re.fullmatch(r"\d{3}(?:,\d+)?", last):
        return None
    return Decimal("".join(tokens).replace(",", "."))


def _read_run(run: str) -> tuple[Decimal, int]:
    """Read the digits before a currency sign; return the number and where it starts in `run`.

    A run may begin with an unrelated number: in "en 2017 75 094 €" the year 2017 is followed
    by the amount 75 094. Such a leading number can only be dropped when it cannot be part of
    the grouping (four digits or more, or a decimal comma); otherwise the run is unreadable.
    """
    if any(c in _LOOKALIKES for c in run):
        raise AmountError(run, "montant illisible (lettre au milieu des chiffres)")
    spans = [(m.group(), m.start()) for m in re.finditer(rf"[^{GROUP_SPACES}]+", run)]
    tokens = [token for token, _ in spans]
    value = _grouped_number(tokens)
    if value is not None:
        return value, 0
    for i in range(1, len(tokens)):
        previous = tokens[i - 1]
        if "," not in previous and len(previous.split(".")[0]) < 4:
            continue
        value = _grouped_number(tokens[i:])
        if value is not None:
            return value, spans[i][1]
    raise AmountError(run, "montant illisible (groupes de chiffres incorrects)")


# ---------------------------------------------------------------------------------------------
# Amounts


def find_amounts(
    text: str, *, strict: bool = False, errors: list[AmountError] | None = None
) -> list[AmountMatch]:
    """Every amount of money in `text`, in order.

    Raises `AmountError` when digits directly before a currency sign cannot be read. With
    `strict=True` (fields that are about money: cost, funding) a currency sign that belongs to
    no readable amount ("12 000 ab €") is an error too. Given an `errors` list, unreadable
    amounts are appended to it and skipped instead (prose, where they are only worth a warning).
    """
    found: list[AmountMatch] = []
    for match in _AMOUNT_RE.finditer(text):
        try:
            number, offset = _read_run(match["run"])
        except AmountError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        multiplier = Decimal(1)
        if match["mult"]:
            multiplier = _MULTIPLIERS[fold(match["mult"])]
        start = match.start() + offset
        end = match.end()
        raw = text[start:end].strip()
        amount = Amount(
            value=clean_decimal(number * multiplier), per_year=bool(match["per"]), raw=raw
        )
        found.append(AmountMatch(amount=amount, start=start, end=end))
    if strict:
        for currency in _CURRENCY_RE.finditer(text):
            if not any(m.start <= currency.start() < m.end for m in found):
                before = text[max(0, currency.start() - 20) : currency.end()].strip()
                raise AmountError(before, "montant illisible (symbole monétaire sans montant)")
    return found


def parse_amount(text: str) -> Amount | None:
    """Read a text that is an amount and nothing else ("81,4 M€", "75 094€/an").

    Returns None when the text holds no amount or holds more than an amount (use
    `find_amounts` for those); raises `AmountError` when it has digits and a currency sign but
    no readable amount.
    """
    stripped = text.strip()
    matches = find_amounts(stripped, strict=bool(re.search(r"\d", stripped)))
    if len(matches) != 1:
        return None
    match = matches[0]
    if stripped[: match.start].strip() or stripped[match.end :].strip(" .;,\u00a0\u202f"):
        return None
    return match.amount


# ---------------------------------------------------------------------------------------------
# Quantities

_WORD_NUMBERS = {
    "zero": 0,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "mille": 1000,
}
_APPROXIMATE = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
_COMPARATORS = [
    (r"plus\s+de", ">"),
    (r"au[- ]del[aà]\s+de", ">"),
    (r"au\s+moins", ">="),
    (r"[aà]\s+minima", ">="),
    (r"au\s+minimum", ">="),
    (r"minimum", ">="),
    (r"environ", "~"),
    (r"pr[eè]s\s+de", "~"),
    (r"approximativement", "~"),
    (r"moins\s+de", "<"),
    (r"au\s+plus", "<="),
    (r"jusqu['’][aà]", "<="),
    (r"maximum", "<="),
    (r"max\.?", "<="),
]
_COMPARATOR_RE = "|".join(f"(?:{pattern})" for pattern, _ in _COMPARATORS)
_MONTHS = (
    r"janv(?:ier|\.)?|f[ée]vr(?:ier|\.)?|mars|avr(?:il|\.)?|mai|juin|juil(?:let|\.)?|ao[uû]t"
    r"|sept(?:embre|\.)?|oct(?:obre|\.)?|nov(?:embre|\.)?|d[ée]c(?:embre|\.)?"
)
_NUMBER = (
    r"(?<![\w/.,\-–])"
    rf"(?:\d{{1,3}}(?:{_SP}{{1,2}}\d{{3}}(?!\d))+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?![\w/]|[.,]\d|-\d)"
)
_WORD_NUMBER = (
    r"(?i:(?<![\w])(?:(?:une?\s+)(?P<approx>"
    + "|".join(_APPROXIMATE)
    + r")|(?P<word>z[ée]ro|"
    + "|".join(w for w in _WORD_NUMBERS if w != "zero")
    + r"))(?![\w]))"
)
_QUANTITY_RE = re.compile(
    rf"(?:(?P<num>{_NUMBER})|{_WORD_NUMBER})"
    r"(?:\s+(?P<mult>(?i:milliards?|millions?|milliers?))\b)?"
)
_LEADING_COMPARATOR_RE = re.compile(rf"(?i:{_COMPARATOR_RE})\s+")
_TRAILING_COMPARATOR_RE = re.compile(rf"(?<![\w])(?i:{_COMPARATOR_RE})\s+$")
_STOP_WORDS_TEXT = (
    "a au aux de des du en et ou le la les l d par pour sur dans avec est sont qui "
    "que dont ne se sa son ses leur leurs un une"
)
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_ADJECTIVES_BEFORE_NOUN_TEXT = (
    "nouveau nouveaux nouvel nouvelle nouvelles autre autres premier premiers premiere "
    "premieres dernier derniers derniere dernieres grand grands grande grandes petit petits "
    "petite petites principaux principales seul seuls seule seules"
)
_ADJECTIVES_BEFORE_NOUN = frozenset(_ADJECTIVES_BEFORE_NOUN_TEXT.split())
_UNIT_WORD = r"[^\W\d_][\w'’/-]*"
_MONTH_AFTER = re.compile(rf"\s*(?:1er\s+)?(?i:{_MONTHS})(?![\w])")
_YEAR = re.compile(r"(?:19|20)\d\d")


def comparator_before(text: str, position: int) -> tuple[str, int]:
    """The qualifier written just before `text[position]` ("environ 41 000", "à minima 114"):
    its code (">", ">=", "<", "<=", "~", or "" when none) and where it starts."""
    if before := _TRAILING_COMPARATOR_RE.search(text, max(0, position - 30), position):
        return _comparator_code(before.group().strip()), before.start()
    return "", position


def _comparator_code(text: str | None) -> str:
    if not text:
        return ""
    folded = fold(text)
    for pattern, code in _COMPARATORS:
        if re.fullmatch(fold(pattern), folded):
            return code
    return ""


def _starts_sentence(word: str) -> bool:
    """A capitalised plain word on the next line ("Enquête") starts a new line of text rather
    than naming a unit wrapped from the previous line ("Mbits/s", "ETP" still do)."""
    return word[0].isupper() and word[1:].islower() and word.isalpha()


def unit_phrase(text: str) -> str:
    """What a text starting with a counted noun counts: "points de médiation dans le
    département" → "points de médiation"; "d'usagers ayant utilisé…" → "usagers"."""
    return _unit_after(text, 0)[0]


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """Name of what is counted after a number: "%", "« Promeneurs du Net »", "points de médiation".

    Only the head word is kept, with a "de <noun>" complement ("points de médiation", "jours de
    formation"): adjectives and verbs that follow belong to the sentence, not to the unit.
    """
    rest = text[pos:]
    if m := re.match(r"\s*%", rest):
        return "%", pos + m.end()
    if m := re.match(r"\s*«\s*([^»]{1,60}?)\s*»", rest):
        return m[1], pos + m.end()
    m = re.match(rf"\s*(?:(?:de|d['’])\s*)?({_UNIT_WORD})", rest)
    if m and "\n" in m.group() and _starts_sentence(m[1]):
        return "", pos
    if not m or fold(m[1]) in _STOP_WORDS:
        return "", pos
    unit, end = m[1], m.end()
    if fold(unit) in _ADJECTIVES_BEFORE_NOUN and (n := re.match(rf" ({_UNIT_WORD})", rest[end:])):
        unit, end = n[1], end + n.end()  # "deux nouvelles communes" counts communes
    if fold(unit) in {"sous", "non"} and (n := re.match(rf"[ -]({_UNIT_WORD})", rest[end:])):
        unit, end = f"{unit} {n[1]}", end + n.end()
    n = re.match(rf"\s+(de|d['’])\s*({_UNIT_WORD})", rest[end:])
    if n and fold(n[2]) not in _STOP_WORDS:
        unit, end = f"{unit} {n[1]}{' ' if n[1] == 'de' else ''}{n[2]}", end + n.end()
    return unit.rstrip("'’-/"), pos + end


def _quantity_from_match(text: str, match: re.Match[str]) -> QuantityMatch | None:
    comparator, start = comparator_before(text, match.start())
    if match["num"]:
        value = _grouped_number(re.split(f"{_SP}+", match["num"]))
        if value is None:
            return None
    elif match["approx"]:
        value = Decimal(_APPROXIMATE[fold(match["approx"])])
        comparator = comparator or "~"
    else:
        value = Decimal(_WORD_NUMBERS[fold(match["word"]).replace("é", "e")])
    if match["mult"]:
        value *= _MULTIPLIERS[fold(match["mult"])]
    unit, end = _unit_after(text, match.end())
    if not unit:
        end = match.end()
    raw = text[start:end]
    quantity = Quantity(value=clean_decimal(value), unit=unit, comparator=comparator, raw=raw)
    return QuantityMatch(quantity=quantity, start=start, end=end)


def parse_quantity(text: str) -> Quantity | None:
    """Read the figure a text starts with ("4 300", "4 millions", "70 %", "0,75 ETP").

    A leading qualifier ("Plus de", "environ", "à minima") is kept as `comparator`. Returns
    None when the text does not start with a number.
    """
    stripped = text.strip()
    leading = _LEADING_COMPARATOR_RE.match(stripped)
    match = _QUANTITY_RE.match(stripped, leading.end() if leading else 0)
    if not match:
        return None
    found = _quantity_from_match(stripped, match)
    return found.quantity if found else None


def _is_calendar_number(text: str, match: re.Match[str]) -> bool:
    """A year (2016) or a day of the month (10 mars) is a date, not a figure."""
    number = match["num"]
    if number is None:
        return False
    if _YEAR.fullmatch(number) and not match["mult"]:
        return True
    return bool(re.fullmatch(r"\d{1,2}", number) and _MONTH_AFTER.match(text, match.end()))


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every counted figure in prose, years and dates excluded.

    Numbers glued to letters (1h30, 2G, CO2, 1ère) or slashes (31/12/2016, 2/an) are not
    figures. A word number must name what it counts ("deux objectifs"), and a one-letter unit
    ("4 B Sud Charente") is taken as part of a name.
    """
    found: list[QuantityMatch] = []
    for match in _QUANTITY_RE.finditer(text):
        if _is_calendar_number(text, match):
            continue
        quantity_match = _quantity_from_match(text, match)
        if quantity_match is None:
            continue
        unit = quantity_match.quantity.unit
        if match["num"] is None and not unit:
            continue
        if len(unit) == 1 and unit != "%":
            continue
        found.append(quantity_match)
    return found
