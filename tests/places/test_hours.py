"""Opening hours: validation in French, open now, next opening, French holidays, weekly table."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from maillage.places import hours

PARIS = ZoneInfo("Europe/Paris")
WEEKDAY_HOURS = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def test_invalid_hours_get_a_readable_french_message():
    message = hours.hours_error("Mo-Fr 9h-12h")
    assert message.startswith("Horaires non reconnus à partir du caractère 7 (« 9h-12h »)")
    assert "format OpenStreetMap" in message
    with pytest.raises(ValidationError) as error:
        hours.validate_opening_hours("lundi matin")
    assert error.value.code == "invalid_opening_hours"
    hours.validate_opening_hours("")  # empty: unknown hours, allowed
    hours.validate_opening_hours(WEEKDAY_HOURS)


def test_open_now_and_next_opening():
    assert hours.is_open(WEEKDAY_HOURS, at(2026, 3, 2, 10, 0)) is True  # Monday morning
    assert hours.is_open(WEEKDAY_HOURS, at(2026, 3, 2, 12, 30)) is False  # lunch
    assert hours.next_opening(WEEKDAY_HOURS, at(2026, 3, 2, 12, 30)) == at(2026, 3, 2, 14, 0)
    assert hours.next_opening(WEEKDAY_HOURS, at(2026, 3, 7, 13, 0)) == at(2026, 3, 9, 9, 0)
    assert hours.is_open("", at(2026, 3, 2, 10, 0)) is None
    assert hours.is_open("n'importe quoi", at(2026, 3, 2, 10, 0)) is None


def test_open_state_wording():
    state = hours.open_state(WEEKDAY_HOURS, at(2026, 3, 2, 10, 0))
    assert (state.label, state.detail) == ("Ouvert en ce moment", "jusqu'à 12 h")
    state = hours.open_state(WEEKDAY_HOURS, at(2026, 3, 2, 18, 0))
    assert (state.label, state.detail) == ("Fermé en ce moment", "ouvre demain à 9 h")
    state = hours.open_state(WEEKDAY_HOURS, at(2026, 3, 7, 13, 0))
    assert state.detail == "ouvre lundi 9 mars à 9 h"
    state = hours.open_state("Mo 14:30-16:00", at(2026, 3, 2, 10, 0))
    assert state.detail == "ouvre aujourd'hui à 14 h 30"
    assert hours.open_state("", at(2026, 3, 2, 10, 0)).label == "Horaires non renseignés"


def test_french_public_holidays_close_the_place_by_default():
    bastille_day = at(2025, 7, 14, 10, 0)  # a Monday
    assert hours.is_open(WEEKDAY_HOURS, bastille_day) is False
    assert hours.next_opening(WEEKDAY_HOURS, bastille_day) == at(2025, 7, 15, 9, 0)
    whit_monday = at(2026, 5, 25, 10, 0)
    assert hours.is_open(WEEKDAY_HOURS, whit_monday) is False
    # Open on holidays only when the hours say so.
    assert hours.is_open(WEEKDAY_HOURS + "; PH 10:00-12:00", bastille_day) is True
    assert hours.is_open("Mo-Fr 09:00-12:00; PH off", at(2025, 12, 25, 10, 0)) is False


@override_settings(MAILLAGE_PLACES_CLOSED_ON_PUBLIC_HOLIDAYS=False)
def test_holiday_default_can_be_switched_off():
    assert hours.is_open(WEEKDAY_HOURS, at(2025, 7, 14, 10, 0)) is True


def test_weekly_table_in_french_with_holidays():
    week = hours.week(WEEKDAY_HOURS, dt.date(2025, 7, 14))
    assert [d.weekday for d in week] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
    assert (week[0].text, week[0].holiday) == ("Fermé", "Fête nationale")
    assert week[1].text == "9 h – 12 h, 14 h – 17 h 30"
    assert week[5].text == "9 h – 12 h"
    assert week[6].text == "Fermé"
    assert hours.week("", dt.date(2025, 7, 14)) is None


def test_week_with_seasonal_rules_and_midnight():
    week = hours.week(
        "Jul-Aug Mo 10:00-12:00; Sep-Jun Mo 14:00-16:00; Su 20:00-24:00", dt.date(2025, 8, 25)
    )
    assert week[0].text == "10 h – 12 h"
    assert week[6].text == "20 h – 24 h"
    assert (
        hours.week("Jul-Aug Mo 10:00-12:00; Sep-Jun Mo 14:00-16:00", dt.date(2025, 9, 1))[0].text
        == "14 h – 16 h"
    )


@given(
    start=st.integers(min_value=0, max_value=22),
    length=st.integers(min_value=1, max_value=1),
    minute=st.integers(min_value=0, max_value=59),
)
def test_single_range_is_open_exactly_inside(start, length, minute):
    expression = f"Mo-Su {start:02d}:00-{start + length:02d}:00"
    moment = at(2026, 3, 3, start, minute)  # a Tuesday, no holiday
    assert hours.is_open(expression, moment) is True
    assert hours.is_open(expression, moment + dt.timedelta(hours=1)) is False
