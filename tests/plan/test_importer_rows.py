"""The table of a sheet's row lists (`importer/rows.py`).

A row's key recognises it from one import to the next, and the keys are stored in the
snapshots of past imports (`ActionSheet.import_snapshot`): a changed key would make the next
import see every row as new. They are pinned here, and a stored row has the key of the values
the document gives for it.
"""

import pytest

from maillage.plan.importer.rows import SHEET_ROWS
from maillage.plan.models import ActionSheet, BudgetLine, Funding, KeyFigure, Milestone, SheetActor

ROWS = {rows.section: rows for rows in SHEET_ROWS}


@pytest.mark.parametrize(
    ("section", "values", "key"),
    [
        (
            "actors",
            {"role": "pilot", "name": "La Caf de la Charente"},
            "pilot|la caf de la charente",
        ),
        ("milestones", {"label": "Réunion d’information"}, "reunion d information"),
        ("budget_lines", {"label": "Salaire ÉTP"}, "salaire etp"),
        ("fundings", {"funder_name": "Conseil départemental"}, "conseil departemental"),
        (
            "key_figures",
            {"source_field": "sub_action", "raw": "41 000 Prises"},
            "sub_action|41 000 prises",
        ),
    ],
)
def test_a_row_and_its_values_have_the_pinned_key(section, values, key):
    rows = ROWS[section]
    assert rows.row_key(values) == key
    assert rows.row_key(rows.model(**values)) == key


def test_rows_with_one_key_stay_distinct_rows():
    funders = [{"funder_name": "Etat"}, {"funder_name": "État"}, {"funder_name": "Région"}]
    assert list(ROWS["fundings"].keyed(funders)) == ["etat#0", "etat#1", "region#0"]


def test_every_list_is_a_list_of_the_sheet():
    assert [(rows.section, rows.model) for rows in SHEET_ROWS] == [
        ("actors", SheetActor),
        ("milestones", Milestone),
        ("budget_lines", BudgetLine),
        ("fundings", Funding),
        ("key_figures", KeyFigure),
    ]
    for rows in SHEET_ROWS:
        assert ActionSheet._meta.get_field(rows.section).related_model is rows.model
