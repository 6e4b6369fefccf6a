"""Plain OR-Tools routing with default search settings: the baseline the planner must beat.

The model is the textbook one (pickup-and-delivery pairs on the same vehicle, a time dimension
with the windows and a span bound for the shift, one capacity dimension per load dimension,
ride times as constraints between cumul variables) and the search is OR-Tools' default:
PATH_CHEAPEST_ARC first solution, then its default local search until the time limit.

OR-Tools works in integers, so times are scaled to thousandths of a minute and travel times
rounded *up*: a timetable that respects the rounded times respects the exact ones, so the
solution stays feasible when the independent checker reads it with exact Euclidean times.
Requests may be dropped at a high price, so a solution always comes back and says what it
could not serve.
"""

from __future__ import annotations

import math
import time

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .checker import Stop
from .instance import Instance
from .solution import DarpSolution, Tour, UnservedRequest
from .tables import Tables
from .unserved import diagnose

SCALE = 1000


def solve_baseline(instance: Instance, seconds: float = 30.0) -> DarpSolution:
    """Solve with OR-Tools routing, default parameters, `seconds` of time limit."""
    began = time.monotonic()
    nodes = instance.nodes
    vehicles = instance.vehicles
    manager = pywrapcp.RoutingIndexManager(
        len(nodes), len(vehicles), [v.start for v in vehicles], [v.end for v in vehicles]
    )
    routing = pywrapcp.RoutingModel(manager)

    def scaled_time(i: int, j: int) -> int:
        return math.ceil((nodes[i].service + instance.travel[i][j]) * SCALE - 1e-9)

    times = [[scaled_time(i, j) for j in range(len(nodes))] for i in range(len(nodes))]
    costs = [[round(c * SCALE) for c in row] for row in instance.cost]

    def time_callback(from_index: int, to_index: int) -> int:
        return times[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    def cost_callback(from_index: int, to_index: int) -> int:
        return costs[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost_callback))
    horizon = math.ceil(max(node.latest for node in nodes) * SCALE) + 1
    routing.AddDimension(
        routing.RegisterTransitCallback(time_callback), horizon, horizon, False, "time"
    )
    time_dimension = routing.GetDimensionOrDie("time")
    for node in nodes:
        if any(node.id in (v.start, v.end) for v in vehicles):
            continue
        index = manager.NodeToIndex(node.id)
        time_dimension.CumulVar(index).SetRange(
            math.ceil(node.earliest * SCALE), math.floor(node.latest * SCALE)
        )
    for k, vehicle in enumerate(vehicles):
        start, end = routing.Start(k), routing.End(k)
        time_dimension.CumulVar(start).SetRange(
            math.ceil(nodes[vehicle.start].earliest * SCALE),
            math.floor(nodes[vehicle.start].latest * SCALE),
        )
        time_dimension.CumulVar(end).SetRange(
            math.ceil(nodes[vehicle.end].earliest * SCALE),
            math.floor(nodes[vehicle.end].latest * SCALE),
        )
        time_dimension.SetSpanUpperBoundForVehicle(
            math.floor((vehicle.max_duration + nodes[vehicle.start].service) * SCALE), k
        )
    for dimension, name in enumerate(instance.dimensions):
        loads = [node.load[dimension] for node in nodes]

        def load_callback(from_index: int, loads=loads) -> int:
            return loads[manager.IndexToNode(from_index)]

        routing.AddDimensionWithVehicleCapacity(
            routing.RegisterUnaryTransitCallback(load_callback),
            0,
            [v.capacity[dimension] for v in vehicles],
            True,
            f"load-{name}",
        )
    solver = routing.solver()
    drop_penalty = 100 * SCALE * (math.ceil(max(max(row) for row in instance.cost)) + 1)
    for pair, request in enumerate(instance.requests):
        pickup = manager.NodeToIndex(request.pickup)
        delivery = manager.NodeToIndex(request.delivery)
        routing.AddPickupAndDelivery(pickup, delivery)
        solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(delivery))
        solver.Add(time_dimension.CumulVar(pickup) <= time_dimension.CumulVar(delivery))
        # The ride-time limit twice: as OR-Tools' pickup-to-delivery limit, which its local
        # search filters know (with the constraint alone, the default search cannot insert
        # anything), and as a constraint on the cumul variables, without which the times in
        # the returned assignment may break it.
        ride_bound = math.floor((request.max_ride + nodes[request.pickup].service) * SCALE)
        time_dimension.SetPickupToDeliveryLimitFunctionForPair(
            lambda _pickup, _delivery, bound=ride_bound: bound, pair
        )
        solver.Add(
            time_dimension.CumulVar(delivery) - time_dimension.CumulVar(pickup) <= ride_bound
        )
        routing.AddDisjunction([pickup], drop_penalty)
        routing.AddDisjunction([delivery], drop_penalty)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    remaining = max(seconds - (time.monotonic() - began), 0.1)
    parameters.time_limit.FromMilliseconds(int(remaining * 1000))
    assignment = routing.SolveWithParameters(parameters)

    result = DarpSolution(
        instance=instance.name, requests=len(instance.requests), method="ortools-default"
    )
    served: set[int] = set()
    if assignment is not None:
        for k, vehicle in enumerate(vehicles):
            index = routing.Start(k)
            seq, starts = [], []
            while True:
                seq.append(manager.IndexToNode(index))
                starts.append(assignment.Min(time_dimension.CumulVar(index)) / SCALE)
                if routing.IsEnd(index):
                    break
                index = assignment.Value(routing.NextVar(index))
            if len(seq) <= 2:
                continue
            stops = [Stop(seq[0], starts[0], starts[0])]
            for position in range(1, len(seq)):
                previous = seq[position - 1]
                arrival = (
                    starts[position - 1]
                    + nodes[previous].service
                    + instance.travel[previous][seq[position]]
                )
                stops.append(Stop(seq[position], arrival, max(starts[position], arrival)))
            cost = sum(instance.cost[seq[p]][seq[p + 1]] for p in range(len(seq) - 1))
            result.tours.append(Tour(vehicle=vehicle.id, stops=stops, cost=cost))
            served.update(n for n in seq)
    tables = Tables(instance)
    for index, request in enumerate(instance.requests):
        if request.pickup not in served:
            code, message = diagnose(instance, tables, index)
            result.unserved.append(
                UnservedRequest(request=request.id, reason=code, message=message)
            )
    result.seconds = time.monotonic() - began
    return result
