"""Counting active members at any date across status changes (property tests).

A reference written in plain Python — the last status dated on or before the day, active when
"active" and, under the network's rule, trained by then — is compared with what the database
computes (`active_on`, `with_status_on`, the plan source), for random histories and dates.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage import clock
from maillage.networks.indicator_sources import count_active_members
from maillage.networks.labels import MEMBER_TRANSITIONS, MemberStatus
from maillage.networks.models import Member, MemberStatusChange
from tests.factories import OrganisationFactory

from .factories import MemberFactory, NetworkFactory

pytestmark = pytest.mark.django_db

ORIGIN = dt.date(2021, 1, 1)
TODAY = dt.datetime(2026, 6, 15, 10, tzinfo=dt.UTC)
FIRST = [MemberStatus.IN_TRAINING, MemberStatus.ACTIVE]


@st.composite
def histories(draw):
    """A valid status history: a first status, then declared transitions at dates that never
    go back (several changes may share a day)."""
    status = draw(st.sampled_from(FIRST))
    day = ORIGIN + dt.timedelta(days=draw(st.integers(0, 400)))
    history = [(status, day)]
    for _ in range(draw(st.integers(0, 5))):
        status = draw(st.sampled_from(sorted(MEMBER_TRANSITIONS[status])))
        day += dt.timedelta(days=draw(st.integers(0, 300)))
        history.append((status, day))
    return history


members_strategy = st.lists(
    st.tuples(
        histories(),
        st.one_of(st.none(), st.integers(0, 1500).map(lambda n: ORIGIN + dt.timedelta(days=n))),
    ),
    min_size=1,
    max_size=4,
)
days = st.lists(
    st.integers(-30, 2000).map(lambda n: ORIGIN + dt.timedelta(days=n)), min_size=1, max_size=6
)


def reference_status(history, day):
    status = None
    for value, on in history:  # in order: on a shared day, the later change wins
        if on <= day:
            status = value
    return status


def reference_active(history, trained_on, rule, day) -> bool:
    if reference_status(history, day) != MemberStatus.ACTIVE:
        return False
    return not rule or (trained_on is not None and trained_on <= day)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(members=members_strategy, days=days, rule=st.booleans())
def test_active_count_at_any_date_matches_the_history(members, days, rule):
    with transaction.atomic():
        network = NetworkFactory(active_requires_initial_training=rule)
        organisation = OrganisationFactory()
        created = [
            (
                MemberFactory(network=network, organisation=organisation, history=h, trained_on=t),
                h,
                t,
            )
            for h, t in members
        ]
        for day in days:
            expected = sum(reference_active(h, t, rule, day) for _m, h, t in created)
            qs = Member.objects.filter(network=network)
            assert qs.active_on(day).count() == expected, (day, members)
            assert count_active_members({"network": network.slug}, start=None, end=day) == expected
            statuses = dict(qs.with_status_on(day).values_list("pk", "status_on"))
            for member, history, trained_on in created:
                assert statuses[member.pk] == reference_status(history, day)
                assert member.counts_as_active_on(day) is reference_active(
                    history, trained_on, rule, day
                )
        transaction.set_rollback(True)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    attempts=st.lists(
        st.tuples(st.sampled_from(list(MemberStatus)), st.integers(-200, 200)),
        min_size=1,
        max_size=8,
    )
)
def test_change_status_keeps_only_declared_transitions_forward_in_time(attempts):
    """Random status changes: the log accepts exactly the declared transitions dated on or
    after the last change and not in the future, and the member's status follows the log."""
    with transaction.atomic(), clock.travel(TODAY):
        member = MemberFactory(history=[])
        today = clock.today()
        accepted = []
        for status, offset in attempts:
            on = today + dt.timedelta(days=offset)
            last = accepted[-1] if accepted else None
            allowed = set(FIRST) if last is None else MEMBER_TRANSITIONS[last[0]]
            valid = status in allowed and on <= today and (last is None or on >= last[1])
            try:
                member.change_status(status, on=on)
            except ValidationError:
                assert not valid, (status, on, accepted)
            else:
                assert valid, (status, on, accepted)
                accepted.append((status, on))
        logged = list(
            MemberStatusChange.objects.filter(member=member)
            .order_by("effective_on", "id")
            .values_list("status", "effective_on")
        )
        assert logged == accepted
        member.refresh_from_db()
        if accepted:
            assert (member.status, member.status_since) == accepted[-1]
            assert member.status_on(today) == accepted[-1][0]
        transaction.set_rollback(True)


def test_status_changes_count_on_their_day_not_before():
    network = NetworkFactory(active_requires_initial_training=True)
    member = MemberFactory(
        network=network,
        history=[
            (MemberStatus.IN_TRAINING, dt.date(2025, 3, 1)),
            (MemberStatus.ACTIVE, dt.date(2025, 6, 1)),
            (MemberStatus.PAUSED, dt.date(2025, 9, 1)),
            (MemberStatus.ACTIVE, dt.date(2025, 11, 1)),
            (MemberStatus.LEFT, dt.date(2026, 2, 1)),
        ],
        trained_on=dt.date(2025, 5, 20),
    )
    active = Member.objects.filter(pk=member.pk).active_on
    assert [
        active(day).exists()
        for day in (
            dt.date(2025, 2, 28),
            dt.date(2025, 5, 31),
            dt.date(2025, 6, 1),
            dt.date(2025, 8, 31),
            dt.date(2025, 9, 1),
            dt.date(2025, 11, 1),
            dt.date(2026, 1, 31),
            dt.date(2026, 2, 1),
        )
    ] == [False, False, True, True, False, True, True, False]


def test_the_training_rule_is_a_setting_of_the_network():
    trained_later = {
        "history": [(MemberStatus.ACTIVE, dt.date(2025, 1, 1))],
        "trained_on": dt.date(2025, 4, 2),
    }
    strict = MemberFactory(network=NetworkFactory(), **trained_later)
    relaxed = MemberFactory(
        network=NetworkFactory(active_requires_initial_training=False), **trained_later
    )
    never_trained = MemberFactory(network=strict.network)
    day = dt.date(2025, 3, 1)
    assert list(Member.objects.active_on(day)) == [relaxed]
    assert set(Member.objects.active_on(dt.date(2025, 4, 2))) == {strict, relaxed}
    assert never_trained not in Member.objects.active_on(dt.date(2030, 1, 1))
