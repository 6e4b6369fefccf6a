"""Free slots cached per (service, place, day) in the shared cache, never served stale.

A booking page lists, for the nearest places, their first days with free slots: most of its
time went into loading rules and occupations and sweeping them. A day's slots of a service at
a place depend on:

* the service, its agents and the place's rooms, their weekly rules and absences: the
  *configuration*, one version for the whole site, changed (a new random token) whenever any
  of these rows, a place or an organisation is saved or deleted (`signals`, below) — rare,
  so coarse. What a booking page starts from (the service, its places, agents and rooms) is
  cached under it too (`cached_by_configuration`);
* what occupies each party (agent, room) on and around that day: one version per
  (party, local day), changed by `touch` on every booking, hold, release, cancellation or
  move touching that party, for the days that can see the occupation (a day's slots look
  `slots.REACH`, the longest buffer, beyond it: a daytime appointment touches its own day
  only);
* the time, through two things only: the service's earliest and latest start (now + the
  minimum delay, now + the maximum), which a day they cut depends on only through the
  5-minute grid (starts are packed from the earliest rounded up, kept up to the latest
  rounded down), so such a day's key names both and changes at every grid step; and live
  holds, which stop occupying when they expire with nothing written, so a cached day is
  served only until the first such hold on it expires.

A cached day is stored under a key naming all of its versions (`maillage.cache_versions`:
renewed at once and again on commit, never an old token back): once any of them changes, the
old entry can no longer be found (it ages out).

Only with a cache shared by every worker (`MAILLAGE_SLOT_CACHE`, on with Redis): a per-process
cache would keep one worker's entries through another worker's bookings.
"""

import datetime as dt
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.cache import cache

from maillage import cache_versions, clock

from .intervals import day_bounds, local_zone
from .labels import PartyType
from .models import MAX_BUFFER_MINUTES, Service
from .parties import Parties, parties_of
from .slots import (
    GRID,
    REACH,
    PlaceSlots,
    SlotFinder,
    _round_up,
    rule_rows,
    slots_place_by_place,
)

CONFIG_KEY = "slots:config"
# The shape of the values kept (day entries, what `cached_by_configuration` keeps): change it
# with that shape, so that a deployment never reads values written by the code before it
# (3: `Parties`, formerly `slots._Parties`, and services cached whether active or not).
FORMAT = 3
DAY_TIMEOUT = 3600  # a cached day (one hour at most: entries of old versions age out)
PLACES_AT_ONCE = 6  # places whose days are read in one round trip (a page shows 6)
FIRST_DAYS_READ = 7  # days read first when a page wants a place's first days with slots
_MAX_BUFFER = dt.timedelta(minutes=MAX_BUFFER_MINUTES)
_TICK = dt.timedelta(microseconds=1)


def enabled() -> bool:
    return bool(getattr(settings, "MAILLAGE_SLOT_CACHE", False))


def _party_key(party: tuple[str, int], day: dt.date) -> str:
    return f"slots:party:{party[0]}:{party[1]}:{day.isoformat()}"


def touch(parties: Iterable[tuple[str, int]], starts_at: dt.datetime, ends_at: dt.datetime):
    """What occupies these parties between `starts_at` and `ends_at` changed: forget the
    days that can see it, those within REACH of the span (a day's search looks no further,
    `slots.SlotFinder.busy_on`) — for a daytime appointment, its own day only."""
    if not enabled():
        return
    keys = [_party_key(party, day) for party in parties for day in days_seeing(starts_at, ends_at)]
    if keys:
        cache_versions.renew(keys)


def days_seeing(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.date]:
    """The local days whose slots can depend on what is busy in [starts_at, ends_at): those
    whose bounds, widened by REACH, overlap it."""
    # In UTC first: on an aware local time, Python adds and subtracts clock time, which
    # misses the day before when the clocks go forward.
    starts_at, ends_at = starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC)
    zone = local_zone()
    first = (starts_at - REACH).astimezone(zone).date()
    last = (max(ends_at, starts_at + _TICK) + REACH - _TICK).astimezone(zone).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def touch_booking(booking) -> None:
    """A booking's occupation changed (made, released, moved). Its occupied span is the
    appointment widened by the service's buffers, at most MAX_BUFFER_MINUTES each side."""
    parties = []
    if booking.agent_id:
        parties.append((PartyType.AGENT, booking.agent_id))
    if booking.resource_id:
        parties.append((PartyType.RESOURCE, booking.resource_id))
    touch(
        parties,
        booking.starts_at.astimezone(dt.UTC) - _MAX_BUFFER,
        booking.ends_at.astimezone(dt.UTC) + _MAX_BUFFER,
    )


