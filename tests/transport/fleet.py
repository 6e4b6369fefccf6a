"""Builders for the transport app's tests: an operator with vehicles and shifts, a Chalais
workshop place, ride requests from nearby communes (centroids, no network)."""

import datetime as dt
from zoneinfo import ZoneInfo

from maillage.organisations.labels import OrganisationKind
from maillage.territory.models import Commune
from maillage.transport import services
from maillage.transport.models import Shift
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .factories import DriverFactory, VehicleFactory

PARIS = ZoneInfo("Europe/Paris")
# Tuesday 5 March 2030: the Chalais workshop is 14:00–15:30.
DAY = dt.date(2030, 3, 5)
NOW = dt.datetime(2030, 3, 4, 10, 0, tzinfo=PARIS)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def make_operator(name: str = "ATLEB (test)", vehicles: int = 2, day: dt.date = DAY, **fields):
    operator = OrganisationFactory(name=name, kind=OrganisationKind.ASSOCIATION)
    made = []
    for number in range(vehicles):
        vehicle = VehicleFactory(
            operator=operator,
            label=f"Minibus {number + 1}",
            seats=fields.get("seats", 4),
            wheelchair_places=fields.get("wheelchair_places", 1),
        )
        driver = DriverFactory(
            operator=operator, name=f"Chauffeur {number + 1}", phone=f"06 00 00 00 0{number}"
        )
        Shift.objects.create(
            driver=driver, vehicle=vehicle, date=day, start=dt.time(12), end=dt.time(18)
        )
        made.append(vehicle)
    return operator, made


def chalais_place():
    return PlaceFactory(
        name="Espace numérique de Chalais",
        commune_name="Chalais",
        postcode="16210",
        insee_code="16073",
        address="Place de l'Église",
        latitude=45.27385,
        longitude=0.04146,
    )


def ride(operator, place, commune: str, *, by=None, name: str = "", **fields):
    values = {
        "arrive_by": at(14),
        "leave_after": at(15, 30),
        "phone": "06 11 22 33 44",
    }
    values.update(fields)
    return services.ride_request_create(
        operator=operator,
        place=place,
        name=name or f"Personne de {commune}",
        address="",
        commune=Commune.objects.get(name=commune),
        by=by,
        via_link=by is None,
        **values,
    )
