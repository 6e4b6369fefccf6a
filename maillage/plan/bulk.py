"""Bulk update from an edited XLSX export: read → preview every change → apply atomically.

Reading validates everything and stores the change set (with the old values) in a
`BulkUpdate`; applying re-checks that nothing changed in between, then writes through the
services so that history records who changed what.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillage import clock, uploads
from maillage.organisations import permissions

from . import labels, services
from .exports import INDICATOR_COLUMNS, INDICATORS_TAB, SHEET_COLUMNS, SHEETS_TAB, YES
from .labels import MeasurementSource, SheetStatus, TargetKind
from .models import ActionSheet, BulkUpdate, Indicator, Measurement, Plan, Target

_STATUS_BY_LABEL = {label.lower(): value for value, label in SheetStatus.choices} | {
    value: value for value in SheetStatus.values
}


#: A plan's workbook is a few hundred lines and well under a megabyte.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal_or_none(value) -> Decimal | None:
    text = _text(value)
    return None if text == "" else services.parse_decimal(text)


def _bool(value) -> bool:
    text = _text(value).lower()
    if text in {"oui", "o", "x", "1", "vrai", "true", "yes"}:
        return True
    if text in {"non", "n", "", "0", "faux", "false", "no"}:
        return False
    raise ValidationError("attendu : Oui ou Non")


def _date(value) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError("date attendue au format JJ/MM/AAAA")


def _when(value) -> tuple[dt.date | None, int | None]:
    """A target's date: a full date, or a bare year."""
    text = _text(value)
    if text.isdigit() and len(text) == 4:
        return None, int(text)
    return _date(value), None


def _raw(value):
    """JSON-safe form of a value, used to store and compare."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _shown(value) -> str:
    if value is None or value == "":
        return "(vide)"
    if isinstance(value, bool):
        return YES if value else "Non"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _rows(workbook, tab: str, columns) -> tuple[list[tuple[int, dict]], dict[str, str]]:
    """The filled rows of a tab, by column key, and each key's column letter."""
    from openpyxl.utils import get_column_letter

    if tab not in workbook.sheetnames:
        raise ValidationError(labels.MSG_IMPORT_MISSING_SHEET.format(name=tab))
    ws = workbook[tab]
    iterator = ws.iter_rows(values_only=True)
    header = [(_text(h)) for h in next(iterator, ())]
    by_header = {c.header: c.key for c in columns}
    keys = [by_header.get(h) for h in header]
    letters = {key: get_column_letter(index) for index, key in enumerate(keys, start=1) if key}
    rows = []
    for number, values in enumerate(uploads.limited_rows(iterator, MAX_ROWS), start=2):
        if not any(v not in (None, "") for v in values):
            continue
        rows.append((number, {k: v for k, v in zip(keys, values, strict=False) if k}))
    return rows, letters


def _at(tab: str, row: int, letters: dict[str, str], *keys: str) -> str:
    """Where a problem is, for a person with the workbook open: "Onglet « Fiches », ligne 4,
    colonne E « Statut »"."""
    columns = SHEET_COLUMNS if tab == SHEETS_TAB else INDICATOR_COLUMNS
    headers = {c.key: c.header for c in columns if c.key in keys}
    where = f"Onglet « {tab} », ligne {row}"
    columns = [f"{letters.get(key, '?')} « {headers[key]} »" for key in keys if key in headers]
    if columns:
        where += (", colonne " if len(columns) == 1 else ", colonnes ") + ", ".join(columns)
    return where


def _sheet_value(key: str, cell):
    if key == "status":
        text = _text(cell).lower()
        if text not in _STATUS_BY_LABEL:
            raise ValidationError("statut inconnu")
        return _STATUS_BY_LABEL[text]
    if key in labels.DIMENSIONS:
        return _bool(cell)
    if key == "cost_total":
        return _decimal_or_none(cell)
    return _text(cell)


