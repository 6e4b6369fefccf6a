"""Validation of files in the national standard, with the standard's schema (frictionless,
through `maillage.table_schema`).

A file (CSV or JSON) is first read into rows keyed by the standard's field names, then
written back as a canonical CSV — every column of the schema, in the schema's order — which
frictionless validates against `schema.json`, plus three checks the schema cannot express:
the opening hours must parse (opening-hours-py), the pivot's check digit must be right, and
the typology codes must belong to the national list. Each error is reported in French with
the row, the field and the expected form:
`ligne 3, champ itinerance : attendu une ou plusieurs valeurs parmi « Itinérant », « Fixe »…`.

Row numbers are those a spreadsheet shows: the header is line 1, the first place line 2.
In a JSON file, "ligne N" is the (N-1)-th object of the list.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from maillage import uploads
from maillage.import_errors import RowError
from maillage.table_schema import validate_csv

from . import hours, labels, standard
from .identifiers import pivot_valid


@dataclass
class ReadResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def _quoted(values) -> str:
    return ", ".join(f"« {value} »" for value in values)


# --- Reading -------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return standard.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _header_errors(header: list[str]) -> list[RowError]:
    known = set(standard.field_names())
    problems = [
        RowError(None, None, labels.ERR_MISSING_COLUMN.format(field=name))
        for name in standard.required_fields()
        if name not in header
    ]
    problems += [
        RowError(None, None, labels.ERR_EXTRA_COLUMN.format(field=name))
        for name in header
        if name and name not in known
    ]
    return problems


#: A département's places fit in far less; beyond, the file is not what it should be.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
#: A list (or {"lieux": list}) of objects whose values may be lists.
MAX_JSON_DEPTH = 4


def _refused(error: uploads.UploadRefused) -> ReadResult:
    return ReadResult(errors=[RowError(None, None, str(error))])


def read_csv(data: bytes) -> ReadResult:
    try:
        uploads.check_size(len(data), MAX_BYTES)
        text = data.decode("utf-8-sig")
    except uploads.UploadRefused as error:
        return _refused(error)
    except UnicodeDecodeError:
        return ReadResult(errors=[RowError(None, None, labels.ERR_ENCODING)])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        uploads.check_text(text)
        records = [
            record
            for record in uploads.limited_rows(reader, MAX_ROWS + 1)
            if any(cell.strip() for cell in record)
        ]
    except uploads.UploadRefused as error:
        return _refused(error)
    if not records:
        return ReadResult(errors=[RowError(None, None, labels.ERR_EMPTY)])
    header = [name.strip() for name in records[0]]
    errors_found = _header_errors(header)
    if errors_found:
        return ReadResult(errors=errors_found)
    rows = []
    for line, record in enumerate(records[1:], start=2):
        if len(record) > len(header):
            errors_found.append(
                RowError(line, None, f"{len(record)} cellules pour {len(header)} colonnes")
            )
            continue
        rows.append(dict(zip(header, [*record, *[""] * (len(header) - len(record))], strict=True)))
    if not rows and not errors_found:
        errors_found.append(RowError(None, None, labels.ERR_EMPTY))
    return ReadResult(rows=rows, errors=errors_found)


def read_json(data: bytes) -> ReadResult:
    """A list of objects (or {"lieux": [...]}) keyed by the standard's names.

    Multi-valued fields may be JSON arrays or "|"-separated strings; numbers may be numbers.
    """
    try:
        uploads.check_size(len(data), MAX_BYTES)
        payload = uploads.load_json(data.decode("utf-8-sig"), max_depth=MAX_JSON_DEPTH)
    except uploads.UploadRefused as error:
        return _refused(error)
    except UnicodeDecodeError:
        return ReadResult(errors=[RowError(None, None, labels.ERR_ENCODING)])
    except json.JSONDecodeError as error:
        detail = f"ligne {error.lineno}, colonne {error.colno}"
        return ReadResult(errors=[RowError(None, None, labels.ERR_JSON.format(detail=detail))])
    if isinstance(payload, dict):
        payload = payload.get("lieux")
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        return ReadResult(errors=[RowError(None, None, labels.ERR_JSON_SHAPE)])
    if not payload:
        return ReadResult(errors=[RowError(None, None, labels.ERR_EMPTY)])
    if len(payload) > MAX_ROWS:
        return _refused(uploads.UploadRefused(f"Trop de lieux : {MAX_ROWS} au plus par fichier."))
    header = list(dict.fromkeys(key for item in payload for key in item))
    known = set(standard.field_names())
    errors_found = [
        RowError(None, None, labels.ERR_EXTRA_COLUMN.format(field=name))
        for name in header
        if name not in known
    ]
    if errors_found:
        return ReadResult(errors=errors_found)
    rows = [{name: _cell(item.get(name)) for name in header} for item in payload]
    return ReadResult(rows=rows)


def read(data: bytes, fmt: str) -> ReadResult:
    if fmt == "csv":
        return read_csv(data)
    if fmt == "json":
        return read_json(data)
    return ReadResult(errors=[RowError(None, None, labels.ERR_FORMAT.format(value=fmt))])


def canonical_csv(rows: list[dict[str, str]]) -> bytes:
    """Rows as CSV with every column of the standard, in the schema's order (UTF-8)."""
    names = standard.field_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([row.get(name) or "" for name in names])
    return buffer.getvalue().encode("utf-8")


