"""Slot computation: windows, durations, buffers, holidays, absences, DST, agent and room."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.appointments import intervals
from maillage.appointments.labels import BookedVia
from maillage.appointments.models import Occupation
from maillage.appointments.services import booking_create
from maillage.appointments.slot_oracle import naive_service_slots, naive_slots
from maillage.appointments.slots import (
    SlotFinder,
    compute_starts,
    service_slots,
)
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .conftest import MONDAY, PARIS, paris
from .factories import (
    AbsenceFactory,
    AgentFactory,
    ResourceFactory,
    ServiceFactory,
    WeeklyRuleFactory,
)

MIN = dt.timedelta(minutes=1)


def _times(found, place_id):
    return [
        s.starts_at.astimezone(paris(MONDAY, 0).tzinfo).strftime("%H:%M") for s in found[place_id]
    ]


# --- The pure sweep ------------------------------------------------------------------------


def test_duration_not_dividing_the_window():
    window = [(paris(MONDAY, 9), paris(MONDAY, 12))]
    starts = compute_starts(window, [], duration=45 * MIN)
    assert [s.astimezone(paris(MONDAY, 0).tzinfo).strftime("%H:%M") for s in starts] == [
        "09:00",
        "09:45",
        "10:30",
        "11:15",
    ]
    starts = compute_starts(window, [], duration=50 * MIN)
    assert len(starts) == 3  # 09:00, 09:50, 10:40 — 11:30 would end after 12:00


def test_buffers_keep_time_around_each_slot_and_around_existing_bookings():
    window = [(paris(MONDAY, 9), paris(MONDAY, 12))]
    busy = [(paris(MONDAY, 10, 0), paris(MONDAY, 10, 30))]
    starts = compute_starts(window, busy, duration=30 * MIN, before=10 * MIN, after=10 * MIN)
    labels = [s.astimezone(paris(MONDAY, 0).tzinfo).strftime("%H:%M") for s in starts]
    # Before the busy span: 09:00 (occupies 08:50–09:40); 09:50 would reach 10:30: no.
    # After: the first start is 10:30 + 10 min buffer before = 10:40.
    assert labels == ["09:00", "10:40", "11:30"]


def test_earliest_and_latest_bound_the_starts():
    window = [(paris(MONDAY, 9), paris(MONDAY, 12))]
    starts = compute_starts(
        window, [], duration=30 * MIN, earliest=paris(MONDAY, 10, 7), latest=paris(MONDAY, 11)
    )
    assert starts[0] == paris(MONDAY, 10, 10)  # rounded up to the 5-minute grid
    assert starts[-1] <= paris(MONDAY, 11)


@settings(max_examples=60, deadline=None)
@given(
    duration=st.sampled_from([15, 20, 30, 45, 50, 60, 90]),
    before=st.sampled_from([0, 5, 10]),
    after=st.sampled_from([0, 5, 15]),
    busy_specs=st.lists(st.tuples(st.integers(0, 60 * 10), st.integers(5, 120)), max_size=6),
)
def test_sweep_equals_the_naive_scan(duration, before, after, busy_specs):
    base = paris(MONDAY, 8)
    windows = intervals.merge(
        [
            (base, base + dt.timedelta(hours=4)),
            (base + dt.timedelta(hours=5), base + dt.timedelta(hours=9, minutes=30)),
        ]
    )
    busy = intervals.merge((base + s * MIN, base + (s + length) * MIN) for s, length in busy_specs)
    kwargs = {"duration": duration * MIN, "before": before * MIN, "after": after * MIN}
    assert compute_starts(windows, busy, **kwargs) == naive_slots(windows, busy, **kwargs)


def test_daylight_saving_weeks_keep_local_hours():
    # France moves to summer time on Sunday 31 March 2030 and back on 27 October 2030.
    for day in (
        dt.date(2030, 3, 29),
        dt.date(2030, 4, 1),
        dt.date(2030, 10, 25),
        dt.date(2030, 10, 28),
    ):
        start, end = intervals.local_interval(day, dt.time(9), dt.time(12))
        assert start.astimezone(paris(day, 0).tzinfo).hour == 9
        assert end - start == dt.timedelta(hours=3)
    # The night of the change: a 00:00–06:00 window lasts 5 hours in spring, 7 in autumn.
    s, e = intervals.local_interval(dt.date(2030, 3, 31), dt.time(0), dt.time(6))
    assert e - s == dt.timedelta(hours=5)
    s, e = intervals.local_interval(dt.date(2030, 10, 27), dt.time(0), dt.time(6))
    assert e - s == dt.timedelta(hours=7)


# --- From the database ---------------------------------------------------------------------


def test_slots_of_an_individual_service(individual_setup):
    service, place = individual_setup["service"], individual_setup["place"]
    found = service_slots(service, start=MONDAY, end=MONDAY)
    assert _times(found, place.pk) == ["09:00", "10:00", "11:00"]


def test_dst_week_slots_are_at_the_same_local_hours(individual_setup):
    service, place = individual_setup["service"], individual_setup["place"]
    service.max_delay_days = 365
    service.save()
    before = service_slots(service, start=dt.date(2030, 3, 25), end=dt.date(2030, 3, 25))
    after = service_slots(service, start=dt.date(2030, 4, 1), end=dt.date(2030, 4, 1))
    assert _times(before, place.pk) == _times(after, place.pk) == ["09:00", "10:00", "11:00"]
    autumn = service_slots(service, start=dt.date(2030, 10, 28), end=dt.date(2030, 10, 28))
    assert _times(autumn, place.pk) == ["09:00", "10:00", "11:00"]


def test_public_holidays_have_no_slot(individual_setup):
    service, place = individual_setup["service"], individual_setup["place"]
    easter_monday = dt.date(2030, 4, 22)
    assert intervals.is_public_holiday(easter_monday)
    found = service_slots(service, start=easter_monday, end=easter_monday)
    assert found[place.pk] == []


def test_absences_remove_slots(individual_setup):
    service, place, agent = (individual_setup[k] for k in ("service", "place", "agent"))
    AbsenceFactory(agent=agent, starts_at=paris(MONDAY, 9, 30), ends_at=paris(MONDAY, 10, 15))
    found = service_slots(service, start=MONDAY, end=MONDAY)
    # 09:00–09:30 is too short for an hour; from 10:15, one hour fits before noon.
    assert _times(found, place.pk) == ["10:15"]


def test_rules_with_validity_and_every_other_week(individual_setup):
    service, place, agent = (individual_setup[k] for k in ("service", "place", "agent"))
    WeeklyRuleFactory(
        agent=agent,
        place=place,
        weekday=1,
        start_time=dt.time(14),
        end_time=dt.time(16),
        valid_from=dt.date(2030, 3, 5),
        every_weeks=2,
    )
    tuesday = dt.date(2030, 3, 5)
    found = service_slots(service, start=tuesday, end=tuesday + dt.timedelta(days=7))
    days = {s.starts_at.date() for s in found[place.pk]}
    assert tuesday in days and tuesday + dt.timedelta(days=7) not in days


def test_min_and_max_delay(individual_setup):
    service, place = individual_setup["service"], individual_setup["place"]
    service.min_delay_hours = 72  # now is Friday 10:00 → from Monday 10:00
    service.max_delay_days = 3  # … and starting by Monday 10:00
    service.save()
    found = service_slots(service, start=MONDAY, end=MONDAY)
    assert _times(found, place.pk) == ["10:00"]


def test_visio_agent_free_but_room_busy_gives_no_slot(visio_setup, organisation):
    service, place, room = (visio_setup[k] for k in ("service", "place", "room"))
    Occupation.objects.create(
        booking=None,
        session=_dummy_session(place),
        party_type="resource",
        party_id=room.pk,
        starts_at=paris(MONDAY, 8),
        ends_at=paris(MONDAY, 13),
    )
    found = service_slots(service, start=MONDAY, end=MONDAY)
    assert found[place.pk] == []


def test_visio_room_free_but_agent_absent_gives_no_slot(visio_setup):
    service, place, agent = (visio_setup[k] for k in ("service", "place", "agent"))
    assert service_slots(service, start=MONDAY, end=MONDAY)[place.pk]
    AbsenceFactory(agent=agent, starts_at=paris(MONDAY, 0), ends_at=paris(MONDAY, 23))
    assert service_slots(service, start=MONDAY, end=MONDAY)[place.pk] == []


def test_visio_room_rules_intersect_the_agent_windows(visio_setup):
    service, place, room = (visio_setup[k] for k in ("service", "place", "room"))
    WeeklyRuleFactory(resource=room, weekday=0, start_time=dt.time(10), end_time=dt.time(11, 30))
    found = service_slots(service, start=MONDAY, end=MONDAY)
    assert _times(found, place.pk) == ["10:00", "10:45"]


def test_a_place_without_room_has_no_visio_slot(visio_setup):
    service, room, place = visio_setup["service"], visio_setup["room"], visio_setup["place"]
    room.delete()
    assert service_slots(service, start=MONDAY, end=MONDAY)[place.pk] == []


def test_booked_slot_disappears_and_holds_expire(visio_setup):
    from maillage import clock
    from maillage.appointments.services import booking_hold

    service, place = visio_setup["service"], visio_setup["place"]
    booking_create(
        service=service,
        starts_at=paris(MONDAY, 9),
        place=place,
        via=BookedVia.SELF,
        name="Jeanne",
        phone="0612345678",
    )
    assert "09:00" not in _times(service_slots(service, start=MONDAY, end=MONDAY), place.pk)
    booking_hold(service=service, starts_at=paris(MONDAY, 9, 45), place=place)
    assert "09:45" not in _times(service_slots(service, start=MONDAY, end=MONDAY), place.pk)
    with clock.travel(clock.now() + dt.timedelta(minutes=6)):
        assert "09:45" in _times(service_slots(service, start=MONDAY, end=MONDAY), place.pk)


def test_finder_answers_many_services_from_a_few_queries(
    individual_setup, visio_setup, django_assert_max_num_queries
):
    services_ = [individual_setup["service"], visio_setup["service"]]
    with django_assert_max_num_queries(5):
        finder = SlotFinder.for_services(services_, MONDAY, MONDAY + dt.timedelta(days=13))
    with django_assert_max_num_queries(0):
        found = finder.slots(
            individual_setup["service"],
            place_id=individual_setup["place"].pk,
            agent_ids=[individual_setup["agent"].pk],
        )
    assert len(found) == 6  # two Mondays × 3 slots


def _dummy_session(place):
    from .factories import SessionFactory

    return SessionFactory(place=place)


# --- The search against its oracle -----------------------------------------------------------

_rule = st.tuples(
    st.integers(0, 6),  # weekday
    st.integers(7, 17),  # starting hour
    st.sampled_from([0, 20, 35]),  # starting minute
    st.integers(30, 240),  # length in minutes
    st.sampled_from([1, 1, 2]),  # every N weeks
)
_busy = st.tuples(st.integers(0, 13), st.integers(6 * 60, 19 * 60), st.integers(5, 300))


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["visio", "individual"]),
    duration=st.sampled_from([20, 30, 45, 60]),
    before=st.sampled_from([0, 10]),
    after=st.sampled_from([0, 5, 15]),
    agents=st.lists(
        st.tuples(st.lists(_rule, max_size=4), st.lists(_busy, max_size=4), st.booleans()),
        min_size=1,
        max_size=3,
    ),
    rooms=st.lists(
        st.tuples(
            st.integers(0, 3),  # place
            st.sampled_from([(), ((0, 9, 0, 180, 1),), ((0, 9, 0, 180, 1), (2, 14, 0, 120, 1))]),
            st.lists(_busy, max_size=2),
        ),
        max_size=6,
    ),
)
def test_search_equals_the_per_minute_oracle(db, kind, duration, before, after, agents, rooms):
    """Whatever the rules, absences, occupations and rooms (alike or not, several per place),
    the shared-computation search finds exactly the oracle's slots, place by place."""
    with transaction.atomic():
        organisation = OrganisationFactory()
        places = [PlaceFactory(point_visio=True, name=f"Lieu {n}") for n in range(4)]
        service = ServiceFactory(
            organisation=organisation,
            visio=kind == "visio",
            duration_minutes=duration,
            buffer_before_minutes=before,
            buffer_after_minutes=after,
            places=places,
        )
        for rules, busy, at_places in agents:
            agent = AgentFactory(organisation=organisation)
            service.agents.add(agent)
            for n, (weekday, hour, minute, length, every) in enumerate(rules):
                start = dt.datetime.combine(MONDAY, dt.time(hour, minute))
                WeeklyRuleFactory(
                    agent=agent,
                    place=places[n % 4] if at_places or kind == "individual" else None,
                    weekday=weekday,
                    start_time=start.time(),
                    end_time=(start + dt.timedelta(minutes=length)).time(),
                    every_weeks=every,
                )
            for day, minute, length in busy:
                starts = paris(MONDAY + dt.timedelta(days=day), 0) + minute * MIN
                AbsenceFactory(agent=agent, starts_at=starts, ends_at=starts + length * MIN)
        for place, rules, busy in rooms:
            room = ResourceFactory(organisation=organisation, place=places[place])
            for weekday, hour, minute, length, every in rules:
                start = dt.datetime.combine(MONDAY, dt.time(hour, minute))
                WeeklyRuleFactory(
                    resource=room,
                    weekday=weekday,
                    start_time=start.time(),
                    end_time=(start + dt.timedelta(minutes=length)).time(),
                    every_weeks=every,
                )
            for day, minute, length in busy:
                starts = paris(MONDAY + dt.timedelta(days=day), 0) + minute * MIN
                AbsenceFactory(resource=room, starts_at=starts, ends_at=starts + length * MIN)
        end = MONDAY + dt.timedelta(days=13)
        expected = naive_service_slots(service, start=MONDAY, end=end)
        assert service_slots(service, start=MONDAY, end=end) == expected
        first_days = service_slots(service, start=MONDAY, end=end, days_with_slots=1)
        for place_id, every in expected.items():
            day = every[0].starts_at.astimezone(PARIS).date() if every else None
            assert first_days[place_id] == [
                s for s in every if s.starts_at.astimezone(PARIS).date() == day
            ]
        transaction.set_rollback(True)