def bulk_update_read(*, plan: Plan, file, user) -> BulkUpdate:
    """Read an edited workbook and store every change it implies, without writing any."""
    from openpyxl import load_workbook

    changes: list[dict] = []
    errors: list[str] = []
    try:
        content = file.read(MAX_BYTES + 1)
        uploads.check_size(len(content), MAX_BYTES)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except uploads.UploadRefused as exc:
        raise ValidationError(str(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on a bad file
        raise ValidationError(labels.MSG_IMPORT_BAD_FILE.format(error=exc)) from exc
    editable = permissions.editable_sheet_ids(user, plan)
    sheets = {s.ref: s for s in ActionSheet.objects.filter(plan=plan)}
    sheet_columns = [c for c in SHEET_COLUMNS if c.editable]
    try:
        sheet_rows, sheet_letters = _rows(workbook, SHEETS_TAB, SHEET_COLUMNS)
        indicator_rows, indicator_letters = _rows(workbook, INDICATORS_TAB, INDICATOR_COLUMNS)
    except uploads.UploadRefused as exc:
        raise ValidationError(str(exc)) from exc

    for number, row in sheet_rows:
        ref = _text(row.get("ref"))
        sheet = sheets.get(ref)
        if sheet is None:
            errors.append(
                _at(SHEETS_TAB, number, sheet_letters, "ref")
                + " : "
                + labels.MSG_IMPORT_UNKNOWN_REF.format(ref=ref)
            )
            continue
        row_changes = []
        for column in sheet_columns:
            if column.key not in row:
                continue
            try:
                new = _sheet_value(column.key, row[column.key])
            except ValidationError as exc:
                errors.append(
                    _at(SHEETS_TAB, number, sheet_letters, column.key)
                    + " : "
                    + labels.MSG_IMPORT_BAD_CELL.format(
                        value=_text(row[column.key]), error=" ".join(exc.messages)
                    )
                )
                continue
            old = getattr(sheet, column.key)
            if old != new:
                if column.key == "status" and new not in sheet.allowed_transitions():
                    errors.append(
                        _at(SHEETS_TAB, number, sheet_letters, "status")
                        + " : "
                        + labels.MSG_TRANSITION_FORBIDDEN.format(
                            old=SheetStatus(old).label, new=SheetStatus(new).label
                        )
                    )
                    continue
                row_changes.append(
                    {
                        "kind": "sheet",
                        "pk": sheet.pk,
                        "ref": ref,
                        "field": column.key,
                        "label": column.header,
                        "old": _raw(old),
                        "new": _raw(new),
                        "old_shown": _shown(
                            sheet.get_status_display() if column.key == "status" else old
                        ),
                        "new_shown": _shown(
                            SheetStatus(new).label if column.key == "status" else new
                        ),
                    }
                )
        if row_changes and editable is not None and sheet.pk not in editable:
            errors.append(
                _at(SHEETS_TAB, number, sheet_letters, *[c["field"] for c in row_changes])
                + " : "
                + labels.MSG_IMPORT_NOT_YOURS.format(ref=ref)
            )
            continue
        changes.extend(row_changes)

    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(sheet__plan=plan)
        .select_related("sheet")
        .prefetch_related("targets")
    }
    for number, row in indicator_rows:
        try:
            pk = int(_text(row.get("id")))
        except ValueError:
            pk = None
        indicator = indicators.get(pk)
        if indicator is None:
            errors.append(
                _at(INDICATORS_TAB, number, indicator_letters, "id")
                + " : "
                + labels.MSG_IMPORT_UNKNOWN_INDICATOR_CELL.format(pk=pk)
            )
            continue
        row_changes, row_errors = _indicator_changes(number, indicator, row, indicator_letters)
        errors.extend(row_errors)
        if row_changes and editable is not None and indicator.sheet_id not in editable:
            errors.append(
                _at(
                    INDICATORS_TAB,
                    number,
                    indicator_letters,
                    *dict.fromkeys(_change_key(c) for c in row_changes),
                )
                + " : "
                + labels.MSG_IMPORT_NOT_YOURS.format(ref=indicator.sheet.ref)
            )
            continue
        changes.extend(row_changes)

    return BulkUpdate.objects.create(
        plan=plan,
        uploaded_by=user,
        filename=getattr(file, "name", "")[:255],
        changes=changes,
        errors=errors,
    )


def _change_key(change: dict) -> str:
    """The workbook column an indicator change comes from."""
    if change["kind"] == "target":
        return f"{change['field']}.value"
    return "new_value" if change["kind"] == "measurement" else change["field"]


def _indicator_changes(number: int, indicator: Indicator, row: dict, letters: dict[str, str]):
    changes, errors = [], []
    base = {"pk": indicator.pk, "ref": indicator.sheet.ref, "indicator": indicator.label}

    def bad(column_key, exc):
        errors.append(
            _at(INDICATORS_TAB, number, letters, column_key)
            + " : "
            + labels.MSG_IMPORT_BAD_CELL.format(
                value=_text(row.get(column_key)), error=" ".join(exc.messages)
            )
        )

    for key in ("label", "unit"):
        if key in row:
            new, old = _text(row[key]), getattr(indicator, key)
            if key == "label" and not new:
                continue
            if new != old:
                header = next(c.header for c in INDICATOR_COLUMNS if c.key == key)
                changes.append(
                    base
                    | {
                        "kind": "indicator",
                        "field": key,
                        "label": header,
                        "old": old,
                        "new": new,
                        "old_shown": _shown(old),
                        "new_shown": _shown(new),
                    }
                )
    targets = indicator.targets_by_kind()
    for kind in TargetKind.values:
        value_key, when_key = f"{kind}.value", f"{kind}.when"
        if value_key not in row and when_key not in row:
            continue
        target = targets.get(kind)
        old_value = target.value if target else None
        old_text = target.value_text if target else ""
        old_date, old_year = (target.date, target.year) if target else (None, None)
        cell = row.get(value_key)
        new_value, new_text = old_value, old_text
        if cell is not None and _text(cell) != "":
            try:
                new_value, new_text = services.parse_decimal(_text(cell)), ""
            except ValidationError:
                new_value, new_text = None, _text(cell)
        elif value_key in row:
            new_value, new_text = None, ""
        try:
            new_date, new_year = (
                _when(row.get(when_key)) if when_key in row else (old_date, old_year)
            )
        except ValidationError as exc:
            bad(when_key, exc)
            continue
        if target is not None and old_text and old_value is None and new_value is None:
            new_text = new_text or old_text  # a text-only target exported as text: keep it
        elif target is not None and new_value is not None and new_value == old_value:
            new_text = old_text  # the number exported unchanged: keep the text as written
        if new_date is not None and new_date == old_date:
            new_year = old_year  # exported as the full date: the year as written stays
        elif new_year is not None and new_year == old_year and new_date is None:
            new_date = old_date
        old = {
            "value": _raw(old_value),
            "value_text": old_text,
            "date": _raw(old_date),
            "year": old_year,
        }
        new = {
            "value": _raw(new_value),
            "value_text": new_text,
            "date": _raw(new_date),
            "year": new_year,
        }
        if old != new:
            header = TargetKind(kind).label
            changes.append(
                base
                | {
                    "kind": "target",
                    "field": kind,
                    "label": header,
                    "old": old if target else None,
                    "new": new,
                    "old_shown": _target_shown(old) if target else "(vide)",
                    "new_shown": _target_shown(new),
                }
            )
    new_value_cell = row.get("new_value")
    if new_value_cell is not None and _text(new_value_cell) != "":
        try:
            value = services.parse_decimal(_text(new_value_cell))
        except ValidationError as exc:
            bad("new_value", exc)
            return changes, errors
        try:
            date = _date(row.get("new_date")) or clock.today()
        except ValidationError as exc:
            bad("new_date", exc)
            return changes, errors
        if date > clock.today():
            bad("new_date", ValidationError("date dans le futur"))
            return changes, errors
        if indicator.is_count and value != value.to_integral_value():
            bad("new_value", ValidationError("nombre entier attendu : l'indicateur compte"))
            return changes, errors
        if indicator.measurements.filter(date=date).exists():
            bad(
                "new_date",
                ValidationError("une valeur existe déjà à cette date : corrigez-la dans Maillage"),
            )
            return changes, errors
        changes.append(
            base
            | {
                "kind": "measurement",
                "field": "measurement",
                "label": "Nouvelle mesure",
                "old": None,
                "new": {"value": _raw(value), "date": date.isoformat()},
                "old_shown": "—",
                "new_shown": f"{_shown(value)} au {date:%d/%m/%Y}",
            }
        )
    return changes, errors


def _target_shown(data: dict) -> str:
    if not data["value"] and not data["value_text"]:
        return "(vide)"
    value = (data["value"] or "").replace(".", ",") if data["value"] else data["value_text"]
    when = ""
    if data["date"]:
        when = dt.date.fromisoformat(data["date"]).strftime(" au %d/%m/%Y")
    elif data["year"]:
        when = f" en {data['year']}"
    return f"{value}{when}"


@transaction.atomic
def bulk_update_apply(*, bulk_update: BulkUpdate, user) -> int:
    """Apply a previewed change set; all or nothing. Returns the number of changes applied."""
    bulk_update = BulkUpdate.objects.select_for_update().get(pk=bulk_update.pk)
    if bulk_update.applied_at is not None:
        raise ValidationError("Cette mise à jour a déjà été appliquée.")
    if bulk_update.errors:
        raise ValidationError("Corrigez les erreurs du classeur avant d'appliquer.")
    # Without a user (a command run by the operator) nothing is restricted.
    editable = permissions.editable_sheet_ids(user, bulk_update.plan) if user is not None else None
    sheet_fields: dict[int, dict] = {}
    statuses: dict[int, str] = {}
    for change in bulk_update.changes:
        if change["kind"] == "sheet":
            sheet = ActionSheet.objects.get(pk=change["pk"], plan=bulk_update.plan)
            _check_fresh(change, _raw(getattr(sheet, change["field"])))
            if change["field"] == "status":
                statuses[sheet.pk] = change["new"]
            else:
                value = change["new"]
                if change["field"] == "cost_total" and value is not None:
                    value = Decimal(value)
                sheet_fields.setdefault(sheet.pk, {})[change["field"]] = value
        elif editable is not None:
            sheet_id = Indicator.objects.filter(pk=change["pk"]).values_list("sheet_id", flat=True)
            if not sheet_id or sheet_id[0] not in editable:
                raise PermissionDenied
    for pk in set(sheet_fields) | set(statuses):
        if editable is not None and pk not in editable:
            raise PermissionDenied
    for pk, data in sheet_fields.items():
        services.sheet_update(sheet=ActionSheet.objects.get(pk=pk), data=data, by=user)
    for pk, status in statuses.items():
        services.sheet_change_status(
            sheet=ActionSheet.objects.get(pk=pk),
            status=status,
            by=user,
            comment=f"Mise à jour par tableur ({bulk_update.filename})",
        )
    for change in bulk_update.changes:
        if change["kind"] == "indicator":
            indicator = Indicator.objects.select_for_update().get(pk=change["pk"])
            _check_fresh(change, getattr(indicator, change["field"]))
            setattr(indicator, change["field"], change["new"])
            indicator._history_user = user
            indicator.save()
        elif change["kind"] == "target":
            target = Target.objects.filter(indicator_id=change["pk"], kind=change["field"]).first()
            current = (
                {
                    "value": _raw(target.value),
                    "value_text": target.value_text,
                    "date": _raw(target.date),
                    "year": target.year,
                }
                if target
                else None
            )
            _check_fresh(change, current)
            new = change["new"]
            services.target_set(
                indicator=Indicator.objects.get(pk=change["pk"]),
                kind=change["field"],
                value=new["value"],
                value_text=new["value_text"],
                date=dt.date.fromisoformat(new["date"]) if new["date"] else None,
                year=new["year"],
                note=target.note if target else "",
                by=user,
            )
        elif change["kind"] == "measurement":
            services.measurement_record(
                indicator=Indicator.objects.select_related("sheet").get(pk=change["pk"]),
                value=Decimal(change["new"]["value"]),
                date=dt.date.fromisoformat(change["new"]["date"]),
                author=user,
                # Typed by a person (in the workbook): "manual", so that re-importing the
                # sheet document, which owns the "import" values, never removes it.
                source=MeasurementSource.MANUAL,
                provenance={"bulk_update": bulk_update.pk, "file": bulk_update.filename},
            )
        elif change["kind"] == "series":
            measurement = (
                Measurement.objects.select_for_update()
                .filter(
                    indicator_id=change["pk"],
                    date=change["field"],
                    source=MeasurementSource.SERIES,
                )
                .first()
            )
            _check_fresh(change, _raw(measurement.value) if measurement else None)
            services.measurement_upsert(
                measurement=measurement,
                indicator=Indicator.objects.select_related("sheet").get(pk=change["pk"]),
                value=Decimal(change["new"]["value"]),
                date=dt.date.fromisoformat(change["new"]["date"]),
                comment=change["new"]["comment"],
                author=user,
                source=MeasurementSource.SERIES,
                provenance={"series": bulk_update.pk, "file": bulk_update.filename},
            )
    bulk_update.applied_at = timezone.now()
    bulk_update.save(update_fields=["applied_at"])
    return len(bulk_update.changes)


def _check_fresh(change: dict, current) -> None:
    if current != change["old"]:
        if change["kind"] == "series":
            raise ValidationError(
                labels.MSG_SERIES_STALE.format(
                    indicator=change["indicator"], date=change["label"].lower()
                )
            )
        raise ValidationError(
            labels.MSG_IMPORT_STALE.format(ref=change["ref"], field=change["label"])
        )
