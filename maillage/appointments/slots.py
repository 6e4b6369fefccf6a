"""Which slots are free: weekly rules minus holidays, absences and occupations.

A slot of a service exists when *every* party it needs is free: the agent, and for a Point
Visio appointment the room at the chosen town hall too. For a candidate start `s` of a
service lasting `d` with buffers `b` (before) and `a` (after):

* the appointment `[s, s + d)` lies inside one opening window of the day (the agent's
  window, intersected with the room's when a room is needed);
* the occupied span `[s - b, s + d + a)` overlaps nothing busy (absences, other
  occupations — whose rows already include their own buffers);
* `s` is at least `min_delay_hours` and at most `max_delay_days` after now; French public
  holidays have no slot.

Windows are built in local time (`intervals.py`: Europe/Paris made aware and converted to
UTC, so a 09:00–12:00 window is 09:00–12:00 on both sides of a daylight-saving change). The
search is a sweep over sorted intervals (windows × gaps between busy spans), never a
per-minute scan; `slot_oracle.naive_slots` is the per-minute scan the benchmark and the
property tests compare against.

`SlotFinder` loads rules, absences and occupations of the parties for a date range in a few
queries, then answers any number of (service, place) questions from memory.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Case, CharField, DateTimeField, Q, Value, When
from django.db.models.functions import Coalesce

from maillage import clock

from .intervals import (
    Interval,
    day_bounds,
    gaps,
    intersect,
    is_public_holiday,
    local_interval,
    local_zone,
    merge,
)
from .labels import PartyType, ServiceKind
from .models import MAX_BUFFER_MINUTES, Absence, Agent, Occupation, Resource, Service, WeeklyRule
from .parties import Parties, services_parties

UTC = dt.UTC
GRID = dt.timedelta(minutes=5)
# How far beyond its day a day's slots can see: a slot lies inside one of the day's opening
# windows, and its occupied span reaches at most a buffer (MAX_BUFFER_MINUTES) beyond it.
REACH = dt.timedelta(minutes=MAX_BUFFER_MINUTES)
# Services whose agent may work from anywhere (rules without place).
REMOTE_KINDS = frozenset({ServiceKind.VISIO, ServiceKind.PHONE, ServiceKind.HOME_VISIT})


def _round_up(moment: dt.datetime) -> dt.datetime:
    seconds = int(moment.timestamp())
    step = int(GRID.total_seconds())
    remainder = seconds % step
    if remainder == 0 and moment.microsecond == 0:
        return moment
    return dt.datetime.fromtimestamp(seconds - remainder + step, tz=UTC)


def compute_starts(
    windows: Sequence[Interval],
    busy: Sequence[Interval],
    *,
    duration: dt.timedelta,
    before: dt.timedelta = dt.timedelta(0),
    after: dt.timedelta = dt.timedelta(0),
    earliest: dt.datetime | None = None,
    latest: dt.datetime | None = None,
) -> list[dt.datetime]:
    """Slot starts inside `windows` (merged, sorted) whose occupied span avoids `busy`.

    Within each free stretch, starts are packed one after the other: the step is the
    duration plus both buffers, so consecutive bookings' occupied spans just touch.
    """
    step = duration + before + after
    starts: list[dt.datetime] = []
    busy = merge(busy)
    for w_start, w_end in windows:
        for g_start, g_end in gaps(busy, w_start - before, w_end + after):
            low = max(w_start, g_start + before)
            high = min(w_end - duration, g_end - duration - after)
            if earliest is not None and low < earliest:
                low = earliest
            if latest is not None and high > latest:
                high = latest
            s = _round_up(low)
            while s <= high:
                starts.append(s)
                s += step
    return starts


def span_is_free(
    windows: Sequence[Interval],
    busy: Sequence[Interval],
    starts_at: dt.datetime,
    *,
    duration: dt.timedelta,
    before: dt.timedelta,
    after: dt.timedelta,
) -> bool:
    """Whether one given start fits a window and its occupied span avoids `busy`."""
    end = starts_at + duration
    if not any(w_start <= starts_at and end <= w_end for w_start, w_end in windows):
        return False
    low, high = starts_at - before, end + after
    return not any(b_start < high and low < b_end for b_start, b_end in busy)


class Slot(NamedTuple):
    """One free start. A named tuple, not a dataclass: a 60-day search builds tens of
    thousands of them, and tuples are made and compared several times faster. Ordered by
    start, then agent and resource ids, like the tuple it is."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    service_id: int
    place_id: int | None
    agent_id: int
    resource_id: int | None = None

    @property
    def key(self) -> str:
        """What a form posts back: place, agent, resource, start (UTC ISO)."""
        return (
            f"{self.place_id or 0}:{self.agent_id}:{self.resource_id or 0}:"
            f"{self.starts_at.astimezone(UTC).isoformat()}"
        )


