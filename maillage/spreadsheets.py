"""Every CSV and XLSX file Maillage writes for people goes through here.

What a person typed (a place's name, a pilot's note, a member's handle) is exported verbatim,
and a spreadsheet runs a cell that looks like a formula: `=HYPERLINK("http://…","Cliquez")`
typed in a public form became a live link (or worse) in the agent's Excel. So:

- CSV: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed
  with an apostrophe (OWASP's advice), which spreadsheets show as text; a number or a phone
  number (`-12,5`, `+33 5 45 00 00 00`) is left as it is. `csv_bytes` also sets the separator
  (`;` for French Excel by default) and the UTF-8 byte order mark Excel needs.
- XLSX: strings are written as text cells, never formulas (openpyxl would store `=…` as a
  formula) and never error values (`#N/A`); the text itself is kept (so a downloaded plan
  workbook re-imports unchanged); characters XML cannot hold (control characters) are dropped.

The national open-data CSV (`places.exchange.to_csv`) is neutralised too and stays valid
against its schema: the prefix only ever lands on free-text fields (name, description…),
which have no pattern; fields with a pattern (identifier, pivot, postcode, INSEE code, dates,
URLs, opening hours) cannot start with a formula character once valid, and a phone number
(`+33…`) is a number here (`tests/web/test_spreadsheets.py` validates a hostile export
against the schema).

Not exports, so not here: the in-memory canonical CSVs the validators hand to frictionless
(`places.validation`, `broadband.validation`), which must keep the data exactly.

openpyxl is imported when a workbook is written, not with this module (every list page imports
it, and openpyxl costs a noticeable share of a cold start).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d .,\u00a0\u202f]*")
_TYPED = (int, float, Decimal, dt.date, dt.time, dt.timedelta)


def neutralise(value) -> str:
    """The text of a CSV cell, a formula made inert (prefixed with an apostrophe)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ";") -> str:
    """The table as CSV text (CRLF line ends), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()


def csv_bytes(
    headers: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ";", bom: bool = True
) -> bytes:
    """The table as UTF-8 CSV; with a byte order mark (Excel reads accents then) by default."""
    return ((BOM if bom else "") + csv_text(headers, rows, delimiter=delimiter)).encode("utf-8")


def xlsx_row(sheet, values: Iterable) -> list[Cell]:
    """Cells for `sheet.append` (which places them: row and column here are placeholders):
    numbers and dates typed, strings always plain text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    cells = []
    for value in values:
        if value is not None and not isinstance(value, _TYPED):
            value = str(value)  # lazy labels, enumerations…
        if isinstance(value, str):
            cell = Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"  # not a formula (`=…`) nor an error value (`#N/A`)
        else:
            cell = Cell(sheet, row=1, column=1, value=value)
        cells.append(cell)
    return cells


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The table as a one-sheet workbook (streamed: memory does not grow with the rows)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(xlsx_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """A download of `rows` as CSV (semicolons, UTF-8 with BOM for Excel) or XLSX."""
    if fmt == "xlsx":
        return download(xlsx_bytes(headers, rows), XLSX_CONTENT_TYPE, f"{filename}.xlsx")
    return download(csv_bytes(headers, rows), CSV_CONTENT_TYPE, f"{filename}.csv")


GEOJSON_CONTENT_TYPE = "application/geo+json"


def geojson_response(filename: str, features: Iterable[dict]) -> HttpResponse:
    """A download of GeoJSON `features` (each `{"geometry", "properties"}`) as one collection.

    Maps are exported beside tables so that one module answers every download; a GeoJSON
    holds no formulas, so no neutralisation applies."""
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", **feature} for feature in features],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return download(text, GEOJSON_CONTENT_TYPE, f"{filename}.geojson")
