"""`maillage import-sheets`: output, dry runs, refusals, and the seed loaded by `make run`."""

import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.backends.base.base import BaseDatabaseWrapper

from maillage import cli
from maillage.organisations.demo import load_demo_accounts
from maillage.organisations.models import User
from maillage.organisations.permissions import can_edit_sheet
from maillage.organisations.referential import load_referential_organisations
from maillage.plan import models
from maillage.plan.demo import DEMO_COMMENT, DEMO_STATUSES, load_demo_measurements
from maillage.plan.importer import SEED_DOCUMENT, import_sheets_file, read_document
from maillage.plan.labels import MeasurementSource
from maillage.plan.sheet_parser import ParsedSheet

REFS = [f"Num{n:02d}" for n in range(1, 12)]
SEED_TEXT = read_document(SEED_DOCUMENT)


def run(*args, **options) -> str:
    out = StringIO()
    call_command("import_sheets", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "mauvais.txt"
    path.write_text(SEED_TEXT.replace("Coût de l’action 40 000 €", "Coût de l’action 4O 000 €"))
    return path


# --- Without a database ---------------------------------------------------------------------


def test_dry_run_json_prints_every_field_and_never_opens_the_database(monkeypatch):
    """No `django_db` mark: pytest-django refuses any database access, and connecting is
    made to fail too."""

    def no_connection(self):
        raise AssertionError("la base a été ouverte")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", no_connection)
    data = json.loads(run("--dry-run", "--json"))
    assert [sheet["ref"] for sheet in data] == REFS
    every_field = {f.name for f in dataclasses.fields(ParsedSheet)}
    assert all(set(sheet) == every_field for sheet in data)
    num05 = data[4]
    assert [b["amount"] for b in num05["budget_lines"]] == ["20000", "7000", "28000", "5000"]
    assert (num05["cost_total"], num05["cost_total_stated"]) == ("60000", True)
    assert num05["dimensions"] == {
        "Physique": False,
        "Numérique": True,
        "Horaire": False,
        "Mutualisation": True,
    }
    num08 = data[7]["indicators"][0]["targets"]
    assert [(t["kind"], t["value"], t["year"]) for t in num08] == [
        ("initial", "0", 2016),
        ("intermediate", "15", 2019),
        ("final", "59", 2022),
    ]
    num10 = {k["raw"]: (k["value"], k["comparator"]) for k in data[9]["key_figures"]}
    assert num10["environ 41 000 prises"] == ("41000", "~")
    assert data[0]["source_name"] == "sdaasp-charente-2017-numerique.txt"


def test_json_output_requires_dry_run():
    with pytest.raises(CommandError, match="--json s'utilise avec --dry-run"):
        run("--json")


def test_a_bad_document_exits_with_status_1_and_the_sheet_line_and_reason(bad_file, capsys):
    """Through the `maillage` command line, as people run it; refused before any database
    access (this test has no database)."""
    with pytest.raises(SystemExit) as exit_status:
        cli.main(["maillage", "import-sheets", str(bad_file), "--plan", "x", "--skip-checks"])
    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert "Document mauvais.txt refusé, rien n'a été enregistré (1 erreur(s)) :" in err
    assert (
        "Fiche Num04, ligne 205 : coût : montant illisible (lettre au milieu des chiffres) : "
        "« 4O 000 »"
    ) in err


def test_a_bad_plan_slug_is_refused():
    with pytest.raises(CommandError, match="Identifiant de schéma « mon schéma » invalide"):
        run("--plan", "mon schéma")


def test_an_unreadable_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="illisible"):
        run(str(tmp_path / "absent.txt"))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Réf : Num01 coût".encode("latin-1"))
    with pytest.raises(CommandError, match="illisible"):
        run(str(latin1))


# --- With a database ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_document_writes_nothing(bad_file):
    with pytest.raises(CommandError) as error:
        run(str(bad_file))
    assert str(error.value).splitlines()[1].startswith("Fiche Num04, ligne 205 : coût :")
    assert not models.Plan.objects.exists() and not models.ActionSheet.objects.exists()


