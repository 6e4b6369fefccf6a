"""Factories of the transport app, and small generated dial-a-ride instances for the planner.

VehicleFactory(operator=…), VehicleFactory(wheelchair=True), DriverFactory(operator=…)
RideRequestFactory() (outbound and return, Tuesday 5 March 2030), RideRequestFactory(
outbound_only=True | return_only=True | wheelchair=True | planned=True | cancelled=True …),
RideRequestFactory(booking=booking) (the booking's day, place and times)
TourFactory() (a done planning run of the vehicle's operator), TourFactory(rides=[ride, …])
(with a pickup and a drop-off stop per ride)
generated_instance(seed, requests, vehicles): a random instance on [-10, 10]²
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from maillage.transport import models
from maillage.transport.darp.instance import Instance, Node, Request, Vehicle, euclidean_matrix
from maillage.transport.labels import Leg, RideStatus, RunStatus, StopKind
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory
from tests.territory.factories import CommuneFactory

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2030, 3, 5)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def _booking_day(ride) -> dt.date:
    return ride.booking.starts_at.astimezone(PARIS).date()


OPERATOR_OF_VEHICLE = factory.SelfAttribute("..vehicle.operator")


class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = models.Vehicle

    operator = factory.SubFactory(OrganisationFactory)
    label = factory.Sequence(lambda n: f"Minibus {n + 1}")
    seats = 4
    depot_address = "Chalais, dépôt"
    depot_latitude = 45.2747
    depot_longitude = 0.0387

    class Params:
        wheelchair = factory.Trait(wheelchair_places=1)
        inactive = factory.Trait(is_active=False)


class DriverFactory(DjangoModelFactory):
    class Meta:
        model = models.Driver

    operator = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Chauffeur {n + 1}")
    phone = "06 00 00 00 00"


class RideRequestFactory(DjangoModelFactory):
    """A ride to a place of help and back, from the rider's commune centre; with `booking=`,
    the booking's day, place and times."""

    class Meta:
        model = models.RideRequest

    booking = None
    operator = factory.SubFactory(OrganisationFactory)
    date = factory.Maybe(
        "booking",
        yes_declaration=factory.LazyAttribute(
            lambda o: o.booking.starts_at.astimezone(PARIS).date()
        ),
        no_declaration=DAY,
    )
    place = factory.Maybe(
        "booking",
        yes_declaration=factory.SelfAttribute("booking.place"),
        no_declaration=factory.SubFactory(PlaceFactory),
    )
    arrive_by = factory.Maybe(
        "booking",
        yes_declaration=factory.SelfAttribute("booking.starts_at"),
        no_declaration=factory.LazyAttribute(lambda o: _at(o.date, 14)),
    )
    leave_after = factory.Maybe(
        "booking",
        yes_declaration=factory.SelfAttribute("booking.ends_at"),
        no_declaration=factory.LazyAttribute(lambda o: _at(o.date, 15, 30)),
    )
    name = factory.Sequence(lambda n: f"Personne {n}")
    phone = "06 11 22 33 44"
    commune = factory.SubFactory(CommuneFactory)
    latitude = factory.SelfAttribute("commune.latitude")
    longitude = factory.SelfAttribute("commune.longitude")

    class Params:
        outbound_only = factory.Trait(return_trip=False, leave_after=None)
        return_only = factory.Trait(outbound=False, arrive_by=None)
        wheelchair_user = factory.Trait(wheelchair=True)
        planned = factory.Trait(status=RideStatus.PLANNED)
        confirmed = factory.Trait(status=RideStatus.CONFIRMED)
        done = factory.Trait(status=RideStatus.DONE)
        cancelled = factory.Trait(status=RideStatus.CANCELLED)
        no_show = factory.Trait(status=RideStatus.NO_SHOW)


class PlanningRunFactory(DjangoModelFactory):
    class Meta:
        model = models.PlanningRun

    operator = factory.SubFactory(OrganisationFactory)
    date = DAY
    status = RunStatus.DONE
    progress = 100
    finished_at = factory.LazyAttribute(lambda o: _at(o.date, 8))

    class Params:
        pending = factory.Trait(status=RunStatus.PENDING, progress=0, finished_at=None)


