"""Time on the local calendar as UTC intervals: the zone, French public holidays, a day's
wall-clock windows, and the interval arithmetic (merge, intersect, gaps) the slot search and
the availability pages sweep with. Windows are built in local time (Europe/Paris) then
converted to UTC, so a 09:00–12:00 window is 09:00–12:00 on both sides of a daylight-saving
change."""

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings

from maillage.public_holidays import french_holidays

UTC = dt.UTC
Interval = tuple[dt.datetime, dt.datetime]


@cache
def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def is_public_holiday(day: dt.date) -> bool:
    return day in french_holidays(day.year)


def local_interval(day: dt.date, start: dt.time, end: dt.time) -> Interval:
    """A local wall-clock window of `day`, as UTC datetimes (DST-aware)."""
    zone = local_zone()
    return (
        dt.datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        dt.datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


def day_bounds(day: dt.date) -> Interval:
    zone = local_zone()
    return (
        dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(UTC),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone).astimezone(UTC),
    )


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping union of intervals (touching ones are merged)."""
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted, merged interval lists (two-pointer sweep)."""
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def gaps(busy: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The free spans between merged `busy` intervals, within [start, end)."""
    result = []
    cursor = start
    for b_start, b_end in busy:
        if b_end <= cursor:
            continue
        if b_start >= end:
            break
        if b_start > cursor:
            result.append((cursor, b_start))
        cursor = max(cursor, b_end)
    if cursor < end:
        result.append((cursor, end))
    return result
