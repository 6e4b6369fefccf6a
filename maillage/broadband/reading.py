"""Read a CSV or XLSX file into a header and rows of text, within size limits.

The regulator's files come in several shapes: "Ma connexion internet" CSVs (semicolons,
UTF-8), the deployment observatory's workbook (an XLSX whose "Communes" tab starts with a
few lines of titles before its header row) or the same tab saved as CSV (often Windows-1252).
The header row is the first line holding one of the `anchors` ("code_insee", "Code commune");
rows keep the line number a spreadsheet shows, so errors point at the right line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings

from maillage import uploads

from . import labels

HEADER_SEARCH_ROWS = 15
XLSX_SHEET = "Communes"  # the observatory's tab of per-commune counts
Progress = Callable[[float], None]


class ReadError(Exception):
    """The file cannot be read at all (format, size, encoding, header)."""


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, cells)

    def column(self, name: str) -> int | None:
        """Index of the column headed `name` (case and spaces ignored), or None."""
        wanted = _key(name)
        return next((i for i, h in enumerate(self.header) if _key(h) == wanted), None)


def _key(text: str) -> str:
    return " ".join(str(text).replace("\xa0", " ").split()).casefold()


def max_upload_bytes() -> int:
    return settings.MAILLAGE_BROADBAND_MAX_UPLOAD_MB * 1024 * 1024


def max_rows() -> int:
    return settings.MAILLAGE_BROADBAND_MAX_ROWS


MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024  # a zip bomb must not exhaust memory


def check_size(size: int) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise ReadError(
            labels.ERR_TOO_LARGE.format(
                size=f"{size / 1024 / 1024:.1f}".replace(".", ","), limit=limit // 1024 // 1024
            )
        )


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(data: bytes, *, anchors: Iterable[str], progress: Progress | None = None) -> Table:
    """The file's header (the first row holding one of `anchors`) and its rows as text."""
    check_size(len(data))
    anchors = {_key(a) for a in anchors}
    table = _read_xlsx(data, anchors, progress) if is_xlsx(data) else _read_csv(data, anchors)
    if not table.rows:
        raise ReadError(labels.ERR_EMPTY)
    if len(table.rows) > max_rows():
        raise ReadError(labels.ERR_TOO_MANY_ROWS.format(limit=max_rows()))
    return table


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return uploads.check_text(text)
        except uploads.UploadRefused as error:
            raise ReadError(str(error)) from error
    raise ReadError(labels.ERR_ENCODING)  # pragma: no cover - cp1252 decodes almost anything


def _header_line(lines: list[str], anchors: set[str]) -> tuple[int, str]:
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for delimiter in ";,\t":
            if any(_key(cell) in anchors for cell in next(csv.reader([line], delimiter=delimiter))):
                return index, delimiter
    raise ReadError(_header_not_found(anchors))


def _header_not_found(anchors: set[str]) -> str:
    return labels.ERR_HEADER_NOT_FOUND.format(
        column=" » ou « ".join(sorted(anchors)), rows=HEADER_SEARCH_ROWS
    )


def _read_csv(data: bytes, anchors: set[str]) -> Table:
    text = _decode(data)
    lines = text.splitlines()
    start, delimiter = _header_line(lines, anchors)
    reader = csv.reader(io.StringIO("\n".join(lines[start:]), newline=""), delimiter=delimiter)
    header = [cell.strip() for cell in next(reader)]
    rows = []
    for offset, cells in enumerate(reader):
        if len(rows) > max_rows():
            break
        if any(cell.strip() for cell in cells):
            rows.append((start + 2 + offset, [cell.strip() for cell in cells]))
    return Table(header=header, rows=rows)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, anchors: set[str], progress: Progress | None) -> Table:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ReadError(labels.ERR_XLSX.format(error=error)) from error
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(
            labels.ERR_UNCOMPRESSED.format(
                size=uncompressed // 1024 // 1024, limit=MAX_UNCOMPRESSED_BYTES // 1024 // 1024
            )
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors on a bad file
        raise ReadError(labels.ERR_XLSX.format(error=error)) from error
    try:
        names = workbook.sheetnames
        name = next((n for n in names if _key(n) == _key(XLSX_SHEET)), names[0])
        sheet = workbook[name]
        total = sheet.max_row or 0
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if header is None:
                if any(_key(c) in anchors for c in cells):
                    header = cells
                elif line >= HEADER_SEARCH_ROWS:
                    raise ReadError(_header_not_found(anchors))
                continue
            if any(cells):
                rows.append((line, cells))
                if len(rows) > max_rows():
                    break
            if progress and total and line % 2000 == 0:
                progress(line / total)
        if header is None:
            raise ReadError(_header_not_found(anchors))
        while header and not header[-1]:
            header.pop()
        return Table(header=header, rows=rows)
    finally:
        workbook.close()