def parse_slot_key(key: str) -> tuple[int | None, int, int | None, dt.datetime]:
    place, agent, resource, start = key.split(":", 3)
    return (
        int(place) or None,
        int(agent),
        int(resource) or None,
        dt.datetime.fromisoformat(start).astimezone(UTC),
    )


class PlaceSlots(Sequence[Slot]):
    """The free slots of one service at one place, made when read (`Slot`s on iteration,
    indexing or slicing) from the starts the finder computed once for every alike place.

    Why not a list: a 60-day search over a hundred places finds tens of thousands of slots
    and a page shows a few dozen of them. `Slot` is a tuple subclass, which the garbage
    collector never untracks; building them all made every few searches pay a full
    collection of the process. Compares equal to a list of the same slots."""

    __slots__ = ("_place_id", "_rooms", "_service_id", "_starts")

    def __init__(
        self,
        starts: Sequence[tuple[dt.datetime, dt.datetime, int, int]],
        *,
        service_id: int,
        place_id: int | None,
        rooms: Sequence[int | None],
    ) -> None:
        self._starts = starts
        self._service_id = service_id
        self._place_id = place_id
        self._rooms = rooms

    def _slot(self, start: tuple[dt.datetime, dt.datetime, int, int]) -> Slot:
        s, e, agent_id, index = start
        # Slot's own constructor, minus a Python-level call per slot.
        return tuple.__new__(
            Slot, (s, e, self._service_id, self._place_id, agent_id, self._rooms[index])
        )

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._slot(start) for start in self._starts[index]]
        return self._slot(self._starts[index])

    def __iter__(self):
        return map(self._slot, self._starts)

    def keyed(self) -> Iterator[tuple[str, dt.datetime]]:
        """(`Slot.key`, start) of each slot, without making the slots: what buttons need."""
        prefix = f"{self._place_id or 0}:"
        rooms = self._rooms
        for start, _, agent_id, index in self._starts:
            yield (
                f"{prefix}{agent_id}:{rooms[index] or 0}:{start.astimezone(UTC).isoformat()}",
                start,
            )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PlaceSlots | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"PlaceSlots({list(self)!r})"


class RuleTimes(NamedTuple):
    """A weekly rule's times, as loaded by the finder: a tuple, not a model instance
    (national searches read thousands of rules), answering `applies_on` like the model."""

    place_id: int | None
    weekday: int
    start_time: dt.time
    end_time: dt.time
    valid_from: dt.date | None
    valid_until: dt.date | None
    every_weeks: int

    applies_on = WeeklyRule.applies_on


def rule_rows(
    agent_ids: Iterable[int], resource_ids: Iterable[int], weekdays: set[int] | None = None
) -> list[tuple]:
    """The weekly rules of these agents and rooms (of these weekdays only, if given), as
    (agent id, room id, *`RuleTimes`) tuples: what `SlotFinder` reads."""
    rules = WeeklyRule.objects.filter(
        Q(agent_id__in=list(agent_ids)) | Q(resource_id__in=list(resource_ids))
    )
    if weekdays is not None:
        rules = rules.filter(weekday__in=weekdays)
    return list(rules.values_list("agent_id", "resource_id", *RuleTimes._fields))


