"""The kinds of help whose access is measured, with their French labels and the places serving them.

A kind is named by a stable key used in URLs, the command line, indicator filters and stored
rows:

- `digital` — any in-person digital help: every open place of the registry receiving the public;
- `mediation` — a library of the reading network serving as a mediation point (sheet Num08);
- `visio` — a Point Visio (a Point Visio place, or a place with a videoconference kit; Num06);
- `visio-<organisation slug>` — a Point Visio from which that partner operator (Caf, CPAM,
  MSA…) is reachable;
- `service-<id>` — a bookable service ("motif") of the appointments app, at the places where
  it is given.

Kinds that need an appointment (`needs_appointment`) also get the delay to the first free
slot: a Point Visio kind through the visio services offered at the place (of that operator
when one is named), a service kind through that service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

DIGITAL = "digital"
MEDIATION = "mediation"
VISIO = "visio"
VISIO_PREFIX = "visio-"
SERVICE_PREFIX = "service-"


class UnknownKind(ValueError):
    """No kind of help bears this key (the message says which key)."""


@dataclass(frozen=True)
class AccessKind:
    """One kind of help. `operator_id` / `service_id` narrow the visio and service kinds."""

    key: str
    label: str  # « Point Visio (Caf) », shown in filters, tables and indicator labels
    sheet: str = ""  # the plan sheet it serves (Num06, Num08), empty when none
    needs_appointment: bool = False
    operator_id: int | None = None
    service_id: int | None = None

    def __str__(self) -> str:
        return self.label


STATIC_KINDS = (
    AccessKind(DIGITAL, "Lieu d'aide au numérique (tous lieux)", "Num05"),
    AccessKind(MEDIATION, "Point de médiation en bibliothèque", "Num08"),
    AccessKind(VISIO, "Point Visio", "Num06", needs_appointment=True),
)


def all_kinds() -> list[AccessKind]:
    """The static kinds, then a Point Visio kind per operator reachable from an open Point
    Visio, then a kind per active service given at places (workshops included)."""
    from maillage.appointments.models import Service
    from maillage.organisations.models import Organisation
    from maillage.places.models import Place

    kinds = list(STATIC_KINDS)
    today = timezone.localdate()
    operators = (
        Organisation.objects.filter(visio_places__in=Place.objects.open_on(today))
        .distinct()
        .order_by("name")
    )
    kinds += [_visio_kind(operator) for operator in operators]
    services = (
        Service.objects.filter(is_active=True, places__isnull=False)
        .select_related("organisation")
        .distinct()
    )
    kinds += [_service_kind(service) for service in services if service.at_place]
    return kinds


def get_kind(key: str) -> AccessKind:
    """The kind named `key`; `UnknownKind` when there is none."""
    from maillage.appointments.models import Service
    from maillage.organisations.models import Organisation

    for kind in STATIC_KINDS:
        if kind.key == key:
            return kind
    if key.startswith(VISIO_PREFIX):
        operator = Organisation.objects.filter(slug=key.removeprefix(VISIO_PREFIX)).first()
        if operator is not None:
            return _visio_kind(operator)
    elif key.startswith(SERVICE_PREFIX):
        number = key.removeprefix(SERVICE_PREFIX)
        if number.isdigit():
            service = Service.objects.filter(pk=int(number), is_active=True).first()
            if service is not None and service.at_place:
                return _service_kind(service)
    raise UnknownKind(f"type d'aide inconnu : « {key} »")


def _visio_kind(operator) -> AccessKind:
    name = operator.short_name or operator.name
    return AccessKind(
        f"{VISIO_PREFIX}{operator.slug}",
        f"Point Visio ({name})",
        "Num06",
        needs_appointment=True,
        operator_id=operator.pk,
    )


def _service_kind(service) -> AccessKind:
    organisation = service.organisation.short_name or service.organisation.name
    return AccessKind(
        f"{SERVICE_PREFIX}{service.pk}",
        f"{service.name} ({organisation})",
        needs_appointment=True,
        service_id=service.pk,
    )


def places_for(kind: AccessKind, on: dt.date | None = None) -> list:
    """The places serving `kind` on `on` (today by default): open that day (opened, not closed),
    receiving the public and located (own coordinates or their commune's centroid)."""
    from maillage.places.labels import PlaceKind
    from maillage.places.models import Place

    places = (
        Place.objects.open_on(on or timezone.localdate())
        .select_related("commune")
        .defer("commune__contour")
        .prefetch_related("visio_operators")
        .order_by("pk")
    )
    if kind.key == MEDIATION:
        places = places.filter(kind=PlaceKind.LIBRARY)
    elif kind.service_id is not None:
        places = places.filter(appointment_services__pk=kind.service_id)
    chosen = []
    for place in places:
        if not place.receives_public or place.position is None:
            continue
        if kind.key == VISIO or kind.operator_id is not None:
            if not place.offers_visio():
                continue
            if kind.operator_id is not None and not any(
                operator.pk == kind.operator_id for operator in place.visio_operators.all()
            ):
                continue
        chosen.append(place)
    return chosen


def label_of(key: str) -> str:
    """The French label of the kind named `key`, or the key itself when it no longer exists
    (a service since deactivated, in an old computation)."""
    try:
        return get_kind(key).label
    except UnknownKind:
        return key