# --- Checks the schema cannot express ---------------------------------------------------------


def standard_row_errors(row) -> Iterator[tuple[str, str]]:
    """Opening hours parse, pivot check digit, typology codes from the national list:
    `(field, message)` for each bad cell (`table_schema.RowCheck`)."""
    horaires = row["horaires"]
    if horaires and (message := hours.hours_error(horaires)):
        yield "horaires", message
    pivot = row["pivot"]
    if pivot and re.fullmatch(r"[a-zA-Z0-9]{9,14}", pivot) and not pivot_valid(pivot):
        yield "pivot", labels.ERR_PIVOT.format(value=pivot)
    typologie = row["typologie"]
    if typologie:
        allowed = set(standard.enumerations()["typologie"])
        unknown = [code for code in standard.split(typologie) if code not in allowed]
        if unknown:
            yield "typologie", labels.ERR_TYPOLOGY.format(values=_quoted(unknown))


# --- Frictionless → French -------------------------------------------------------------------

_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)


def _message(error) -> str:
    name = error.field_name
    cell = "" if error.cell is None else str(error.cell)
    if error.type == "type-error":
        schema_field = next(f for f in standard.schema_descriptor()["fields"] if f["name"] == name)
        expected = labels.TYPE_NAMES.get(schema_field["type"], schema_field["type"])
        return labels.ERR_TYPE.format(expected=expected, value=cell)
    if error.type in {"unique-error", "primary-key"}:
        return labels.ERR_UNIQUE.format(value=cell)
    if error.type == "cell-error":
        return error.note
    match = _CONSTRAINT.search(error.note or "")
    if error.type == "constraint-error" and match:
        constraint, value = match[1], match[2]
        if constraint == "required":
            return labels.ERR_REQUIRED
        if constraint == "maxLength":
            return labels.ERR_MAX_LENGTH.format(limit=value, length=len(cell))
        if constraint == "pattern":
            if name in standard.ENUMERATED_FIELDS:
                return labels.ERR_PATTERN_LIST.format(
                    values=_quoted(standard.enumerations()[name]), value=cell
                )
            hint = labels.FIELD_PATTERN_HINTS.get(name, value)
            return labels.ERR_PATTERN.format(pattern=hint, value=cell)
    return f"{error.title} ({error.note})"


def validate_rows(rows: list[dict[str, str]]) -> list[RowError]:
    """Every error of `rows` against the national schema, at most one per row and field."""
    report = validate_csv(
        canonical_csv(rows), standard.schema_descriptor(), row_check=standard_row_errors
    )
    found: dict[tuple, RowError] = {}
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            name = getattr(error, "field_name", None)
            if error.type == "primary-key":
                name = "id"
                identifier = rows[row - 2].get("id", "") if row else ""
                message = labels.ERR_UNIQUE.format(value=identifier)
            else:
                message = _message(error)
            found.setdefault((row, name), RowError(row, name, message))
    for error in report.errors:  # resource-level (should not happen: we wrote the CSV)
        found.setdefault((None, error.type), RowError(None, None, error.message))
    return sorted(found.values(), key=lambda e: (e.row or 0, _field_order(e.field)))


def _field_order(name: str | None) -> int:
    names = standard.field_names()
    return names.index(name) if name in names else len(names)


def validate_file(data: bytes, fmt: str) -> ReadResult:
    """Read and validate a file; `result.errors` lists every problem found."""
    result = read(data, fmt)
    if result.errors:
        return result
    result.errors = validate_rows(result.rows)
    return result
