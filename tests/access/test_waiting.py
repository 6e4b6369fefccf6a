"""Waiting for opening: exact expected waits from OSM hours, half-days, holidays."""

import datetime as dt
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.access.waiting import (
    Daytime,
    expected_wait_seconds,
    half_days_per_week,
    opening,
    waiting_minutes,
    waiting_text,
)

# A Monday starting four weeks without a public holiday or a clock change (2 February 2026).
MONDAY = dt.date(2026, 2, 2)
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def expression(ranges: dict[int, list[tuple[int, int]]]) -> str:
    """OSM hours from {weekday: [(start hour, end hour)]}: one rule per day (a later rule for
    the same day would replace, not add)."""
    rules = []
    for day, spans in sorted(ranges.items()):
        if spans:
            text = ",".join(f"{a:02d}:00-{b:02d}:00" for a, b in sorted(spans))
            rules.append(f"{DAYS[day]} {text}")
    return "; ".join(rules) or "off"


def test_open_all_the_time_waits_nothing():
    assert waiting_minutes("24/7", MONDAY) == 0
    assert half_days_per_week("24/7", MONDAY) == 14


def test_never_open_waits_forever_and_says_no_slot():
    minutes = waiting_minutes("off", MONDAY)
    assert math.isinf(minutes)
    assert waiting_text(minutes) == "aucun créneau"
    assert opening("off", MONDAY).never_open
    assert half_days_per_week("off", MONDAY) == 0


def test_unknown_hours_have_no_figure():
    assert waiting_minutes("", MONDAY) is None
    assert waiting_minutes("tous les jours sauf lundi", MONDAY) is None
    assert waiting_text(None) == "horaires inconnus"


def test_open_through_the_daytime_waits_nothing_and_a_morning_place_waits():
    assert waiting_minutes("Mo-Sa 08:00-19:00", MONDAY) == 0
    morning = waiting_minutes("Mo-Sa 08:00-12:00", MONDAY)
    # Arriving 12:00–19:00 (7 h of 11) waits until 08:00 next day (Saturday → Monday):
    # weekdays: 20 h down to 13 h, mean 16.5 h; Saturday: 44 h down to 37 h, mean 40.5 h.
    expected_hours = (5 * 7 * 16.5 + 7 * 40.5) / (6 * 11)
    assert morning == pytest.approx(expected_hours * 60)


def test_two_half_days_a_week_is_far_even_when_near():
    two = waiting_minutes("Tu,Fr 14:00-17:00", MONDAY)
    every_day = waiting_minutes("Mo-Sa 09:00-12:00,14:00-17:00", MONDAY)
    assert two > 24 * 60 > every_day
    assert half_days_per_week("Tu,Fr 14:00-17:00", MONDAY) == 2
    assert half_days_per_week("Mo-Fr 09:00-12:00", MONDAY) == 5


def test_public_holidays_close_the_place_unless_the_hours_say_ph():
    # 4 weeks from Monday 6 July 2026 include Tuesday 14 July (Fête nationale).
    july = dt.date(2026, 7, 6)
    assert half_days_per_week("Mo-Fr 09:00-12:00", july) == pytest.approx(19 * 7 / 28)
    assert half_days_per_week("Mo-Fr 09:00-12:00; PH 09:00-12:00", july) == 5
    assert waiting_minutes("Mo-Fr 09:00-12:00", july) > waiting_minutes(
        "Mo-Fr 09:00-12:00; PH 09:00-12:00", july
    )


def test_the_daytime_is_configurable():
    weekdays_only = Daytime(weekdays=(0, 1, 2, 3, 4), days=28)
    assert waiting_minutes("Mo-Fr 08:00-19:00", MONDAY, weekdays_only) == 0
    assert waiting_minutes("Mo-Fr 08:00-19:00", MONDAY) > 0  # Saturday arrivals wait


def brute_force_wait(spans, windows, step=60.0):
    """Mean wait over arrival moments every `step` seconds (midpoints)."""
    total, count = 0.0, 0
    for low, high in windows:
        t = low + step / 2
        while t < high:
            following = [s for s, e in spans if e > t]
            nxt = min(following)
            total += max(0.0, nxt - t)
            count += 1
            t += step
    return total / count


def test_expected_wait_is_exact_against_sampling():
    rng = random.Random(7)
    for _ in range(20):
        points = sorted(rng.sample(range(0, 7 * 86400, 600), 8))
        spans = [(points[i], points[i + 1]) for i in range(0, 8, 2)]
        spans.append((8 * 86400, 8 * 86400 + 3600))
        windows = [(d * 86400 + 8 * 3600, d * 86400 + 19 * 3600) for d in range(6)]
        exact = expected_wait_seconds(spans, windows)
        assert exact == pytest.approx(brute_force_wait(spans, windows), rel=1e-3, abs=1)


spans_strategy = st.dictionaries(
    st.integers(0, 6),
    st.lists(st.tuples(st.integers(0, 22), st.integers(1, 8)), min_size=1, max_size=2),
    max_size=7,
)


def _ranges(raw) -> dict[int, list[tuple[int, int]]]:
    result = {}
    for day, spans in raw.items():
        hours = set()
        for start, length in spans:
            hours.update(range(start, min(24, start + length)))
        merged, current = [], None
        for hour in sorted(hours):
            if current and hour == current[1]:
                current = (current[0], hour + 1)
            else:
                if current:
                    merged.append(current)
                current = (hour, hour + 1)
        if current:
            merged.append(current)
        result[day] = merged
    return result


@settings(max_examples=40, deadline=None)
@given(spans_strategy, st.integers(0, 6), st.integers(0, 22), st.integers(1, 6))
def test_adding_hours_never_lengthens_the_wait(raw, day, start, length):
    before = _ranges(raw)
    after = _ranges({**raw, day: [*raw.get(day, []), (start, length)]})
    wait_before = waiting_minutes(expression(before), MONDAY)
    wait_after = waiting_minutes(expression(after), MONDAY)
    assert wait_after <= wait_before
    assert half_days_per_week(expression(after), MONDAY) >= half_days_per_week(
        expression(before), MONDAY
    )
    if math.isinf(wait_before):
        assert not any(before.values())


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (35.4, "35 min"), (60, "1 h"), (130, "2 h 10"), (3 * 1440 + 240, "3 j 4 h")],
)
def test_waiting_text(minutes, text):
    assert waiting_text(minutes) == text