@dataclass
class SlotFinder:
    """Free slots of many services and places over one date range, from a few queries."""

    start: dt.date
    end: dt.date  # inclusive
    agent_ids: set[int]
    resource_ids: set[int]
    now: dt.datetime = field(default_factory=clock.now)
    exclude_booking_id: int | None = None
    # The parties' weekly rules as `rule_rows` gives them, when the caller has them (the
    # shared cache keeps them until the configuration changes): one query fewer.
    rule_rows: list[tuple] | None = None
    rules: dict[tuple[str, int], list["RuleTimes"]] = field(init=False)
    busy: dict[tuple[str, int], list[Interval]] = field(init=False)
    _windows_cache: dict = field(init=False, default_factory=dict)
    _busy_cache: dict = field(init=False, default_factory=dict)
    _ends: dict = field(init=False, default_factory=dict)
    _placed_agents: set[int] = field(init=False, default_factory=set)
    _room_signatures: dict = field(init=False, default_factory=dict)
    _place_memo: dict = field(init=False, default_factory=dict)
    _rules_by_weekday: dict = field(init=False, default_factory=dict)
    _holds: dict = field(init=False, default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.rules = defaultdict(list)
        self.busy = defaultdict(list)
        low, _ = day_bounds(self.start)
        _, high = day_bounds(self.end)
        low -= REACH
        high += REACH
        # A short range (a hold re-checks one day): only its weekdays' rules.
        weekdays = (
            {day.weekday() for day in self.days()} if (self.end - self.start).days < 6 else None
        )
        rows = self.rule_rows
        if rows is None:
            rows = rule_rows(self.agent_ids, self.resource_ids, weekdays)
        for agent_id, resource_id, *fields in rows:
            rule = RuleTimes(*fields)
            if weekdays is not None and rule.weekday not in weekdays:
                continue
            if agent_id:
                self.rules[(PartyType.AGENT, agent_id)].append(rule)
                if rule.place_id:
                    self._placed_agents.add(agent_id)
            else:
                self.rules[(PartyType.RESOURCE, resource_id)].append(rule)
        for party_type, party_id, starts_at, ends_at, expires in self._busy_rows(low, high):
            self.busy[(party_type, party_id)].append((starts_at, ends_at))
            if expires is not None:
                self._holds[(party_type, party_id)].append((starts_at, ends_at, expires))
        for key, spans in self.busy.items():
            self.busy[key] = merge(spans)

    def _busy_rows(self, low: dt.datetime, high: dt.datetime):
        """Absences and active occupations of the parties overlapping [low, high), as
        (party type, party id, start, end, expiry of a live hold or None), in one query
        (UNION ALL)."""
        absences = (
            Absence.objects.filter(
                Q(agent_id__in=self.agent_ids) | Q(resource_id__in=self.resource_ids),
                starts_at__lt=high,
                ends_at__gt=low,
            )
            .annotate(
                kind=Case(
                    When(agent_id__isnull=False, then=Value(PartyType.AGENT.value)),
                    default=Value(PartyType.RESOURCE.value),
                    output_field=CharField(),
                ),
                party=Coalesce("agent_id", "resource_id"),
                expires=Value(None, output_field=DateTimeField()),
            )
            .values_list("kind", "party", "starts_at", "ends_at", "expires")
        )
        occupations = Occupation.objects.filter(
            Q(party_type=PartyType.AGENT, party_id__in=self.agent_ids)
            | Q(party_type=PartyType.RESOURCE, party_id__in=self.resource_ids),
            active=True,
            starts_at__lt=high,
            ends_at__gt=low,
        ).filter(Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=self.now))
        if self.exclude_booking_id:
            occupations = occupations.exclude(booking_id=self.exclude_booking_id)
        return absences.union(
            occupations.values_list(
                "party_type", "party_id", "starts_at", "ends_at", "hold_expires_at"
            ),
            all=True,
        )

    @classmethod
    def for_services(
        cls, services: Iterable[Service], start: dt.date, end: dt.date, **kwargs
    ) -> "SlotFinder":
        """A finder loaded with the services' active agents and the rooms they may need (of
        their resource kinds, at their places) — not every room of the country."""
        services = list(services)
        agent_ids = set(
            Agent.objects.filter(services__in=services, is_active=True).values_list("pk", flat=True)
        )
        kinds = {s.needed_resource_kind for s in services} - {""}
        resource_ids = (
            set(
                Resource.objects.filter(
                    is_active=True,
                    kind__in=kinds,
                    place_id__in=Service.places.through.objects.filter(service__in=services).values(
                        "place_id"
                    ),
                ).values_list("pk", flat=True)
            )
            if kinds
            else set()
        )
        return cls(start, end, agent_ids, resource_ids, **kwargs)

    def days(self) -> list[dt.date]:
        count = (self.end - self.start).days + 1
        return [self.start + dt.timedelta(days=n) for n in range(max(0, count))]

    def windows(self, party: tuple[str, int], day: dt.date, place_id: int | None, remote: bool):
        """Opening windows of one party on one day (merged), for a place or remote work."""
        if party[0] == PartyType.RESOURCE:
            place_id, remote = None, False  # a room's windows do not depend on the question
        elif remote and party[1] not in self._placed_agents:
            place_id = None  # an agent working only remotely: same windows for every place
        cache_key = (party, day, place_id, remote)
        cached = self._windows_cache.get(cache_key)
        if cached is not None:
            return cached
        if is_public_holiday(day):
            result: list[Interval] = []
        else:
            rules = self.rules.get(party, [])
            if party[0] == PartyType.RESOURCE and not rules:
                # A room without rules follows its agents: free all day unless busy.
                result = [day_bounds(day)]
            else:
                result = merge(
                    local_interval(day, r.start_time, r.end_time)
                    for r in self._rules_on_weekday(party, rules, day.weekday())
                    if r.applies_on(day)
                    and (
                        party[0] == PartyType.RESOURCE
                        or r.place_id == place_id
                        or (remote and r.place_id is None)
                    )
                )
        self._windows_cache[cache_key] = result
        return result

    def _rules_on_weekday(self, party, rules: list["RuleTimes"], weekday: int) -> list["RuleTimes"]:
        """The party's rules of one weekday (an agent at many places has many rules)."""
        by_weekday = self._rules_by_weekday.get(party)
        if by_weekday is None:
            by_weekday = self._rules_by_weekday[party] = defaultdict(list)
            for rule in rules:
                by_weekday[rule.weekday].append(rule)
        return by_weekday.get(weekday, [])

    def _bounds(self, service: Service) -> tuple[dt.datetime, dt.datetime]:
        earliest = self.now + dt.timedelta(hours=service.min_delay_hours)
        latest = self.now + dt.timedelta(days=service.max_delay_days)
        return earliest, latest

    def _parties(
        self, service: Service, place_id: int | None, agent_id: int, resource_id: int | None
    ):
        remote = service.kind in REMOTE_KINDS
        agent = (PartyType.AGENT, agent_id)
        resource = (PartyType.RESOURCE, resource_id) if resource_id else None
        return agent, resource, remote

    def day_windows_and_busy(
        self,
        service: Service,
        day: dt.date,
        place_id: int | None,
        agent_id: int,
        resource_id: int | None,
    ) -> tuple[list[Interval], list[Interval]]:
        agent, resource, remote = self._parties(service, place_id, agent_id, resource_id)
        windows = self.windows(agent, day, place_id, remote)
        if not windows:
            return windows, []
        busy = self.busy_on(agent, day)
        if resource is not None:
            windows = intersect(windows, self.windows(resource, day, place_id, remote))
            room_busy = self.busy_on(resource, day)
            if room_busy:
                busy = merge([*busy, *room_busy]) if busy else room_busy
        return windows, busy

    def busy_on(self, party: tuple[str, int], day: dt.date) -> list[Interval]:
        """The party's busy spans that can matter on `day` (the day ± REACH, for buffers)."""
        key = (party, day)
        cached = self._busy_cache.get(key)
        if cached is not None:
            return cached
        spans = self.busy.get(party, [])
        result: list[Interval] = []
        if spans:
            low, high = day_bounds(day)
            low -= REACH
            high += REACH
            ends = self._ends.get(party)
            if ends is None:
                ends = self._ends[party] = [end for _, end in spans]
            index = bisect.bisect_right(ends, low)
            while index < len(spans) and spans[index][0] < high:
                result.append(spans[index])
                index += 1
        self._busy_cache[key] = result
        return result

    def _agent_key(self, agent_id: int, place_id: int | None, remote: bool):
        """What an agent's windows depend on: the place, unless they only work remotely."""
        if remote and agent_id not in self._placed_agents:
            return agent_id
        return (agent_id, place_id)

    def _room_class(self, resource_id: int):
        """Rooms of one class have the same windows and busy spans every day: the same
        rules and nothing busy in the range. A room with anything busy is its own class."""
        party = (PartyType.RESOURCE, resource_id)
        if self.busy.get(party):
            return ("room", resource_id)
        signature = self._room_signatures.get(resource_id)
        if signature is None:
            signature = self._room_signatures[resource_id] = frozenset(
                r[1:]
                for r in self.rules.get(party, [])  # a room's rules ignore the place
            )
        return signature

    def place_starts(
        self,
        service: Service,
        *,
        place_id: int | None,
        agent_ids: Sequence[int],
        resource_ids: Sequence[int] = (),
        days_with_slots: int | None = None,
    ) -> list[tuple[dt.datetime, dt.datetime, int, int]]:
        """Free starts of `service` at one place, earliest first, one per start:
        `(start, end, agent id, index of the room in resource_ids)` — the first agent, then the
        first room, in the given orders wins a start that several could serve.

        Places whose agents and rooms are alike (remote agents, rooms with the same rules
        and nothing busy) give the same starts: they share one computation, so a search over
        a hundred Points Visio sweeps each distinct day once. With `days_with_slots`, stop
        after that many days having a slot (what a page shows)."""
        needs_resource = bool(service.needed_resource_kind)
        if needs_resource and not resource_ids:
            return []
        remote = service.kind in REMOTE_KINDS
        rooms = tuple(resource_ids) if needs_resource else (None,)
        key = (
            service.pk,
            tuple(self._agent_key(a, place_id, remote) for a in agent_ids),
            tuple(self._room_class(r) for r in rooms) if needs_resource else (),
            days_with_slots,
        )
        found = self._place_memo.get(key)
        if found is None:
            found = self._place_memo[key] = self._sweep_place(
                service, place_id, agent_ids, rooms, days_with_slots
            )
        return found

    def _sweep_place(
        self,
        service: Service,
        place_id: int | None,
        agent_ids: Sequence[int],
        rooms: Sequence[int | None],
        days_with_slots: int | None,
    ) -> list[tuple[dt.datetime, dt.datetime, int, int]]:
        found: list[tuple[dt.datetime, dt.datetime, int, int]] = []
        days_found = 0
        for day in self.days():
            starts = self.day_starts(service, day, place_id, agent_ids, rooms)
            if starts:
                found.extend(starts)
                days_found += 1
                if days_with_slots and days_found >= days_with_slots:
                    break
        return found

    def day_starts(
        self,
        service: Service,
        day: dt.date,
        place_id: int | None,
        agent_ids: Sequence[int],
        rooms: Sequence[int | None],
    ) -> list[tuple[dt.datetime, dt.datetime, int, int]]:
        """One day of `place_starts` (rooms: `(None,)` when the service needs none)."""
        earliest, latest = self._bounds(service)
        by_start: dict[dt.datetime, tuple[int, int]] = {}
        for agent_id in agent_ids:
            for index, resource_id in enumerate(rooms):
                windows, busy = self.day_windows_and_busy(
                    service, day, place_id, agent_id, resource_id
                )
                if not windows:
                    continue
                for s in compute_starts(
                    windows,
                    busy,
                    duration=service.duration,
                    before=service.buffer_before,
                    after=service.buffer_after,
                    earliest=earliest,
                    latest=latest,
                ):
                    by_start.setdefault(s, (agent_id, index))
        duration = service.duration
        return [(s, s + duration, *by_start[s]) for s in sorted(by_start)]

    def live_holds_end(self, parties: Iterable[tuple[str, int]], day: dt.date):
        """When the first live hold of these parties that matters on `day` expires (None:
        no hold): what was computed for that day is true until then, not after."""
        low, high = day_bounds(day)
        low -= REACH
        high += REACH
        ends = [
            expires
            for party in parties
            for starts_at, ends_at, expires in self._holds.get(party, ())
            if starts_at < high and low < ends_at
        ]
        return min(ends, default=None)

    def slots(
        self,
        service: Service,
        *,
        place_id: int | None,
        agent_ids: Sequence[int],
        resource_ids: Sequence[int] = (),
        days_with_slots: int | None = None,
    ) -> "PlaceSlots":
        """Free slots of `service` at `place_id` (None: remote), one per start, earliest
        first; with `resource_ids` (the rooms of the place), the first free room is attached."""
        return PlaceSlots(
            self.place_starts(
                service,
                place_id=place_id,
                agent_ids=agent_ids,
                resource_ids=resource_ids,
                days_with_slots=days_with_slots,
            ),
            service_id=service.pk,
            place_id=place_id,
            rooms=tuple(resource_ids) or (None,),
        )

    def is_free(
        self,
        service: Service,
        *,
        place_id: int | None,
        agent_id: int,
        resource_id: int | None,
        starts_at: dt.datetime,
    ) -> bool:
        earliest, latest = self._bounds(service)
        if not earliest <= starts_at <= latest:
            return False
        day = starts_at.astimezone(local_zone()).date()
        windows, busy = self.day_windows_and_busy(service, day, place_id, agent_id, resource_id)
        return span_is_free(
            windows,
            busy,
            starts_at,
            duration=service.duration,
            before=service.buffer_before,
            after=service.buffer_after,
        )


