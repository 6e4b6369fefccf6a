import csv

import pytest
from django.db import transaction

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


@pytest.fixture(scope="module")
def charente(django_db_setup, django_db_blocker):
    """Charente's communes, imported once per test module and rolled back after it.

    The import runs in an outer transaction that each test's own transaction (tests still need
    `pytest.mark.django_db`) nests into as a savepoint; rolling it back leaves the test
    database as it was, without deleting rows that other apps' tables may point to.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = import_charente()
        yield report
        transaction.set_rollback(True)
