"""What a person can book at a place — shown on the place page and under each search result.

Appointments live in the `appointments` app, which depends on places; so that places never
imports it, appointments registers its provider here when Django starts
(`AppointmentsConfig.ready`), as the apps feeding the plan register their indicator sources.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class OfferTime:
    """A next free time: a slot kept by posting `key` to `hold_url`, or a workshop session
    joined through `register_url`."""

    starts_at: dt.datetime
    hold_url: str = ""
    key: str = ""
    register_url: str = ""
    seats_left: int | None = None

    @property
    def local(self) -> dt.datetime:
        return timezone.localtime(self.starts_at)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


@dataclass(frozen=True)
class BookingOffer:
    """A service ("motif") or a workshop bookable at one place, with its next free times."""

    place_id: int
    title: str
    kind_label: str
    organisation: str
    duration_minutes: int
    price_text: str
    url: str
    is_workshop: bool
    times: tuple[OfferTime, ...] = field(default=())


Provider = Callable[[list[int]], dict[int, list[BookingOffer]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def offers_at(place_ids: Iterable[int]) -> dict[int, list[BookingOffer]]:
    """Offers by place id (places without any are absent)."""
    ids = sorted(set(place_ids))
    result: dict[int, list[BookingOffer]] = {}
    if not ids:
        return result
    for provider in _providers:
        for place_id, offers in provider(ids).items():
            result.setdefault(place_id, []).extend(offers)
    return result