def service_slots(
    service: Service,
    *,
    start: dt.date,
    end: dt.date,
    place_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
    finder: SlotFinder | None = None,
    parties: Parties | None = None,
    days_with_slots: int | None = None,
) -> dict[int | None, PlaceSlots]:
    """Free slots of one service by place (None for remote services), one per start; with
    `days_with_slots`, only the first days having a slot at each place."""
    return dict(
        slots_place_by_place(
            service,
            start=start,
            end=end,
            place_ids=place_ids,
            now=now,
            finder=finder,
            parties=parties,
            days_with_slots=days_with_slots,
        )
    )


def slots_place_by_place(
    service: Service,
    *,
    start: dt.date,
    end: dt.date,
    place_ids: Iterable[int] | None = None,
    now: dt.datetime | None = None,
    finder: SlotFinder | None = None,
    parties: Parties | None = None,
    days_with_slots: int | None = None,
) -> Iterator[tuple[int | None, PlaceSlots]]:
    """`service_slots` one place at a time, each computed only when the caller reaches it:
    in the order of `place_ids` when given (the service's own places among them), so a page
    listing the nearest places first computes only those it shows."""
    parties = parties or services_parties([service])[service.pk]
    if finder is None:
        # The parties already name the service's active agents and rooms: what
        # `SlotFinder.for_services` would query again.
        rooms = parties.room_ids
        finder = SlotFinder(
            start, end, set(parties.agent_ids), rooms, **({"now": now} if now else {})
        )
    places = parties.place_ids
    if place_ids is not None and service.at_place:
        offered = set(places)
        places = [p for p in dict.fromkeys(place_ids) if p in offered]
    for place_id in places:
        yield (
            place_id,
            finder.slots(
                service,
                place_id=place_id,
                agent_ids=parties.agent_ids,
                resource_ids=parties.rooms.get(place_id, []),
                days_with_slots=days_with_slots,
            ),
        )


