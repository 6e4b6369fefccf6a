"""Factories of the places app.

PlaceFactory(), PlaceFactory(point_visio=True), PlaceFactory(library=True, opened_on=...)
HelpRequestFactory(place=place)
"""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from maillage.places.labels import Equipment, HelpNeed, PlaceKind
from maillage.places.models import HelpRequest, Place


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    standard_id = factory.Sequence(lambda n: f"lieu-test-{n}")
    pivot = "43493312300029"
    name = factory.Sequence(lambda n: f"Lieu de test {n}")
    commune_name = "Barbezieux-Saint-Hilaire"
    postcode = "16300"
    insee_code = "16028"
    address = "2 place du Château"
    latitude = 45.4727
    longitude = -0.1535
    opening_hours = "Mo-Fr 09:00-12:00,14:00-17:30"
    updated_on = dt.date(2026, 1, 15)
    services = factory.LazyFunction(lambda: ["Aide aux démarches administratives"])
    fees = factory.LazyFunction(lambda: ["Gratuit"])
    access_modes = factory.LazyFunction(lambda: ["Se présenter", "Téléphoner"])
    kind = PlaceKind.EPN

    class Params:
        point_visio = factory.Trait(
            kind=PlaceKind.POINT_VISIO,
            equipment=[Equipment.VIDEOCONFERENCE],
            visio_closed_room=True,
            visio_trained_receptionist=True,
            typologies=["MUNI"],
        )
        library = factory.Trait(kind=PlaceKind.LIBRARY, typologies=["BIB"])
        cyber_cafe = factory.Trait(kind=PlaceKind.CYBER_CAFE)


class HelpRequestFactory(DjangoModelFactory):
    class Meta:
        model = HelpRequest

    name = "Jeanne D."
    phone = "05 45 00 00 00"
    commune_id = "16028"
    need = HelpNeed.DIGITAL
    consent_at = factory.LazyFunction(timezone.now)
