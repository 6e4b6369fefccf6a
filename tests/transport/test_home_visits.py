"""A mediator's round of home visits: windows kept, travel minimised, refusals explained."""

import datetime as dt

import pytest

from maillage.territory.travel import CrowFliesEstimate
from maillage.transport.home_visits import (
    REASON_DAY,
    REASON_WINDOW,
    Visit,
    plan_home_visits,
)

from .fleet import DAY, at

BASE = (45.27385, 0.04146)  # Chalais
BROSSAC = (45.32702, -0.04186)
COURLAC = (45.30061, 0.08502)
MONTMOREAU = (45.40561, 0.15521)
SAINT_SEVERIN = (45.31189, 0.24359)
T = dt.time


def visit(label, point, duration=60, *windows):
    return Visit(label, *point, duration, windows or ((T(9), T(17)),), key=label)


def test_every_visit_within_its_windows_and_back_in_time():
    visits = [
        visit("Brossac", BROSSAC, 60, (T(14), T(16))),
        visit("Courlac", COURLAC, 45, (T(9), T(10, 30))),
        visit("Montmoreau", MONTMOREAU, 60, (T(9), T(10)), (T(11), T(12, 30))),
        visit("Saint-Séverin", SAINT_SEVERIN, 30),
    ]
    result = plan_home_visits(mediator=None, date=DAY, visits=visits, base=BASE)
    assert result.unserved == []
    assert len(result.visits) == 4
    estimate = CrowFliesEstimate()
    for planned in result.visits:
        windows = planned.visit.windows
        assert any(
            at(a.hour, a.minute) <= planned.start and planned.end <= at(b.hour, b.minute)
            for a, b in windows
        ), planned
        assert planned.end - planned.start == dt.timedelta(minutes=planned.visit.duration)
        assert planned.arrival <= planned.start
    for before, after in zip(result.visits, result.visits[1:], strict=False):
        drive = estimate.trip(
            (before.visit.latitude, before.visit.longitude),
            (after.visit.latitude, after.visit.longitude),
        ).minutes
        assert after.start >= before.end + dt.timedelta(minutes=drive) - dt.timedelta(seconds=1)
    assert at(9) <= result.leave_at and result.back_at <= at(17, 30)
    assert result.visits[-1].visit.label == "Brossac"  # the afternoon one comes last
    assert result.travel_minutes > 0 and result.km > 0


def test_an_unreachable_window_and_a_full_day_are_explained():
    visits = [
        visit("Trop tôt", BROSSAC, 60, (T(7), T(8))),
        visit("A", COURLAC, 240),
        visit("B", MONTMOREAU, 240),
    ]
    result = plan_home_visits(mediator=None, date=DAY, visits=visits, base=BASE)
    reasons = {v.label: reason for v, reason in result.unserved}
    assert reasons["Trop tôt"] == REASON_WINDOW
    assert len(result.visits) == 1 and list(reasons.values()).count(REASON_DAY) == 1


def test_no_visit_is_an_empty_round():
    result = plan_home_visits(mediator=None, date=DAY, visits=[], base=BASE)
    assert result.visits == [] and result.unserved == []


@pytest.mark.parametrize("order", [0, 1])
def test_the_round_minimises_travel(order):
    # Two visits on the same side: going Chalais → Courlac → Saint-Séverin → back is shorter
    # than any other order, whatever the input order.
    visits = [visit("Courlac", COURLAC, 30), visit("Saint-Séverin", SAINT_SEVERIN, 30)]
    if order:
        visits.reverse()
    result = plan_home_visits(mediator=None, date=DAY, visits=visits, base=BASE, seconds=0.5)
    assert len(result.visits) == 2
    estimate = CrowFliesEstimate()
    loop = sum(
        estimate.trip(a, b).minutes
        for a, b in [(BASE, COURLAC), (COURLAC, SAINT_SEVERIN), (SAINT_SEVERIN, BASE)]
    )
    assert result.travel_minutes <= loop + 3
