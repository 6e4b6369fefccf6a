"""The OSRM and BAN clients against a local HTTP server answering in their formats, including
timeouts and malformed answers: a clear error, the fallback used, nothing lost."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from maillage.territory import travel
from maillage.territory.ban import BanClient, BanError
from maillage.territory.geocoding import APPROXIMATE_NOTE, geocode_address
from maillage.territory.models import Commune
from maillage.territory.osrm import OsrmClient, OsrmError, OsrmTravelTimes

CHALAIS = (45.27385, 0.04146)
BROSSAC = (45.32702, -0.04186)
COURLAC = (45.30061, 0.08502)


class Fake:
    """What the local server answers next: (status, body bytes, delay in seconds)."""

    def __init__(self):
        self.status, self.body, self.delay = 200, b"{}", 0.0
        self.requests: list[str] = []

    def answer(self, payload=None, *, status=200, raw=None, delay=0.0):
        self.status = status
        self.body = raw if raw is not None else json.dumps(payload).encode()
        self.delay = delay


@pytest.fixture
def server():
    fake = Fake()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            fake.requests.append(self.path)
            if fake.delay:
                time.sleep(fake.delay)
            try:
                self.send_response(fake.status)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(fake.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield fake
    httpd.shutdown()
    httpd.server_close()


def osrm_table(durations, distances=None):
    payload = {"code": "Ok", "durations": durations, "sources": [], "destinations": []}
    if distances is not None:
        payload["distances"] = distances
    return payload


# --- OSRM ---------------------------------------------------------------------------------


def test_osrm_table_reads_durations_and_distances(server):
    server.answer(osrm_table([[0, 600], [620, 0]], [[0, 9000], [9100, 0]]))
    durations, distances = OsrmClient(server.url, timeout=2).table([CHALAIS, BROSSAC])
    assert durations == [[0, 600], [620, 0]] and distances[1][0] == 9100
    path, query = server.requests[0].split("?")
    assert path == "/table/v1/driving/0.041460,45.273850;-0.041860,45.327020"
    assert parse_qs(query)["annotations"] == ["duration,distance"]


def test_osrm_route_reads_the_first_route(server):
    geometry = {"type": "LineString", "coordinates": [[0.04146, 45.27385], [-0.04186, 45.32702]]}
    server.answer(
        {
            "code": "Ok",
            "routes": [{"duration": 612.4, "distance": 9050.0, "geometry": geometry}],
            "waypoints": [],
        }
    )
    route = OsrmClient(server.url, timeout=2).route([CHALAIS, BROSSAC])
    assert (route.seconds, route.metres, route.geometry) == (612.4, 9050.0, geometry)
    assert "geometries=geojson" in server.requests[0]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"raw": b"<html>proxy error"}, "JSON invalide"),
        ({"payload": {"code": "Ok"}}, "matrice des durées"),
        ({"payload": {"code": "Ok", "durations": [[0, "x"], [1, 0]]}}, "matrice des durées"),
        ({"payload": {"code": "Ok", "durations": [[0, 1]]}}, "matrice des durées"),
        ({"payload": [1, 2]}, "pas un objet"),
        (
            {
                "payload": {"code": "NoSegment", "message": "Could not find a matching segment"},
                "status": 400,
            },
            r"HTTP 400 \(NoSegment",
        ),
        ({"payload": {"code": "TooBig", "message": "Too many table coordinates"}}, "TooBig"),
        ({"raw": b"oops", "status": 502}, "HTTP 502"),
    ],
)
def test_osrm_malformed_answers_raise_a_clear_error(server, answer, message):
    server.answer(answer.get("payload"), raw=answer.get("raw"), status=answer.get("status", 200))
    with pytest.raises(OsrmError, match=message):
        OsrmClient(server.url, timeout=2).table([CHALAIS, BROSSAC])


def test_osrm_timeout_raises_a_clear_error(server):
    server.answer(osrm_table([[0, 1], [1, 0]]), delay=1.0)
    began = time.monotonic()
    with pytest.raises(OsrmError, match=r"n'a pas répondu en 0\.2 s"):
        OsrmClient(server.url, timeout=0.2).table([CHALAIS, BROSSAC])
    assert time.monotonic() - began < 0.9


def test_osrm_unreachable_raises_a_clear_error():
    with pytest.raises(OsrmError, match="injoignable"):
        OsrmClient("http://127.0.0.1:9", timeout=1).table([CHALAIS, BROSSAC])


def test_osrm_route_without_routes_is_an_error(server):
    server.answer({"code": "Ok", "routes": []})
    with pytest.raises(OsrmError, match="aucun itinéraire"):
        OsrmClient(server.url, timeout=2).route([CHALAIS, BROSSAC])


def test_provider_uses_osrm_and_estimates_unroutable_cells(server):
    server.answer(
        osrm_table(
            [[0, 600, None], [620, 0, 700], [None, 710, 0]],
            [[0, 9000, None], [9100, 0, 11000], [None, 11100, 0]],
        )
    )
    provider = OsrmTravelTimes(OsrmClient(server.url, timeout=2))
    table = provider.matrix([CHALAIS, BROSSAC, COURLAC])
    assert table[0][1].minutes == 10 and table[0][1].km == 9 and not table[0][1].estimated
    estimate = travel.CrowFliesEstimate().trip(CHALAIS, COURLAC)
    assert table[0][2].estimated and table[0][2].minutes == pytest.approx(estimate.minutes)
    server.answer(osrm_table([[0, 600], [620, 0]], [[0, 9000], [9100, 0]]))
    assert [trip.minutes for trip in provider.trips(CHALAIS, [BROSSAC])] == [10]


@pytest.mark.parametrize("failure", ["timeout", "malformed", "down"])
def test_provider_falls_back_to_the_estimate_and_loses_nothing(server, failure):
    if failure == "timeout":
        server.answer(osrm_table([[0, 1], [1, 0]]), delay=1.0)
        url = server.url
    elif failure == "malformed":
        server.answer(raw=b'{"code": "Ok", "durations": [[0, 1], [1')
        url = server.url
    else:
        url = "http://127.0.0.1:9"
    provider = OsrmTravelTimes(OsrmClient(url, timeout=0.3))
    points = [CHALAIS, BROSSAC, COURLAC]
    table = provider.matrix(points)
    expected = travel.CrowFliesEstimate().matrix(points)
    assert [[t.minutes for t in row] for row in table] == [
        [t.minutes for t in row] for row in expected
    ]
    assert all(trip.estimated for row in table for trip in row)
    assert provider.last_error


def test_setting_the_osrm_url_selects_the_osrm_provider(server):
    server.answer(osrm_table([[0, 300], [300, 0]], [[0, 4000], [4000, 0]]))
    with override_settings(MAILLAGE_OSRM_URL=server.url):
        assert [t.minutes for t in travel.trips(CHALAIS, [BROSSAC])] == [5]
        assert travel.matrix([CHALAIS, BROSSAC])[1][0].km == 4
    assert isinstance(travel.provider(), travel.CrowFliesEstimate)


# --- BAN ----------------------------------------------------------------------------------


def ban_answer(*features):
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "label": label,
                    "score": score,
                    "citycode": citycode,
                    "type": "housenumber",
                    "postcode": "16210",
                },
            }
            for label, score, citycode, lon, lat in features
        ],
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": "q",
        "limit": 1,
    }


def test_ban_search_reads_the_feature_collection(server):
    server.answer(ban_answer(("3 Rue de la Paix 16210 Chalais", 0.91, "16073", 0.0402, 45.2751)))
    [found] = BanClient(server.url, timeout=2).search("3 rue de la Paix", citycode="16073")
    assert (found.latitude, found.longitude, found.score) == (45.2751, 0.0402, 0.91)
    assert found.label == "3 Rue de la Paix 16210 Chalais" and found.citycode == "16073"
    query = parse_qs(urlparse(server.requests[0]).query)
    assert query == {"q": ["3 rue de la Paix"], "limit": ["1"], "citycode": ["16073"]}
    assert urlparse(server.requests[0]).path == "/search/"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"raw": b"not json"}, "JSON invalide"),
        ({"payload": {"type": "FeatureCollection"}}, "features"),
        ({"payload": {"features": [{"geometry": None, "properties": {}}]}}, "mal formée"),
        ({"raw": b"{}", "status": 503}, "HTTP 503"),
    ],
)
def test_ban_malformed_answers_raise_a_clear_error(server, answer, message):
    server.answer(answer.get("payload"), raw=answer.get("raw"), status=answer.get("status", 200))
    with pytest.raises(BanError, match=message):
        BanClient(server.url, timeout=2).search("3 rue de la Paix")


def test_ban_timeout_raises_a_clear_error(server):
    server.answer(ban_answer(), delay=1.0)
    with pytest.raises(BanError, match=r"n'a pas répondu en 0\.2 s"):
        BanClient(server.url, timeout=0.2).search("3 rue de la Paix")


@pytest.mark.django_db
def test_geocode_address_uses_the_ban(server, charente):
    server.answer(ban_answer(("3 Rue de la Paix 16210 Chalais", 0.91, "16073", 0.0402, 45.2751)))
    with override_settings(MAILLAGE_BAN_URL=server.url):
        found = geocode_address("3 rue de la Paix", commune=Commune.objects.get(pk="16073"))
    assert (found.latitude, found.longitude) == (45.2751, 0.0402)
    assert not found.approximate and found.commune.name == "Chalais"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ({"payload": ban_answer(("Chalais", 0.3, "16073", 0.04, 45.27))}, "adresse non trouvée"),
        ({"payload": ban_answer()}, "adresse non trouvée"),
        ({"raw": b"]]"}, "JSON invalide"),
        ({"payload": ban_answer(), "delay": 1.0}, "n'a pas répondu"),
    ],
)
def test_geocode_address_falls_back_to_the_commune_marked_approximate(
    server, charente, answer, why
):
    server.answer(answer.get("payload"), raw=answer.get("raw"), delay=answer.get("delay", 0))
    chalais = Commune.objects.get(pk="16073")
    with override_settings(MAILLAGE_BAN_URL=server.url, MAILLAGE_BAN_TIMEOUT=0.3):
        found = geocode_address("3 rue de la Paix", commune=chalais)
    assert found.approximate and found.note.startswith(APPROXIMATE_NOTE) and why in found.note
    assert (found.latitude, found.longitude) == (chalais.latitude, chalais.longitude)
    assert found.label == "3 rue de la Paix"  # the address typed is kept


@pytest.mark.django_db
def test_geocode_address_without_ban_reads_the_commune_from_the_text(charente):
    found = geocode_address("3 rue de la Paix 16210 Chalais")
    assert found.commune.name == "Chalais" and found.approximate
