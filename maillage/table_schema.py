"""A CSV checked against a Table Schema (frictionless): the one place frictionless is imported.

The places importer (the national standard's schema) and the broadband importer (a layout's
schema) both write the rows they read as a canonical CSV and check it here. frictionless, with
what it pulls in, is a noticeable share of a cold start, and most processes never validate a
file, so it is imported on the first validation.

`row_check(row)` adds the rules a schema cannot express: it yields `(field name, French
note)` for each bad cell, reported as frictionless `cell-error`s beside the schema's errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

RowCheck = Callable[[Mapping[str, Any]], Iterable[tuple[str, str]]]


def validate_csv(
    data: bytes,
    schema: dict,
    *,
    row_check: RowCheck | None = None,
    limit_errors: int | None = None,
):
    """frictionless's report on `data` (UTF-8 CSV with a header) against the Table Schema
    descriptor `schema` (its `tasks[…].errors` carry `row_number`, `field_name`, `type`…)."""
    import frictionless

    resource = frictionless.Resource(
        data=data,
        format="csv",
        encoding="utf-8",
        schema=frictionless.Schema.from_descriptor(schema),
    )
    options: dict[str, Any] = {}
    if row_check is not None:
        options["checklist"] = frictionless.Checklist(checks=[_check(row_check)])
    if limit_errors is not None:
        options["limit_errors"] = limit_errors
    return resource.validate(**options)


def _check(row_check: RowCheck):
    """A frictionless check running `row_check` on every row."""
    import attrs
    from frictionless import Check, errors

    @attrs.define(kw_only=True, repr=False)
    class maillage_row_check(Check):
        type = "maillage-row-check"
        Errors = [errors.CellError]

        def validate_row(self, row):
            for field_name, note in row_check(row):
                yield errors.CellError.from_row(row, note=note, field_name=field_name)

    return maillage_row_check()
