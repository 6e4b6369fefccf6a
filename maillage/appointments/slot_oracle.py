"""The oracle of the slot search: the obvious per-minute scan, with nothing shared between
days, agents, rooms or places. Slow on purpose; the benchmark (`bench/slots.py`) and the
property tests check that `slots.service_slots` finds exactly its slots."""

import datetime as dt
from collections.abc import Sequence

from .intervals import Interval
from .models import Service
from .parties import resources_by_place
from .slots import Slot, SlotFinder, _round_up, span_is_free


def naive_slots(
    windows: Sequence[Interval],
    busy: Sequence[Interval],
    *,
    duration: dt.timedelta,
    before: dt.timedelta = dt.timedelta(0),
    after: dt.timedelta = dt.timedelta(0),
    earliest: dt.datetime | None = None,
    latest: dt.datetime | None = None,
) -> list[dt.datetime]:
    """The obvious per-minute scan (same grid and packing), for the benchmark and tests."""
    starts: list[dt.datetime] = []
    minute = dt.timedelta(minutes=1)
    step = duration + before + after
    for w_start, w_end in windows:
        s = w_start
        while s < w_end:
            on_grid = _round_up(s) == s
            if (
                on_grid
                and (earliest is None or s >= earliest)
                and (latest is None or s <= latest)
                and span_is_free(
                    [(w_start, w_end)], busy, s, duration=duration, before=before, after=after
                )
            ):
                starts.append(s)
                s += step
            else:
                s += minute
    return starts


def naive_service_slots(
    service: Service, *, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[int | None, list[Slot]]:
    """The oracle `service_slots` must equal (benchmark and property tests): every day ×
    agent × room of every place scanned minute by minute, nothing shared between places."""
    finder = SlotFinder.for_services([service], start, end, **({"now": now} if now else {}))
    earliest, latest = finder._bounds(service)
    agent_ids = service.agents.filter(is_active=True).values_list("pk", flat=True)
    if service.at_place:
        places: list[int | None] = list(service.places.values_list("pk", flat=True))
    else:
        places = [None]
    rooms = resources_by_place(service.needed_resource_kind, [p for p in places if p])
    result: dict[int | None, list[Slot]] = {}
    for place_id in places:
        every: list[Slot] = []
        candidates = rooms.get(place_id, []) if service.needed_resource_kind else [None]
        for day in finder.days():
            for agent_id in agent_ids:
                for resource_id in candidates:
                    windows, busy = finder.day_windows_and_busy(
                        service, day, place_id, agent_id, resource_id
                    )
                    for s in naive_slots(
                        windows,
                        busy,
                        duration=service.duration,
                        before=service.buffer_before,
                        after=service.buffer_after,
                        earliest=earliest,
                        latest=latest,
                    ):
                        every.append(
                            Slot(
                                s, s + service.duration, service.pk, place_id, agent_id, resource_id
                            )
                        )
        by_start: dict[dt.datetime, Slot] = {}
        for slot in sorted(every):
            by_start.setdefault(slot.starts_at, slot)
        result[place_id] = list(by_start.values())
    return result
