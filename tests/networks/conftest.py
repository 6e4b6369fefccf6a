import pytest

from maillage.organisations.labels import Role
from maillage.territory.models import Commune, Departement, Epci

from .factories import NetworkFactory

EPCI_GA = "200071827"


def _commune(code, name, postcode, epci=None, lat=45.65, lon=0.15):
    return Commune.objects.create(
        insee_code=code,
        name=name,
        search_key=name.lower(),
        postcodes=postcode,
        population=1000,
        departement_id="16",
        epci=epci,
        latitude=lat,
        longitude=lon,
        interior_latitude=lat,
        interior_longitude=lon,
    )


@pytest.fixture
def communes(db):
    Departement.objects.get_or_create(code="16", defaults={"name": "Charente"})
    epci, _ = Epci.objects.get_or_create(
        siren=EPCI_GA, defaults={"name": "CA du Grand Angoulême", "departement_id": "16"}
    )
    return {
        "angouleme": _commune("16015", "Angoulême", "16000", epci),
        "soyaux": _commune("16374", "Soyaux", "16800", epci),
        "cognac": _commune("16102", "Cognac", "16100", lat=45.69, lon=-0.33),
    }


@pytest.fixture
def network(organisation):
    """A network coordinated by `organisation`."""
    return NetworkFactory(organisation=organisation, name="Promeneurs du Net de test")


@pytest.fixture
def coordinator(member, network):
    return member(Role.NETWORK_COORDINATOR, organisation=network.organisation)
