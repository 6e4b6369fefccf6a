"""Time-window tightening (Cordeau 2006, section 5.1), a preprocessing step of the planner.

In the benchmarks (and in real requests) a passenger fixes one end of the trip: an outbound
request has a tight window at the delivery and [0, 1440] at the pickup. The ride-time limit and
the direct travel time imply a window on the loose end too:

    pickup:   [e_d - L - s_p,  l_d - t_pd - s_p]
    delivery: [e_p + s_p + t_pd,  l_p + s_p + L]

and no vehicle can reach a node earlier than the first departure plus the drive from the
depot, nor leave it later than the last return allows. These bounds are implied by the
constraints, so every feasible schedule still fits; but the search sees 30-minute windows where
it saw a day and rejects impossible insertions at once.
"""

from __future__ import annotations

from .instance import Instance


def tightened_windows(instance: Instance, rounds: int = 3) -> tuple[list[float], list[float]]:
    """Return (earliest, latest) start of service per node, tightened; depots are unchanged."""
    nodes, travel = instance.nodes, instance.travel
    early = [node.earliest for node in nodes]
    late = [node.latest for node in nodes]
    if not instance.vehicles:
        return early, late
    starts = {vehicle.start for vehicle in instance.vehicles}
    ends = {vehicle.end for vehicle in instance.vehicles}
    for _ in range(rounds):
        for request in instance.requests:
            p, d = request.pickup, request.delivery
            s_p, s_d = nodes[p].service, nodes[d].service
            direct = travel[p][d]
            first_reach = min(
                early[start] + nodes[start].service + travel[start][p] for start in starts
            )
            last_leave = max(late[end] - travel[d][end] - s_d for end in ends)
            early[p] = max(early[p], first_reach, early[d] - request.max_ride - s_p)
            late[p] = min(late[p], late[d] - direct - s_p)
            early[d] = max(early[d], early[p] + s_p + direct)
            late[d] = min(late[d], last_leave, late[p] + s_p + request.max_ride)
    return early, late
