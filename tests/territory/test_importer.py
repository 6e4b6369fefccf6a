import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from maillage.territory.importer import (
    CHARENTE_CSV,
    CommuneImportError,
    ImportIssue,
    import_communes,
)
from maillage.territory.models import Commune, Departement, Epci
from tests.charente import charente_rows, import_charente

pytestmark = pytest.mark.django_db

HEADER = list(charente_rows()[0])


def write_csv(path, rows, header=HEADER):
    """Write rows (dicts keyed by the shipped columns) as a CSV file with `header`."""
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(_quote(row.get(column, "")) for column in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quote(value: str) -> str:
    return f'"{value}"' if "," in value or '"' in value else value


def small_rows(count=3):
    return [dict(row) for row in charente_rows()[:count]]


def assert_nothing_written():
    assert not Commune.objects.exists()
    assert not Epci.objects.exists()
    assert not Departement.objects.exists()


def test_shipped_charente_data():
    report = import_charente()

    assert (report.created, report.updated, report.unchanged) == (359, 0, 0)
    assert report.epcis_created == 9
    assert report.departement_created
    assert report.without_contour == []
    assert Commune.objects.count() == 359
    assert Commune.objects.aggregate(total=Sum("population"))["total"] == 352683
    assert Epci.objects.count() == 9
    assert not Commune.objects.filter(epci=None).exists()
    assert not Commune.objects.filter(contour=None).exists()
    assert Departement.objects.get(code="16").contour["type"] == "Polygon"

    commune = Commune.objects.select_related("epci").get(insee_code="16350")
    assert commune.name == "Saint-Séverin"
    assert commune.search_key == "saint severin"
    assert commune.postcode_list == ["16390"]
    assert commune.population == 784
    assert commune.epci.name == "CC Lavalette Tude Dronne"
    assert (commune.latitude, commune.longitude) == (45.31113, 0.24518)
    assert (commune.interior_latitude, commune.interior_longitude) == (45.31189, 0.24359)
    assert commune.area_km2 == 15.01
    assert commune.contour["type"] in {"Polygon", "MultiPolygon"}

    aigre = Commune.objects.get(insee_code="16005")
    assert aigre.former_code_list == ["16005", "16411"]
    assert Commune.objects.get(name="Courcôme").postcode_list == ["16240", "16700"]


def test_second_import_changes_nothing(django_assert_max_num_queries):
    import_charente()
    before = list(Commune.objects.values_list("insee_code", "search_key", "population"))

    with django_assert_max_num_queries(8):  # reads only: no write when nothing changed
        report = import_charente()

    assert (report.created, report.updated, report.unchanged) == (0, 0, 359)
    assert (report.epcis_created, report.epcis_updated, report.epcis_unchanged) == (0, 0, 9)
    assert not report.departement_created
    assert not report.departement_updated
    assert not report.changed
    assert list(Commune.objects.values_list("insee_code", "search_key", "population")) == before


def test_reimport_updates_changed_rows_without_duplicates(tmp_path):
    import_charente()
    rows = charente_rows()
    rows[0]["population"] = "600"  # Abzac
    rows[1]["nom"] = "Les Adjots-sur-Charente"
    rows[2]["epci_nom"] = "CC La Rochefoucauld"  # rename the EPCI on all its rows
    for row in rows:
        if row["epci_siren"] == rows[2]["epci_siren"]:
            row["epci_nom"] = "CC La Rochefoucauld"

    report = import_communes(
        csv_path=write_csv(tmp_path / "communes.csv", rows),
        departement_code="16",
        departement_name="Charente",
    )

    assert (report.created, report.updated, report.unchanged) == (0, 2, 357)
    assert report.updated_codes == ["16001", "16002"]
    assert (report.epcis_updated, report.epcis_unchanged) == (1, 8)
    assert Commune.objects.count() == 359
    assert Commune.objects.get(insee_code="16001").population == 600
    assert Commune.objects.get(insee_code="16002").search_key == "les adjots sur charente"
    assert Epci.objects.get(siren=rows[2]["epci_siren"]).name == "CC La Rochefoucauld"
    # Without a contours file, the stored contours are kept.
    assert not Commune.objects.filter(contour=None).exists()


def test_dry_run_reports_but_writes_nothing():
    report = import_charente(dry_run=True)

    assert report.dry_run
    assert (report.created, report.epcis_created) == (359, 9)
    assert "Simulation" in report.summary()
    assert_nothing_written()


def test_non_numeric_population_is_refused_naming_line_and_column(tmp_path):
    rows = small_rows()
    rows[1]["population"] = "abc"  # second data row: line 3 of the file

    with pytest.raises(CommuneImportError) as excinfo:
        import_communes(
            csv_path=write_csv(tmp_path / "bad.csv", rows),
            departement_code="16",
            departement_name="Charente",
        )

    assert [str(error) for error in excinfo.value.errors] == [
        "ligne 3, colonne population : nombre entier attendu, reçu 'abc'"
    ]
    assert_nothing_written()


def test_missing_column_is_refused(tmp_path):
    header = [column for column in HEADER if column != "population"]
    path = write_csv(tmp_path / "bad.csv", small_rows(), header=header)

    with pytest.raises(CommuneImportError) as excinfo:
        import_communes(csv_path=path, departement_code="16", departement_name="Charente")

    assert [str(error) for error in excinfo.value.errors] == [
        "ligne 1 (en-tête) : colonne(s) obligatoire(s) absente(s) : population"
    ]
    assert_nothing_written()


def test_every_problem_is_reported_and_a_valid_row_is_not_written(tmp_path):
    rows = small_rows(5)
    rows[0]["lat"] = "quarante-cinq"
    rows[1]["code"] = "17001"
    rows[2]["codes_postaux"] = "1650"
    rows[3]["population"] = "-3"
    # rows[4] is valid, but the import is all-or-nothing.
    rows.append(dict(rows[4]))  # duplicate code

    with pytest.raises(CommuneImportError) as excinfo:
        import_communes(
            csv_path=write_csv(tmp_path / "bad.csv", rows),
            departement_code="16",
            departement_name="Charente",
        )

    messages = [str(error) for error in excinfo.value.errors]
    assert messages == [
        "ligne 2, colonne lat : nombre décimal attendu (point comme séparateur), "
        "reçu 'quarante-cinq'",
        "ligne 3, colonne code : code INSEE à 5 caractères du département 16 attendu, reçu '17001'",
        "ligne 4, colonne codes_postaux : un ou plusieurs codes postaux à 5 chiffres, "
        "séparés par des espaces, attendus, reçu '1650'",
        "ligne 5, colonne population : nombre entier positif ou nul attendu, reçu '-3'",
        "ligne 7, colonne code : code INSEE 16007 déjà présent ligne 6",
    ]
    assert_nothing_written()


def test_conflicting_epci_names_are_refused(tmp_path):
    rows = small_rows(2)
    rows[1]["epci_siren"] = rows[0]["epci_siren"]
    rows[1]["epci_nom"] = "Autre nom"

    with pytest.raises(CommuneImportError, match="ligne 3, colonne epci_nom : l'EPCI"):
        import_communes(
            csv_path=write_csv(tmp_path / "bad.csv", rows),
            departement_code="16",
            departement_name="Charente",
        )


def test_unreadable_files_are_refused(tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(HEADER).encode() + "\n16001,Abzac é".encode("latin-1"))
    empty = write_csv(tmp_path / "empty.csv", [])

    for path, message in [
        (tmp_path / "absent.csv", "absent.csv : fichier illisible : introuvable"),
        (latin1, "latin1.csv : le fichier doit être encodé en UTF-8"),
        (empty, "empty.csv : le fichier ne contient aucune commune"),
    ]:
        with pytest.raises(CommuneImportError) as excinfo:
            import_communes(csv_path=path, departement_code="16", departement_name="Charente")
        assert [str(error) for error in excinfo.value.errors] == [message]
    assert_nothing_written()


def test_bad_contours_are_refused(tmp_path):
    path = write_csv(tmp_path / "communes.csv", small_rows(2))
    square = [[[0.7, 46.1], [0.8, 46.1], [0.8, 46.2], [0.7, 46.1]]]
    contours = tmp_path / "contours.geojson"
    contours.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"code": "16001"}, "geometry": None},
                    {
                        "type": "Feature",
                        "properties": {"code": "16999"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    },
                    {"type": "Feature", "properties": {}, "geometry": None},
                ],
            }
        )
    )

    with pytest.raises(CommuneImportError) as excinfo:
        import_communes(
            csv_path=path,
            contours_path=contours,
            departement_code="16",
            departement_name="Charente",
        )

    assert [str(error) for error in excinfo.value.errors] == [
        "contours (contours.geojson), objet n° 1 (commune 16001) : géométrie Polygon ou "
        "MultiPolygon attendue, reçu rien",
        "contours (contours.geojson), objet n° 2 (commune 16999) : commune 16999 absente du "
        "fichier CSV",
        "contours (contours.geojson), objet n° 3 : propriété « code » (code INSEE) absente",
    ]
    contours.write_text("{not json")
    with pytest.raises(CommuneImportError, match="JSON invalide ligne 1"):
        import_communes(
            csv_path=path,
            contours_path=contours,
            departement_code="16",
            departement_name="Charente",
        )
    assert_nothing_written()


