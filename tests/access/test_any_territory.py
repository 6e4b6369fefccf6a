"""Nothing assumes Charente: a département loaded with import-communes (here a small made-up
part of Corse-du-Sud and of Charente-Maritime) gets its access times and figures."""

import pytest

from maillage.access import coverage, kinds
from maillage.access.times import compute_commune_access
from maillage.territory.importer import import_communes
from tests.places.factories import PlaceFactory

pytestmark = pytest.mark.django_db

HEADER = "code,nom,lon,lat,population,epci_siren,epci_nom,codes_postaux\n"


def load(tmp_path, code, name, rows):
    path = tmp_path / f"communes-{code}.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    import_communes(csv_path=path, departement_code=code, departement_name=name)


@pytest.fixture
def territories(tmp_path):
    load(
        tmp_path,
        "2A",
        "Corse-du-Sud",
        [
            "2A004,Ajaccio,8.7369,41.9267,71000,242010056,CA du Pays Ajaccien,20000",
            "2A247,Porto-Vecchio,9.2797,41.5911,12000,200040160,CC du Sud Corse,20137",
            "2A272,Sartène,8.9739,41.6217,3500,,,20100",
        ],
    )
    load(
        tmp_path,
        "17",
        "Charente-Maritime",
        ["17300,La Rochelle,-1.1508,46.1591,77000,241700434,CA de La Rochelle,17000"],
    )
    PlaceFactory(
        name="Médiathèque d'Ajaccio",
        library=True,
        insee_code="2A004",
        latitude=41.9267,
        longitude=8.7369,
        opening_hours="Mo-Sa 09:00-18:00",
    )
    PlaceFactory(
        name="EPN de Porto-Vecchio",
        insee_code="2A247",
        latitude=41.5911,
        longitude=9.2797,
        opening_hours="Tu,Th 14:00-17:00",
    )


def test_access_and_figures_in_other_departements(territories):
    accesses = {a.insee: a for a in compute_commune_access(kinds.DIGITAL)}
    assert set(accesses) == {"2A004", "2A247", "2A272", "17300"}
    assert accesses["2A004"].nearest.place.name == "Médiathèque d'Ajaccio"
    assert accesses["2A004"].nearest.travel_minutes < 2
    assert accesses["2A272"].nearest.place.name == "EPN de Porto-Vecchio"
    # La Rochelle's nearest place is in Corsica: far beyond every threshold
    assert accesses["17300"].nearest.travel_minutes > 600

    corsica = coverage.population_figures(
        kinds.DIGITAL, accesses=list(accesses.values()), territory="2A"
    )
    assert corsica.whole.name == "Corse-du-Sud"
    assert corsica.whole.population == 71000 + 12000 + 3500
    assert corsica.whole.share(10).population == 71000 + 12000
    assert {area.name for area in corsica.by_epci} == {"CA du Pays Ajaccien", "CC du Sud Corse"}
    assert corsica.worst[0].insee == "2A272"

    both = coverage.population_figures(kinds.DIGITAL, accesses=list(accesses.values()))
    assert both.whole.name == "Ensemble du territoire"
    assert [area.code for area in both.by_departement] == ["17", "2A"]
    assert both.worst[0].insee == "17300"


def test_mediation_counts_libraries_only(territories):
    accesses = {a.insee: a for a in compute_commune_access(kinds.MEDIATION)}
    assert accesses["2A247"].nearest.place.name == "Médiathèque d'Ajaccio"
