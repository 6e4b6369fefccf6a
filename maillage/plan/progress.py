"""Progress of indicators, sheets and plans: pure functions, no database.

The State's results barometer measures progress as (current − initial) / (target − initial).
Here that ratio is direction-aware (a falling indicator progresses when its value falls),
clamped to 0–100 %, and undefined (None) when it cannot be computed: a missing value, a target
equal to the initial value, or a target that is not an improvement in the indicator's direction.

An indicator is "on track" when its latest value is at least as good as the value expected on
the evaluation date by linear interpolation along initial → intermediate → final targets.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .labels import Direction, ProgressStatus

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def indicator_progress(initial, target, current, direction: str) -> Decimal | None:
    """Progress (0–100) from `initial` toward `target` given `current`, or None if undefined."""
    initial, target, current = _dec(initial), _dec(target), _dec(current)
    if initial is None or target is None or current is None:
        return None
    span = target - initial
    if span == 0:
        return None
    if (direction == Direction.DECREASE and span > 0) or (
        direction != Direction.DECREASE and span < 0
    ):
        return None  # the target is not an improvement in the declared direction
    ratio = (current - initial) / span * HUNDRED
    return min(HUNDRED, max(ZERO, ratio))


@dataclass(frozen=True)
class TrajectoryPoint:
    date: dt.date
    value: Decimal


def trajectory(points: Iterable[tuple[dt.date | None, object]]) -> list[TrajectoryPoint]:
    """The target trajectory: dated numeric points, sorted by date (undated ones dropped)."""
    result = [
        TrajectoryPoint(date, _dec(value))
        for date, value in points
        if date is not None and value is not None
    ]
    return sorted(result, key=lambda p: p.date)


def expected_value(points: Sequence[TrajectoryPoint], on: dt.date) -> Decimal | None:
    """Value expected on `on` by linear interpolation; flat before the first and after the last."""
    if not points:
        return None
    if on <= points[0].date:
        return points[0].value
    for before, after in itertools.pairwise(points):
        if before.date <= on <= after.date:
            days = (after.date - before.date).days
            if days == 0:
                return after.value
            share = Decimal((on - before.date).days) / Decimal(days)
            return before.value + (after.value - before.value) * share
    return points[-1].value


def is_at_least_as_good(value: Decimal, reference: Decimal, direction: str) -> bool:
    if direction == Direction.DECREASE:
        return value <= reference
    return value >= reference


def trajectory_status(
    *,
    points: Sequence[TrajectoryPoint],
    current,
    direction: str,
    on: dt.date,
) -> str:
    """achieved / on_track / late / no_data for the latest value `current`, evaluated on `on`."""
    current = _dec(current)
    if current is None or len(points) < 2:
        return ProgressStatus.NO_DATA
    final = points[-1].value
    if is_at_least_as_good(current, final, direction) and final != points[0].value:
        return ProgressStatus.ACHIEVED
    expected = expected_value(points, on)
    if expected is None:
        return ProgressStatus.NO_DATA
    if is_at_least_as_good(current, expected, direction):
        return ProgressStatus.ON_TRACK
    return ProgressStatus.LATE


def weighted_mean(pairs: Iterable[tuple[Decimal | None, object]]) -> Decimal | None:
    """Weighted mean of the defined values (None values and zero weights are ignored)."""
    total = ZERO
    weights = ZERO
    for value, weight in pairs:
        weight = _dec(weight) if weight is not None else Decimal(1)
        if value is None or weight <= 0:
            continue
        total += _dec(value) * weight
        weights += weight
    if weights == 0:
        return None
    return total / weights


def sheet_progress(indicators: Iterable[tuple[Decimal | None, object]]) -> Decimal | None:
    """Roll-up of a sheet: weighted mean of its indicators' progress (progress, weight)."""
    return weighted_mean(indicators)


def plan_progress(sheets: Iterable[tuple[Decimal | None, object]]) -> Decimal | None:
    """Roll-up of a plan: weighted mean of its sheets' progress (progress, weight)."""
    return weighted_mean(sheets)


@dataclass
class IndicatorState:
    """Everything a page shows about one indicator's progress."""

    initial: Decimal | None
    intermediate: Decimal | None
    final: Decimal | None
    target: Decimal | None
    current: Decimal | None
    current_date: dt.date | None
    progress: Decimal | None
    status: str
    points: list[TrajectoryPoint]

    @property
    def status_label(self) -> str:
        return ProgressStatus(self.status).label

    @property
    def status_badge(self) -> str:
        from .labels import PROGRESS_STATUS_BADGE

        return PROGRESS_STATUS_BADGE[self.status]

    @property
    def progress_int(self) -> int | None:
        return None if self.progress is None else int(self.progress.to_integral_value())


def indicator_state(
    *, targets: dict, current, current_date: dt.date | None, direction: str, on: dt.date
) -> IndicatorState:
    """Progress and status of an indicator from its targets (by kind) and latest value.

    The target aimed at is the final value, or the intermediate one when no final value is
    numeric.
    """
    initial = targets.get("initial")
    intermediate = targets.get("intermediate")
    final = targets.get("final")

    def value(t):
        return t.value if t is not None else None

    target = value(final) if value(final) is not None else value(intermediate)
    points = trajectory(
        (t.effective_date, t.value) for t in (initial, intermediate, final) if t is not None
    )
    return IndicatorState(
        initial=value(initial),
        intermediate=value(intermediate),
        final=value(final),
        target=target,
        current=_dec(current),
        current_date=current_date,
        progress=indicator_progress(value(initial), target, current, direction),
        status=trajectory_status(points=points, current=current, direction=direction, on=on),
        points=points,
    )