def touch_configuration(**_) -> None:
    """A service, agent, room, rule or absence changed (signal receiver)."""
    if enabled():
        _request.config = None  # the rest of this request sees its own change
        cache_versions.renew([CONFIG_KEY])


class _Request(threading.local):
    """The configuration version as the current request first read it (one per thread)."""

    open = False
    config: str | None = None


_request = _Request()


def _request_started(**_) -> None:
    _request.open, _request.config = True, None


def _request_finished(**_) -> None:
    _request.open, _request.config = False, None


def _config_version() -> str:
    """The configuration version, read once per request: a page's service, places, rules
    and days are read under one version, in one round trip instead of one per read. Outside
    a request (commands, tasks), read each time."""
    if _request.open and _request.config is not None:
        return _request.config
    version = cache_versions.current([CONFIG_KEY])[CONFIG_KEY]
    if _request.open:
        _request.config = version
    return version


def touch_occupation(instance, **_) -> None:
    """An occupation row saved or deleted one by one (signal receiver; the services bump
    for their bulk writes themselves)."""
    touch([(instance.party_type, instance.party_id)], instance.starts_at, instance.ends_at)


class _ProcessCopies:
    """What `cached_by_configuration` read, pickled, in this process's memory: a key names
    the configuration version, so its value never changes while the key can be found: no
    round trip to the shared cache for it again, and each read unpickles a copy of its own
    (callers may change what they get). Kept DAY_TIMEOUT at most, like the shared entry (a
    change made around the ORM is then seen), the least recently read dropped first."""

    SIZE = 256

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] <= time.monotonic():
                return None
            self._entries.move_to_end(key)
        return pickle.loads(entry[1])

    def keep(self, key: str, value) -> None:
        blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._entries[key] = (time.monotonic() + DAY_TIMEOUT, blob)
            self._entries.move_to_end(key)
            while len(self._entries) > self.SIZE:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_copies = _ProcessCopies()


def cached_by_configuration(name: str, compute):
    """`compute()`, kept in the shared cache under the current configuration version: what
    depends only on services, agents, rooms, rules, absences, places and organisations (the
    rows a booking page starts from) is read once until one of them changes (and then from
    this process's copies: `_ProcessCopies`)."""
    if not enabled():
        return compute()
    config = _config_version()
    key = f"slots:configured:{FORMAT}:{cache_versions.schema()}:{config}:{name}"
    value = _copies.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=DAY_TIMEOUT)
    if value is not None:
        _copies.keep(key, value)
    return value


def cached_rule_rows(service: Service, parties: Parties) -> list[tuple] | None:
    """The weekly rules of the service's agents and rooms (`parties`, as `parties_of` gives
    them; `slots.rule_rows`, every weekday) under the configuration version, which any rule
    change renews: its booking page and its holds read them from here. None without the
    shared cache (the finder then reads only the weekdays it needs)."""
    if not enabled():
        return None
    rooms = sorted(parties.room_ids)
    return cached_by_configuration(
        f"rules:{service.pk}", lambda: rule_rows(parties.agent_ids, rooms)
    )


def _live(entry, now: dt.datetime) -> bool:
    """Whether a cached day can be served: found, and no live hold in it expired since."""
    return entry is not None and (entry[0] is None or now < entry[0])


def _round_down(moment: dt.datetime) -> dt.datetime:
    seconds = int(moment.timestamp())
    return dt.datetime.fromtimestamp(seconds - seconds % int(GRID.total_seconds()), tz=dt.UTC)


