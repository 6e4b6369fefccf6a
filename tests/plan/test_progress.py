import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from maillage.plan.labels import Direction, ProgressStatus
from maillage.plan.progress import (
    expected_value,
    indicator_progress,
    plan_progress,
    sheet_progress,
    trajectory,
    trajectory_status,
    weighted_mean,
)

values = st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=2)
directions = st.sampled_from([Direction.INCREASE, Direction.DECREASE])


def test_barometer_formula():
    assert indicator_progress(0, 59, 15, Direction.INCREASE) == Decimal(1500) / Decimal(59)
    assert indicator_progress(4300, 0, 2150, Direction.DECREASE) == Decimal(50)


def test_undefined_cases():
    assert indicator_progress(None, 10, 5, Direction.INCREASE) is None
    assert indicator_progress(0, None, 5, Direction.INCREASE) is None
    assert indicator_progress(0, 10, None, Direction.INCREASE) is None
    assert indicator_progress(10, 10, 12, Direction.INCREASE) is None
    # a target that is not an improvement in the declared direction is undefined
    assert indicator_progress(10, 5, 7, Direction.INCREASE) is None
    assert indicator_progress(5, 10, 7, Direction.DECREASE) is None


@given(values, values, values, directions)
def test_progress_is_clamped(initial, target, current, direction):
    progress = indicator_progress(initial, target, current, direction)
    assert progress is None or Decimal(0) <= progress <= Decimal(100)


@given(values, values, values)
def test_direction_symmetry(initial, target, current):
    """A falling indicator progresses exactly like its mirrored rising one."""
    assert indicator_progress(initial, target, current, Direction.DECREASE) == (
        indicator_progress(-initial, -target, -current, Direction.INCREASE)
    )


@given(values, values, values, values, directions)
def test_monotonic_in_current(initial, target, a, b, direction):
    low, high = sorted([a, b])
    p_low = indicator_progress(initial, target, low, direction)
    p_high = indicator_progress(initial, target, high, direction)
    if p_low is None:
        assert p_high is None
        return
    if direction == Direction.INCREASE:
        assert p_low <= p_high
    else:
        assert p_low >= p_high


NUM08 = trajectory(
    [(dt.date(2017, 12, 31), 0), (dt.date(2019, 12, 31), 15), (dt.date(2022, 12, 31), 59)]
)


def test_expected_value_interpolates_linearly_and_is_flat_outside():
    assert expected_value(NUM08, dt.date(2017, 1, 1)) == 0
    assert expected_value(NUM08, dt.date(2019, 12, 31)) == 15
    middle = expected_value(NUM08, dt.date(2018, 12, 31))
    assert Decimal("7.4") < middle < Decimal("7.6")
    assert expected_value(NUM08, dt.date(2030, 1, 1)) == 59
    assert expected_value([], dt.date(2020, 1, 1)) is None


def test_trajectory_status():
    on = dt.date(2019, 12, 31)
    assert trajectory_status(points=NUM08, current=15, direction="increase", on=on) == (
        ProgressStatus.ON_TRACK
    )
    assert trajectory_status(points=NUM08, current=10, direction="increase", on=on) == (
        ProgressStatus.LATE
    )
    assert trajectory_status(points=NUM08, current=60, direction="increase", on=on) == (
        ProgressStatus.ACHIEVED
    )
    assert trajectory_status(points=NUM08, current=None, direction="increase", on=on) == (
        ProgressStatus.NO_DATA
    )
    assert trajectory_status(points=NUM08[:1], current=3, direction="increase", on=on) == (
        ProgressStatus.NO_DATA
    )


def test_trajectory_status_falling_indicator():
    points = trajectory([(dt.date(2016, 12, 31), 4300), (dt.date(2020, 12, 31), 0)])
    on = dt.date(2018, 12, 31)
    assert trajectory_status(points=points, current=1000, direction="decrease", on=on) == (
        ProgressStatus.ON_TRACK
    )
    assert trajectory_status(points=points, current=4000, direction="decrease", on=on) == (
        ProgressStatus.LATE
    )


def test_rollups_are_weighted_and_ignore_undefined():
    assert sheet_progress([(Decimal(100), 1), (None, 5), (Decimal(0), 3)]) == Decimal(25)
    assert plan_progress([(None, 1)]) is None
    assert weighted_mean([(Decimal(50), 0), (Decimal(10), 1)]) == Decimal(10)


@given(st.lists(st.tuples(st.one_of(st.none(), st.decimals(0, 100, places=1)), st.integers(0, 5))))
def test_rollup_stays_within_bounds(pairs):
    result = weighted_mean(pairs)
    assert result is None or Decimal(0) <= result <= Decimal(100)
