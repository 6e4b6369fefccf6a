"""Exports of what a person sees: tables (CSV for every spreadsheet, XLSX for Excel) and maps
(GeoJSON)."""

import csv
import io
import json
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection), keep phone numbers readable."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not text.lstrip("+-").replace(" ", "").isdigit():
        return "'" + text
    return text


def table_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """A download of `rows` as CSV (semicolons, UTF-8 with BOM for Excel) or XLSX."""
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_safe(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([_safe(value) for value in row] for row in rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


GEOJSON_CONTENT_TYPE = "application/geo+json"


def geojson_response(filename: str, features: Iterable[dict]) -> HttpResponse:
    """A download of GeoJSON `features` (each `{"geometry", "properties"}`) as one collection."""
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", **feature} for feature in features],
    }
    response = HttpResponse(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")),
        content_type=GEOJSON_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.geojson"'
    return response