def _day_key(config, service, place_id, day, cut, parties, rooms, versions) -> str:
    names = "|".join(versions[_party_key(party, day)] for party in parties)
    digest = hashlib.blake2b(
        f"{config}|{service.pk}|{place_id}|{day}|{cut}|{parties}|{rooms}|{names}".encode(),
        digest_size=16,
    ).hexdigest()
    return f"slots:day:{FORMAT}:{digest}"


class _BatchDays:
    """The cached days of a batch of places, read in chunks of days (a page rarely needs
    more than the first week of each place)."""

    def __init__(self, config, service, batch, rooms, party_sets, cut):
        self.config, self.service, self.batch = config, service, batch
        self.rooms, self.party_sets, self.cut = rooms, party_sets, cut
        self.days: list[dt.date] = []  # read so far, in order
        self.keys: dict = {}
        self.stored: dict = {}

    def fetch(self, chunk: list[dt.date]) -> None:
        """Read these days of the batch's places: one round trip for the versions of their
        parties, one for the days."""
        parties = self.party_sets
        versions = cache_versions.current(
            sorted({_party_key(p, day) for pl in self.batch for p in parties[pl] for day in chunk})
        )
        keys = {
            (pl, day): _day_key(
                self.config,
                self.service,
                pl,
                day,
                self.cut[day],
                parties[pl],
                self.rooms[pl],
                versions,
            )
            for pl in self.batch
            for day in chunk
        }
        self.keys.update(keys)
        self.stored.update(cache.get_many(list(keys.values())))
        self.days.extend(chunk)

    def missing(self, days, now, days_with_slots, needs_room) -> tuple[set[dt.date], bool]:
        """The days the batch will compute among those read: those not (validly) cached
        that each place reaches, counting each as a day with slots (if it has none, the walk
        goes on and the finder is loaded again further on); and whether a place's walk goes
        on past the days read."""
        missing: set[dt.date] = set()
        past = False
        for place_id in self.batch:
            if needs_room and not self.rooms[place_id]:
                continue
            counted = 0
            for day in self.days:
                entry = self.stored.get(self.keys[(place_id, day)])
                if not _live(entry, now):
                    missing.add(day)
                    if days_with_slots and counted + 1 >= days_with_slots:
                        # Whether the walk stops here is not known: the rest may be needed.
                        missing.add(days[-1])
                elif not entry[1]:
                    continue
                counted += 1
                if days_with_slots and counted >= days_with_slots:
                    break
            else:
                past = True
        return missing, past


def cached_slots_place_by_place(
    service: Service,
    *,
    start: dt.date,
    end: dt.date,
    place_ids: Iterable[int] | None = None,
    parties: Parties | None = None,
    days_with_slots: int | None = None,
) -> Iterator[tuple[int | None, PlaceSlots]]:
    """`slots.slots_place_by_place`, the same slots, each day read from the cache when it
    holds it under current versions, computed (and stored) otherwise."""
    parties = parties or parties_of(service)
    if not enabled():
        yield from slots_place_by_place(
            service,
            start=start,
            end=end,
            place_ids=place_ids,
            parties=parties,
            days_with_slots=days_with_slots,
        )
        return
    # The days computed are stored once, in one round trip, when the caller is done (or
    # stops early: a page stops at the places it shows).
    pending: dict = {}
    try:
        yield from _slots_from_cache(
            service, start, end, place_ids, parties, days_with_slots, pending
        )
    finally:
        if pending:
            cache.set_many(pending, timeout=DAY_TIMEOUT)


