"""Travel matrices and the spatial index: same figures as the territory's provider, the
nearest found by the index equals a brute-force scan, OSRM asked one table per batch."""

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from django.test import override_settings

from maillage.access import matrix
from maillage.territory.osrm import OsrmTravelTimes
from maillage.territory.travel import CrowFliesEstimate

CHALAIS = (45.27385, 0.04146)
BROSSAC = (45.32702, -0.04186)
BARBEZIEUX = (45.4727, -0.1536)


def random_points(count, seed):
    rng = random.Random(seed)
    return [(rng.uniform(45.2, 46.1), rng.uniform(-0.45, 0.9)) for _ in range(count)]


def test_the_matrix_is_the_providers_estimate():
    estimate = CrowFliesEstimate()
    origins, destinations = random_points(7, 1), random_points(5, 2)
    table = matrix.travel_matrix(origins, destinations, provider=estimate)
    for i, origin in enumerate(origins):
        for j, trip in enumerate(estimate.trips(origin, destinations)):
            assert table.minutes[i, j] == pytest.approx(trip.minutes)
            assert table.km[i, j] == pytest.approx(trip.km)
    assert table.estimated.all()
    assert matrix.travel_minutes([], destinations).shape == (0, 5)


def test_nearest_by_the_index_is_the_brute_force_nearest():
    origins, destinations = random_points(300, 3), random_points(40, 4)
    chosen, minutes = matrix.nearest_travel(origins, destinations, k=3)
    full = matrix.travel_minutes(origins, destinations, provider=CrowFliesEstimate())
    assert (chosen == full.argmin(axis=1)).all()
    assert minutes == pytest.approx(full.min(axis=1))


def test_the_index_lists_the_nearest_first_and_those_within_a_radius():
    destinations = [CHALAIS, BROSSAC, BARBEZIEUX]
    index = matrix.NearestIndex(destinations)
    assert index.nearest([BROSSAC], 3).tolist() == [[1, 0, 2]]
    assert sorted(index.within_km([BROSSAC], 10)[0]) == [0, 1]
    assert matrix.nearest_travel([BROSSAC], [])[0].tolist() == [-1]


@pytest.fixture
def osrm():
    """A local server speaking OSRM's table service: durations = 0.9 × the estimate, for the
    `sources` × `destinations` asked; counts the requests."""
    estimate = CrowFliesEstimate()
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            requests.append(url)
            coordinates = url.path.rsplit("/", 1)[1].split(";")
            points = [(float(c.split(",")[1]), float(c.split(",")[0])) for c in coordinates]
            query = parse_qs(url.query)
            sources = [int(i) for i in query["sources"][0].split(";")]
            targets = [int(i) for i in query["destinations"][0].split(";")]
            trips = [[estimate.trip(points[s], points[t]) for t in targets] for s in sources]
            body = json.dumps(
                {
                    "code": "Ok",
                    "durations": [[t.minutes * 60 * 0.9 for t in row] for row in trips],
                    "distances": [[t.km * 1000 for t in row] for row in trips],
                }
            ).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_osrm_is_asked_one_table_per_batch_of_origins(osrm):
    url, requests = osrm
    origins, destinations = random_points(120, 5), random_points(20, 6)
    with override_settings(MAILLAGE_OSRM_URL=url, MAILLAGE_OSRM_MAX_TABLE_SIZE=100):
        table = matrix.travel_matrix(origins, destinations, provider=OsrmTravelTimes())
    assert len(requests) == 3  # 50 + 50 + 20 origins, all 20 destinations each time
    expected = matrix.travel_minutes(origins, destinations, provider=CrowFliesEstimate()) * 0.9
    assert np.allclose(table.minutes, expected, rtol=1e-4)  # coordinates sent to 1e-6°
    assert not table.estimated.any()


def test_osrm_tables_split_destinations_beyond_the_table_size(osrm):
    url, requests = osrm
    origins, destinations = random_points(10, 7), random_points(30, 8)
    with override_settings(MAILLAGE_OSRM_URL=url, MAILLAGE_OSRM_MAX_TABLE_SIZE=20):
        table = matrix.travel_matrix(origins, destinations, provider=OsrmTravelTimes())
    assert len(requests) == 3  # 10 origins × destinations in thirds of 10
    assert all(len(r.path.rsplit("/", 1)[1].split(";")) <= 20 for r in requests)
    expected = matrix.travel_minutes(origins, destinations, provider=CrowFliesEstimate()) * 0.9
    assert np.allclose(table.minutes, expected, rtol=1e-4)  # coordinates sent to 1e-6°


def test_osrm_down_falls_back_to_the_estimate():
    origins, destinations = random_points(3, 9), random_points(4, 10)
    with override_settings(MAILLAGE_OSRM_URL="http://127.0.0.1:9", MAILLAGE_OSRM_TIMEOUT=1):
        table = matrix.travel_matrix(origins, destinations, provider=OsrmTravelTimes())
    assert table.estimated.all()
    assert np.allclose(
        table.minutes, matrix.travel_minutes(origins, destinations, provider=CrowFliesEstimate())
    )
