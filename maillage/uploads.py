"""What every importer checks before it reads a file someone gave it.

A file is refused with a French sentence (`UploadRefused`, a `ValueError`), never a traceback,
when it is larger than its importer allows (a 50 MB sheets file took 7.5 minutes and 1.1 GB
in a dry run), holds more lines than allowed, is nested deeper than any of Maillage's formats
(a deeply nested JSON raised `RecursionError`), or carries a NUL character (PostgreSQL cannot
store it). Each importer keeps its own limits next to its reader; the checks and the wording
live here.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

NUL = "\x00"
#: No format Maillage reads nests deeper: a list of objects holding lists (places), a
#: GeoJSON's coordinates (feature collection → feature → geometry → polygons → rings → points).
MAX_JSON_DEPTH = 16


class UploadRefused(ValueError):
    """A file refused before it is read further; `str(error)` says why, in French."""


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").replace(",0", "") + " Mo"


def check_size(size: int, limit: int) -> None:
    """A file of `size` bytes is at most `limit` bytes (checked before reading, for a path)."""
    if size > limit:
        raise UploadRefused(
            f"Fichier trop volumineux : {megabytes(size)}, {megabytes(limit)} au plus."
        )


def check_text(text: str) -> str:
    if NUL in text:
        line = text.count("\n", 0, text.index(NUL)) + 1
        raise UploadRefused(
            f"Le fichier contient un caractère nul (octet 0) à la ligne {line} : "
            "ce n'est pas un fichier texte valide."
        )
    return text


def decode_text(data: bytes, *, fallback: str | None = None) -> str:
    """The file's text (UTF-8, with or without its byte order mark; else `fallback`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if fallback is None:
            raise UploadRefused(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 »."
            ) from None
        text = data.decode(fallback, errors="replace")
    return check_text(text)


def limited_rows(rows: Iterable, limit: int) -> Iterator:
    """The rows one by one, refused as soon as there are more than `limit` (the rest of a huge
    file is never read)."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise UploadRefused(f"Trop de lignes : {limit} au plus par fichier.")
        yield row


def _depth(value: Any) -> int:
    """How deep lists and objects nest (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON no deeper than `max_depth`; `json.JSONDecodeError` for bad syntax."""
    try:
        value = json.loads(check_text(text))
    except RecursionError:
        value = None
        depth = max_depth + 1
    else:
        depth = _depth(value)
    if depth > max_depth:
        raise UploadRefused(
            f"Fichier JSON trop imbriqué (plus de {max_depth} niveaux de listes ou d'objets) : "
            "ce n'est pas le format attendu."
        )
    return value
