"""The slots a booking page lists: for one service, per place, the nearest places first
(travel time from the person's commune when known), each place's first days with free slots,
grouped by local day. Used by the public booking page, the person's "move" page and the
staff's booking and move pages."""

import datetime as dt
from contextlib import closing

from django.utils.formats import date_format
from django.utils.html import escape

from maillage import clock
from maillage.places.models import Place
from maillage.territory import travel

from .intervals import local_zone
from .models import Service
from .parties import Parties, parties_of
from .slot_cache import cached_by_configuration, cached_slots_place_by_place
from .slots import PlaceSlots

SEARCH_DAYS = 14
MAX_PLACES = 6
# Days with free slots shown per place: a few when several places are listed (a phone screen
# holds them; each place then links to more of its own), a week of them for one place.
MAX_DAYS_SHOWN = 3
MAX_DAYS_ONE_PLACE = 7
# What a list of slots (`includes/slot_groups.html`) and the pages, messages, calendar files
# and ride requests reached by a booking's link show of a place, and its position: a place
# has some fifty columns, the others are not read (these are the busiest pages).
PLACE_FIELDS = (
    "name",
    "address",
    "postcode",
    "commune_name",
    "latitude",
    "longitude",
    "commune",
    "wheelchair_accessible",
)


def group_by_day(slots, place: Place | None = None, days_shown: int | None = None) -> list[dict]:
    """Slots by local day (the first `days_shown` days, and one more, its buttons only,
    telling there are more days), with everything a slot button shows computed once here:
    the day's label, each time's text and the value it posts, and the end of its accessible
    name (day, place), escaped once per day. A page shows hundreds of slot buttons; French
    date formatting and the lookups of each button in the template were most of its
    rendering time (`slot_buttons` writes them)."""
    zone = local_zone()
    days: dict[dt.date, list[tuple[str, str]]] = {}
    keyed = (
        slots.keyed() if isinstance(slots, PlaceSlots) else ((s.key, s.starts_at) for s in slots)
    )
    for key, starts_at in keyed:
        local = starts_at.astimezone(zone)
        day = local.date()
        if days_shown is not None and day not in days and len(days) > days_shown:
            break  # slots come in time order: the days beyond are not shown
        days.setdefault(day, []).append((key, f"{local.hour:02d}h{local.minute:02d}"))
    place_text = f", {place.name}" if place is not None else ""
    groups = []
    for day, buttons in days.items():
        if days_shown is not None and len(groups) == days_shown:
            groups.append({"date": day, "buttons": buttons})  # only says there are more
            break
        label = date_format(day, "l j F")
        groups.append(
            {
                "date": day,
                "label": label,
                "buttons": buttons,  # (value posted, time shown)
                "name_end": escape(f", {label}{place_text}"),
            }
        )
    return groups


def service_setup(service: Service) -> tuple[dict[int, Place], Parties]:
    """The service's places (what a list of slots shows of them, by name) and who and where
    it books, from the shared cache until the configuration changes."""

    def compute():
        places = {}
        if service.at_place:
            places = {
                p.pk: p
                for p in Place.objects.filter(appointment_services=service)
                .only(*PLACE_FIELDS)
                .order_by("name", "pk")
            }
        return places, parties_of(service, place_ids=list(places))

    return cached_by_configuration(f"setup:{service.pk}", compute)


def cached_service(pk: int) -> Service | None:
    """A service with its organisation, from the shared cache until the configuration
    changes: what the booking page and a booking's link pages read first."""
    return cached_by_configuration(
        f"service:{pk}",
        lambda: Service.objects.select_related("organisation").filter(pk=pk).first(),
    )


def public_service(pk: int) -> Service | None:
    """An active service with its organisation (`cached_service`)."""
    service = cached_service(pk)
    return service if service is not None and service.is_active else None


def shown_place(service: Service, place_id: int) -> Place:
    """A place as lists of slots and link pages show it (PLACE_FIELDS): one of the service's
    from the shared cache (`service_setup`), or read (no longer one of its places)."""
    place = service_setup(service)[0].get(place_id)
    if place is None:
        place = Place.objects.only(*PLACE_FIELDS).get(pk=place_id)
    return place


class ShownPlaces(list):
    """The place groups a page shows; `more` when farther places were left for a next page;
    `next_start`, where the next page of days begins (the day after the first place's last
    day shown, among those with more days; after the searched range if none has more)."""

    more = False
    next_start: dt.date | None = None


def places_with_slots(
    service: Service, start: dt.date, commune=None, place_ids=None, page: int = 1
) -> ShownPlaces:
    """At most MAX_PLACES places (with `place`, `minutes` of travel or None, `days`, and
    `more_days` when the place has more days with slots than shown), those with free slots
    first, then by travel time, then by name. Each place shows its first MAX_DAYS_SHOWN days
    with slots; a single list (one place asked for or offered, a remote service) shows
    MAX_DAYS_ONE_PLACE. Places are searched nearest first
    and the search stops once the page's MAX_PLACES of them have slots; `page` 2 shows the
    next MAX_PLACES places having slots, and so on."""
    end = start + dt.timedelta(days=SEARCH_DAYS - 1)
    places, parties = service_setup(service)
    if place_ids is not None:
        places = {pk: place for pk, place in places.items() if pk in place_ids}
    minutes: dict[int, int] = {}
    if commune is not None:
        located = [p for p in places.values() if p.position]
        # One request for every place: trips() takes many destinations.
        trips = travel.trips((commune.latitude, commune.longitude), [p.position for p in located])
        minutes = {p.pk: trip.rounded_minutes for p, trip in zip(located, trips, strict=True)}
    nearest_first = sorted(places, key=lambda pk: minutes.get(pk, 10**6))
    with_slots, without_slots = [], []
    wanted = max(page, 1) * MAX_PLACES
    # One list of slots (one place asked for or offered, or a remote service): a week of it.
    one_group = not service.at_place or len(places) == 1
    days_shown = MAX_DAYS_ONE_PLACE if one_group else MAX_DAYS_SHOWN
    searched = 0
    # Closed as soon as the page has its places: the days computed are stored then.
    found = cached_slots_place_by_place(
        service,
        start=start,
        end=end,
        place_ids=nearest_first if service.at_place else None,
        parties=parties,
        days_with_slots=days_shown + 1,  # one more: whether there are more days to show
    )
    with closing(found):
        for place_id, slots in found:
            searched += 1
            place = places.get(place_id)
            group = {
                "place": place,
                "minutes": minutes.get(place_id),
                "days": [],
                "more_days": False,
            }
            if slots:
                days = group_by_day(slots, place, days_shown)
                group["days"], group["more_days"] = days[:days_shown], len(days) > days_shown
                with_slots.append(group)
                if len(with_slots) == wanted:
                    break
            else:
                without_slots.append(group)
    shown = ShownPlaces((with_slots[wanted - MAX_PLACES :] + without_slots)[:MAX_PLACES])
    shown.more = len(with_slots) == wanted and searched < (len(places) if service.at_place else 1)
    shown.next_start = min(
        (group["days"][-1]["date"] + dt.timedelta(days=1) for group in shown if group["more_days"]),
        default=start + dt.timedelta(days=SEARCH_DAYS),
    )
    return shown


def move_choices(booking) -> list[dict]:
    """The slots a booked appointment can move to: same service, same place, from today."""
    return places_with_slots(
        booking.service,
        clock.today(),
        place_ids=[booking.place_id] if booking.place_id else None,
    )
