"""The slots a booking page lists: for one service, per place, the nearest places first
(travel time from the person's commune when known), each place's first days with free slots,
grouped by local day. Used by the public booking page, the person's "move" page and the
staff's booking and move pages."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format

from maillage import clock
from maillage.places.models import Place
from maillage.territory import travel

from .models import Service
from .slots import service_slots

SEARCH_DAYS = 14
MAX_PLACES = 6
MAX_DAYS_SHOWN = 5


def group_by_day(slots) -> list[dict]:
    """Slots by local day, with the day's label and each time's text formatted once here:
    a page shows hundreds of slot buttons, and French date formatting in the template was
    most of its rendering time."""
    days: dict[dt.date, list] = {}
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        days.setdefault(local.date(), []).append(
            {"slot": slot, "time": local, "key": slot.key, "hour": f"{local:%H}h{local:%M}"}
        )
    return [
        {"date": day, "label": date_format(day, "l j F"), "slots": items}
        for day, items in days.items()
    ]


def places_with_slots(service: Service, start: dt.date, commune=None, place_ids=None) -> list[dict]:
    """At most MAX_PLACES places (with `place`, `minutes` of travel or None, `days`), those
    with free slots first, then by travel time, then by name."""
    end = start + dt.timedelta(days=SEARCH_DAYS - 1)
    by_place = service_slots(
        service, start=start, end=end, place_ids=place_ids, days_with_slots=MAX_DAYS_SHOWN
    )
    places = {p.pk: p for p in Place.objects.filter(pk__in=[k for k in by_place if k])}
    minutes: dict[int, int] = {}
    if commune is not None:
        located = [p for p in places.values() if p.position]
        # One request for every place: trips() takes many destinations.
        trips = travel.trips((commune.latitude, commune.longitude), [p.position for p in located])
        minutes = {p.pk: trip.rounded_minutes for p, trip in zip(located, trips, strict=True)}
    groups = [
        {
            "place": places.get(place_id),
            "minutes": minutes.get(place_id),
            "days": group_by_day(slots),
        }
        for place_id, slots in by_place.items()
    ]
    groups.sort(
        key=lambda g: (
            not g["days"],
            g["minutes"] if g["minutes"] is not None else 10**6,
            g["place"].name if g["place"] else "",
        )
    )
    return groups[:MAX_PLACES]


def move_choices(booking) -> list[dict]:
    """The slots a booked appointment can move to: same service, same place, from today."""
    return places_with_slots(
        booking.service,
        clock.today(),
        place_ids=[booking.place_id] if booking.place_id else None,
    )