def test_another_departement_from_files_of_the_same_shape(tmp_path):
    import_charente()
    rows = [
        {
            **charente_rows()[0],
            "code": "17001",
            "nom": "Saint-Agnant-de-Test",
            "codes_postaux": "17620",
            "epci_siren": "241700434",
            "epci_nom": "CA Rochefort Océan",
        },
        {
            **charente_rows()[1],
            "code": "17002",
            "nom": "Île-de-Test",
            "codes_postaux": "17111, 17112",
            "epci_siren": "",
            "epci_nom": "",
        },
    ]
    header = [c for c in HEADER if c not in {"lon_pos", "lat_pos", "codes_2018"}]
    square = [[[-1.0, 45.9], [-0.9, 45.9], [-0.9, 46.0], [-1.0, 45.9]]]
    contours = tmp_path / "contours.geojson"
    contours.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "17001"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    }
                ],
            }
        )
    )

    report = import_communes(
        csv_path=write_csv(tmp_path / "communes-17.csv", rows, header=header),
        contours_path=contours,
        departement_code="17",
        departement_name="Charente-Maritime",
    )

    assert (report.created, report.epcis_created, report.departement_created) == (2, 1, True)
    assert report.without_contour == ["17002"]
    assert Commune.objects.count() == 361
    island = Commune.objects.get(insee_code="17002")
    assert island.departement.name == "Charente-Maritime"
    assert island.epci is None
    assert island.postcode_list == ["17111", "17112"]
    assert (island.interior_latitude, island.former_codes) == (island.latitude, "")
    assert Commune.objects.get(insee_code="17001").contour["type"] == "Polygon"
    # Charente is untouched.
    assert Commune.objects.filter(departement_id="16").count() == 359


