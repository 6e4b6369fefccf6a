"""Counts of the registry for the plan's indicators, at any date.

A place counts on a day when it has opened (`opened_on` on or before the day, or unknown)
and has not closed (`closed_on` after the day, or none): a library that became a mediation
point in March 2019 counts from then, a cyber-café that closed counts until its last day.
Help requests count when they were resolved (status "resolved", by the date of that change).
"""

import datetime as dt

from maillage import clock

from .labels import HelpNeed, HelpRequestStatus, PlaceKind
from .models import HelpRequestEvent, Place


def open_places(
    kind: str | None = None,
    *,
    on: dt.date | None = None,
    include_demo: bool = True,
    territory: str = "",
):
    """Places open on `on`; `territory` is an INSEE commune code or an EPCI SIREN."""
    places = Place.objects.open_on(on or clock.today())
    if kind:
        places = places.filter(kind=kind)
    if not include_demo:
        places = places.filter(is_demo=False)
    if territory:
        if len(territory) == 9:
            places = places.filter(commune__epci_id=territory)
        else:
            places = places.filter(insee_code=territory)
    return places


def open_places_count(
    kind: str | None = None,
    *,
    on: dt.date | None = None,
    include_demo: bool = True,
    territory: str = "",
) -> int:
    """How many places (of `kind`, or all) are open on `on` (today by default)."""
    return open_places(kind, on=on, include_demo=include_demo, territory=territory).count()


def points_visio_open(on: dt.date | None = None) -> int:
    """Sheet Num06: Points Visio open on the date."""
    return open_places_count(PlaceKind.POINT_VISIO, on=on)


def library_mediation_points_open(on: dt.date | None = None) -> int:
    """Sheet Num08: libraries of the reading network serving as mediation points on the date."""
    return open_places_count(PlaceKind.LIBRARY, on=on)


def cyber_cafes_open(on: dt.date | None = None) -> int:
    """Sheet Num04: cyber-cafés open on the date (the indicator is "création du cyber-café")."""
    return open_places_count(PlaceKind.CYBER_CAFE, on=on)


def visio_operators_present(on: dt.date | None = None) -> int:
    """Sheet Num06: distinct partner organisations reachable from the Points Visio open on the
    date."""
    from maillage.organisations.models import Organisation

    points = open_places(PlaceKind.POINT_VISIO, on=on)
    return Organisation.objects.filter(visio_places__in=points).distinct().count()


def help_requests_resolved(
    need: str, *, until: dt.date | None = None, since: dt.date | None = None
) -> int:
    """People helped through the call-back line for `need`: requests moved to "resolved"
    between `since` and `until` (inclusive; from the beginning and today by default),
    each counted once even if reopened and resolved again."""
    until = until or clock.today()
    events = HelpRequestEvent.objects.filter(
        to_status=HelpRequestStatus.RESOLVED, request__need=need, at__date__lte=until
    )
    if since:
        events = events.filter(at__date__gte=since)
    return events.values("request_id").distinct().count()


def people_helped_digital(on: dt.date | None = None) -> int:
    """Sheet Num05: people helped in digital mediation by the call-back line, up to the date."""
    return help_requests_resolved(HelpNeed.DIGITAL, until=on)


def people_helped_mobility(on: dt.date | None = None) -> int:
    """Sheet Num05: people helped about mobility by the call-back line, up to the date."""
    return help_requests_resolved(HelpNeed.MOBILITY, until=on)


__all__ = [
    "cyber_cafes_open",
    "help_requests_resolved",
    "library_mediation_points_open",
    "open_places_count",
    "people_helped_digital",
    "people_helped_mobility",
    "points_visio_open",
    "visio_operators_present",
]
