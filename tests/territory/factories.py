"""Factories of the territory app.

CommuneFactory() is Barbezieux-Saint-Hilaire (16028) in Charente; CommuneFactory(insee_code=…,
name=…) another. Both get or create, so a test module that imported the real communes (the
`charente` fixture) gets the real one.
"""

import factory
from factory.django import DjangoModelFactory

from maillage.territory.models import Commune, Departement


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "16"
    name = "Charente"


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = "16028"
    name = "Barbezieux-Saint-Hilaire"
    search_key = factory.LazyAttribute(lambda o: o.name.lower())
    postcodes = "16300"
    population = 1000
    departement = factory.SubFactory(DepartementFactory)
    latitude = 45.4727
    longitude = -0.1535
    interior_latitude = factory.SelfAttribute("latitude")
    interior_longitude = factory.SelfAttribute("longitude")