@pytest.mark.django_db
def test_dry_run_prints_what_would_change_and_writes_nothing():
    out = run("--dry-run")
    assert out.splitlines()[:3] == [
        "Schéma créé : Schéma départemental d'amélioration de l'accessibilité des services au "
        "public de la Charente (sdaasp-charente)",
        "Num01 : créée",
        "Num02 : créée",
    ]
    assert "  * 14 réunion(s) planifiée(s)" in out
    assert out.splitlines()[-1] == (
        "Simulation, rien n'a été enregistré. Fiches action (sdaasp-charente-2017-numerique.txt "
        "→ schéma « sdaasp-charente ») : 11 créée(s), 0 mise(s) à jour, 0 inchangée(s)."
    )
    assert not models.Plan.objects.exists()
    assert not models.ActionSheet.objects.exists() and not models.Meeting.objects.exists()


@pytest.mark.django_db
def test_import_then_reimport_says_nothing_changed(tmp_path):
    load_referential_organisations()
    first = run()
    assert "11 créée(s)" in first.splitlines()[-1]
    assert run() == (
        "Fiches action (sdaasp-charente-2017-numerique.txt → schéma « sdaasp-charente ») : "
        "aucune modification, 11 fiche(s) inchangée(s).\n"
    )
    assert run(verbosity=0) == ""
    assert run(verbosity=2).count(" : inchangée") == 11

    changed = tmp_path / "fiches.txt"
    changed.write_text(SEED_TEXT.replace("Financement Caf", "Financement Caf, MSA"))
    dry = run(str(changed), "--dry-run")
    assert dry.splitlines()[:2] == [
        "Num02 : mise à jour",
        "  - Financement (texte d'origine) : Caf → Caf, MSA",
    ]
    assert "  - Financement « MSA » : ajout" in dry
    assert models.Funding.objects.filter(sheet__ref="Num02").count() == 1
    run(str(changed))
    assert models.Funding.objects.filter(sheet__ref="Num02").count() == 2


@pytest.mark.django_db
def test_another_plan_by_slug_and_name():
    out = run("--plan", "essai", "--plan-name", "Schéma d'essai")
    assert out.startswith("Schéma créé : Schéma d'essai (essai)")
    plan = models.Plan.objects.get(slug="essai")
    assert plan.sheets.count() == 11 and (plan.period_start, plan.period_end) == (2016, 2021)


@pytest.mark.django_db
def test_load_referential_loads_the_seed_idempotently(capsys):
    """`make run` runs `setup`, which runs `load_referential`."""
    call_command("load_referential")
    assert "11 créée(s)" in capsys.readouterr().out
    sheet = models.ActionSheet.objects.get(plan__slug="sdaasp-charente", ref="Num04")
    assert list(sheet.communes.values_list("name", flat=True)) == ["Barbezieux-Saint-Hilaire"]
    call_command("load_referential")
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.endswith("aucune modification, 11 fiche(s) inchangée(s).")


@pytest.mark.django_db
def test_demo_measurements_show_num08_progress_and_survive_reimports(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    assert next(load_demo_measurements()).startswith("Mesure de démonstration ignorée")
    load_referential_organisations()
    import_sheets_file()
    assert list(load_demo_measurements()) == [
        "Mesures de démonstration : 3 enregistrée(s) (valeurs fictives).",
        "Statuts de démonstration : 11 fiche(s) mise(s) à jour.",
    ]
    assert list(load_demo_measurements()) == []  # idempotent
    # Each sheet shows where it stands, reached along declared transitions, each logged.
    statuses = dict(models.ActionSheet.objects.values_list("ref", "status"))
    assert statuses == {ref: str(status) for ref, status in DEMO_STATUSES.items()}
    assert models.SheetStatusChange.objects.filter(sheet__ref="Num03").count() == 2
    indicator = models.Indicator.objects.get(sheet__ref="Num08")
    demo = indicator.measurements.filter(comment=DEMO_COMMENT)
    assert [(m.date.year, int(m.value), m.source) for m in demo] == [
        (2018, 4, MeasurementSource.MANUAL),
        (2019, 12, MeasurementSource.MANUAL),
        (2021, 21, MeasurementSource.MANUAL),
    ]
    assert all(m.provenance == {"demo": True, "note": "données de démonstration"} for m in demo)
    assert not import_sheets_file(force=True).changed
    assert demo.count() == 3

    list(load_demo_accounts(force=True))
    pilot = User.objects.get(email="pilote.num08@demo.maillage.fr")
    assert can_edit_sheet(pilot, indicator.sheet)


@pytest.mark.django_db
def test_demo_measurements_need_demonstration_data_allowed(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = False
    settings.DEBUG = False
    assert list(load_demo_measurements()) == [
        "Mesures de démonstration non chargées : DEBUG est désactivé."
    ]
