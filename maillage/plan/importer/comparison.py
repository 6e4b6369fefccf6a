"""Comparing and showing values: a canonical form in which equal values are equal (the
snapshot of the last import is kept in it), values shown in reports, rows keyed for matching.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models


def canonical(value: Any) -> Any:
    """A JSON form in which equal values are equal (15 == 15.0000, dates in ISO format)."""
    if isinstance(value, Decimal):
        return "0" if value == 0 else f"{value.normalize():f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def shown_value(value: Any, model_field: models.Field | None = None) -> str:
    if value is None or value == "" or value == []:
        return "(vide)"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        integral, _, fraction = canonical(value).partition(".")
        grouped = f"{int(integral):,}".replace(",", "\u202f")
        return f"{grouped},{fraction}" if fraction else grouped
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | dict):
        value = json.dumps(canonical(value), ensure_ascii=False)
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else f"{text[:79]}…"


def text_difference(old: str, new: str, width: int = 60) -> tuple[str, str]:
    """Two texts shown around where they first differ, so that a long text's change is seen
    ("…en 2019 : 15 points…" → "…en 2019 : 16 points…")."""
    old, new = " ".join(old.split()), " ".join(new.split())
    if len(old) <= width and len(new) <= width:
        return old, new
    first = next(
        (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
        min(len(old), len(new)),
    )
    start = max(0, first - width // 3)

    def cut(text: str) -> str:
        part = text[start : start + width]
        return f"{'…' if start else ''}{part}{'…' if start + width < len(text) else ''}"

    return cut(old), cut(new)


def keyed(rows: Iterable[Any], base: Callable[[Any], str]) -> dict[str, Any]:
    """Rows by a key made of `base(row)` and its occurrence ("pilot|caf#0")."""
    seen: dict[str, int] = {}
    result = {}
    for row in rows:
        key = base(row)
        count = seen.get(key, 0)
        seen[key] = count + 1
        result[f"{key}#{count}"] = row
    return result
