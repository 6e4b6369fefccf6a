"""Agents set their own availability from the site: weekly windows, absences and leave.

Every write checks `permissions.can_manage_availability` (the agent themselves, or an
administrator of their organisation). Adding an absence never cancels anything by itself: it
returns the appointments that now fall inside it, for the agent to move or cancel (the
person is then notified through the usual messages).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from maillage import clock
from maillage.organisations import permissions

from . import labels
from .intervals import day_bounds
from .labels import BookingStatus
from .models import Absence, Agent, Booking, WeeklyRule


def _check(by, agent: Agent) -> None:
    if not permissions.can_manage_availability(by, agent):
        raise PermissionDenied


def manageable_agents(user):
    return Agent.objects.filter(permissions.availability_agents_q(user), is_active=True).order_by(
        "name", "pk"
    )


@transaction.atomic
def weekly_rule_add(
    *,
    agent: Agent,
    by,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    place=None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> WeeklyRule:
    """A recurring window of the agent (at `place`, or remote when None)."""
    _check(by, agent)
    if end_time <= start_time:
        raise ValidationError(labels.ERR_RULE_ORDER)
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(labels.ERR_DATES_ORDER)
    rule = WeeklyRule(
        agent=agent,
        place=place,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def weekly_rule_delete(*, rule: WeeklyRule, by) -> None:
    """Remove a window; booked appointments stay (they are moved or cancelled one by one)."""
    _check(by, rule.agent)
    rule.delete()


def absence_bounds(
    first_day: dt.date, last_day: dt.date, start: dt.time | None, end: dt.time | None
) -> tuple[dt.datetime, dt.datetime]:
    """Whole days from `first_day` to `last_day`, or from `start` on the first day to `end` on
    the last day when times are given (local time, as UTC)."""
    low = (
        day_bounds(first_day)[0]
        if start is None
        else dt.datetime.combine(
            first_day, start, tzinfo=timezone.get_default_timezone()
        ).astimezone(dt.UTC)
    )
    high = (
        day_bounds(last_day)[1]
        if end is None
        else dt.datetime.combine(last_day, end, tzinfo=timezone.get_default_timezone()).astimezone(
            dt.UTC
        )
    )
    return low, high


def bookings_during(agent: Agent, starts_at: dt.datetime, ends_at: dt.datetime):
    """The agent's booked appointments overlapping [starts_at, ends_at), earliest first."""
    return (
        Booking.objects.filter(
            agent=agent,
            status=BookingStatus.BOOKED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .select_related("service", "place")
        .order_by("starts_at", "pk")
    )


@transaction.atomic
def absence_add(
    *, agent: Agent, by, starts_at: dt.datetime, ends_at: dt.datetime, reason: str = ""
) -> tuple[Absence, list[Booking]]:
    """Record leave, training or any absence; no new slot is offered during it. Returns the
    appointments already booked inside it (to move or cancel)."""
    _check(by, agent)
    if ends_at <= starts_at:
        raise ValidationError(labels.ERR_DATES_ORDER)
    absence = Absence(agent=agent, starts_at=starts_at, ends_at=ends_at, reason=reason.strip())
    absence.full_clean()
    absence.save()
    return absence, list(bookings_during(agent, starts_at, ends_at))


@transaction.atomic
def absence_delete(*, absence: Absence, by) -> None:
    _check(by, absence.agent)
    absence.delete()


def upcoming_absences(agent: Agent):
    return agent.absences.filter(ends_at__gt=clock.now()).order_by("starts_at", "pk")


def conflicts(agent: Agent) -> list[Booking]:
    """Booked appointments of the agent that fall in one of their coming absences."""
    spans = list(upcoming_absences(agent).values_list("starts_at", "ends_at"))
    if not spans:
        return []
    overlap = Q()
    for low, high in spans:
        overlap |= Q(starts_at__lt=high, ends_at__gt=low)
    return list(
        Booking.objects.filter(overlap, agent=agent, status=BookingStatus.BOOKED)
        .select_related("service", "place")
        .order_by("starts_at", "pk")
    )
