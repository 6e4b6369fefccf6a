"""Why a request was left unserved, in words a dispatcher can act on.

The search says only that no insertion was found. Here the request is examined on its own,
from the most to the least fundamental cause: a passenger whose direct trip already exceeds the
ride limit, windows that the trip cannot join, a pickup no vehicle can reach in time, a load
no vehicle can carry, a trip no vehicle can fit in its shift even empty. Only when the request
is feasible alone is the answer "no room in the tours at that time".
"""

from __future__ import annotations

from maillage.transport.labels import DIMENSION_LABELS, UnservedReason

from .instance import Instance
from .schedule import EPS, is_feasible
from .tables import Tables


def diagnose(instance: Instance, tables: Tables, index: int) -> tuple[str, str]:
    """(reason code, French message) for request number `index` of `instance`."""
    request = instance.requests[index]
    nodes = instance.nodes
    p, d = request.pickup, request.delivery
    direct = instance.travel[p][d]
    if direct > request.max_ride + EPS:
        return _reason(UnservedReason.DIRECT_TRIP_TOO_LONG)
    if nodes[p].earliest + nodes[p].service + direct > nodes[d].latest + EPS or (
        nodes[d].earliest - nodes[p].latest - nodes[p].service > request.max_ride + EPS
    ):
        return _reason(UnservedReason.WINDOWS_INCOMPATIBLE)
    reachable = [
        vehicle
        for vehicle in instance.vehicles
        if nodes[vehicle.start].earliest
        + nodes[vehicle.start].service
        + instance.travel[vehicle.start][p]
        <= nodes[p].latest + EPS
    ]
    if not reachable:
        return _reason(UnservedReason.PICKUP_WINDOW_UNREACHABLE)
    load = nodes[p].load
    carriers = [
        vehicle
        for vehicle in instance.vehicles
        if all(a <= c for a, c in zip(load, vehicle.capacity, strict=True))
    ]
    if not carriers:
        short = [
            DIMENSION_LABELS.get(name, name)
            for k, name in enumerate(instance.dimensions)
            if all(load[k] > vehicle.capacity[k] for vehicle in instance.vehicles)
        ]
        code, message = _reason(UnservedReason.CAPACITY)
        return code, f"{message} ({', '.join(short) or 'aucun véhicule adapté'})"
    alone = any(
        is_feasible(
            [vehicle.start, p, d, vehicle.end],
            tables,
            vehicle.max_duration,
            tables.vehicles[position].capacity,
        )
        for position, vehicle in enumerate(instance.vehicles)
        if vehicle in carriers
    )
    if not alone:
        if tables.early[p] > tables.late[p] + EPS or tables.early[d] > tables.late[d] + EPS:
            return _reason(UnservedReason.PICKUP_WINDOW_UNREACHABLE)
        return _reason(UnservedReason.SHIFT)
    return _reason(UnservedReason.NO_ROOM)


def _reason(reason: UnservedReason) -> tuple[str, str]:
    return reason.value, str(reason.label)
