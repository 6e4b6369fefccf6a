"""Readers for the literature's dial-a-ride benchmark files (Cordeau 2006; Cordeau & Laporte 2003).

Both formats are described in `../shared/data/darp/SOURCE.txt`. They differ by their header
(number of requests vs number of nodes) and by the end depot, which Cordeau & Laporte (2003) do
not write: the reader adds it as a copy of the start depot, so every instance has nodes
0 (start depot), 1..n (pickups), n+1..2n (deliveries) and 2n+1 (end depot), and solutions are
reported with the same node numbers in both cases.
"""

from __future__ import annotations

from pathlib import Path

from .instance import Instance, Node, Request, Vehicle, euclidean_matrix


class InstanceFormatError(ValueError):
    """The file is not a Cordeau-format dial-a-ride instance."""


def read_cordeau(path: str | Path) -> Instance:
    """Read a Cordeau (2006) `aK-n` / `bK-n` file or a Cordeau & Laporte (2003) `prNN` file."""
    path = Path(path)
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    if not rows or len(rows[0]) < 5:
        raise InstanceFormatError(f"{path.name}: header 'K n T Q L' expected")
    header, body = rows[0], rows[1:]
    vehicles, count = int(header[0]), int(header[1])
    max_duration, capacity, max_ride = float(header[2]), int(header[3]), float(header[4])
    if len(body) == 2 * count + 2:  # Cordeau 2006: header gives n requests, end depot written
        requests = count
    elif len(body) == count + 1 and count % 2 == 0:  # Cordeau & Laporte 2003: 2n nodes
        requests = count // 2
        body = [*body, [str(2 * requests + 1), *body[0][1:]]]
    else:
        raise InstanceFormatError(
            f"{path.name}: {len(body)} node lines do not match the header ({count})"
        )
    nodes = []
    for index, row in enumerate(body):
        if len(row) < 7:
            raise InstanceFormatError(f"{path.name}: node line {index + 2} has fewer than 7 fields")
        node_id, x, y, service, load, earliest, latest = row[:7]
        if int(node_id) != index:
            raise InstanceFormatError(f"{path.name}: node {node_id} found where {index} expected")
        nodes.append(
            Node(
                id=index,
                x=float(x),
                y=float(y),
                service=float(service),
                load=(int(load),),
                earliest=float(earliest),
                latest=float(latest),
            )
        )
    n = requests
    for i in range(1, n + 1):
        if nodes[i].load[0] <= 0 or nodes[i].load[0] != -nodes[n + i].load[0]:
            raise InstanceFormatError(f"{path.name}: loads of request {i} are not paired")
    return Instance(
        name=path.stem,
        nodes=nodes,
        requests=[
            Request(id=i - 1, pickup=i, delivery=n + i, max_ride=max_ride) for i in range(1, n + 1)
        ],
        vehicles=[
            Vehicle(id=k, start=0, end=2 * n + 1, capacity=(capacity,), max_duration=max_duration)
            for k in range(vehicles)
        ],
        travel=euclidean_matrix(nodes),
    )
