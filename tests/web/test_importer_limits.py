"""Every importer refuses, with a French sentence and nothing written, a file larger than it
allows, with more lines than it allows, nested deeper than its format (a deeply nested JSON
raised `RecursionError`), or carrying a NUL character (PostgreSQL cannot store it) — places,
sheets, series, workbook, broadband figures and works, networks' returns, communes."""

import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from maillage import uploads
from maillage.broadband import reading
from maillage.broadband.models import Work
from maillage.broadband.programme import WORKS_HEADER, WORKS_MAX_BYTES, works_import
from maillage.networks import returns_csv
from maillage.places import exchange, validation
from maillage.places.models import Place
from maillage.plan import bulk, series
from maillage.plan.exports import INDICATORS_TAB, SHEETS_TAB
from maillage.plan.importer import read_document
from maillage.plan.sheet_parser import MAX_DOCUMENT_CHARS, SheetDocumentError, parse_document
from maillage.territory.importer import _load_json
from tests.broadband.factories import ProgrammeFactory

NESTED = "[" * 100_000 + "]" * 100_000  # json.loads alone raises RecursionError


def test_deeply_nested_json_is_refused_in_french():
    with pytest.raises(uploads.UploadRefused, match="trop imbriqué"):
        uploads.load_json(NESTED)
    with pytest.raises(uploads.UploadRefused, match="trop imbriqué"):
        uploads.load_json(json.dumps([[[[[[1]]]]]]), max_depth=4)
    assert uploads.load_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}


def test_rows_are_counted_while_read():
    def endless():
        while True:
            yield ["x"]

    with pytest.raises(uploads.UploadRefused, match="Trop de lignes : 10 au plus"):
        list(uploads.limited_rows(endless(), 10))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (NESTED.encode(), "json", "trop imbriqué"),
        (b'[{"id": [[[["x"]]]]}]', "json", "trop imbriqué"),
        (b"id,nom\nx,Lieu\x00\n", "csv", "caractère nul"),
        (b"id,nom\n" + b"x,y\n" * (validation.MAX_ROWS + 5), "csv", "Trop de lignes"),
        (b" " * (validation.MAX_BYTES + 1), "csv", "trop volumineux"),
        (b" " * (validation.MAX_BYTES + 1), "json", "trop volumineux"),
    ],
)
def test_places(data, fmt, message):
    report = exchange.import_places(data, fmt)
    assert not report.ok and message in str(report.errors[0])
    assert not Place.objects.exists()


def test_sheets_document():
    for text, message in [
        ("Réf : Num01\x00", "caractère nul"),
        ("x" * (MAX_DOCUMENT_CHARS + 1), "Document trop long"),
    ]:
        with pytest.raises(SheetDocumentError, match=message):
            parse_document(text)


def test_sheets_file_too_large_is_not_read(tmp_path):
    path = tmp_path / "schema.txt"
    with path.open("wb") as handle:
        handle.truncate(4 * MAX_DOCUMENT_CHARS + 1)  # sparse: nothing is written to disk
    with pytest.raises(uploads.UploadRefused, match="trop volumineux"):
        read_document(path)


def _xlsx(rows: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEETS_TAB)
    for _ in range(rows):
        sheet.append(["x"])
    workbook.create_sheet(INDICATORS_TAB)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_series():
    with pytest.raises(ValidationError, match="caractère nul"):
        series.read_rows(b"indicateur;date;valeur\nNum01\x00;2020-01-01;3\n")
    with pytest.raises(ValidationError, match="Trop de lignes"):
        series.read_rows(_xlsx(2 * series.MAX_ROWS + 2))


@pytest.mark.django_db
def test_plan_workbook(monkeypatch):
    from tests.plan.factories import PlanFactory

    monkeypatch.setattr(bulk, "MAX_ROWS", 50)
    plan = PlanFactory()
    with pytest.raises(ValidationError, match="Trop de lignes"):
        bulk.bulk_update_read(plan=plan, file=io.BytesIO(_xlsx(60)), user=None)
    with pytest.raises(ValidationError, match="trop volumineux"):
        bulk.bulk_update_read(plan=plan, file=io.BytesIO(b"PK" * bulk.MAX_BYTES), user=None)


def test_broadband_figures():
    with pytest.raises(reading.ReadError, match="caractère nul"):
        reading.read_table(b"code_insee;valeur\n16028\x00;3\n", anchors={"code_insee"})


@pytest.mark.django_db
def test_broadband_works():
    programme = ProgrammeFactory()
    header = ";".join(WORKS_HEADER).encode()
    for content, message in [
        (header + b"\nFibre\x00;16028;ftth;1;T4 2019;;;\n", "caractère nul"),
        (header + b"\n" * 20_002, "Trop de lignes"),
        (b" " * (WORKS_MAX_BYTES + 1), "trop volumineux"),
    ]:
        report = works_import(programme=programme, content=content)
        assert message in str(report.errors[0])
    assert not Work.objects.exists()


def test_network_returns():
    rows, errors = returns_csv.read_rows(b"membre;mois\nA\x00;2026-01\n")
    assert rows == [] and "caractère nul" in str(errors[0])


def test_communes_geojson(tmp_path):
    path = tmp_path / "contours.geojson"
    path.write_text(NESTED)
    errors = []
    assert _load_json(path, "contours", errors) is None
    assert "trop imbriqué" in str(errors[0])
