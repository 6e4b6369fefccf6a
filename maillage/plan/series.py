"""Series of indicator values that another system produces (the Archives' monthly counts of
images online, online consultations, visits…): one import for every sheet whose data come
from elsewhere (Num03 first).

A CSV or XLSX file (its first tab), in either shape:

- long — one value per line: `indicateur`, `période` (or `date`), `valeur`, and optionally
  `commentaire`;
- wide — as exports usually come: a `période` (or `date`, `mois`, `année`) column, then one
  column per indicator.

An indicator is named by its number (the "id" column of the plan's XLSX export, written
`7` or `n° 7`) or by its exact label when no other indicator of the plan bears it. A period
is a month (`2024-03`, `03/2024`, `mars 2024`), a year (`2024`) or a day (`31/03/2024`,
`2024-03-31`); the value is dated the last day of its period, so a month's count and the
same month sent again land on the same date.

Reading (`series_read`) checks every line and stores the change set in a `BulkUpdate`
(kind "series") — new values, changed values with the old one, how many are unchanged —
and writes nothing: the pilot previews it, then `bulk.bulk_update_apply` applies it in one
transaction. The import is idempotent per (indicator, date): the value a series brought at
that date is created or replaced (history keeps the old one); values entered by hand are
never touched. `series_import` reads and applies at once, for the command and the API.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from maillage import clock, uploads
from maillage.organisations import permissions

from . import labels
from .amounts import fold
from .bulk import _shown, bulk_update_apply
from .labels import BulkUpdateKind, MeasurementSource
from .models import BulkUpdate, Indicator, Measurement, Plan
from .services import parse_decimal
from .sheet_parser import month_number

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
INDICATOR_COLUMN = "indicateur"
PERIOD_COLUMNS = ("période", "periode", "date", "mois", "année", "annee")
VALUE_COLUMN = "valeur"
COMMENT_COLUMN = "commentaire"
_NUMBER = re.compile(r"^(?:n[°o]\s*)?(\d+)$", re.IGNORECASE)


def period_end(value) -> dt.date:
    """The last day of the period a cell names (month, year or day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and float(value).is_integer() and 1900 <= value <= 2200:
        return dt.date(int(value), 12, 31)
    text = " ".join(str(value).split())
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31)
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})", "ym"),
        (r"(\d{1,2})/(\d{4})", "my"),
    ):
        if match := re.fullmatch(pattern, text):
            year, month = (match[1], match[2]) if order == "ym" else (match[2], match[1])
            return _month_end(int(year), int(month))
    if match := re.fullmatch(r"([^\d\s]+)\s+(\d{4})", text):
        month = month_number(match[1])
        if month:
            return _month_end(int(match[2]), month)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"période non reconnue : « {value} »")


def _month_end(year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"mois {month} inexistant")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """(header, [(line, cells)]) of a CSV (UTF-8 or Windows-1252) or an XLSX's first tab."""
    if len(content) > MAX_BYTES:
        raise ValidationError(
            f"Fichier trop volumineux ({len(content) // 1024} Ko, {MAX_BYTES // 1024} Ko au plus)."
        )
    if content[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds of errors on a bad file
            raise ValidationError(labels.MSG_IMPORT_BAD_FILE.format(error=error)) from error
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        try:  # a small file may unzip to millions of rows: stop reading at the limit
            records = [list(row) for row in uploads.limited_rows(rows, 2 * MAX_ROWS)]
        except uploads.UploadRefused as error:
            raise ValidationError(str(error)) from error
        finally:
            workbook.close()
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")
        try:
            uploads.check_text(text)
        except uploads.UploadRefused as error:
            raise ValidationError(str(error)) from error
        first = text.split("\n", 1)[0]
        delimiter = max(";,\t", key=first.count)
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header: list[str] | None = None
    rows = []
    for line, cells in enumerate(records, start=1):
        if not any(_cell_text(c) for c in cells):
            continue
        if header is None:
            header = [_cell_text(c) for c in cells]
            continue
        rows.append((line, cells))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"Trop de lignes (plus de {MAX_ROWS}).")
    if header is None or not rows:
        raise ValidationError("Le fichier ne contient aucune ligne de valeurs.")
    return header, rows


class _Indicators:
    """Find a plan's indicators by number or label."""

    def __init__(self, plan: Plan) -> None:
        self.by_pk = {
            i.pk: i for i in Indicator.objects.filter(sheet__plan=plan).select_related("sheet")
        }
        self.by_label: dict[str, list[Indicator]] = {}
        for indicator in self.by_pk.values():
            self.by_label.setdefault(fold(indicator.label), []).append(indicator)

    def find(self, text: str) -> Indicator:
        text = _cell_text(text)
        if match := _NUMBER.match(text):
            indicator = self.by_pk.get(int(match[1]))
            if indicator is None:
                raise ValueError(f"aucun indicateur n° {match[1]} dans ce schéma")
            return indicator
        found = self.by_label.get(fold(text), [])
        if not found:
            raise ValueError(f"aucun indicateur « {text} » dans ce schéma")
        if len(found) > 1:
            numbers = ", ".join(f"n° {i.pk} ({i.sheet.ref})" for i in found)
            raise ValueError(f"plusieurs indicateurs s'appellent ainsi : {numbers}")
        return found[0]


