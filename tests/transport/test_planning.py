"""Planning a day of rides to the Chalais workshop: tours, statuses, unserved reasons,
re-planning after a cancellation with confirmed pickup times kept."""

import datetime as dt

import pytest
from django.test import override_settings

from maillage import clock
from maillage.transport import current_plan, planning, services
from maillage.transport.darp.checker import check_solution
from maillage.transport.labels import Leg, RideStatus, RunKind, RunStatus, StopKind
from maillage.transport.models import PlanningRun, TourStop

from .fleet import DAY, NOW, at, chalais_place, make_operator, ride

pytestmark = pytest.mark.django_db

COMMUNES = ["Brossac", "Bardenac", "Courlac", "Saint-Quentin-de-Chalais", "Brie-sous-Chalais"]


@pytest.fixture(autouse=True)
def now():
    with clock.travel(NOW):
        yield


@pytest.fixture
def day(charente):
    operator, vehicles = make_operator()
    place = chalais_place()
    rides = [ride(operator, place, commune) for commune in COMMUNES]
    return operator, vehicles, place, rides


def test_the_instance_follows_the_bookings_windows_and_needs(day):
    operator, _vehicles, _place, rides = day
    rides[0].wheelchair = True
    rides[0].companion = True
    rides[0].save()
    built = planning.build_day(operator=operator, date=DAY)
    instance = built.instance
    assert len(instance.vehicles) == 2
    assert instance.vehicles[0].capacity == (4, 1)
    assert len(instance.requests) == 10  # outbound and return for each
    first = instance.requests[0]
    assert built.legs[0] == (rides[0], Leg.OUTBOUND)
    assert instance.nodes[first.pickup].load == (1, 1)  # companion seated, wheelchair place
    delivery = instance.nodes[first.delivery]
    assert (delivery.earliest, delivery.latest) == (13 * 60 + 30, 14 * 60)
    back = instance.requests[1]
    assert built.legs[1] == (rides[0], Leg.RETURN)
    pickup = instance.nodes[back.pickup]
    assert (pickup.earliest, pickup.latest) == (15 * 60 + 30, 16 * 60)
    assert instance.vehicles[0].max_duration == 6 * 60
    assert first.max_ride == pytest.approx(instance.travel[first.pickup][first.delivery] + 30)
    assert rides[0].approximate


def test_plan_day_serves_everyone_and_the_tours_are_feasible(day):
    operator, _vehicles, _place, rides = day
    run = planning.plan_day(operator=operator, date=DAY, seconds=1)
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.unserved == []
    assert run.summary["served_legs"] == 10
    for item in rides:
        item.refresh_from_db()
        assert item.status == RideStatus.PLANNED
        assert item.events.filter(action="planned").exists()
    stops = TourStop.objects.filter(tour__run=run)
    assert stops.filter(kind=StopKind.PICKUP).count() == 10
    for item in rides:
        outbound = stops.get(request=item, leg=Leg.OUTBOUND, kind=StopKind.DROPOFF)
        assert at(13, 30) <= outbound.service_at <= at(14)
        back = stops.get(request=item, leg=Leg.RETURN, kind=StopKind.PICKUP)
        assert at(15, 30) <= back.service_at <= at(16)
    # The stored tours, read back as minutes, pass the independent checker.
    built = planning.build_day(operator=operator, date=DAY)
    before, _ = planning._previous_solution(built, run)
    report = check_solution(built.instance, before.routes_for_checker())
    assert report.feasible, report.violations


def test_requests_it_cannot_serve_are_reported_with_a_reason(charente):
    operator, _vehicles = make_operator(vehicles=1, wheelchair_places=0)
    place = chalais_place()
    ride(operator, place, "Brossac", wheelchair=True)
    ride(operator, place, "Courlac")
    run = planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    reasons = {(item["leg"], item["reason"]) for item in run.unserved}
    assert reasons == {("outbound", "capacity"), ("return", "capacity")}
    assert "fauteuil roulant" in run.unserved[0]["message"]


def test_no_vehicle_that_day_is_said_plainly(charente):
    operator, _ = make_operator(vehicles=0)
    place = chalais_place()
    item = ride(operator, place, "Brossac")
    run = planning.plan_day(operator=operator, date=DAY, seconds=0.2)
    assert [entry["request"] for entry in run.unserved] == [item.pk, item.pk]
    assert "aucun véhicule" in run.unserved[0]["message"]


