"""CSV import of monthly returns (and the template to fill): one line per member and month.

`import_returns(network, data, by=…, dry_run=…)` is the one import service (used by the page,
the `import_network_returns` command and the tests). It reads the whole file, validates every
line with the very form members use (`MonthlyReturnForm`) plus the month rules, and writes
nothing unless every line is right; then it writes every return in one transaction. A line
for a (member, month) already sent replaces it: importing the same file twice changes nothing.

Errors name the line as a spreadsheet shows it (header = line 1) and the column, as every
import of Maillage does (`maillage.import_errors.RowError`):
`ligne 4, champ contacts_snapchat : Un nombre entier positif ou nul est attendu.`
Files saved by Excel are accepted: UTF-8 (with or without BOM) or Windows-1252, separator
";" or ",".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from maillage import uploads
from maillage.import_errors import RowError

from . import labels
from .forms import MonthlyReturnForm, count_field_name
from .labels import CountKind, Partner, Platform, ReturnSource, Subject
from .models import Member, Network
from .returns import check_month, missing_returns, write_return
from .services import _check_coordinate, recompute_indicators

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024

# CSV column → form field; the column names are those of the template.
CODE_COLUMNS = {
    CountKind.CHANNEL: {code: code if code != Platform.OTHER else "autre" for code in Platform},
    CountKind.SUBJECT: {
        Subject.SCHOOL: "scolarite",
        Subject.EMPLOYMENT: "emploi",
        Subject.HEALTH: "sante",
        Subject.RELATIONS: "relations",
        Subject.DIGITAL: "numerique",
        Subject.RIGHTS: "droits",
        Subject.LEISURE: "loisirs",
        Subject.OTHER: "autre",
    },
    CountKind.PARTNER: {
        Partner.YOUTH_INFORMATION: "information_jeunesse",
        Partner.MISSION_LOCALE: "mission_locale",
        Partner.HEALTH: "sante",
        Partner.SOCIAL: "social",
        Partner.SCHOOL: "scolaire",
        Partner.OTHER: "autre",
    },
}
REQUIRED_COLUMNS = {"courriel": "member", "mois": "month"}
COLUMNS: dict[str, str] = {
    **REQUIRED_COLUMNS,
    "suivis_individuels": "follow_ups",
    "rencontres_physiques": "physical_meetings",
    **{
        f"{labels.COUNT_COLUMN_PREFIX[kind]}_{column}": count_field_name(kind, str(code))
        for kind, codes in CODE_COLUMNS.items()
        for code, column in codes.items()
    },
}
FIELD_COLUMNS = {field_name: column for column, field_name in COLUMNS.items()}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.errors:
            return [
                labels.MSG_IMPORT_REFUSED.format(count=len(self.errors)),
                *(f"  {error}" for error in self.errors),
            ]
        prefix = "Simulation (rien n'est enregistré) : " if self.dry_run else ""
        return [prefix + labels.MSG_IMPORT_DONE.format(created=self.created, updated=self.updated)]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """(line number, {column: cell}) for every non-empty line, or the file's errors."""
    if len(data) > MAX_BYTES:
        return [], [RowError(None, None, labels.ERR_TOO_LARGE.format(limit=MAX_ROWS))]
    try:
        text = uploads.check_text(_decode(data))
    except uploads.UploadRefused as error:
        return [], [RowError(None, None, str(error))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        return [], [RowError(None, None, labels.ERR_EMPTY)]
    header = [name.strip().lower() for name in numbered[0][1]]
    errors = [
        RowError(None, None, labels.ERR_MISSING_COLUMN.format(column=name))
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    errors += [
        RowError(None, None, labels.ERR_UNKNOWN_COLUMN.format(column=name))
        for name in header
        if name and name not in COLUMNS
    ]
    if errors:
        return [], errors
    if len(numbered) - 1 > MAX_ROWS:
        return [], [RowError(None, None, labels.ERR_TOO_LARGE.format(limit=MAX_ROWS))]
    rows = []
    for line, record in numbered[1:]:
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            errors.append(
                RowError(
                    line,
                    None,
                    labels.ERR_TOO_MANY_CELLS.format(cells=len(record), columns=len(header)),
                )
            )
            continue
        cells = [cell.strip() for cell in record] + [""] * (len(header) - len(record))
        rows.append((line, dict(zip(header, cells, strict=False))))
    if not rows and not errors:
        errors.append(RowError(None, None, labels.ERR_EMPTY))
    return rows, errors


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            name: [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    return {"": error.messages}


def import_returns(
    network: Network, data: bytes, *, by=None, dry_run: bool = False
) -> ImportReport:
    """Validate every line, then write all the returns in one transaction (or none)."""
    _check_coordinate(by, network)
    report = ImportReport(dry_run=dry_run)
    rows, report.errors = read_rows(data)
    if report.errors:
        return report
    members = {
        m.email.lower(): m
        for m in Member.objects.filter(network=network, erased_at__isnull=True).exclude(email="")
    }
    seen: dict[tuple[int, dt.date], int] = {}
    valid = []
    for line, row in rows:
        member = members.get(row.get("courriel", "").lower())
        if member is None:
            report.errors.append(
                RowError(
                    line,
                    "courriel",
                    labels.ERR_UNKNOWN_MEMBER.format(value=row.get("courriel", "")),
                )
            )
        form = MonthlyReturnForm(data={COLUMNS[c]: v for c, v in row.items() if c in COLUMNS})
        if not form.is_valid():
            for name, messages in form.errors.items():
                column = FIELD_COLUMNS.get(name)
                report.errors += [RowError(line, column, message) for message in messages]
            continue
        if member is None:
            continue
        month = form.cleaned_data["month"]
        try:
            check_month(member, month)
        except ValidationError as error:
            for message_list in _messages(error).values():
                report.errors += [RowError(line, "mois", message) for message in message_list]
            continue
        if (member.pk, month) in seen:
            report.errors.append(
                RowError(line, None, labels.ERR_DUPLICATE_ROW.format(row=seen[(member.pk, month)]))
            )
            continue
        seen[(member.pk, month)] = line
        valid.append((member, month, form.return_data()))
    if report.errors or dry_run:
        if report.errors:
            report.errors.sort(key=lambda e: (e.row or 0, e.field or ""))
        return report
    with transaction.atomic():
        for member, month, return_data in valid:
            _return, created = write_return(
                member=member, month=month, data=return_data, source=ReturnSource.IMPORT, by=by
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
        recompute_indicators(*{month for _member, month, _data in valid})
    return report


def template_rows(network: Network, month: dt.date) -> list[list[str]]:
    """The import template's lines: one per member who owes `month`'s return, counts empty
    (the header is `list(COLUMNS)`)."""
    return [
        [member.email, f"{month:%Y-%m}", *[""] * (len(COLUMNS) - 2)]
        for member in missing_returns(network, month).order_by("last_name", "first_name")
    ]
