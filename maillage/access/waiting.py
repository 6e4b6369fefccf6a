"""Waiting for opening: how long someone arriving at a random daytime moment waits for a place
to open, from its OpenStreetMap opening hours (parsed by `places.hours`, holidays included).

Arrival moments are spread evenly over the *daytime* of the coming weeks: Monday to Saturday,
08:00–19:00 by default (settings below), from the day of computation over a horizon of 28 days,
so the coming public holidays count. The waiting time at a moment is 0 when the place is open,
otherwise the minutes until it next opens (looking up to 31 days past the horizon); the
expected value is the average over every arrival moment, computed exactly from the intervals
(no sampling). A place that never opens in that time waits forever (`math.inf`, shown
« aucun créneau »); a place whose hours are unknown or unreadable has no figure (None).

Settings:
  MAILLAGE_ACCESS_WEEKDAYS      days of arrival, 0 = Monday (default 0–5: Monday to Saturday)
  MAILLAGE_ACCESS_DAY_START     start of the daytime ("08:00")
  MAILLAGE_ACCESS_DAY_END       end of the daytime ("19:00")
  MAILLAGE_ACCESS_HORIZON_DAYS  days over which arrivals are spread (28)
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours
from django.conf import settings

from maillage.places import hours

LOOKAHEAD_DAYS = 31
NOON = dt.time(13, 0)  # a morning half-day ends at 13:00


@dataclass(frozen=True)
class Daytime:
    """When people may arrive: weekdays (0 = Monday), a start and end time, over `days` days."""

    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(19, 0)
    days: int = 28

    @classmethod
    def from_settings(cls) -> Daytime:
        return cls(
            weekdays=tuple(getattr(settings, "MAILLAGE_ACCESS_WEEKDAYS", (0, 1, 2, 3, 4, 5))),
            start=dt.time.fromisoformat(getattr(settings, "MAILLAGE_ACCESS_DAY_START", "08:00")),
            end=dt.time.fromisoformat(getattr(settings, "MAILLAGE_ACCESS_DAY_END", "19:00")),
            days=int(getattr(settings, "MAILLAGE_ACCESS_HORIZON_DAYS", 28)),
        )

    def as_dict(self) -> dict:
        """JSON form, kept with each computation's parameters."""
        return {
            "weekdays": list(self.weekdays),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "days": self.days,
        }


@dataclass(frozen=True)
class Opening:
    """What the hours of one place give: expected waiting (minutes; inf = never open, None =
    hours unknown) and open half-days per week on average over the horizon (None = unknown)."""

    waiting_minutes: float | None
    half_days_per_week: float | None

    @property
    def known(self) -> bool:
        return self.waiting_minutes is not None

    @property
    def never_open(self) -> bool:
        return self.waiting_minutes is not None and math.isinf(self.waiting_minutes)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _open_intervals(parsed, start: dt.datetime, end: dt.datetime) -> list[tuple[float, float]]:
    """Open intervals between `start` and `end` as merged (start, end) POSIX seconds."""
    spans: list[tuple[float, float]] = []
    for begin, finish, state, _comment in parsed.intervals(start, end):
        if state != opening_hours.State.OPEN:
            continue
        low, high = begin.timestamp(), finish.timestamp()
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], high))
        else:
            spans.append((low, high))
    return spans


def _arrival_windows(first_day: dt.date, daytime: Daytime) -> list[tuple[float, float]]:
    zone = _zone()
    windows = []
    for offset in range(daytime.days):
        day = first_day + dt.timedelta(days=offset)
        if day.weekday() not in daytime.weekdays:
            continue
        low = dt.datetime.combine(day, daytime.start, tzinfo=zone).timestamp()
        high = dt.datetime.combine(day, daytime.end, tzinfo=zone).timestamp()
        if high > low:
            windows.append((low, high))
    return windows


def expected_wait_seconds(
    open_spans: list[tuple[float, float]], windows: list[tuple[float, float]]
) -> float:
    """Average over arrival moments spread evenly on `windows` of the seconds until the next
    open moment of `open_spans` (sorted, merged); `math.inf` if some arrival never sees one."""
    total_length = sum(high - low for low, high in windows)
    if total_length <= 0:
        return 0.0
    ends = [end for _start, end in open_spans]
    integral = 0.0
    for low, high in windows:
        moment = low
        while moment < high:
            index = bisect.bisect_right(ends, moment)
            if index == len(open_spans):
                return math.inf
            span_start, span_end = open_spans[index]
            if span_start <= moment:
                moment = min(span_end, high)
                continue
            stop = min(span_start, high)
            # ∫ (span_start − t) dt over [moment, stop]
            integral += ((span_start - moment) ** 2 - (span_start - stop) ** 2) / 2
            moment = stop
    return integral / total_length


def _half_days(open_spans: list[tuple[float, float]], first_day: dt.date, days: int) -> float:
    zone = _zone()
    count = 0
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        midnight = dt.datetime.combine(day, dt.time.min, tzinfo=zone).timestamp()
        noon = dt.datetime.combine(day, NOON, tzinfo=zone).timestamp()
        night = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        for low, high in ((midnight, noon), (noon, night.timestamp())):
            if any(start < high and end > low for start, end in open_spans):
                count += 1
    return count * 7 / days


def opening(text: str, first_day: dt.date, daytime: Daytime | None = None) -> Opening:
    """Expected waiting and open half-days of a place with opening hours `text` for arrivals
    from `first_day` over the daytime `daytime` (from the settings by default)."""
    return _opening(hours.effective_expression(text), first_day, daytime or Daytime.from_settings())


@lru_cache(maxsize=4096)
def _opening(text: str, first_day: dt.date, daytime: Daytime) -> Opening:
    parsed = hours.parse(text)
    if parsed is None:
        return Opening(None, None)
    zone = _zone()
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=daytime.days + LOOKAHEAD_DAYS)
    spans = _open_intervals(parsed, start, end)
    seconds = expected_wait_seconds(spans, _arrival_windows(first_day, daytime))
    return Opening(seconds / 60, _half_days(spans, first_day, daytime.days))


def waiting_minutes(text: str, first_day: dt.date, daytime: Daytime | None = None) -> float | None:
    """Expected minutes of waiting for opening (inf: never open; None: hours unknown)."""
    return opening(text, first_day, daytime).waiting_minutes


def half_days_per_week(
    text: str, first_day: dt.date, daytime: Daytime | None = None
) -> float | None:
    """Half-days (morning before 13:00, afternoon after) open per week, on average over the
    horizon — public holidays lower it; None when the hours are unknown."""
    return opening(text, first_day, daytime).half_days_per_week


def waiting_text(minutes: float | None) -> str:
    """« 35 min », « 2 h 10 », « 3 j 4 h », « aucun créneau », « horaires inconnus »."""
    if minutes is None:
        return "horaires inconnus"
    if math.isinf(minutes):
        return "aucun créneau"
    rounded = round(minutes)
    if rounded < 60:
        return f"{rounded} min"
    hours_, mins = divmod(rounded, 60)
    if hours_ < 24:
        return f"{hours_} h {mins:02d}" if mins else f"{hours_} h"
    days, hours_ = divmod(hours_, 24)
    return f"{days} j {hours_} h" if hours_ else f"{days} j"