def test_half_day_plans_only_its_legs(day):
    operator, _vehicles, _place, _rides = day
    morning = planning.build_day(operator=operator, date=DAY, half_day="am")
    afternoon = planning.build_day(operator=operator, date=DAY, half_day="pm")
    assert morning.instance.requests == [] and len(afternoon.instance.requests) == 10


@override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.5)
def test_cancel_replans_and_keeps_confirmed_pickups_within_tolerance(
    day, django_capture_on_commit_callbacks
):
    operator, _vehicles, _place, rides = day
    with django_capture_on_commit_callbacks(execute=True):
        first = services.planning_run_start(operator=operator, date=DAY)
    first.refresh_from_db()
    assert first.status == RunStatus.DONE
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_confirm(run=first) == 5
    promised = {
        (stop.request_id, stop.leg): stop.service_at
        for stop in TourStop.objects.filter(tour__run=first, kind=StopKind.PICKUP)
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.ride_request_cancel(ride=rides[2], note="malade")
    second = current_plan.current_run(operator, DAY)
    assert second.pk != first.pk and second.kind == RunKind.REPLAN
    assert not TourStop.objects.filter(tour__run=second, request=rides[2]).exists()
    assert second.summary["served_legs"] == 8
    for stop in TourStop.objects.filter(tour__run=second, kind=StopKind.PICKUP):
        before = promised[(stop.request_id, stop.leg)]
        assert abs((stop.service_at - before).total_seconds()) <= 10 * 60 + 1
        assert stop.request.status == RideStatus.CONFIRMED
    assert PlanningRun.objects.filter(operator=operator).count() == 2


@override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.5)
def test_a_new_request_is_inserted_by_replanning(day, django_capture_on_commit_callbacks):
    operator, _vehicles, place, _rides = day
    planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    with django_capture_on_commit_callbacks(execute=True):
        late = ride(operator, place, "Chalais", name="Nouvelle demande")
    run = current_plan.current_run(operator, DAY)
    assert run.kind == RunKind.REPLAN
    late.refresh_from_db()
    assert late.status == RideStatus.PLANNED
    assert run.summary["served_legs"] == 12


def test_times_stay_right_on_the_day_clocks_go_forward(charente):
    sunday = dt.date(2030, 3, 31)  # 02:00 → 03:00 in Europe/Paris
    operator, _ = make_operator(vehicles=1, day=sunday)
    place = chalais_place()
    item = ride(operator, place, "Brossac", arrive_by=at(14, day=sunday), return_trip=False)
    run = planning.plan_day(operator=operator, date=sunday, seconds=0.3)
    stop = TourStop.objects.get(tour__run=run, request=item, kind=StopKind.DROPOFF)
    assert at(13, 30, day=sunday) <= stop.service_at <= at(14, day=sunday)
    tour = run.tours.get()
    assert tour.starts_at >= at(12, day=sunday)


def test_planning_with_osrm_down_uses_the_estimate_and_says_so(day):
    operator, _vehicles, _place, _rides = day
    with override_settings(MAILLAGE_OSRM_URL="http://127.0.0.1:9", MAILLAGE_OSRM_TIMEOUT=0.5):
        run = planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    assert run.summary["estimated"] and run.summary["served_legs"] == 10
    assert all(tour.geometry is None for tour in run.tours.all())


def test_planning_with_osrm_uses_its_times_and_road_geometry(day):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    operator, _vehicles, _place, _rides = day

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            coordinates = self.path.split("/")[-1].split("?")[0].split(";")
            size = len(coordinates)
            if self.path.startswith("/table/"):
                body = {
                    "code": "Ok",
                    "durations": [[0 if i == j else 600 for j in range(size)] for i in range(size)],
                    "distances": [
                        [0 if i == j else 8000 for j in range(size)] for i in range(size)
                    ],
                }
            else:
                line = [[float(x) for x in c.split(",")] for c in coordinates]
                body = {
                    "code": "Ok",
                    "routes": [
                        {
                            "duration": 1,
                            "distance": 1,
                            "geometry": {"type": "LineString", "coordinates": line},
                        }
                    ],
                }
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with override_settings(MAILLAGE_OSRM_URL=url):
            run = planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    finally:
        server.shutdown()
        server.server_close()
    assert not run.summary["estimated"]
    tour = run.tours.first()
    assert tour.geometry["type"] == "LineString"
    assert len(tour.geometry["coordinates"]) == tour.stops.count()
