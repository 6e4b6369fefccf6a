"""Which territory an action sheet's "Emprise géographique" designates, among the Charente's
département, EPCIs and communes."""

import pytest

from maillage.territory.labels import ScopeLevel
from maillage.territory.scope import infer_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "level", "epcis", "communes"),
    [
        ("La Charente", ScopeLevel.DEPARTEMENT, [], []),
        ("Département de la Charente", ScopeLevel.DEPARTEMENT, [], []),
        ("Département hors zones AMII", ScopeLevel.DEPARTEMENT, [], []),
        ("Territoire départemental, maillage en milieu rural", ScopeLevel.DEPARTEMENT, [], []),
        ("Charente-Maritime", ScopeLevel.OTHER, [], []),
        ("Territoires de la MSA des Charentes", ScopeLevel.OTHER, [], []),
        ("Communauté de communes des 4 B Sud Charente", ScopeLevel.EPCI, ["200029734"], []),
        ("Le Grand Angoulême", ScopeLevel.EPCI, ["200071827"], []),
        ("Département hors Grand Angoulême", ScopeLevel.DEPARTEMENT, [], []),
        ("Le territoire du Pays Sud Charente", ScopeLevel.EPCI, ["200029734", "200070282"], []),
        ("Communes de Brossac et de Chalais", ScopeLevel.COMMUNES, [], ["16066", "16073"]),
        ("Commune de Barbezieux et ses alentours", ScopeLevel.COMMUNES, [], ["16028"]),
        ("Angoulême", ScopeLevel.COMMUNES, [], ["16015"]),
        ("Internet, donc accessible depuis partout", ScopeLevel.OTHER, [], []),
    ],
)
def test_the_scope_is_inferred_from_the_text(charente, text, level, epcis, communes):
    assert infer_scope(text) == (level, epcis, communes)
