"""Broadband in a browser: a pilot imports a quarter of the regulator's figures and the map and
Num10's indicator move; a bad file is refused naming line and column, nothing written; the
Archives' monthly export updates Num03 after a preview."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from maillage.broadband import imports
from maillage.broadband.models import FigureImport, PremisesCount
from maillage.organisations.labels import Role
from maillage.plan.computed import indicator_bind
from maillage.plan.labels import ActorRole, Direction, TargetKind
from maillage.plan.models import Measurement
from tests.broadband import factories as f
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.plan.factories import (
    ActionSheetFactory,
    IndicatorFactory,
    PlanFactory,
    SheetActorFactory,
    TargetFactory,
)

PHONE = {"width": 390, "height": 844}
T2 = [
    f.speed_row("16028", "Barbezieux", 2600, 60, 2200, 2100, 1800, 1500, 1200, "2024-06-30"),
    f.speed_row("16046", "Coteaux", 500, 20, 300, 250, 100, 90, 80, "2024-06-30"),
    f.speed_row("16073", "Chalais", 1100, 5, 900, 850, 800, 700, 600, "2024-06-30"),
]


@pytest.fixture
def broadband(transactional_db):
    f.charente_communes()
    plan = PlanFactory(slug="sdaasp-charente", name="Schéma de la Charente")
    smo = OrganisationFactory(name="Syndicat mixte ouvert Charente Numérique")
    num10 = ActionSheetFactory(plan=plan, ref="Num10", sub_action="Très haut débit")
    SheetActorFactory(sheet=num10, organisation=smo, role=ActorRole.PILOT)
    f.ProgrammeFactory(sheet=num10)
    slow = IndicatorFactory(
        sheet=num10, label="Lignes à moins de 3 Mbit/s", unit="lignes", direction=Direction.DECREASE
    )
    TargetFactory(indicator=slow, kind=TargetKind.INITIAL, value=1200, year=2016)
    TargetFactory(indicator=slow, kind=TargetKind.FINAL, value=360, year=2020)
    indicator_bind(indicator=slow, source_key="broadband.slow_lines", filters={"basis": "wired"})
    imports.figures_import(content=f.speed_file(T2), filename="commune_debit_filaire.csv")
    pilot = UserFactory(email="pilote.thd@exemple.fr")
    MembershipFactory(user=pilot, organisation=smo, role=Role.PILOT)
    return {"plan": plan, "slow": slow}


def upload(page, name: str, content: bytes, mime: str = "text/csv") -> None:
    page.get_by_label("Fichier", exact=False).first.set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )


def test_a_pilot_imports_a_quarter_and_the_map_and_num10_move(
    live_server, page, broadband, screenshot, assert_accessible, log_in
):
    page.goto(live_server.url + "/tres-haut-debit/?mesure=lent-filaire")
    expect(page.locator("#carte-titre")).to_contain_text("T2 2024")
    # T2 2024: (60 + 340) + (20 + 180) + (5 + 195) = 800 of 4 200 premises under 3 Mbit/s.
    expect(page.get_by_text("19 %", exact=True)).to_be_visible()
    map_ = page.get_by_role("img", name="Carte des communes")
    expect(map_).to_be_visible()
    screenshot("carte-t2")
    assert_accessible()

    log_in("pilote.thd@exemple.fr")
    page.goto(live_server.url + "/tres-haut-debit/")
    page.get_by_role("link", name="Importer des chiffres").click()
    upload(page, "commune_debit_filaire.csv", f.speed_file())
    page.get_by_label("Adresse de téléchargement").fill(
        "https://data.arcep.fr/fixe/maconnexioninternet/statistiques/2024_T3/commune/"
        "commune_debit_filaire.csv"
    )
    page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_text("Prêt à appliquer")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("T3 2024")
    expect(page.get_by_role("table").first).to_contain_text("Débits, réseaux filaires")
    screenshot("apercu-import")
    assert_accessible()
    assert PremisesCount.objects.filter(quarter_end=dt.date(2024, 9, 30)).count() == 0

    page.get_by_role("button", name="Appliquer l'import").click()
    expect(page.get_by_text("Import appliqué : 21 valeur(s) ajoutée(s)")).to_be_visible()
    expect(page.locator("#carte-titre")).to_contain_text("T3 2024")
    # T3 2024: 480 of 4 320.
    expect(page.get_by_text("11,1 %", exact=True)).to_be_visible()
    expect(page.get_by_text("commune_debit_filaire.csv").first).to_be_visible()
    screenshot("carte-t3")

    page.get_by_role("link", name="Num10 — Lignes à moins de 3 Mbit/s").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lignes à moins de 3 Mbit/s")
    latest = broadband["slow"].measurements.order_by("-date").first()
    assert (latest.date, latest.value) == (dt.date(2024, 9, 30), 405)
    expect(page.get_by_text("405").first).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/tres-haut-debit/?mesure=lent-filaire")
    expect(map_).to_be_visible()
    screenshot("carte-telephone")


def test_a_bad_file_is_refused_naming_line_and_column(
    live_server, page, broadband, screenshot, assert_accessible, log_in
):
    before = PremisesCount.objects.count()
    log_in("pilote.thd@exemple.fr")
    page.goto(live_server.url + "/tres-haut-debit/imports/")
    bad = f.speed_file(
        [
            f.speed_row("16028", "Barbezieux", 2600, 40, 2400, 2300, 2000, 1900, 1500),
            f.speed_row("16073", "Chalais", 1100, 5, 1000, 950, 990, 850, 700),
        ]
    )
    upload(page, "commune_debit_filaire.csv", bad)
    page.get_by_role("button", name="Lire le fichier").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Fichier refusé : rien n'a été enregistré")
    expect(alert).to_contain_text(
        "Ligne 3, colonne « elig_thd30 » : 990 dépasse « elig_bhd8 » (950)"
    )
    expect(page.get_by_role("button", name="Appliquer l'import")).to_have_count(0)
    screenshot("fichier-refuse")
    assert_accessible()
    assert PremisesCount.objects.count() == before
    assert FigureImport.objects.filter(status="refused").count() == 1


def test_the_archives_export_updates_num03_after_a_preview(
    live_server, page, screenshot, assert_accessible, transactional_db, log_in
):
    plan = PlanFactory(slug="sdaasp-charente", name="Schéma de la Charente")
    archives = OrganisationFactory(name="Archives départementales de la Charente")
    num03 = ActionSheetFactory(plan=plan, ref="Num03", sub_action="Archives en ligne")
    SheetActorFactory(sheet=num03, organisation=archives)
    images = IndicatorFactory(sheet=num03, label="Images en ligne", unit="images")
    consultations = IndicatorFactory(
        sheet=num03, label="Consultations en ligne des archives", unit="consultations"
    )
    pilot = UserFactory(email="archives@exemple.fr")
    MembershipFactory(user=pilot, organisation=archives, role=Role.PILOT)
    export = (
        b"Mois;Images en ligne;Consultations en ligne des archives\n"
        b"2024-01;4120000;31200\n2024-02;4150000;29800\n"
    )

    log_in("archives@exemple.fr")
    page.goto(live_server.url + "/schema/sdaasp-charente/")
    page.get_by_role("link", name="Importer des séries de valeurs").click()
    upload(page, "export-archives.csv", export)
    page.get_by_role("button", name="Voir l'aperçu des changements").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("séries de valeurs")
    expect(page.get_by_role("table")).to_contain_text("Valeur au 29/02/2024")
    screenshot("series-apercu")
    assert_accessible()
    assert not Measurement.objects.exists()

    page.get_by_role("button", name="Appliquer ces 4 changements").click()
    expect(page.get_by_text("4 modification(s) appliquée(s).")).to_be_visible()
    assert images.measurements.get(date=dt.date(2024, 2, 29)).value == 4150000
    page.goto(live_server.url + consultations.get_absolute_url())
    expect(page.get_by_role("table").last).to_contain_text("31 200")
