"""Import and export in the national standard: validation, all or nothing, round trip."""

import json

import pytest
from django.core.management import CommandError, call_command

from maillage.places import exchange, standard, validation
from maillage.places.labels import PlaceKind
from maillage.places.models import Place

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_national_example_imports(example_csv):
    report = exchange.import_places(example_csv, "csv")
    assert report.ok, report.errors
    assert report.created == ["structure-1"]
    place = Place.objects.get(standard_id="structure-1")
    assert place.name == "Anonymal"
    assert place.mobility == ["Itinérant"]
    assert place.typologies == ["TIERS_LIEUX", "ASSO"]
    assert place.fees == ["Gratuit sous condition", "Payant"]
    assert place.latitude == 43.52609
    assert place.kind == PlaceKind.OTHER
    assert place.commune is None  # Reims is not in the referential: kept as written


def test_import_is_idempotent_by_id(example_csv):
    exchange.import_places(example_csv, "csv")
    again = exchange.import_places(example_csv, "csv")
    assert again.unchanged == ["structure-1"]
    assert not again.created and not again.updated
    changed = example_csv.replace(b'"Anonymal"', b'"Anonymal bis"')
    third = exchange.import_places(changed, "csv")
    assert third.updated == ["structure-1"]
    assert Place.objects.get().name == "Anonymal bis"


def test_dry_run_writes_nothing(example_csv):
    report = exchange.import_places(example_csv, "csv", dry_run=True)
    assert report.created == ["structure-1"]
    assert not Place.objects.exists()
    assert "Simulation" in report.lines()[0]


def _two_rows(example_csv: bytes, second: bytes) -> bytes:
    header, row = example_csv.decode().strip().split("\n", 1)
    return f"{header}\n{row}\n{second.decode()}\n".encode()


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        (b'"Itin\xc3\xa9rant"', b'"Mobile"', "itinerance", "« Itinérant », « Fixe »"),
        (
            b'"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00"',
            b'"Lundi 9h-12h"',
            "horaires",
            "OpenStreetMap",
        ),
        (b'"Anonymal"', b'""', "nom", "valeur obligatoire manquante"),
        (b'"43493312300029"', b'"43493312300028"', "pivot", "SIRET"),
        (b'"43493312300029"', b'"1234"', "pivot", "9 à 14 lettres ou chiffres"),
        (b'"2024-04-02"', b'"02/04/2024"', "date_maj", "AAAA-MM-JJ"),
        (b'"TIERS_LIEUX|ASSO"', b'"TIERS|ASSO"', "typologie", "« TIERS »"),
        (b'"51100"', b'"511"', "code_postal", "5 chiffres"),
        (b'"43.52609"', b'"43,52609"', "latitude", "un nombre"),
    ],
)
def test_bad_value_is_refused_with_row_and_field_and_nothing_written(
    example_csv, old, new, field, expected
):
    good_second = (
        example_csv.decode().strip().split("\n", 1)[1].replace("structure-1", "structure-2")
    )
    bad_second = good_second.encode().replace(old, new)
    assert bad_second != good_second.encode()
    data = _two_rows(example_csv, bad_second)
    report = exchange.import_places(data, "csv")
    assert not report.ok
    messages = [str(error) for error in report.errors]
    assert any(m.startswith(f"ligne 3, champ {field} : ") and expected in m for m in messages), (
        messages
    )
    assert not Place.objects.exists()  # the valid first row is not written either


def test_missing_required_column_and_unknown_column(example_csv):
    text = example_csv.decode().replace('"nom",', '"nom_du_lieu",', 1)
    report = exchange.import_places(text.encode(), "csv")
    messages = [str(e) for e in report.errors]
    assert "fichier : colonne obligatoire « nom » absente" in messages
    assert "fichier : colonne « nom_du_lieu » inconnue du standard" in messages


def test_duplicate_id_is_refused(example_csv):
    row = example_csv.decode().strip().split("\n", 1)[1]
    report = exchange.import_places(_two_rows(example_csv, row.encode()), "csv")
    assert [str(e) for e in report.errors] == [
        "ligne 3, champ id : identifiant « structure-1 » déjà présent plus haut dans le fichier"
    ]


def test_json_import_accepts_lists_and_names_the_place(example_csv):
    rows = validation.read_csv(example_csv).rows
    item = {k: v for k, v in rows[0].items() if v}
    item["services"] = item["services"].split("|")
    item["latitude"] = 43.52609
    report = exchange.import_places(json.dumps([item]).encode(), "json")
    assert report.ok, report.errors
    assert Place.objects.get().services == rows[0]["services"].split("|")
    item["frais_a_charge"] = ["Cher"]
    bad = exchange.import_places(json.dumps({"lieux": [item]}).encode(), "json")
    assert str(bad.errors[0]).startswith("ligne 2, champ frais_a_charge : attendu")


def test_not_json_and_not_utf8():
    assert "JSON valide" in str(exchange.import_places(b"{oops", "json").errors[0])
    assert "UTF-8" in str(exchange.import_places("nom\né".encode("latin-1"), "csv").errors[0])


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_into_empty_database_then_export_gives_the_same_file(fmt, charente):
    PlaceFactory(
        standard_id="a",
        services=["Aide aux démarches administratives", "Accès internet et matériel informatique"],
    )
    PlaceFactory(
        standard_id="b",
        latitude=None,
        longitude=None,
        opening_hours="",
        phone="+33545000000",
        emails=["a@b.fr", "c@d.fr"],
    )
    PlaceFactory(
        standard_id="c", name="Médiathèque, « La Source »", summary="Ligne 1\nLigne 2", library=True
    )
    first = exchange.export_places(fmt)
    Place.objects.all().delete()
    report = exchange.import_places(first, fmt)
    assert report.ok, report.errors
    assert sorted(report.created) == ["a", "b", "c"]
    assert exchange.export_places(fmt) == first
    assert Place.objects.get(standard_id="a").commune_id == "16028"


def test_export_header_is_the_standard(charente):
    PlaceFactory()
    header = exchange.export_places("csv").decode().split("\r\n", 1)[0]
    assert header.split(",") == standard.field_names()


def test_geojson_and_data_inclusion_exports(charente):
    PlaceFactory(standard_id="a", publics=["Seniors"], booking_url="https://rdv.exemple.fr/")
    PlaceFactory(standard_id="b", latitude=None, longitude=None, commune_id="16073")
    geo = json.loads(exchange.export_places("geojson"))
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == 2
    assert geo["features"][1]["geometry"]["coordinates"] == [0.03866, 45.27469]
    di = json.loads(exchange.export_places("data-inclusion"))
    assert len(di["structures"]) == 2
    assert di["services"][0]["publics"] == ["seniors"]
    assert di["services"][0]["thematiques"][0] == "numerique--acceder-a-des-services-en-ligne"


def test_commands(tmp_path, example_csv, charente):
    path = tmp_path / "lieux.csv"
    path.write_bytes(example_csv)
    call_command("import_places", str(path), "--dry-run")
    assert not Place.objects.exists()
    call_command("import_places", str(path))
    assert Place.objects.count() == 1
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(example_csv.replace(b'"Itin\xc3\xa9rant"', b'"Mobile"'))
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_places", str(bad))
    out = tmp_path / "export.json"
    call_command("export_places", "--format", "json", "--output", str(out))
    assert json.loads(out.read_text())[0]["id"] == "structure-1"
