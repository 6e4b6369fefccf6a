import pytest

from maillage.organisations.labels import Role
from maillage.territory.models import Commune, Departement, Epci
from tests.places.factories import PlaceFactory

EPCI_4B = "200070431"


def _commune(code, name, postcode, epci=None):
    return Commune.objects.create(
        insee_code=code,
        name=name,
        search_key=name.lower(),
        postcodes=postcode,
        population=1000,
        departement_id="16",
        epci=epci,
        latitude=45.4,
        longitude=0.1,
        interior_latitude=45.4,
        interior_longitude=0.1,
    )


@pytest.fixture
def communes(db):
    Departement.objects.get_or_create(code="16", defaults={"name": "Charente"})
    epci, _ = Epci.objects.get_or_create(
        siren=EPCI_4B, defaults={"name": "4B Sud Charente", "departement_id": "16"}
    )
    return {
        "barbezieux": _commune("16028", "Barbezieux-Saint-Hilaire", "16300", epci),
        "chalais": _commune("16073", "Chalais", "16210"),
        "brossac": _commune("16066", "Brossac", "16480", epci),
    }


@pytest.fixture
def mediator(member):
    return member(Role.MEDIATOR, email="mediatrice@exemple.fr")


@pytest.fixture
def place(organisation):
    return PlaceFactory(organisation=organisation, name="Espace numérique de Barbezieux")
