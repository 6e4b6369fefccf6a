"""Check a table against its layout, column by column, and turn it into counts.

Only the rows of the département Maillage serves are read (the regulator's files are
national). Those rows are written as a canonical CSV that frictionless validates against the
layout's schema (`maillage.table_schema`: code pattern, integers ≥ 0, required cells); then
the rules across columns (cumulative speed thresholds, parts summing to their total), the
quarter, the commune (current INSEE code or one of 2018, merged since) and duplicates are
checked. Every error names the line a spreadsheet shows and the column as the file heads it;
nothing is kept from a file with errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from maillage import clock
from maillage.import_errors import RowError
from maillage.table_schema import validate_csv

from . import labels
from .layouts import Spec
from .quarters import Quarter
from .reading import Table

INSEE_PATTERN = r"^[0-9][0-9AB][0-9]{3}$"
_SPACES = re.compile(r"[\s\u202f\xa0]")
MAX_ERRORS = 200

Key = tuple[str, str, str]  # (INSEE code, quarter end ISO, dataset)


def row_error(row: int | None, column: str | None, message: str) -> RowError:
    """An error of a broadband file, said by its column (« Ligne 3, colonne « … » : … »)."""
    return RowError(row, column, message, wording=labels.ROW_ERRORS)


@dataclass
class Parsed:
    records: dict[Key, dict[str, int]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    rows_other_departements: int = 0
    rows_other_types: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def quarters(self) -> list[dt.date]:
        return sorted({dt.date.fromisoformat(key[1]) for key in self.records})


def normalise_code(text: str) -> str:
    code = text.strip().upper()
    return code.zfill(5) if code.isdigit() and len(code) < 5 else code


def _integer_text(text: str) -> str:
    value = _SPACES.sub("", text)
    return value[:-2] if value.endswith(".0") else value


def _schema(spec: Spec) -> dict:
    """The layout as a Table Schema descriptor."""
    fields = [
        {
            "name": spec.code.key,
            "type": "string",
            "constraints": {"required": True, "pattern": INSEE_PATTERN},
        }
    ]
    if spec.quarter:
        fields.append(
            {"name": spec.quarter.key, "type": "string", "constraints": {"required": True}}
        )
    fields += [
        {
            "name": column.key,
            "type": "integer",
            "bareNumber": True,
            "constraints": {"required": column.required, "minimum": 0},
        }
        for column in spec.counts
    ]
    return {"fields": fields}


def _message(error, spec: Spec, cell: str) -> str:
    """The error in French, quoting the cell as the file wrote it."""
    if error.field_name == spec.code.key:
        return labels.ERR_REQUIRED if not cell else labels.ERR_INSEE.format(value=cell)
    if "required" in (error.note or "") and not cell:
        return labels.ERR_REQUIRED
    if spec.quarter and error.field_name == spec.quarter.key:
        return labels.ERR_REQUIRED
    return labels.ERR_INTEGER.format(value=cell)


def _column_indexes(spec: Spec, table: Table, errors: list[RowError]) -> dict[str, int]:
    indexes: dict[str, int] = {}
    columns = [spec.code, *([spec.quarter] if spec.quarter else []), *spec.counts]
    for column in columns:
        index = next(
            (
                i
                for name in (column.header, *column.aliases)
                if (i := table.column(name)) is not None
            ),
            None,
        )
        if index is not None:
            indexes[column.key] = index
        elif column.required:
            errors.append(
                row_error(None, None, labels.ERR_MISSING_COLUMN.format(column=column.header))
            )
    if spec.quarter is None and not spec.quarter_columns:
        errors.append(row_error(None, None, labels.ERR_NO_QUARTER_COLUMN))
    return indexes


def validate(
    spec: Spec, table: Table, *, departement_code: str, communes: dict[str, str]
) -> Parsed:
    """Counts of the département's rows by (commune, quarter, dataset), or every error.

    `communes` maps every INSEE code Maillage knows (current and of 2018) to the current one.
    """
    parsed = Parsed(rows_read=len(table.rows))
    indexes = _column_indexes(spec, table, parsed.errors)
    if parsed.errors:
        return parsed
    type_index = table.column(spec.type_column) if spec.type_column else None

    def cell(cells: list[str], key: str) -> str:
        index = indexes.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    kept: list[tuple[int, list[str]]] = []
    for line, cells in table.rows:
        if not normalise_code(cell(cells, spec.code.key)).startswith(departement_code):
            parsed.rows_other_departements += 1
            continue
        row_type = cells[type_index] if type_index is not None and type_index < len(cells) else ""
        if row_type.strip().casefold() not in ("", "all"):
            parsed.rows_other_types += 1
            continue
        kept.append((line, cells))
    if not kept:
        parsed.errors.append(
            row_error(None, None, labels.ERR_NO_ROW_HERE.format(code=departement_code))
        )
        return parsed

    count_keys = [c.key for c in spec.counts]
    header_keys = [spec.code.key, *([spec.quarter.key] if spec.quarter else []), *count_keys]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header_keys)
    for _line, cells in kept:
        writer.writerow(
            [normalise_code(cell(cells, spec.code.key))]
            + ([cell(cells, spec.quarter.key)] if spec.quarter else [])
            + [_integer_text(cell(cells, key)) for key in count_keys]
        )
    report = validate_csv(
        buffer.getvalue().encode("utf-8"), _schema(spec), limit_errors=10 * MAX_ERRORS
    )
    bad_lines: set[int] = set()
    for task in report.tasks:
        for error in task.errors:
            row_number = getattr(error, "row_number", None)
            if row_number is None:
                parsed.errors.append(row_error(None, None, f"{error.title} ({error.note})"))
                continue
            line, cells = kept[row_number - 2]
            bad_lines.add(line)
            message = _message(error, spec, cell(cells, error.field_name))
            parsed.errors.append(row_error(line, spec.column_header(error.field_name), message))

    today = clock.today()
    seen: dict[tuple[str, dt.date | None], int] = {}
    for line, cells in kept:
        if line in bad_lines:
            continue
        code = normalise_code(cell(cells, spec.code.key))
        quarter = None
        if spec.quarter:
            raw = cell(cells, spec.quarter.key)
            try:
                quarter = Quarter.parse(raw)
            except ValueError:
                parsed.errors.append(
                    row_error(line, spec.quarter.header, labels.ERR_QUARTER.format(value=raw))
                )
                continue
            if quarter.end > today:
                parsed.errors.append(
                    row_error(
                        line, spec.quarter.header, labels.ERR_FUTURE_QUARTER.format(quarter=quarter)
                    )
                )
                continue
        insee = communes.get(code)
        if insee is None:
            parsed.errors.append(
                row_error(line, spec.code.header, labels.ERR_UNKNOWN_COMMUNE.format(code=code))
            )
            continue
        key = (code, quarter.end if quarter else None)
        if key in seen:
            parsed.errors.append(
                row_error(
                    line,
                    spec.code.header,
                    labels.ERR_DUPLICATE.format(
                        code=code, where=f" pour {quarter}" if quarter else "", line=seen[key]
                    ),
                )
            )
            continue
        seen[key] = line
        row = {
            key: (int(v) if (v := _integer_text(cell(cells, key))) else None) for key in count_keys
        }
        broken = False
        for check in spec.checks:
            if message := check.test(row):
                parsed.errors.append(row_error(line, spec.column_header(check.column), message))
                broken = True
        if broken:
            continue
        for record_quarter, dataset, counts in spec.build(row, quarter, spec):
            record_key = (insee, record_quarter.end.isoformat(), dataset)
            merged = parsed.records.setdefault(record_key, {})
            for category, value in counts.items():
                merged[category] = merged.get(category, 0) + value  # merged communes add up
    parsed.errors.sort(key=lambda e: (e.row or 0, e.field or ""))
    return parsed