def search(
    services: Iterable[Service],
    *,
    start: dt.date,
    end: dt.date,
    origin: tuple[float, float] | None = None,
    now: dt.datetime | None = None,
) -> list[dict]:
    """Across services and places: the first free slot of each (service, place), nearest
    place first (travel estimate from `origin`), then earliest. One `SlotFinder` serves all."""
    from maillage.places.models import Place
    from maillage.territory import travel

    services = [s for s in services if s.kind != ServiceKind.WORKSHOP]
    if not services:
        return []
    finder = SlotFinder.for_services(services, start, end, **({"now": now} if now else {}))
    parties = services_parties(services)
    rows = []
    for service in services:
        for place_id, found in service_slots(
            service,
            start=start,
            end=end,
            finder=finder,
            parties=parties[service.pk],
            days_with_slots=1,
        ).items():
            if found:
                rows.append({"service": service, "place_id": place_id, "slot": found[0]})
    places = {
        p.pk: p for p in Place.objects.filter(pk__in={r["place_id"] for r in rows if r["place_id"]})
    }
    minutes: dict[int, int] = {}
    if origin is not None:
        located = [p for p in places.values() if p.position]
        for place, trip in zip(
            located, travel.trips(origin, [p.position for p in located]), strict=True
        ):
            minutes[place.pk] = trip.rounded_minutes
    for row in rows:
        row["place"] = places.get(row["place_id"])
        row["minutes"] = minutes.get(row["place_id"]) if row["place_id"] else None
    rows.sort(
        key=lambda r: (
            r["minutes"] if r["minutes"] is not None else (0 if r["place"] is None else 10**6),
            r["slot"].starts_at,
        )
    )
    return rows
