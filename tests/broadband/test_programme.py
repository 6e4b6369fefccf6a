"""Works of the roll-out programme imported from a CSV: all lines checked, then all or none."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from maillage.broadband.models import Work
from maillage.broadband.programme import WORKS_HEADER, works_import

pytestmark = pytest.mark.django_db

GOOD = [
    ["Fibre — 1re plaque", "16028", "ftth", "2600", "T4 2019", "2550", "T1 2020", ""],
    ["Part de la CC des 4B", "16332", "ftth", "130", "2020-T2", "", "", "ancienne commune"],
]


def works_csv(rows) -> bytes:
    lines = [";".join(WORKS_HEADER)] + [";".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_works_are_imported_then_recognised(programme):
    report = works_import(programme=programme, content=works_csv(GOOD))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    merged = Work.objects.get(commune_id="16046")  # 16332 merged into Coteaux-du-Blanzacais
    assert merged.planned_quarter == dt.date(2020, 6, 30) and merged.done_quarter is None
    again = works_import(programme=programme, content=works_csv(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = [[*GOOD[0][:5], "2600", "T2 2020", ""], GOOD[1]]
    report = works_import(programme=programme, content=works_csv(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Work.objects.get(commune_id="16028").done_premises == 2600


def test_a_bad_file_names_line_and_column_and_writes_nothing(programme):
    rows = [
        GOOD[0],
        ["Phase inconnue", "16028", "ftth", "1", "T1 2020", "", "", ""],
        ["Fibre — 1re plaque", "16073", "ftth", "beaucoup", "T1 2020", "", "", ""],
        ["Fibre — 1re plaque", "16015", "ftth", "10", "T1 2020", "10", "", ""],
        ["Fibre — 1re plaque", "16028", "ftth", "1", "T1 2020", "", "", ""],
    ]
    report = works_import(programme=programme, content=works_csv(rows))
    assert [str(e) for e in report.errors] == [
        "Ligne 3, colonne « phase » : phase « Phase inconnue » inconnue dans ce programme.",
        "Ligne 4, colonne « locaux_prevus » : nombre entier positif ou nul attendu, reçu "
        "« beaucoup ».",
        "Ligne 5, colonne « trimestre_realise » : renseignez ensemble « locaux_realises » et "
        "« trimestre_realise ».",
        "Ligne 6, colonne « code_insee » : chantier en double (déjà ligne 2).",
    ]
    assert not Work.objects.exists()


def test_a_phase_pilot_imports_only_into_its_phase(programme, pilot11):
    report = works_import(programme=programme, content=works_csv(GOOD), by=pilot11)
    assert [str(e) for e in report.errors] == [
        "Ligne 2, colonne « phase » : vous ne pouvez pas modifier la phase « Fibre — 1re plaque »."
    ]
    assert works_import(programme=programme, content=works_csv(GOOD[1:]), by=pilot11).created == 1


def test_the_command(programme, tmp_path):
    path = tmp_path / "chantiers.csv"
    path.write_bytes(works_csv(GOOD))
    out = io.StringIO()
    call_command("import_broadband_works", str(path), "--dry-run", stdout=out)
    assert "2 chantier(s) ajouté(s)" in out.getvalue() and not Work.objects.exists()
    call_command("import_broadband_works", str(path), stdout=io.StringIO())
    assert Work.objects.count() == 2
    path.write_bytes(works_csv([["?", "16028", "ftth", "1", "T1 2020", "", "", ""]]))
    with pytest.raises(CommandError, match="refusé"):
        call_command("import_broadband_works", str(path), stderr=io.StringIO())
