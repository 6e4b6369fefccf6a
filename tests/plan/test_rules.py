"""The rules the plan's pages ask the models (templates only render them): a computed value is
never corrected by hand; a workbook preview names what each change changes."""

import pytest

from maillage.plan.labels import MeasurementSource
from maillage.plan.models import BulkUpdate, Measurement


@pytest.mark.parametrize("source", MeasurementSource.values)
def test_only_a_computed_measurement_is_computed(source):
    assert Measurement(source=source).is_computed == (source == MeasurementSource.COMPUTED)


def test_the_preview_names_the_sheet_or_the_indicator_each_change_changes():
    update = BulkUpdate(
        changes=[
            {"kind": "sheet", "ref": "Num01", "field": "status"},
            {"kind": "indicator", "ref": "Num01", "indicator": "Lieux ouverts", "field": "unit"},
            {"kind": "target", "ref": "Num01", "indicator": "Lieux ouverts", "field": "final"},
            {"kind": "measurement", "ref": "Num02", "indicator": "Personnes", "field": "x"},
            {"kind": "series", "ref": "Num02", "indicator": "Personnes", "field": "2026-03-01"},
        ]
    )
    assert [row["element"] for row in update.change_rows] == [
        "Fiche",
        "Lieux ouverts",
        "Lieux ouverts",
        "Personnes",
        "Personnes",
    ]
    assert update.change_rows[0]["field"] == "status"
