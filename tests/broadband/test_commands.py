import io

import pytest
from django.core.management import CommandError, call_command

from maillage.broadband.models import FigureImport, PremisesCount

from . import factories as f

pytestmark = pytest.mark.django_db


def test_import_broadband_checks_then_writes(communes, tmp_path):
    path = tmp_path / "commune_debit_filaire.csv"
    path.write_bytes(f.speed_file())
    out = io.StringIO()
    call_command("import_broadband", str(path), "--dry-run", stdout=out)
    assert (
        "vérifié (--dry-run, rien d'écrit) : 3 commune(s), trimestre(s) T3 2024" in out.getvalue()
    )
    assert not PremisesCount.objects.exists()

    out = io.StringIO()
    call_command(
        "import_broadband",
        str(path),
        "--url",
        "https://data.arcep.fr/x.csv",
        "--note",
        "T3",
        stdout=out,
    )
    assert (
        "appliqué : 3 commune(s)" in out.getvalue() and "21 valeur(s) ajoutée(s)" in out.getvalue()
    )
    note = FigureImport.objects.filter(status="applied").get()
    assert (note.url, note.note, note.created_by) == ("https://data.arcep.fr/x.csv", "T3", None)


def test_import_broadband_reports_every_error(communes, tmp_path):
    path = tmp_path / "commune_debit.csv"
    path.write_bytes(f.speed_file([f.speed_row("16999", "X", 1, 0, 1, 1, 1, 1, 1)]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="refusé, rien n'a été enregistré"):
        call_command("import_broadband", str(path), stderr=err)
    assert "Ligne 2, colonne « code_insee » : commune 16999 inconnue" in err.getvalue()
    assert not PremisesCount.objects.exists()