def _slots_from_cache(
    service: Service,
    start: dt.date,
    end: dt.date,
    place_ids: Iterable[int] | None,
    parties: Parties,
    days_with_slots: int | None,
    pending: dict,
) -> Iterator[tuple[int | None, PlaceSlots]]:
    """`cached_slots_place_by_place` with the shared cache: the days it computes are added
    to `pending`."""
    now = clock.now()
    earliest = now + dt.timedelta(hours=service.min_delay_hours)
    latest = now + dt.timedelta(days=service.max_delay_days)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    # A day the earliest or latest start cuts depends on them only through the grid: starts
    # are packed from the earliest rounded up to it, and kept up to the latest rounded down.
    # Its key names both, so it changes every grid step (5 minutes) at most.
    cuts = f"{_round_up(earliest).timestamp():.0f}:{_round_down(latest).timestamp():.0f}"
    cut = {}
    for day in days:
        low, high = day_bounds(day)
        cut[day] = cuts if earliest > low or latest < high else ""
    places = parties.place_ids
    if place_ids is not None and service.at_place:
        offered = set(places)
        places = [p for p in dict.fromkeys(place_ids) if p in offered]
    needs_room = bool(service.needed_resource_kind)
    agents = [(PartyType.AGENT, a) for a in parties.agent_ids]
    finder: SlotFinder | None = None
    agent_ids = set(parties.agent_ids)
    room_ids = parties.room_ids
    config = _config_version()
    for offset in range(0, len(places), PLACES_AT_ONCE):
        batch = places[offset : offset + PLACES_AT_ONCE]
        rooms = {p: tuple(parties.rooms.get(p, [])) if needs_room else (None,) for p in batch}
        party_sets = {
            p: [*agents, *((PartyType.RESOURCE, r) for r in rooms[p] if r)] for p in batch
        }
        read = _BatchDays(config, service, batch, rooms, party_sets, cut)
        # A page needs a place's first few days with slots: its first week is read, the
        # rest only when a place's walk goes beyond it.
        read.fetch(days[:FIRST_DAYS_READ] if days_with_slots else days)
        missing, past = read.missing(days, now, days_with_slots, needs_room)
        if past and len(read.days) < len(days):
            read.fetch(days[len(read.days) :])
            missing, _ = read.missing(days, now, days_with_slots, needs_room)
        keys, stored = read.keys, read.stored
        for place_id in batch:
            if needs_room and not rooms[place_id]:
                yield place_id, PlaceSlots([], service_id=service.pk, place_id=place_id, rooms=())
                continue
            found: list = []
            new: dict = {}
            days_found = 0
            for day in days:
                if (place_id, day) not in keys:  # computed days without slots: walked on
                    read.fetch(days[len(read.days) :])
                key = keys[(place_id, day)]
                entry = stored.get(key)
                if _live(entry, now):
                    starts = entry[1]
                else:
                    if finder is None or not finder.start <= day <= finder.end:
                        # Loaded for the days this batch misses (after a booking, usually
                        # one: its weekday's rules, its own busy spans); beyond them, for the
                        # rest of the range.
                        low, high = (min(missing), max(missing)) if day in missing else (day, end)
                        finder = SlotFinder(
                            low,
                            high,
                            agent_ids,
                            room_ids,
                            now=now,
                            rule_rows=cached_rule_rows(service, parties),
                        )
                    starts = finder.day_starts(
                        service, day, place_id, parties.agent_ids, rooms[place_id]
                    )
                    new[key] = (finder.live_holds_end(party_sets[place_id], day), starts)
                if starts:
                    found.extend(starts)
                    days_found += 1
                    if days_with_slots and days_found >= days_with_slots:
                        break
            pending.update(new)
            yield (
                place_id,
                PlaceSlots(found, service_id=service.pk, place_id=place_id, rooms=rooms[place_id]),
            )


def connect() -> None:
    """Receivers that bump the versions (AppConfig.ready)."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from maillage.organisations.models import Organisation
    from maillage.places.models import Place

    from .models import Absence, Agent, Occupation, Resource, WeeklyRule

    for model in (Service, Agent, Resource, WeeklyRule, Absence, Place, Organisation):
        post_save.connect(touch_configuration, sender=model, dispatch_uid=f"slots-{model}")
        post_delete.connect(touch_configuration, sender=model, dispatch_uid=f"slots-d-{model}")
    for through in (Service.agents.through, Service.places.through):
        m2m_changed.connect(touch_configuration, sender=through, dispatch_uid=f"slots-{through}")
    # Migrations (data migrations send no row signals) forget the configuration too.
    post_migrate.connect(touch_configuration, dispatch_uid="slots-migrate")
    request_started.connect(_request_started, dispatch_uid="slots-request-started")
    request_finished.connect(_request_finished, dispatch_uid="slots-request-finished")
    post_save.connect(touch_occupation, sender=Occupation, dispatch_uid="slots-occupation")
    post_delete.connect(touch_occupation, sender=Occupation, dispatch_uid="slots-d-occupation")
