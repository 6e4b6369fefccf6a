"""The Charente communes shipped with Maillage, for the tests: the CSV's rows, and the import
that the root conftest's `charente` fixture runs once per test module."""

import csv

from maillage.territory.importer import (
    CHARENTE_CONTOURS,
    CHARENTE_CSV,
    CHARENTE_DEPARTEMENT_CONTOUR,
    import_communes,
)


def charente_rows() -> list[dict[str, str]]:
    """The shipped CSV, read directly (usable at collection time, e.g. by hypothesis)."""
    with CHARENTE_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def import_charente(**kwargs):
    return import_communes(
        csv_path=CHARENTE_CSV,
        contours_path=CHARENTE_CONTOURS,
        departement_contour_path=CHARENTE_DEPARTEMENT_CONTOUR,
        departement_code="16",
        departement_name="Charente",
        **kwargs,
    )
