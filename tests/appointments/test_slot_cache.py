"""The slot cache never serves a stale day: after any sequence of holds, bookings,
cancellations, moves, rule and absence changes and time passing, the cached search finds
exactly what the uncached one finds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from maillage import cache_versions, clock
from maillage.appointments import services, slot_cache
from maillage.appointments.labels import BookedVia, BookingStatus
from maillage.appointments.locking import BookingError
from maillage.appointments.models import MAX_BUFFER_MINUTES, Booking, WeeklyRule
from maillage.appointments.parties import parties_of
from maillage.appointments.slots import slots_place_by_place
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .conftest import paris
from .factories import (
    AbsenceFactory,
    AgentFactory,
    ResourceFactory,
    ServiceFactory,
    WeeklyRuleFactory,
)

FRIDAY = dt.date(2030, 3, 1)  # the frozen clock's day (10:00)
ONE_DAY = dt.timedelta(days=1)
DAYS = 13


def _both(service, days_with_slots=None) -> tuple[dict, dict]:
    start = clock.today()
    end = start + dt.timedelta(days=DAYS)
    parties = parties_of(service)
    cached = {
        place_id: list(found)
        for place_id, found in slot_cache.cached_slots_place_by_place(
            service, start=start, end=end, parties=parties, days_with_slots=days_with_slots
        )
    }
    fresh = {
        place_id: list(found)
        for place_id, found in slots_place_by_place(
            service, start=start, end=end, parties=parties, days_with_slots=days_with_slots
        )
    }
    return cached, fresh


_start = st.tuples(st.integers(0, DAYS), st.integers(8 * 4, 17 * 4))  # day, quarter hour
# Any time of day: early and late windows (rules at 0:00, 6:00 and 21:00) with the longest buffers
# put occupations within reach of the next or previous day.
_any_time = st.tuples(st.integers(0, DAYS), st.integers(0, 24 * 4 - 1))
_when_booked = st.one_of(_start, _any_time)
_step = st.one_of(
    st.tuples(st.just("hold"), st.integers(0, 1), st.integers(0, 1), _when_booked),
    st.tuples(st.just("book"), st.integers(0, 1), st.integers(0, 1), _when_booked),
    st.tuples(st.just("cancel"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), _when_booked),
    st.tuples(st.just("release"), st.integers(0, 5)),
    st.tuples(
        st.just("rule"),
        st.integers(0, 1),
        st.integers(0, 1),
        st.integers(0, 4),
        st.sampled_from([0, 6, 17, 21]),
    ),
    st.tuples(st.just("unrule"), st.integers(0, 9)),
    st.tuples(st.just("absence"), st.integers(0, 1), _any_time, st.integers(15, 600)),
    st.tuples(st.just("wait"), st.sampled_from([1, 4, 6, 60, 24 * 60])),
)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(visio=False, min_delay=0, buffer=0, steps=[("hold", 0, 0, (3, 36)), ("wait", 6)])
# 3-hour buffers: a Monday booking 18:00-18:30 occupies the agent until 21:30; Tuesday's
# 00:00 slot needs them free from Monday 21:00. Monday's booking must make Tuesday forgotten.
@example(
    visio=False,
    min_delay=0,
    buffer=MAX_BUFFER_MINUTES,
    steps=[("rule", 0, 0, 0, 17), ("rule", 0, 0, 1, 0), ("book", 0, 0, (3, 72))],
)
@given(
    visio=st.booleans(),
    min_delay=st.sampled_from([0, 2, 30]),
    buffer=st.sampled_from([0, 10, MAX_BUFFER_MINUTES]),
    steps=st.lists(_step, min_size=1, max_size=12),
)
def test_cached_slots_equal_fresh_ones_after_any_changes(db, visio, min_delay, buffer, steps):
    cache.clear()
    now = paris(FRIDAY, 10)
    with transaction.atomic():
        organisation = OrganisationFactory()
        places = [PlaceFactory(point_visio=visio, name=f"Lieu {n}") for n in range(2)]
        agents = [AgentFactory(organisation=organisation) for _ in range(2)]
        for agent in agents:
            for n, place in enumerate(places):
                for weekday in range(5):
                    WeeklyRuleFactory(
                        agent=agent,
                        place=None if visio else place,
                        weekday=weekday,
                        start_time=dt.time(9 + 4 * n),
                        end_time=dt.time(12 + 4 * n),
                    )
        if visio:
            for place in places:
                ResourceFactory(organisation=organisation, place=place)
        service = ServiceFactory(
            organisation=organisation,
            visio=visio,
            duration_minutes=30,
            buffer_before_minutes=buffer,
            buffer_after_minutes=buffer,
            min_delay_hours=min_delay,
            max_delay_days=DAYS + 1,
            agents=agents,
            places=places,
        )
        for step in steps:
            with clock.travel(now):
                cached, fresh = _both(service)
                assert cached == fresh
                kind, *args = step
                if kind == "wait":
                    now += dt.timedelta(minutes=args[0])
                    continue
                _apply(kind, args, service, agents, places)
                cached, fresh = _both(service)
                assert cached == fresh, step
                assert _both(service)[0] == fresh  # read back from the cache
                assert _both(service, days_with_slots=2)[0] == _both(service, 2)[1]
        with clock.travel(now):  # after the last wait too
            cached, fresh = _both(service)
            assert cached == fresh
        transaction.set_rollback(True)


def _when(start) -> dt.datetime:
    day, quarter = start
    return paris(FRIDAY + dt.timedelta(days=day), 0) + dt.timedelta(minutes=15 * quarter)


def _apply(kind, args, service, agents, places) -> None:
    bookings = list(Booking.objects.filter(service=service).order_by("pk"))
    try:
        if kind in ("hold", "book"):
            agent, place, start = args
            call = services.booking_hold if kind == "hold" else services.booking_create
            extra = {} if kind == "hold" else {"name": "Jeanne", "phone": "0612345678"}
            call(
                service=service,
                starts_at=_when(start),
                place=places[place],
                agent=agents[agent],
                via=BookedVia.SELF,
                **extra,
            )
        elif kind == "cancel" and bookings:
            services.booking_cancel(booking=bookings[args[0] % len(bookings)])
        elif kind == "release" and bookings:
            services.booking_release_hold(booking_id=bookings[args[0] % len(bookings)].pk)
        elif kind == "move" and bookings:
            booking = bookings[args[0] % len(bookings)]
            if booking.status == BookingStatus.BOOKED:
                services.booking_move(booking=booking, starts_at=_when(args[1]))
        elif kind == "rule":
            agent, place, weekday, hour = args
            WeeklyRuleFactory(
                agent=agents[agent],
                place=None if service.is_visio else places[place],
                weekday=weekday,
                start_time=dt.time(hour),
                end_time=dt.time(hour + 2),
            )
        elif kind == "unrule":
            rules = list(WeeklyRule.objects.filter(agent__in=agents).order_by("pk"))
            rules[args[0] % len(rules)].delete()
        elif kind == "absence":
            agent, start, minutes = args
            starts_at = _when(start)
            AbsenceFactory(
                agent=agents[agent],
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=minutes),
            )
    except BookingError:
        pass


def test_a_daytime_appointment_touches_its_own_day_only_and_a_late_one_the_next_too():
    day = FRIDAY + dt.timedelta(days=3)
    assert slot_cache.days_seeing(paris(day, 10), paris(day, 11)) == [day]
    # Within REACH (3 h) of midnight on either side: the next or previous day can see it.
    assert slot_cache.days_seeing(paris(day, 21), paris(day, 22)) == [day, day + ONE_DAY]
    assert slot_cache.days_seeing(paris(day, 2), paris(day, 3)) == [day - ONE_DAY, day]
    assert slot_cache.days_seeing(paris(day, 20), paris(day, 21)) == [day]
    assert slot_cache.days_seeing(paris(day, 3), paris(day, 4)) == [day]


def test_the_days_seeing_an_occupation_count_elapsed_time_across_clock_changes():
    paris_zone = ZoneInfo("Europe/Paris")
    saturday, sunday = dt.date(2030, 3, 30), dt.date(2030, 3, 31)  # clocks go forward
    # 03:30 on Sunday is 01:30 UTC: three hours before, Saturday 23:30, Saturday can see it
    # (in clock time, 00:30 on Sunday, Saturday would be missed). Same in UTC or Paris time.
    starts = dt.datetime(2030, 3, 31, 3, 30, tzinfo=paris_zone)
    ends = dt.datetime(2030, 3, 31, 4, 0, tzinfo=paris_zone)
    assert slot_cache.days_seeing(starts, ends) == [saturday, sunday]
    assert slot_cache.days_seeing(starts.astimezone(dt.UTC), ends.astimezone(dt.UTC)) == [
        saturday,
        sunday,
    ]
    # Clocks go back on 27 October: 02:30 comes twice, 2 h 30 then 3 h 30 after the day
    # began (22:00 UTC): only the first is within Saturday's reach.
    first = dt.datetime(2030, 10, 27, 2, 30, tzinfo=paris_zone, fold=0)
    second = dt.datetime(2030, 10, 27, 2, 30, tzinfo=paris_zone, fold=1)
    half_hour = dt.timedelta(minutes=30)
    assert slot_cache.days_seeing(first, first + half_hour)[0] == dt.date(2030, 10, 26)
    assert slot_cache.days_seeing(second, second + half_hour)[0] == dt.date(2030, 10, 27)


def test_a_buffer_longer_than_the_reach_is_refused(db):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError

    service = ServiceFactory.build(
        organisation=OrganisationFactory(), buffer_after_minutes=MAX_BUFFER_MINUTES + 1
    )
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "buffer_after_minutes" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        service.save()


def test_what_is_cached_by_configuration_is_not_read_back_by_another_schema(db, monkeypatch):
    cache.clear()
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    monkeypatch.setattr(cache_versions, "schema", lambda: "before")
    assert slot_cache.cached_by_configuration("x", compute) == 1
    assert slot_cache.cached_by_configuration("x", compute) == 1
    monkeypatch.setattr(cache_versions, "schema", lambda: "after")  # a deployment added a column
    assert slot_cache.cached_by_configuration("x", compute) == 2
    slot_cache.touch_configuration()
    assert slot_cache.cached_by_configuration("x", compute) == 3


def test_a_page_after_a_booking_loads_the_booked_day_only(db, monkeypatch):
    cache.clear()
    organisation = OrganisationFactory()
    place = PlaceFactory(name="Lieu")
    agent = AgentFactory(organisation=organisation)
    for weekday in range(5):
        WeeklyRuleFactory(
            agent=agent, place=place, weekday=weekday, start_time=dt.time(9), end_time=dt.time(12)
        )
    service = ServiceFactory(organisation=organisation, agents=[agent], places=[place])
    loaded = []

    class Recording(slot_cache.SlotFinder):
        def __post_init__(self):
            loaded.append((self.start, self.end))
            super().__post_init__()

    monkeypatch.setattr(slot_cache, "SlotFinder", Recording)
    start, end = FRIDAY + ONE_DAY * 3, FRIDAY + ONE_DAY * 16

    def page():
        return list(
            slot_cache.cached_slots_place_by_place(service, start=start, end=end, days_with_slots=4)
        )

    first = page()
    assert loaded == [(start, end)]  # nothing cached: the whole range at once
    tuesday = start + ONE_DAY
    services.booking_create(
        service=service,
        starts_at=paris(tuesday, 10),
        place=place,
        agent=agent,
        via=BookedVia.SELF,
        name="Jeanne",
        phone="0612345678",
    )
    loaded.clear()
    again = page()
    assert loaded == [(tuesday, tuesday)]
    assert len(list(again[0][1])) == len(list(first[0][1])) - 1


def test_a_migration_forgets_the_configuration(db):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    version = cache_versions.current([slot_cache.CONFIG_KEY])[slot_cache.CONFIG_KEY]
    config = apps.get_app_config("appointments")
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    assert cache_versions.current([slot_cache.CONFIG_KEY])[slot_cache.CONFIG_KEY] != version


def test_a_hold_checks_the_rules_and_agents_of_now_not_those_cached_before(db):
    """The hold re-checks a slot with the service's agents and their rules from the shared
    cache: a rule removed, or an agent leaving the service, after the page was read is seen."""
    cache.clear()
    organisation = OrganisationFactory()
    place = PlaceFactory(name="Lieu")
    agent, other = (AgentFactory(organisation=organisation) for _ in range(2))
    morning = WeeklyRuleFactory(
        agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
    )
    WeeklyRuleFactory(
        agent=other, place=place, weekday=0, start_time=dt.time(14), end_time=dt.time(17)
    )
    service = ServiceFactory(organisation=organisation, agents=[agent, other], places=[place])
    monday = FRIDAY + ONE_DAY * 3

    def hold(hour, who):
        return services.booking_hold(
            service=service,
            starts_at=paris(monday, hour),
            place_id=place.pk,
            agent_id=who.pk,
            via=BookedVia.SELF,
        )

    list(slot_cache.cached_slots_place_by_place(service, start=monday, end=monday))
    hold(9, agent)  # the cache is warm: rules and agents read from it
    morning.delete()
    with pytest.raises(BookingError):
        hold(10, agent)
    WeeklyRuleFactory(
        agent=agent, place=place, weekday=0, start_time=dt.time(10), end_time=dt.time(11)
    )
    hold(10, agent)
    hold(14, other)
    service.agents.remove(other)
    with pytest.raises(BookingError):
        hold(15, other)


def test_a_request_reads_the_configuration_version_once_and_sees_its_own_changes(
    db, client, monkeypatch
):
    cache.clear()
    organisation = OrganisationFactory()
    place = PlaceFactory(name="Lieu")
    agent = AgentFactory(organisation=organisation)
    WeeklyRuleFactory(
        agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
    )
    service = ServiceFactory(organisation=organisation, agents=[agent], places=[place])
    reads = []
    current = cache_versions.current

    def counting(keys):
        reads.extend(key for key in keys if key == slot_cache.CONFIG_KEY)
        return current(keys)

    monkeypatch.setattr(cache_versions, "current", counting)
    page = client.get(f"/rendez-vous/motif/{service.pk}/", {"du": (FRIDAY + ONE_DAY * 3)})
    assert page.status_code == 200 and "09h00" in page.content.decode()
    assert len(reads) == 1  # the service, its places and agents, their rules, the days
    # Outside a request (a command, a task): read each time.
    reads.clear()
    slot_cache._config_version()
    slot_cache._config_version()
    assert len(reads) == 2
    # Inside one, a change it makes is seen by what it reads next.
    slot_cache._request_started()
    try:
        before = slot_cache._config_version()
        assert slot_cache._config_version() == before
        slot_cache.touch_configuration()
        assert slot_cache._config_version() != before
    finally:
        slot_cache._request_finished()


def test_a_place_whose_first_days_with_slots_are_past_its_first_week(db):
    """A page reads a place's first week first: a place open only further on is walked to
    (days read on demand), cold and from the cache, with the same slots as the search."""
    cache.clear()
    organisation = OrganisationFactory()
    near, far = PlaceFactory(name="Près"), PlaceFactory(name="Loin")
    agent = AgentFactory(organisation=organisation)
    late = FRIDAY + ONE_DAY * 10
    WeeklyRuleFactory(
        agent=agent, place=near, weekday=0, start_time=dt.time(9), end_time=dt.time(10)
    )
    for week in range(2):
        WeeklyRuleFactory(
            agent=agent,
            place=far,
            weekday=(late + ONE_DAY * week).weekday(),
            start_time=dt.time(14),
            end_time=dt.time(15),
            valid_from=late,
        )
    service = ServiceFactory(organisation=organisation, agents=[agent], places=[near, far])
    with clock.travel(paris(FRIDAY, 10)):
        for days_with_slots in (1, 2, 4, None):
            cached, fresh = _both(service, days_with_slots=days_with_slots)
            assert cached == fresh and fresh[far.pk]
            assert _both(service, days_with_slots=days_with_slots)[0] == fresh
        assert min(s.starts_at for s in fresh[far.pk]).date() >= late


def test_days_computed_are_stored_once_even_when_the_page_stops_early(db, monkeypatch):
    cache.clear()
    organisation = OrganisationFactory()
    places = [PlaceFactory(name=f"Lieu {n}") for n in range(3)]
    agent = AgentFactory(organisation=organisation)
    for place in places:
        WeeklyRuleFactory(
            agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
        )
    service = ServiceFactory(organisation=organisation, agents=[agent], places=places)
    stores, loaded = [], []
    set_many = cache.set_many
    monkeypatch.setattr(
        cache, "set_many", lambda data, **kw: stores.append(len(data)) or set_many(data, **kw)
    )

    class Recording(slot_cache.SlotFinder):
        def __post_init__(self):
            loaded.append((self.start, self.end))
            super().__post_init__()

    monkeypatch.setattr(slot_cache, "SlotFinder", Recording)
    start, end = FRIDAY + ONE_DAY * 3, FRIDAY + ONE_DAY * 9
    found = slot_cache.cached_slots_place_by_place(service, start=start, end=end)
    first_place, first_slots = next(found)  # a page that needs one place only
    assert first_slots and stores == []
    found.close()
    assert len(stores) == 1  # every day computed so far, in one round trip
    loaded.clear()
    again = dict(slot_cache.cached_slots_place_by_place(service, start=start, end=end))
    assert list(again[first_place]) == list(first_slots)
    # The first place's days came from the cache: the finder loaded for the others only.
    assert stores == [7, 2 * 7]


def test_values_of_a_configuration_are_copied_in_process_memory_until_it_changes(db, monkeypatch):
    cache.clear()
    slot_cache._copies.clear()
    computed, shared_reads = [], []
    get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **kw: shared_reads.append(key) or get(key, *a, **kw)
    )

    def compute():
        computed.append(1)
        return {"places": [1, 2]}

    first = slot_cache.cached_by_configuration("memo", compute)
    shared_reads.clear()
    second = slot_cache.cached_by_configuration("memo", compute)
    assert second == first == {"places": [1, 2]} and len(computed) == 1
    assert not [key for key in shared_reads if "memo" in key]  # from this process's copy
    second["places"].append(3)  # each read is a copy of its own
    assert slot_cache.cached_by_configuration("memo", compute) == {"places": [1, 2]}
    slot_cache.touch_configuration()  # a new configuration: computed again
    assert slot_cache.cached_by_configuration("memo", compute) == first and len(computed) == 2
    # Kept DAY_TIMEOUT at most, like the shared entry: then read from the shared cache again.
    later = slot_cache.time.monotonic() + slot_cache.DAY_TIMEOUT + 1
    monkeypatch.setattr(slot_cache.time, "monotonic", lambda: later)
    shared_reads.clear()
    slot_cache.cached_by_configuration("memo", compute)
    assert [key for key in shared_reads if "memo" in key]
