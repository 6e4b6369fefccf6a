"""French words and dates: month names and abbreviations, dates written in words or
figures, years, and small text clean-ups shared by every field.
"""

from __future__ import annotations

import re
from datetime import date

from ..amounts import fold

MONTH_NUMBERS = {
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
MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
YEAR = r"(?:19|20)\d\d"
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:er)?\s+({MONTH})\.?\s+({YEAR})(?!\d)")


def month_number(word: str) -> int | None:
    """The month a French name or abbreviation stands for ("Décembre", "janv.") or None."""
    return MONTH_NUMBERS.get(fold(word).rstrip("."))


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_french_date(text: str) -> date | None:
    """First date written in `text`: "20 décembre 2017", "1er mars 2018", "31/12/2016"."""
    folded = fold(text)
    found = []
    if m := _WORD_DATE.search(folded):
        found.append((m.start(), int(m[3]), MONTH_NUMBERS[m[2]], int(m[1])))
    if m := _NUMERIC_DATE.search(folded):
        found.append((m.start(), int(m[3]), int(m[2]), int(m[1])))
    if m := _ISO_DATE.search(folded):
        found.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for _, year, month, day in sorted(found):
        return safe_date(year, month, day)
    return None


def years_in(text: str) -> list[int]:
    """Years written in `text` ("2016/2017" gives both), days' dates left out."""
    without_dates = _NUMERIC_DATE.sub(" ", text)
    return [int(y) for y in re.findall(rf"(?<!\d){YEAR}(?!\d)", without_dates)]


def collapse(text: str) -> str:
    return " ".join(text.split())


def strip_punctuation(text: str) -> str:
    return text.strip().strip(" .;,:…").strip()
