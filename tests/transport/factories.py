"""Small generated dial-a-ride instances for the planner's tests."""

from __future__ import annotations

import random

from maillage.transport.darp.instance import Instance, Node, Request, Vehicle, euclidean_matrix


def generated_instance(
    seed: int,
    requests: int,
    vehicles: int,
    *,
    capacity: tuple[int, ...] = (3,),
    max_ride: float = 30.0,
    horizon: float = 240.0,
    window: float = 15.0,
    max_duration: float = 240.0,
    wheelchair_share: float = 0.0,
) -> Instance:
    """Random requests on [-10, 10]², each with one tight window (outbound or return trip)."""
    rng = random.Random(seed)
    dimensions = ("places", "wheelchairs") if len(capacity) == 2 else ("places",)
    zero = (0,) * len(dimensions)

    def point():
        return rng.uniform(-10, 10), rng.uniform(-10, 10)

    pickups, deliveries = [], []
    for _ in range(requests):
        (px, py), (dx, dy) = point(), point()
        wheelchair = len(dimensions) == 2 and rng.random() < wheelchair_share
        load = (0, 1) if wheelchair else (1,) + (0,) * (len(dimensions) - 1)
        service = float(rng.choice([1, 2, 3]))
        tight = rng.uniform(20, horizon - 40)
        if rng.random() < 0.5:  # outbound: arrive on time
            p_window, d_window = (0.0, horizon), (tight, tight + window)
        else:  # return: leave on time
            p_window, d_window = (tight, tight + window), (0.0, horizon)
        pickups.append((px, py, service, load, *p_window))
        deliveries.append((dx, dy, service, tuple(-x for x in load), *d_window))
    nodes = [Node(0, 0.0, 0.0, 0.0, zero, 0.0, horizon)]
    for k, (x, y, service, load, earliest, latest) in enumerate(pickups + deliveries, start=1):
        nodes.append(Node(k, x, y, service, load, earliest, latest))
    nodes.append(Node(2 * requests + 1, 0.0, 0.0, 0.0, zero, 0.0, horizon))
    return Instance(
        name=f"generated-{seed}",
        nodes=nodes,
        requests=[
            Request(id=r, pickup=r + 1, delivery=requests + r + 1, max_ride=max_ride)
            for r in range(requests)
        ],
        vehicles=[
            Vehicle(
                id=k, start=0, end=2 * requests + 1, capacity=capacity, max_duration=max_duration
            )
            for k in range(vehicles)
        ],
        travel=euclidean_matrix(nodes),
        dimensions=dimensions,
    )
