"""The seed document imported into the database, checked value by value from the tables.

The Charente's communes, the plan's organisations and the seed are loaded once for the module
(in a transaction rolled back afterwards); each test runs in its own savepoint, so the tests
that re-import modified documents leave the next test the seed as first imported.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from unidecode import unidecode

from maillage.organisations.demo import DEMO_ACCOUNTS
from maillage.organisations.models import Organisation
from maillage.organisations.referential import load_referential_organisations
from maillage.plan import models, services
from maillage.plan.importer import (
    DEFAULT_PLAN_NAME,
    DEFAULT_PLAN_SLUG,
    SEED_DOCUMENT,
    import_sheets,
    import_sheets_file,
    read_document,
)
from maillage.plan.labels import DIMENSIONS as DIMENSION_FIELDS
from maillage.plan.labels import (
    BudgetKind,
    BudgetNature,
    MeasurementSource,
    MeetingBody,
    Periodicity,
    TargetKind,
)
from maillage.plan.sheet_parser import SheetDocumentError, SheetIssue, parse_document
from maillage.territory.importer import CHARENTE_CSV, import_communes
from maillage.territory.labels import ScopeLevel

pytestmark = pytest.mark.django_db

REFS = [f"Num{n:02d}" for n in range(1, 12)]
DOCUMENTS = Path(__file__).parent / "documents"
SEED_TEXT = read_document(SEED_DOCUMENT)

# Ticked boxes, as printed on each sheet: (Physique, Numérique, Horaire, Mutualisation).
DIMENSIONS = {
    "Num01": (True, True, False, False),
    "Num02": (False, True, False, False),
    "Num03": (False, True, False, False),
    "Num04": (True, True, False, False),
    "Num05": (False, True, False, True),
    "Num06": (False, True, False, False),
    "Num07": (False, True, False, False),
    "Num08": (False, True, False, False),
    "Num09": (False, True, False, False),
    "Num10": (False, True, False, False),
    "Num11": (False, True, False, False),
}

ROW_MODELS = [
    models.Plan,
    models.ActionSheet,
    models.SheetActor,
    models.Milestone,
    models.BudgetLine,
    models.Funding,
    models.Indicator,
    models.Target,
    models.Measurement,
    models.KeyFigure,
    models.Meeting,
    models.ActionSheet.history.model,
    models.Indicator.history.model,
    models.Target.history.model,
    models.Measurement.history.model,
    models.BudgetLine.history.model,
]


@pytest.fixture(scope="module")
def seed_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        import_communes(csv_path=CHARENTE_CSV, departement_code="16", departement_name="Charente")
        load_referential_organisations()
        yield import_sheets_file()
        transaction.set_rollback(True)


@pytest.fixture
def sheets(seed_report) -> dict[str, models.ActionSheet]:
    return {s.ref: s for s in models.ActionSheet.objects.filter(plan__slug=DEFAULT_PLAN_SLUG)}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ROW_MODELS}


def modified(*replacements: tuple[str, str]) -> str:
    text = SEED_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def plain(text: str) -> str:
    """Apostrophes and accents aside ("l’usager" = "l'usager")."""
    return unidecode(text)


def budget(sheet) -> list[tuple]:
    return [
        (b.label, b.amount, b.periodicity, b.year, b.kind, b.nature, b.note)
        for b in sheet.budget_lines.order_by("order")
    ]


def targets(indicator) -> dict[str, tuple]:
    return {
        t.kind: (t.value, t.comparator, t.year, t.end_year, t.date, t.note, t.value_text)
        for t in indicator.targets.all()
    }


def pilots(sheet) -> list[tuple[str, str | None]]:
    actors = sheet.actors.filter(role="pilot").order_by("order").select_related("organisation")
    return [(a.name, a.organisation.slug if a.organisation else None) for a in actors]


def partners(sheet) -> list[tuple[str, str | None]]:
    actors = sheet.actors.filter(role="partner").order_by("order").select_related("organisation")
    return [(a.name, a.organisation.slug if a.organisation else None) for a in actors]


# --- The first import -----------------------------------------------------------------------


def test_the_seed_creates_the_plan_and_its_eleven_sheets(seed_report, sheets):
    assert seed_report.plan_created and seed_report.created == REFS
    assert seed_report.source_name == "sdaasp-charente-2017-numerique.txt"
    assert all(sheet.warnings == () for sheet in seed_report.sheets)
    plan = models.Plan.objects.get(slug=DEFAULT_PLAN_SLUG)
    assert plan.name == DEFAULT_PLAN_NAME
    assert (plan.departement_code, plan.period_start, plan.period_end) == ("16", 2018, 2023)
    assert list(sheets) == REFS
    for ref, sheet in sheets.items():
        assert sheet.date == dt.date(2017, 12, 20) and sheet.theme == "Numérique"
        assert sheet.departement_code == "16"
        assert sheet.import_snapshot["document"] == "sdaasp-charente-2017-numerique.txt"
        assert sheet.history.count() == 1, ref
    assert [(s.source_line_start, s.source_line_end) for s in sheets.values()][:3] == [
        (1, 50),
        (51, 131),
        (132, 178),
    ]


@pytest.mark.parametrize("ref", REFS)
def test_ticked_dimensions_are_stored(sheets, ref):
    sheet = sheets[ref]
    stored = (sheet.physical, sheet.digital, sheet.schedule, sheet.pooling)
    assert stored == DIMENSIONS[ref]


def test_num01_costs_salary_and_travel_per_year_free_for_the_user(sheets):
    sheet = sheets["Num01"]
    annual, planned, operating = Periodicity.ANNUAL, BudgetKind.PLANNED, BudgetNature.OPERATING
    assert budget(sheet) == [
        ("Salaire", Decimal(6000), annual, None, planned, operating, ""),
        ("déplacements", Decimal(5000), annual, None, planned, operating, ""),
    ]
    assert sheet.cost_total == Decimal(11000)
    assert sheet.cost_text == "Salaire : 6 000 € ; déplacements : 5 000 €"
    assert plain(sheet.cost_notes) == "gratuit pour l'usager"
    assert [(f.funder_name, f.funder.slug, f.amount) for f in sheet.fundings.all()] == [
        ("CARSAT", "carsat-centre-ouest", None),
        ("Conférence des financeurs", "conference-des-financeurs", None),
        ("fondation MACIF", "fondation-macif", None),
    ]
    assert pilots(sheet) == [("Espace Numérique Sud Charente", "espace-numerique-sud-charente")]
    assert partners(sheet) == [
        ("Centres socio-culturels", "centres-socio-culturels"),
        ("ATLEB", "atleb"),
    ]
    assert sheet.actors.get(role="pilot").mission.startswith("espace public numérique")
    # "Pays Sud Charente": the PETR made of two EPCIs (its 8 communes named in the description).
    assert sheet.scope_text == "Pays Sud Charente" and sheet.scope_level == ScopeLevel.EPCI
    assert sorted(sheet.epcis.values_list("name", flat=True)) == [
        "CC Lavalette Tude Dronne",
        "CC des 4B Sud Charente",
    ]
    assert [i.label for i in sheet.indicators.all()] == [
        "Nombre de bénéficiaires",
        "Nombre de personnes participant ensuite aux cours collectifs",
        "Nombre de personnes s'équipant individuellement",
    ]


def test_num02_thirty_promeneurs_du_net_75094_a_year_and_its_governance(sheets):
    sheet = sheets["Num02"]
    figure = sheet.key_figures.get(unit="Promeneurs du Net")
    assert (figure.value, figure.source_field, figure.source_line) == (
        Decimal(30),
        "sub_action",
        57,
    )
    assert budget(sheet) == [
        (
            "Coût de l'action",
            Decimal(75094),
            Periodicity.ANNUAL,
            2017,
            BudgetKind.PLANNED,
            BudgetNature.UNKNOWN,
            "",
        )
    ]
    assert sheet.cost_total == Decimal(75094)
    assert [(f.funder_name, f.funder.slug) for f in sheet.fundings.all()] == [
        ("Caf", "caf-charente")
    ]
    assert sheet.scope_level == ScopeLevel.DEPARTEMENT
    assert pilots(sheet) == [
        ("Comité de pilotage", None),
        ("La Caf", "caf-charente"),
        ("L’État", "etat-prefecture-charente"),
        ("La coordination départementale (MJC)", "frmjc"),
    ]
    assert [slug for _name, slug in partners(sheet)] == [
        "ddcspp-charente",
        "departement-charente",
        "education-nationale-charente",
        "msa-des-charentes",
        "cij-charente",
    ]
    assert "comité technique est animé" in sheet.pilots_text
    assert [(m.when_label, m.label) for m in sheet.milestones.order_by("order")] == [
        ("10/03/2017", "Réunion d’information des futurs Pdn"),
        ("mai 2017", "Validation de la liste Pdn par le Copil"),
        ("mai 2017", "Engagement et signature d’une convention Pdn"),
        ("juin 2017", "1ere rencontre du réseau Pdn"),
        ("septembre 2017", "2 jours de formation"),
        ("décembre 2017", "réunion du réseau Pdn"),
    ]
    assert [(r["body"], r["months"]) for r in sheet.governance_rhythm] == [
        ("Comité de pilotage", [1, 6]),
        ("Comité technique", [12, 5]),
        ("Réseau Pdn", [2, 5, 11]),
    ]
    assert sheet.indicators_text.endswith(
        "Les critères de suivi restent à travailler par le coordonnateur."
    )


def test_num02_rhythm_plans_this_year_and_next_years_meetings(seed_report, sheets):
    year = dt.date.today().year
    meetings = models.Meeting.objects.filter(sheets=sheets["Num02"])
    assert next(s for s in seed_report.sheets if s.ref == "Num02").meetings_created == 14
    for planned in (year, year + 1):
        in_year = meetings.filter(starts_at__year=planned)
        assert sorted(in_year.values_list("body", "starts_at__month")) == sorted(
            [(MeetingBody.COPIL, 1), (MeetingBody.COPIL, 6)]
            + [(MeetingBody.COTECH, 5), (MeetingBody.COTECH, 12)]
            + [(MeetingBody.NETWORK, month) for month in (2, 5, 11)]
        )


def test_num03_from_no_document_in_2006_to_four_million_images_in_2016(sheets):
    sheet = sheets["Num03"]
    indicator = sheet.indicators.get()
    assert indicator.label == "Nombre de documents numérisés et consultations en ligne"
    assert targets(indicator) == {
        TargetKind.INITIAL: (Decimal(0), "", 2006, None, None, "", "0 document numérisé en 2006"),
        TargetKind.INTERMEDIATE: (
            Decimal(4_000_000),
            ">",
            2016,
            None,
            None,
            "",
            "Plus de 4 millions d’images (fichiers numériques) en ligne en 2016",
        ),
        TargetKind.FINAL: (
            None,
            "",
            None,
            None,
            None,
            "",
            "Programme de numérisation de masse en cours",
        ),
    }
    assert budget(sheet) == [
        (
            "Coût de l'action",
            Decimal(418826),
            Periodicity.CUMULATIVE,
            None,
            BudgetKind.ACTUAL,
            BudgetNature.UNKNOWN,
            "depuis 2009 (au 31/12/2016)",
        )
    ]
    assert [(f.funder_name, f.funder.slug, f.amount, f.wording) for f in sheet.fundings.all()] == [
        ("Département", "departement-charente", None, ""),
        (
            "Ministère de la Culture et de la Communication",
            "ministere-culture",
            Decimal(103399),
            "103 399 €",
        ),
    ]
    assert pilots(sheet) == [
        ("Conseil départemental de la Charente", "departement-charente"),
        ("Archives départementales", "archives-departementales-charente"),
    ]
    assert sheet.scope_level == ScopeLevel.OTHER


def test_num04_scope_is_the_commune_of_barbezieux(sheets):
    sheet = sheets["Num04"]
    assert sheet.scope_text == "Commune de Barbezieux et ses alentours"
    assert sheet.scope_level == ScopeLevel.COMMUNES
    assert list(sheet.communes.values_list("insee_code", "name")) == [
        ("16028", "Barbezieux-Saint-Hilaire")
    ]
    assert pilots(sheet) == [("Commune de Barbezieux", "commune-barbezieux-saint-hilaire")]
    assert partners(sheet) == [("Centre Socio Culturel", "csc-barbezieux")]
    assert [(b.amount, b.periodicity) for b in sheet.budget_lines.all()] == [
        (Decimal(40000), Periodicity.ONE_OFF)
    ]


def test_num05_four_budget_lines_totalling_60000(sheets):
    sheet = sheets["Num05"]
    one_off, planned = Periodicity.ONE_OFF, BudgetKind.PLANNED
    invest, operating = BudgetNature.INVESTMENT, BudgetNature.OPERATING
    assert budget(sheet) == [
        ("Investissement matériel", Decimal(20000), one_off, None, planned, invest, ""),
        ("Investissement mobilier et enseigne", Decimal(7000), one_off, None, planned, invest, ""),
        ("Ingénierie/Animation", Decimal(28000), one_off, None, planned, operating, ""),
        ("Frais de fonctionnement", Decimal(5000), one_off, None, planned, operating, ""),
    ]
    assert sum(b.amount for b in sheet.budget_lines.all()) == sheet.cost_total == Decimal(60000)
    assert sheet.scope_level == ScopeLevel.EPCI and sheet.epcis.count() == 2
    assert partners(sheet)[-1] == (
        "Communauté de communes des 4B Sud Charente",
        "cc-4b-sud-charente",
    )
    assert [(f.funder_name, f.funder.slug if f.funder else None) for f in sheet.fundings.all()] == [
        ("Etat", "etat-prefecture-charente"),
        ("CRDD", "crdd"),
        ("Département", "departement-charente"),
        ("MSA", "msa-des-charentes"),
        ("autres établissements publics", None),
    ]


def test_num06_cost_not_defined_and_approximate_figures(sheets):
    sheet = sheets["Num06"]
    assert sheet.cost_total is None and not sheet.budget_lines.exists()
    assert sheet.cost_notes == "Non défini à ce stade du projet"
    assert sheet.scope_level == ScopeLevel.DEPARTEMENT
    assert [(k.value, k.comparator, k.unit) for k in sheet.key_figures.all()] == [
        (Decimal(30), "~", "partenaires"),
        (Decimal(100), "~", "points"),
    ]
    assert str(sheet.key_figures.last()) == "environ 100 points"
    # A text naming several bodies is not linked to one of them.
    assert sheet.fundings.get(funder_name__startswith="sources").funder is None


def test_num07_2016_results_are_imported_measurements(sheets):
    sheet = sheets["Num07"]
    found = {
        m.indicator.label: (m.value, m.date, m.source, m.provenance)
        for m in models.Measurement.objects.filter(indicator__sheet=sheet)
    }
    document = "sdaasp-charente-2017-numerique.txt"
    end_2016, imported = dt.date(2016, 12, 31), MeasurementSource.IMPORT
    assert found == {
        "Nombre d'ateliers": (Decimal(15), end_2016, imported, {"document": document, "line": 380}),
        "Nombre de participants": (
            Decimal(98),
            end_2016,
            imported,
            {"document": document, "line": 381},
        ),
        "Nombre de comptes espace privé créés": (
            Decimal(79),
            end_2016,
            imported,
            {"document": document, "line": 382},
        ),
    }
    # A result in words stays in the text: there is no number to measure.
    assert sheet.indicators.get(label="Enquête de satisfaction").measurements.count() == 0
    assert "Enquête de satisfaction : très favorable" in sheet.indicators_text
    assert pilots(sheet) == [("Service proximité de la MSA", "msa-des-charentes"), ("VSC", None)]
    assert sheet.scope_level == ScopeLevel.OTHER


def test_num08_mediation_points_0_then_15_then_59(sheets):
    sheet = sheets["Num08"]
    indicator = sheet.indicators.get()
    assert indicator.unit == "points de médiation"
    assert targets(indicator) == {
        TargetKind.INITIAL: (Decimal(0), "", 2016, 2017, None, "", "0 points de médiation"),
        TargetKind.INTERMEDIATE: (
            Decimal(15),
            "",
            2019,
            None,
            None,
            "",
            "15 points de médiation en 2019",
        ),
        TargetKind.FINAL: (
            Decimal(59),
            "",
            2022,
            None,
            None,
            "max 2022",
            "59 points de médiation en 2022",
        ),
    }
    initial = indicator.targets.get(kind=TargetKind.INITIAL)
    assert initial.effective_date == dt.date(2017, 12, 31)
    assert plain(sheet.cost_notes) == "gratuit pour l'usager"
    assert sheet.scope_level == ScopeLevel.DEPARTEMENT
    assert pilots(sheet) == [("Département", "departement-charente")]
    assert sheet.actors.get(role="pilot").mission == "Développement de la lecture publique"
    assert partners(sheet) == [
        ("Département (SDL)", "service-departemental-lecture"),
        ("Collectivités (bibliothèques)", None),
    ]


def test_the_demo_pilot_pilots_num08(sheets):
    """pilote.num08@… holds a pilot role in the organisation the importer links to Num08."""
    account = next(a for a in DEMO_ACCOUNTS if a.email.startswith("pilote.num08"))
    pilot_slug = sheets["Num08"].actors.get(role="pilot").organisation.slug
    assert (pilot_slug, "pilot") in account.memberships


def test_num09_one_hundred_thousand_euros(sheets):
    sheet = sheets["Num09"]
    assert [(b.amount, b.periodicity, b.nature) for b in sheet.budget_lines.all()] == [
        (Decimal(100000), Periodicity.ONE_OFF, BudgetNature.UNKNOWN)
    ]
    assert [(f.funder_name, f.funder.slug) for f in sheet.fundings.all()] == [
        ("Département", "departement-charente"),
        ("FSE", "union-europeenne-fse"),
    ]


def test_num10_lines_premises_and_programme(sheets):
    sheet = sheets["Num10"]
    figures = {k.raw: (k.value, k.comparator, k.unit, k.year) for k in sheet.key_figures.all()}
    assert figures["4 300 lignes"] == (Decimal(4300), "", "lignes", None)
    assert figures["zéro ligne"] == (Decimal(0), "", "ligne", 2020)
    assert figures["50 200 lignes"] == (Decimal(50200), "", "lignes", None)
    assert figures["70%"] == (Decimal(70), "", "%", 2020)
    assert figures["à minima 114 communes"] == (Decimal(114), ">=", "communes", None)
    assert figures["environ 41 000 prises"] == (Decimal(41000), "~", "prises", None)
    assert figures["81,4 Millions d’euros"] == (Decimal(81_400_000), "", "€", None)
    assert figures["7,3 Millions d’euros"] == (Decimal(7_300_000), "", "€", None)
    assert sheet.key_figures.count() == 13
    assert sheet.cost_total == Decimal(81_400_000) and sheet.cost_text == "81,4 M€"
    assert pilots(sheet) == [
        ("SMO Charente Numérique", "smo-charente-numerique"),
        ("SPL Nouvelle Aquitaine THD", "spl-nouvelle-aquitaine-thd"),
    ]
    indicator = sheet.indicators.get()
    assert {kind: (t[0], t[2], t[4]) for kind, t in targets(indicator).items()} == {
        TargetKind.INITIAL: (None, 2016, dt.date(2016, 12, 31)),
        TargetKind.INTERMEDIATE: (None, 2018, dt.date(2018, 12, 31)),
        TargetKind.FINAL: (None, 2021, None),
    }


def test_num11_piloted_by_the_4b_sud_charente(sheets):
    sheet = sheets["Num11"]
    assert pilots(sheet) == [("Communauté de communes des 4B Sud Charente", "cc-4b-sud-charente")]
    assert sheet.cost_total == Decimal(3_374_200)
    assert sheet.scope_level == ScopeLevel.DEPARTEMENT


# --- Importing again ------------------------------------------------------------------------


def test_a_second_import_changes_nothing(sheets):
    before = row_counts()
    updated = {ref: sheet.updated for ref, sheet in sheets.items()}
    report = import_sheets_file()
    assert not report.changed and not report.plan_created
    assert report.unchanged == REFS and report.meetings_created == 0
    assert all(sheet.changes == [] for sheet in report.sheets)
    assert row_counts() == before
    for sheet in models.ActionSheet.objects.filter(plan__slug=DEFAULT_PLAN_SLUG):
        assert sheet.updated == updated[sheet.ref]
    assert report.summary().endswith("aucune modification, 11 fiche(s) inchangée(s).")


def test_a_changed_target_and_amount_update_exactly_those_fields(sheets):
    text = modified(
        ("Coût de l’action 40 000 €", "Coût de l’action 45 000 €"),
        ("Valeur intermédiaire : 15 points", "Valeur intermédiaire : 16 points"),
    )
    before = row_counts()
    report = import_sheets(text=text, source_name="fiches-2018.txt")
    assert report.updated == ["Num04", "Num08"] and len(report.unchanged) == 9
    num04, num08 = (s for s in report.sheets if s.ref in {"Num04", "Num08"})
    assert [str(change) for change in num04.changes] == [
        "Coût de l'action (texte d'origine) : 40 000 € → 45 000 €",
        "Coût total (€) : 40\u202f000 → 45\u202f000",
        "Ligne budgétaire « Coût de l'action » — Montant (€) : 40\u202f000 → 45\u202f000",
    ]
    indicator_label = "Indicateur « Nombre de points de médiation dans le département »"
    assert [str(change) for change in num08.changes[1:]] == [
        f"{indicator_label} — valeur intermédiaire — Valeur : 15 → 16",
        f"{indicator_label} — valeur intermédiaire — Valeur (texte d'origine) : "
        "15 points de médiation en 2019 → 16 points de médiation en 2019",
    ]
    assert num08.changes[0].field == "Indicateurs de suivi (texte d'origine)"
    assert "16 points de médiation" in num08.changes[0].new

    # One new history record per changed row, and nothing else.
    after = row_counts()
    history = {"HistoricalActionSheet": 2, "HistoricalBudgetLine": 1, "HistoricalTarget": 1}
    assert {name: after[name] - before[name] for name in before if after[name] != before[name]} == (
        history
    )
    target = models.Target.objects.get(
        indicator__sheet=sheets["Num08"], kind=TargetKind.INTERMEDIATE
    )
    assert target.value == 16
    record = target.history.first()
    delta = record.diff_against(record.prev_record)
    assert {(c.field, c.old, c.new) for c in delta.changes} == {
        ("value", Decimal("15.0000"), Decimal("16.0000")),
        ("value_text", "15 points de médiation en 2019", "16 points de médiation en 2019"),
    }
    assert record.history_change_reason == "Import du document fiches-2018.txt"
    budget_line = sheets["Num04"].budget_lines.get()
    assert budget_line.amount == 45000
    assert budget_line.history.first().diff_against(
        budget_line.history.first().prev_record
    ).changed_fields == ["amount"]
    # The document is the same again: nothing more.
    assert not import_sheets(text=text, source_name="fiches-2018.txt").changed


def test_values_changed_in_maillage_are_kept_unless_the_document_changes_them(sheets):
    sheet = sheets["Num08"]
    services.sheet_update(sheet=sheet, data={"calendar_text": "2018-2020"}, by=None)
    indicator = sheets["Num01"].indicators.first()
    services.target_set(indicator=indicator, kind=TargetKind.FINAL, value=200, year=2020)

    assert not import_sheets_file().changed
    sheet.refresh_from_db()
    assert sheet.calendar_text == "2018-2020"
    assert indicator.targets.get().value == 200  # a target a pilot set is theirs

    text = modified(("mise en œuvre 2018-2019", "mise en œuvre 2018-2021"))
    report = import_sheets(text=text, source_name="nouveau.txt")
    sheet.refresh_from_db()
    assert sheet.calendar_text == "2018-2021"  # the document changed it: the document wins
    assert [str(c) for c in report.sheets[7].changes] == [
        "Calendrier de mise en œuvre (texte d'origine) : 2018-2020 → 2018-2021"
    ]
    assert indicator.targets.get().value == 200

    services.sheet_update(sheet=sheet, data={"cost_notes": "Gratuit."}, by=None)
    report = import_sheets(text=text, source_name="nouveau.txt", force=True)
    sheet.refresh_from_db()
    assert report.updated == ["Num08"]
    assert sheet.cost_notes == "gratuit pour l’usager"  # force: every document value
    assert indicator.targets.get().value == 200  # still not the importer's to remove


def test_a_hand_entered_measurement_survives_reimports(sheets):
    indicator = sheets["Num07"].indicators.get(label="Nombre d'ateliers")
    manual = services.measurement_record(
        indicator=indicator, value=22, date=dt.date(2017, 12, 31), check_permission=False
    )
    text = modified(("- Nombre d'ateliers : 15", "- Nombre d'ateliers : 16"))
    report = import_sheets(text=text, source_name="bilan.txt")
    assert [str(c) for c in report.sheets[6].changes] == [
        "Indicateurs de suivi (texte d'origine) : "
        "…ombre d'ateliers : 15 - Nombre de participants : 98 - Nombre… → "
        "…ombre d'ateliers : 16 - Nombre de participants : 98 - Nombre…",
        "Indicateur « Nombre d'ateliers » — mesure du 31/12/2016 — Valeur : 15 → 16",
    ]
    values = indicator.measurements.order_by("date").values_list("value", "source", "provenance")
    assert list(values) == [
        (Decimal(16), MeasurementSource.IMPORT, {"document": "bilan.txt", "line": 380}),
        (Decimal(22), MeasurementSource.MANUAL, {}),
    ]
    assert manual.pk in indicator.measurements.values_list("pk", flat=True)

    # The document drops the indicator: its imported measurement goes, the indicator stays
    # because it carries a measurement someone entered.
    text = modified(("- Nombre d'ateliers : 15\n", ""))
    report = import_sheets(text=text, source_name="bilan.txt")
    assert report.sheets[6].notes == [
        "indicateur « Nombre d'ateliers » absent du document, conservé : il porte des "
        "mesures saisies"
    ]
    assert list(indicator.measurements.values_list("value", flat=True)) == [Decimal(22)]
    # Without hand-entered measurements, an indicator the document dropped is removed.
    other = sheets["Num07"].indicators.get(label="Nombre de participants")
    import_sheets(text=modified(("- Nombre de participants : 98 \n", "")))
    assert not models.Indicator.objects.filter(pk=other.pk).exists()


def test_rows_the_document_drops_are_removed_and_the_total_follows(sheets):
    text = modified(
        (
            "Coût de l'action annuel Salaire : 6 000 € ; déplacements : 5 000 €",
            "Coût de l'action annuel Salaire : 6 000 €",
        )
    )
    report = import_sheets(text=text)
    assert [str(c) for c in report.sheets[0].changes] == [
        "Coût de l'action (texte d'origine) : Salaire : 6 000 € ; déplacements : 5 000 € → "
        "Salaire : 6 000 €",
        "Coût total (€) : 11\u202f000 → 6\u202f000",
        "Ligne budgétaire « déplacements » : suppression",
    ]
    assert budget(sheets["Num01"])[0][:2] == ("Salaire", Decimal(6000))
    assert sheets["Num01"].budget_lines.count() == 1


def test_a_dry_run_reports_and_writes_nothing(sheets):
    before = row_counts()
    text = modified(("Coût de l’action 100 000 euros", "Coût de l’action 120 000 euros"))
    report = import_sheets(text=text, dry_run=True)
    assert report.dry_run and report.updated == ["Num09"]
    assert report.summary().startswith("Simulation, rien n'a été enregistré.")
    assert row_counts() == before
    assert sheets["Num09"].budget_lines.get().amount == 100000
    assert not import_sheets_file().changed


# --- Refused documents ----------------------------------------------------------------------


def refused(text: str, **options) -> list[SheetIssue]:
    before = row_counts()
    with pytest.raises(SheetDocumentError) as raised:
        import_sheets(text=text, plan_slug="refuse", source_name="mauvais.txt", **options)
    assert row_counts() == before  # nothing written, not even the plan
    return list(raised.value.errors)


def test_a_document_without_ref_is_refused(seed_report):
    text = SEED_TEXT.replace("Réf : ", "")
    assert refused(text) == [
        SheetIssue(None, 1, "aucune ligne « Réf : » : le document ne contient aucune fiche")
    ]


def test_a_duplicate_ref_is_refused_with_its_line(seed_report):
    lines = SEED_TEXT.splitlines(keepends=True)
    num05 = "".join(lines[212:258])
    assert num05.startswith(" Réf : Num05")
    text = SEED_TEXT.rstrip() + "\n" + num05
    errors = refused(text)
    assert errors == [
        SheetIssue("Num05", 619, "référence Num05 en double (déjà utilisée ligne 213)")
    ]
    assert text.splitlines()[618] == num05.splitlines()[0]


def test_an_unreadable_amount_is_refused_with_sheet_and_line(seed_report):
    (error,) = refused(modified(("Coût de l’action 40 000 €", "Coût de l’action 4O 000 €")))
    assert (error.ref, error.line) == ("Num04", 205)
    assert error.reason == "coût : montant illisible (lettre au milieu des chiffres) : « 4O 000 »"


def test_what_could_not_be_stored_is_refused_before_writing(seed_report):
    errors = refused(
        modified(
            ("Pilotes et missions Commune de Barbezieux", f"Pilotes et missions {'X' * 300}"),
            ("- Nombre de participants : 98", "- Nombre d'ateliers : 98"),
        )
    )
    assert [(e.ref, e.line) for e in errors] == [("Num04", 197), ("Num07", 381)]
    assert errors[0].reason.startswith("Nom d'organisation trop long (300 caractères, 255 au plus)")
    assert errors[1].reason == ("indicateur « Nombre d'ateliers » en double (déjà ligne 380)")


# --- Other documents of the family ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug", "code"),
    [
        ("deux_sevres_sante_2018.txt", "sdaasp-deux-sevres", "79"),
        ("haute_vienne_mobilite_2019.txt", "sdaasp-haute-vienne", "87"),
        ("loire_atlantique_services_publics_2018.txt", "sdaasp-loire-atlantique", "44"),
        ("charente_numerique_2017.txt", "copie-charente", "16"),
    ],
)
def test_unseen_documents_import_into_their_own_plan(seed_report, name, slug, code):
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    parsed = parse_document(text)
    seed_rows = models.ActionSheet.objects.filter(plan__slug=DEFAULT_PLAN_SLUG).count()
    report = import_sheets(
        text=text, plan_slug=slug, plan_name=name, departement_code=code, source_name=name
    )
    assert report.plan_created and report.created == [s.ref for s in parsed]
    plan = models.Plan.objects.get(slug=slug)
    assert plan.departement_code == code
    for sheet in parsed:
        stored = plan.sheets.get(ref=sheet.ref)
        assert stored.description == sheet.description
        assert {label: getattr(stored, name) for name, label in DIMENSION_FIELDS.items()} == {
            label: sheet.dimensions.get(label, False) for label in DIMENSION_FIELDS.values()
        }
        assert stored.actors.count() == len(sheet.pilots) + len(sheet.partners)
        assert [b.amount for b in stored.budget_lines.all()] == [
            b.amount for b in sheet.budget_lines
        ]
        assert stored.cost_total == sheet.cost_total
        assert stored.key_figures.count() == len(sheet.key_figures)
        for parsed_indicator in sheet.indicators:
            indicator = stored.indicators.get(label=parsed_indicator.label)
            assert {t.kind: t.value for t in indicator.targets.all()} == {
                t.kind: t.value for t in parsed_indicator.targets
            }
            assert sorted(indicator.measurements.values_list("value", flat=True)) == sorted(
                m.value for m in parsed_indicator.measurements if m.value is not None
            )
    assert models.ActionSheet.objects.filter(plan__slug=DEFAULT_PLAN_SLUG).count() == seed_rows
    assert not import_sheets(text=text, plan_slug=slug, source_name=name).changed


def test_a_deux_sevres_sheet_keeps_its_targets_and_period(seed_report):
    text = (DOCUMENTS / "deux_sevres_sante_2018.txt").read_text(encoding="utf-8")
    import_sheets(text=text, plan_slug="ds", departement_code="79")
    plan = models.Plan.objects.get(slug="ds")
    assert (plan.name, plan.period_start, plan.period_end) == ("ds", 2018, 2019)
    indicator = plan.sheets.get(ref="San03").indicators.get(label="Nombre de permanences ouvertes")
    assert {t.kind: (t.value, t.year) for t in indicator.targets.all()} == {
        TargetKind.INITIAL: (Decimal(12), 2017),
        TargetKind.INTERMEDIATE: (Decimal(18), 2018),
        TargetKind.FINAL: (Decimal(24), 2020),
    }
    assert plan.sheets.get(ref="San03").scope_level == ScopeLevel.OTHER  # no EPCI of 79 loaded


def test_an_organisation_loaded_later_is_linked_by_the_next_import(sheets):
    assert pilots(sheets["Num07"])[1] == ("VSC", None)
    vsc = Organisation.objects.create(
        name="Volontaires du service civique", slug="vsc", kind="other", aliases="VSC"
    )
    report = import_sheets_file()
    assert [str(c) for c in report.sheets[6].changes] == [
        "Pilote « VSC » — Organisation : (vide) → Volontaires du service civique"
    ]
    assert pilots(sheets["Num07"])[1] == ("VSC", vsc.slug)