class TourFactory(DjangoModelFactory):
    """A tour of a done planning run of the vehicle's operator; `rides=[…]` adds a pickup and
    a drop-off stop per ride, between leaving and reaching the depot."""

    class Meta:
        model = models.Tour
        skip_postgeneration_save = True

    vehicle = factory.SubFactory(VehicleFactory)
    run = factory.SubFactory(
        PlanningRunFactory, operator=factory.SelfAttribute("..vehicle.operator")
    )
    driver = factory.SubFactory(DriverFactory, operator=factory.SelfAttribute("..vehicle.operator"))
    starts_at = factory.LazyAttribute(lambda o: _at(o.run.date, 13))
    ends_at = factory.LazyAttribute(lambda o: _at(o.run.date, 17))
    minutes = 40.0
    km = 21.5

    @factory.post_generation
    def rides(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        vehicle, when = self.vehicle, self.starts_at
        depot = (vehicle.depot_latitude, vehicle.depot_longitude, vehicle.depot_address)
        stops = [(StopKind.DEPART, None, "", depot)]
        for ride in extracted:
            home = (ride.latitude, ride.longitude, ride.address or ride.commune.name)
            stops.append((StopKind.PICKUP, ride, Leg.OUTBOUND, home))
            place = (ride.place.latitude, ride.place.longitude, ride.place.name)
            stops.append((StopKind.DROPOFF, ride, Leg.OUTBOUND, place))
        stops.append((StopKind.ARRIVE, None, "", depot))
        for order, (kind, ride, leg, (latitude, longitude, label)) in enumerate(stops):
            at = when + dt.timedelta(minutes=10 * order)
            models.TourStop.objects.create(
                tour=self,
                order=order,
                kind=kind,
                request=ride,
                leg=leg,
                arrival_at=at,
                service_at=at,
                latitude=latitude,
                longitude=longitude,
                label=label,
            )


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


def workshop_instance(
    seed: int,
    riders: int,
    vehicles: int,
    *,
    villages: int = 3,
    capacity: tuple[int, ...] = (2, 1),
    window: float = 20.0,
    tolerance: float = 20.0,
    depot: float = 0.5,
) -> Instance:
    """Riders from a few villages to one workshop and back, like a transport day.

    Riders of one village board at the same place and everyone leaves the vehicle at the
    workshop, so stops share places; every vehicle has its own depot nodes at one place,
    `depot` km east of the workshop, and the shift (the depots' windows) is shorter than the
    maximum duration.
    """
    rng = random.Random(seed)
    zero = (0,) * len(capacity)
    homes = [(rng.uniform(-8, 8), rng.uniform(-8, 8)) for _ in range(villages)]
    nodes = []
    for k in range(vehicles):
        nodes.append(Node(2 * k, depot, 0.0, 0.0, zero, 0.0, 200.0))
        nodes.append(Node(2 * k + 1, depot, 0.0, 0.0, zero, 0.0, 200.0))
    requests = []
    for _ in range(riders):
        home = rng.choice(homes)
        wheelchair = len(capacity) == 2 and rng.random() < 0.25
        load = (1, 1) if wheelchair else (1,) + (0,) * (len(capacity) - 1)
        service = float(rng.choice([1, 2])) + (2.0 if wheelchair else 0.0)
        legs = rng.choice([(True,), (False,), (True, False)])
        for outbound in legs:
            p, d = len(nodes), len(nodes) + 1
            origin, destination = (home, (0.0, 0.0)) if outbound else ((0.0, 0.0), home)
            if outbound:
                windows = ((0.0, 200.0), (60.0, 60.0 + window))
            else:
                windows = ((120.0, 120.0 + window), (0.0, 200.0))
            nodes.append(Node(p, *origin, service, load, *windows[0]))
            nodes.append(Node(d, *destination, service, tuple(-x for x in load), *windows[1]))
            requests.append((p, d))
    travel = euclidean_matrix(nodes)
    return Instance(
        name=f"workshop-{seed}",
        nodes=nodes,
        requests=[Request(r, p, d, travel[p][d] + tolerance) for r, (p, d) in enumerate(requests)],
        vehicles=[Vehicle(k, 2 * k, 2 * k + 1, capacity, 240.0) for k in range(vehicles)],
        travel=travel,
        dimensions=("places", "wheelchairs") if len(capacity) == 2 else ("places",),
    )