def _column(header: list[str], names) -> int | None:
    folded = [fold(h) for h in header]
    return next((folded.index(fold(n)) for n in names if fold(n) in folded), None)


def series_read(*, plan: Plan, content: bytes, filename: str, user=None) -> BulkUpdate:
    """Check the file and store what importing it would change; nothing else is written."""
    header, rows = read_rows(content)
    errors: list[str] = []
    found = _Indicators(plan)
    editable = permissions.editable_sheet_ids(user, plan) if user is not None else None
    period_index = _column(header, PERIOD_COLUMNS)
    if period_index is None:
        raise ValidationError(
            "Colonne de période introuvable : « période », « date », « mois » ou « année »."
        )
    indicator_index = _column(header, [INDICATOR_COLUMN])
    comment_index = _column(header, [COMMENT_COLUMN])
    if indicator_index is not None:  # long: one value per line
        value_index = _column(header, [VALUE_COLUMN])
        if value_index is None:
            raise ValidationError("Colonne « valeur » introuvable.")
        columns = [(value_index, None)]
    else:  # wide: one column per indicator
        columns = []
        for index, name in enumerate(header):
            if index in (period_index, comment_index) or not name:
                continue
            try:
                columns.append((index, found.find(name)))
            except ValueError as error:
                errors.append(f"Ligne 1, colonne « {name} » : {error}.")
    values: dict[tuple[int, dt.date], tuple[int, Decimal, str]] = {}
    today = clock.today()

    def bad(line: int, index: int, cell, message: str) -> None:
        errors.append(
            labels.MSG_IMPORT_BAD_VALUE.format(
                row=line, column=header[index], value=_cell_text(cell), error=message
            )
        )

    for line, cells in rows:
        cells = [*cells, *[None] * (len(header) - len(cells))]
        try:
            date = period_end(cells[period_index])
        except ValueError as error:
            bad(line, period_index, cells[period_index], str(error))
            continue
        if date > today:
            bad(line, period_index, cells[period_index], "période pas encore terminée")
            continue
        comment = _cell_text(cells[comment_index]) if comment_index is not None else ""
        for index, indicator in columns:
            if indicator is None:
                try:
                    indicator = found.find(cells[indicator_index])
                except ValueError as error:
                    bad(line, indicator_index, cells[indicator_index], str(error))
                    continue
            cell = cells[index]
            if _cell_text(cell) == "":
                if indicator_index is not None:
                    bad(line, index, cell, "valeur manquante")
                continue  # a wide file may leave a month empty for one indicator
            try:
                value = parse_decimal(_cell_text(cell))
            except ValidationError:
                bad(line, index, cell, "nombre attendu")
                continue
            if editable is not None and indicator.sheet_id not in editable:
                errors.append(labels.MSG_IMPORT_FORBIDDEN.format(row=line, ref=indicator.sheet.ref))
                continue
            key = (indicator.pk, date)
            if key in values:
                bad(
                    line,
                    index,
                    cell,
                    f"l'indicateur n° {indicator.pk} a déjà une valeur au {date:%d/%m/%Y} "
                    f"(ligne {values[key][0]})",
                )
                continue
            values[key] = (line, value, comment)
    changes, unchanged = _changes(values, found) if not errors else ([], 0)
    return BulkUpdate.objects.create(
        plan=plan,
        kind=BulkUpdateKind.SERIES,
        uploaded_by=user,
        filename=filename[:255],
        changes=changes,
        errors=errors,
        unchanged=unchanged,
    )


def _changes(values: dict, found: _Indicators) -> tuple[list[dict], int]:
    current = {
        (m.indicator_id, m.date): m.value
        for m in Measurement.objects.filter(
            indicator_id__in={pk for pk, _ in values}, source=MeasurementSource.SERIES
        )
    }
    changes, unchanged = [], 0
    for (pk, date), (line, value, comment) in sorted(values.items(), key=lambda kv: kv[1][0]):
        old = current.get((pk, date))
        if old is not None and old == value:
            unchanged += 1
            continue
        indicator = found.by_pk[pk]
        changes.append(
            {
                "kind": "series",
                "pk": pk,
                "ref": indicator.sheet.ref,
                "indicator": indicator.label,
                "field": date.isoformat(),
                "label": f"Valeur au {date:%d/%m/%Y}",
                "row": line,
                "old": None if old is None else f"{old.normalize():f}",
                "new": {
                    "value": f"{value.normalize():f}",
                    "date": date.isoformat(),
                    "comment": comment,
                },
                "old_shown": _shown(old),
                "new_shown": _shown(value),
            }
        )
    return changes, unchanged


def series_import(
    *, plan: Plan, content: bytes, filename: str, user=None, dry_run: bool = False
) -> BulkUpdate:
    """Read, then apply unless `dry_run` or an error: the command's and the API's way."""
    update = series_read(plan=plan, content=content, filename=filename, user=user)
    if not update.errors and not dry_run and update.changes:
        bulk_update_apply(bulk_update=update, user=user)
        update.refresh_from_db()
    return update
