"""The one per-line import error: where it is and what is wrong, in the importer's words."""

from maillage.broadband.validation import row_error
from maillage.import_errors import RowError


def test_the_house_wording_names_the_field():
    assert str(RowError(3, "itinerance", "attendu « Fixe »")) == (
        "ligne 3, champ itinerance : attendu « Fixe »"
    )
    assert str(RowError(3, None, "ligne vide")) == "ligne 3 : ligne vide"
    assert str(RowError(None, None, "encodage inconnu")) == "fichier : encodage inconnu"


def test_broadband_names_the_column_as_the_file_heads_it():
    assert str(row_error(4, "Code INSEE", "commune inconnue")) == (
        "Ligne 4, colonne « Code INSEE » : commune inconnue"
    )
    assert str(row_error(4, None, "vide")) == "Ligne 4 : vide"
    assert str(row_error(None, None, "illisible")) == "Fichier : illisible"


def test_the_wording_does_not_change_what_the_error_is():
    assert row_error(4, "code", "x") == RowError(4, "code", "x")
    assert row_error(4, "code", "x").field == "code"
