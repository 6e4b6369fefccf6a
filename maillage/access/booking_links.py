"""Which public booking pages a commune's detail links to, place by place.

The same services the appointment delay is measured on (`delays.first_free_slots`): for a Point
Visio kind, the public visio services given at the place (the named operator's only when the
kind names one); for a service kind, that service. Kinds without appointments link to the
public services given at the place, if any. Each link opens the appointments app's own public
page (`appointments:service_detail`), searching from the commune and the day of the first free
slot.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .kinds import AccessKind


@dataclass(frozen=True)
class BookingLink:
    url: str
    label: str  # the service's name and organisation


def booking_links(
    kind: AccessKind,
    place_ids: Iterable[int],
    *,
    commune_name: str,
    first_slots: dict[int, dt.datetime | None],
) -> dict[int, list[BookingLink]]:
    """The booking links of each place (places with none are absent)."""
    from maillage.appointments.labels import ServiceKind
    from maillage.appointments.models import Service

    place_ids = [pk for pk in place_ids if pk is not None and pk > 0]
    services = Service.objects.public().filter(places__in=place_ids)
    if kind.service_id is not None:
        services = services.filter(pk=kind.service_id)
    elif kind.needs_appointment:
        services = services.filter(kind=ServiceKind.VISIO)
        if kind.operator_id is not None:
            services = services.filter(organisation_id=kind.operator_id)
    else:
        services = services.filter(
            kind__in=[ServiceKind.INDIVIDUAL, ServiceKind.WORKSHOP, ServiceKind.VISIO]
        )
    links: dict[int, list[BookingLink]] = defaultdict(list)
    rows = (
        Service.places.through.objects.filter(place_id__in=place_ids, service__in=services)
        .values_list(
            "place_id",
            "service_id",
            "service__name",
            "service__organisation__short_name",
            "service__organisation__name",
        )
        .order_by("service__name", "service_id")
    )
    for place_id, pk, name, short_name, organisation in rows:
        query = {"commune": commune_name}
        first = first_slots.get(place_id)
        if first is not None:
            query["du"] = timezone.localtime(first).date().isoformat()
        url = f"{reverse('appointments:service_detail', args=[pk])}?{urlencode(query)}"
        links[place_id].append(BookingLink(url, f"{name} ({short_name or organisation})"))
    return dict(links)