def test_communes_missing_from_a_new_file_are_kept_and_reported(tmp_path):
    import_charente()
    report = import_communes(
        csv_path=write_csv(tmp_path / "part.csv", charente_rows()[:-2]),
        departement_code="16",
        departement_name="Charente",
    )
    assert report.unchanged == 357
    assert len(report.not_in_file) == 2
    assert Commune.objects.count() == 359
    assert "absente(s) du fichier" in report.summary()


def test_import_issue_text():
    assert str(ImportIssue("ligne 2, colonne nom", "nom non vide attendu", "")) == (
        "ligne 2, colonne nom : nom non vide attendu, reçu ''"
    )
    assert str(ImportIssue("ligne 1", "texte")) == "ligne 1 : texte"


# --- The management commands ----------------------------------------------------------------


def test_command_without_arguments_imports_charente_idempotently(capsys):
    call_command("import_communes")
    call_command("import_communes")

    output = capsys.readouterr().out
    assert "359 créées" in output
    assert "0 créées, 0 mises à jour, 359 inchangées" in output
    assert Commune.objects.count() == 359


def test_command_dry_run_writes_nothing(capsys):
    call_command("import_communes", "--dry-run")
    assert "Simulation" in capsys.readouterr().out
    assert_nothing_written()


def test_command_refuses_bad_input_with_the_errors(tmp_path):
    rows = small_rows()
    rows[1]["population"] = "abc"
    path = write_csv(tmp_path / "bad.csv", rows)

    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_communes",
            "--csv",
            str(path),
            "--departement-code",
            "16",
            "--departement-name",
            "Charente",
        )

    assert "Import refusé, rien n'a été enregistré (1 erreur(s))" in str(excinfo.value)
    assert "ligne 3, colonne population : nombre entier attendu, reçu 'abc'" in str(excinfo.value)
    assert_nothing_written()


def test_command_needs_the_departement_with_another_csv():
    with pytest.raises(CommandError, match="--departement-code et --departement-name"):
        call_command("import_communes", "--csv", str(CHARENTE_CSV))
