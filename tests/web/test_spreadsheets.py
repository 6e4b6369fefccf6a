"""Spreadsheet formula injection: every CSV and XLSX Maillage writes makes formulas inert.

`=HYPERLINK(…)` typed in a public form came out verbatim in the agenda, transport, places and
plan exports, and openpyxl wrote it as a live formula. One helper (`maillage.spreadsheets`)
writes them all: the source is checked for writers around it, and every route of the URL
configuration is walked, as a platform administrator, over a world whose free-text fields all
start with a formula character, in every export format it answers.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.validators import MaxLengthValidator
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

import maillage
from maillage import clock
from maillage.places import exchange, validation
from maillage.spreadsheets import FORMULA_START, csv_text, neutralise, xlsx_bytes, xlsx_row
from tests.places.factories import PlaceFactory

from .test_nul_bytes import _first_record
from .test_permission_matrix import PATTERNS, url_for
from .world import NOW

HOSTILE = [
    '=HYPERLINK("https://exemple.fr/piege","Cliquez")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
NUMBER = re.compile(r"[+-]?\d[\d .,\u00a0\u202f]*")
SOURCE = Path(maillage.__file__).parent
# In-memory canonical CSVs handed to frictionless (they must keep the data exactly).
VALIDATORS = {"places/validation.py", "broadband/validation.py"}


def _live(cell: str) -> bool:
    return cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_inert_in_csv_and_xlsx(value):
    assert neutralise(value) == "'" + value
    row = next(csv.reader(io.StringIO(csv_text(["a"], [[value]]).splitlines()[1]), delimiter=";"))
    assert not _live(row[0])
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["a"], [[value]]))).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.strip() == value.strip()  # kept, as text


@pytest.mark.parametrize("value", ["-12,5", "+33 5 45 00 00 00", "-3", "2026-01-01", "12"])
def test_numbers_and_phone_numbers_are_left_alone(value):
    assert neutralise(value) == value


@given(st.text(max_size=200))
def test_no_text_comes_out_as_a_live_formula(text):
    assert not _live(neutralise(text)) or (neutralise(text) == text and NUMBER.fullmatch(text))
    workbook = openpyxl.Workbook(write_only=True)
    for cell in xlsx_row(workbook.create_sheet(), [text, "#N/A", 3, None]):
        assert cell.data_type != "f" and cell.data_type != "e"


def test_every_writer_goes_through_the_helper():
    """`csv.writer`, `csv.DictWriter` and openpyxl's `Workbook` appear only in the helper (and
    the plan's styled workbook, whose rows go through `xlsx_row`)."""
    found = []
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative in {"spreadsheets.py", *VALIDATORS}:
            continue
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            found.append(f"{relative}: csv writer")
        if "Workbook(" in text and relative != "plan/exports.py":
            found.append(f"{relative}: openpyxl Workbook")
        if relative == "plan/exports.py" and re.search(r"\.append\(\[", text):
            found.append(f"{relative}: worksheet row without xlsx_row")
    assert not found, f"Write tables with maillage.spreadsheets: {found}"


def test_the_open_data_csv_stays_valid_against_the_national_schema(db):
    """Free-text fields get the prefix; the file still passes the standard's validator."""
    place = PlaceFactory(
        name=HOSTILE[0],
        description="-description+cmd",
        summary="@résumé",
        address="=2 place du Château",
        phone="+33545000000",
    )
    data = exchange.export_places("csv", [place])
    assert "'=HYPERLINK" in data.decode() and "+33545000000" in data.decode()
    assert validation.validate_file(data, "csv").errors == []
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [row["nom"] for row in rows] == ["'" + HOSTILE[0]]


def _hostile_world(built) -> int:
    """Every free text of the world's records starts with a formula character."""
    changed = 0
    records = {record for pair in built.records.values() for record in pair}
    for record in records:
        together = {
            name
            for constraint in record._meta.constraints
            for name in getattr(constraint, "fields", ())
        } | {name for names in record._meta.unique_together for name in names}
        values = {}
        for index, field in enumerate(record._meta.concrete_fields):
            if (
                isinstance(field, models.CharField | models.TextField)
                and not field.choices
                and not field.unique
                and field.name not in together
                and not field.primary_key
                and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
                and not [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
                and field.name not in {"slug", "ref", "code", "token", "password", "phone"}
            ):
                value = HOSTILE[index % len(HOSTILE)]
                values[field.attname] = value[: field.max_length] if field.max_length else value
        if values:
            changed += type(record)._base_manager.filter(pk=record.pk).update(**values)
    return changed


def _cells(response) -> list[str] | None:
    """The text cells of a CSV or XLSX answer (None for anything else). An XLSX keeps the text
    as typed, in text cells: it must hold no formula at all."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("text/csv"):
        text = response.content.decode("utf-8-sig")
        delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
        return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    if content_type.startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        for sheet in workbook.worksheets:
            for line in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in line), f"formula in {sheet.title}"
        return []
    return None


@pytest.mark.django_db
def test_every_export_makes_hostile_text_inert(world):
    built, clients = world
    assert _hostile_world(built) > 20
    client, _cookie = clients["superuser"]
    exports, problems, hostile_seen = set(), [], 0
    with clock.travel(NOW):
        for name in PATTERNS:
            url = url_for(name, _first_record(built, name))
            variants = [url] + [
                f"{url}?{key}={fmt}" for key in ("export", "format") for fmt in ("csv", "xlsx")
            ]
            if "/csv" in url or url.endswith(".csv"):
                variants.append(url.replace("csv", "xlsx"))
            for variant in variants:
                response = client.get(variant)
                if response.status_code != 200 or (cells := _cells(response)) is None:
                    continue
                exports.add(variant)
                hostile_seen += sum(cell.startswith("'") for cell in cells)
                problems += [f"{variant}: {cell!r}" for cell in cells if _live(cell)]
    assert len(exports) >= 15, sorted(exports)
    assert hostile_seen > 20  # the walk met the hostile text, neutralised
    assert not problems, "\n".join(problems[:20])
