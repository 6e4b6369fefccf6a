"""Opening hours in OpenStreetMap `opening_hours` syntax, read by the opening-hours-py parser.

The national standard stores hours in that syntax ("Mo-Fr 09:00-12:00,14:00-18:00; PH off").
This module validates them (with a French message saying where the parser stopped), tells
whether a place is open at a moment, when it next opens, and lays out a week in French.

French public holidays come from the parser's own calendar (`country="FR"`) for the `PH`
rule; their names come from the `holidays` package. Public services in France close on
public holidays, so an expression that does not mention `PH` at all is evaluated as if it
ended with "; PH off" (setting `MAILLAGE_PLACES_CLOSED_ON_PUBLIC_HOLIDAYS`, on by default):
a place open on holidays says so explicitly ("PH 10:00-12:00"). The stored and exported
text is never changed.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from maillage import clock
from maillage.public_holidays import french_holidays

from . import labels

_POSITION = re.compile(r"-->\s*(\d+):(\d+)")
_MENTIONS_PH = re.compile(r"\bPH\b")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def closed_on_public_holidays_by_default() -> bool:
    return bool(getattr(settings, "MAILLAGE_PLACES_CLOSED_ON_PUBLIC_HOLIDAYS", True))


def effective_expression(text: str) -> str:
    """The expression evaluated: `text`, plus "; PH off" when it says nothing of holidays."""
    text = (text or "").strip()
    if text and closed_on_public_holidays_by_default() and not _MENTIONS_PH.search(text):
        return f"{text}; PH off"
    return text


def hours_error(text: str) -> str | None:
    """A French message if `text` is not a valid opening_hours expression, else None."""
    try:
        opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, SyntaxError) as error:
        match = _POSITION.search(str(error))
        where = ""
        if match:
            column = int(match[2])
            excerpt = text[column - 1 : column + 11].strip() or text[-12:]
            where = labels.ERR_HOURS_WHERE.format(column=column, excerpt=excerpt)
        return labels.ERR_HOURS.format(where=where, example=labels.HOURS_EXAMPLE)
    return None


def validate_opening_hours(value: str) -> None:
    """Django validator for a model or form field."""
    if value and (message := hours_error(value)):
        raise ValidationError(message, code="invalid_opening_hours")


@lru_cache(maxsize=512)
def _parsed(expression: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(expression, timezone=_zone(), country="FR")


def parse(text: str) -> opening_hours.OpeningHours | None:
    """The parsed expression (with the holiday rule above), or None if empty or invalid."""
    expression = effective_expression(text)
    if not expression or hours_error(expression):
        return None
    return _parsed(expression)


def _local(moment: dt.datetime | None) -> dt.datetime:
    moment = moment or clock.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=_zone())
    return moment.astimezone(_zone())


def is_open(text: str, at: dt.datetime | None = None) -> bool | None:
    """Whether the place is open at `at` (now by default); None when hours are unknown."""
    parsed = parse(text)
    if parsed is None:
        return None
    return parsed.is_open(_local(at))


def next_opening(text: str, at: dt.datetime | None = None) -> dt.datetime | None:
    """The next moment the place opens after `at`, within a year; None if unknown or never."""
    parsed = parse(text)
    if parsed is None:
        return None
    moment = _local(at)
    limit = moment + dt.timedelta(days=366)
    for start, _end, state, _comment in parsed.intervals(moment, limit):
        if state == opening_hours.State.OPEN and start > moment:
            return start.astimezone(_zone())
    return None


def next_closing(text: str, at: dt.datetime | None = None) -> dt.datetime | None:
    parsed = parse(text)
    if parsed is None or not parsed.is_open(_local(at)):
        return None
    change = parsed.next_change(_local(at))
    return change.astimezone(_zone()) if change else None


def holiday_name(day: dt.date) -> str | None:
    """The French public holiday on `day`, if any (e.g. "Fête nationale")."""
    return french_holidays(day.year).get(day)


def format_time(moment: dt.datetime) -> str:
    """09:00 → "9 h", 14:30 → "14 h 30" (French typography)."""
    if moment.minute:
        return f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour} h"


def format_moment(moment: dt.datetime, today: dt.date | None = None) -> str:
    """A moment in plain French: "aujourd'hui à 14 h", "demain à 9 h", "lundi 3 mars à 9 h"."""
    today = today or clock.today()
    day = moment.date()
    if day == today:
        when = "aujourd'hui"
    elif day == today + dt.timedelta(days=1):
        when = "demain"
    else:
        when = date_format(day, "l j F")
        if day.year != today.year:
            when += f" {day.year}"
    return f"{when} à {format_time(moment)}"


@dataclass(frozen=True)
class DayHours:
    date: dt.date
    weekday: str  # "lundi"
    ranges: tuple[str, ...]  # ("9 h – 12 h", "14 h – 17 h 30")
    holiday: str | None
    is_today: bool

    @property
    def text(self) -> str:
        return ", ".join(self.ranges) if self.ranges else labels.HOURS_CLOSED_DAY


def week(text: str, start: dt.date | None = None) -> list[DayHours] | None:
    """The seven days from `start` (today by default) with their opening ranges, in French.

    Dated rules (holidays, months, weeks) are applied: the table shows the real coming week,
    not a template. None when the hours are unknown or invalid.
    """
    parsed = parse(text)
    if parsed is None:
        return None
    today = clock.today()
    start = start or today
    zone = _zone()
    days = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        begin = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
        end = begin + dt.timedelta(days=1)
        ranges = []
        for range_start, range_end, state, _comment in parsed.intervals(begin, end):
            if state != opening_hours.State.OPEN:
                continue
            range_start = max(range_start.astimezone(zone), begin)
            range_end = min(range_end.astimezone(zone), end)
            closing = "24 h" if range_end == end else format_time(range_end)
            ranges.append(f"{format_time(range_start)} – {closing}")
        days.append(
            DayHours(
                date=day,
                weekday=date_format(day, "l"),
                ranges=tuple(ranges),
                holiday=holiday_name(day),
                is_today=day == today,
            )
        )
    return days


@dataclass(frozen=True)
class OpenState:
    """What the place page and the search results say about the hours."""

    known: bool
    open_now: bool
    next_opening: dt.datetime | None
    closes_at: dt.datetime | None
    today: dt.date | None = None

    @property
    def label(self) -> str:
        if not self.known:
            return labels.HOURS_UNKNOWN
        return labels.HOURS_OPEN_NOW if self.open_now else labels.HOURS_CLOSED_NOW

    @property
    def detail(self) -> str:
        if not self.known:
            return ""
        if self.open_now and self.closes_at:
            return f"jusqu'à {format_time(self.closes_at)}"
        if not self.open_now and self.next_opening:
            return f"ouvre {format_moment(self.next_opening, self.today)}"
        return ""


def open_state(text: str, at: dt.datetime | None = None) -> OpenState:
    parsed = parse(text)
    if parsed is None:
        return OpenState(known=False, open_now=False, next_opening=None, closes_at=None)
    moment = _local(at)
    now_open = parsed.is_open(moment)
    return OpenState(
        known=True,
        open_now=now_open,
        next_opening=None if now_open else next_opening(text, moment),
        closes_at=next_closing(text, moment) if now_open else None,
        today=moment.date(),
    )
