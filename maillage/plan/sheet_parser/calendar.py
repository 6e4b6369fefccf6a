"""The calendar field: the period an action runs, its dated milestones and the rhythm of
its governance meetings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..amounts import fold
from .lines import Entry, Line, logical_entries
from .results import Milestone, Period, RecurringMeeting
from .words import (
    MONTH,
    MONTH_NUMBERS,
    YEAR,
    month_number,
    parse_french_date,
    safe_date,
    strip_punctuation,
)

_PERIOD_RANGE = re.compile(
    rf"(?:(?:de|du|entre)\s+)?(?:(?P<m1>{MONTH})\.?\s+)?(?P<y1>{YEAR})\s*"
    rf"(?:-|–|a|au|et|/)\s*(?:(?P<m2>{MONTH})\.?\s+)?(?P<y2>{YEAR})(?!\d)"
)
_PERIOD_SINCE = re.compile(
    rf"(?:depuis|a partir d[eu']|a compter d[eu']|debut|des)\b[^\d]*?"
    rf"(?:(?P<m>{MONTH})\.?\s+)?(?P<y>{YEAR})(?!\d)"
)
_PERIOD_UNTIL = re.compile(
    rf"(?:d'ici|jusqu'(?:a|en|au)|avant|au plus tard|horizon|fin)\b[^\d]*?"
    rf"(?:(?P<m>{MONTH})\.?\s+)?(?P<y>{YEAR})(?!\d)"
)
_PERIOD_SINGLE = re.compile(rf"(?:(?P<m>{MONTH})\.?\s+)?(?P<y>{YEAR})(?!\d)")

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


def _list_indexes(entries: list[Entry]) -> set[int]:
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


def _parse_milestones(entries: list[Entry], period: Period | None) -> tuple[Milestone, ...]:
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
            when_date = safe_date(year, month, day)
        if year is not None:
            last_year = year
        last_month = month or last_month
        milestones.append(
            Milestone(
                label=strip_punctuation(m["label"]),
                when_text=m["when"].strip(),
                index=index,
                date=when_date,
                year=year,
                month=month,
                line=entry.line,
            )
        )
    return tuple(milestones)


def parse_rhythm(entries: list[Entry]) -> tuple[RecurringMeeting, ...]:
    meetings = []
    for entry in entries:
        if m := _RHYTHM_RE.match(entry.text):
            months = [
                MONTH_NUMBERS[w]
                for w in re.findall(r"[a-z]+", fold(m["rest"]))
                if w in MONTH_NUMBERS
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


def parse_calendar(lines: list[Line]) -> _Calendar:
    entries = logical_entries(lines)
    period = None
    if (
        entries
        and not _MILESTONE_RE.match(entries[0].text)
        and not _INDEX_RE.match(entries[0].text)
    ):
        period = _parse_period(entries[0].text)
    return _Calendar(period, _parse_milestones(entries, period), parse_rhythm(entries))
