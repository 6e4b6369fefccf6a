"""Who and where a service books: its active agents, its places and the rooms of the kind it
needs at each of them, for many services in a few queries."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Agent, Resource, Service


def resources_by_place(kind: str, place_ids: Iterable[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for pk, place_id in (
        Resource.objects.filter(kind=kind, place_id__in=list(place_ids), is_active=True)
        .order_by("pk")
        .values_list("pk", "place_id")
    ):
        result[place_id].append(pk)
    return result


@dataclass(frozen=True)
class Parties:
    agent_ids: list[int]  # active, by id
    place_ids: list[int | None]  # the service's places by name ([None]: remote)
    rooms: dict[int, list[int]]  # rooms of the needed kind by place, by id

    @property
    def room_ids(self) -> set[int]:
        """Every room of the needed kind, whatever its place."""
        return {pk for place_rooms in self.rooms.values() for pk in place_rooms}


def services_parties(
    services: Sequence[Service], place_ids: Sequence[int] | None = None
) -> dict[int, Parties]:
    """Who and where each service books, for many services in three queries (two when the
    caller already knows the places: `place_ids`, for one service)."""
    from maillage.places.models import Place

    agents: dict[int, list[int]] = defaultdict(list)
    for service_id, agent_id in (
        Agent.objects.filter(services__in=services, is_active=True)
        .order_by("pk")
        .values_list("services", "pk")
    ):
        agents[service_id].append(agent_id)
    places: dict[int, list[int | None]] = defaultdict(list)
    at_place = [s for s in services if s.at_place]
    if place_ids is not None:
        places.update((s.pk, list(place_ids)) for s in at_place)
    elif at_place:
        for service_id, place_id in Place.objects.filter(
            appointment_services__in=at_place
        ).values_list("appointment_services", "pk"):
            places[service_id].append(place_id)
    kinds = {s.needed_resource_kind for s in services} - {""}
    rooms: dict[str, dict[int, list[int]]] = {kind: defaultdict(list) for kind in kinds}
    if kinds:
        for kind, place_id, pk in (
            Resource.objects.filter(
                kind__in=kinds,
                is_active=True,
                place_id__in=Service.places.through.objects.filter(service__in=at_place).values(
                    "place_id"
                ),
            )
            .order_by("pk")
            .values_list("kind", "place_id", "pk")
        ):
            rooms[kind][place_id].append(pk)
    return {
        s.pk: Parties(
            agents[s.pk],
            places[s.pk] if s.at_place else [None],
            rooms.get(s.needed_resource_kind, {}),
        )
        for s in services
    }


def parties_of(service: Service, *, place_ids: Sequence[int] | None = None) -> Parties:
    """Who and where one service books; `place_ids`: its places when the caller already
    loaded them (one query fewer)."""
    return services_parties([service], place_ids if service.at_place else None)[service.pk]
