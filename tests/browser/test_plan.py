"""The plan in a browser: the public reads Num08's trajectory; its pilot records a measurement."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from maillage.organisations.labels import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.plan.factories import (
    ActionSheetFactory,
    MeasurementFactory,
    PlanFactory,
    SheetActorFactory,
    num08,
)


@pytest.fixture
def plan_data(transactional_db):
    plan = PlanFactory(slug="sdaasp-charente", name="Schéma de la Charente")
    library = OrganisationFactory(name="Service départemental de la lecture")
    sheet = num08(plan, library)
    MeasurementFactory(indicator=sheet.indicators.get(), value=5, date=dt.date(2019, 6, 30))
    pilot = UserFactory(email="pilote.num08@exemple.fr")
    MembershipFactory(user=pilot, organisation=library, role=Role.PILOT)
    other_org = OrganisationFactory(name="Espace Numérique Sud Charente")
    SheetActorFactory(sheet=ActionSheetFactory(plan=plan, ref="Num01"), organisation=other_org)
    other = UserFactory(email="pilote.num01@exemple.fr")
    MembershipFactory(user=other, organisation=other_org, role=Role.PILOT)
    return plan


def test_public_trajectory_then_pilot_records_a_measurement(
    live_server, page, plan_data, screenshot, assert_accessible, log_in
):
    page.goto(live_server.url + "/schema/")
    page.get_by_role("link", name="Schéma de la Charente").click()
    page.get_by_role("link", name="Num08", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Num08")
    chart = page.get_by_role("img", name="trajectoire cible").first
    expect(chart).to_be_visible()
    expect(page.get_by_text("Dernière mesure")).to_be_visible()
    screenshot("num08-public")
    assert_accessible()

    log_in("pilote.num08@exemple.fr")
    page.goto(live_server.url + "/schema/sdaasp-charente/fiches/Num08/")
    page.get_by_role("link", name="Toutes les mesures et saisir une mesure").click()
    page.locator("#id_value").fill("59")
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("Mesure enregistrée")).to_be_visible()
    expect(page.get_by_text("Cible atteinte").first).to_be_visible()
    expect(page.get_by_text("100 %").first).to_be_visible()
    screenshot("num08-mesure")


def test_pilot_of_another_sheet_cannot_edit_num08(live_server, page, plan_data, log_in):
    log_in("pilote.num01@exemple.fr")
    indicator = plan_data.sheets.get(ref="Num08").indicators.get()
    page.goto(live_server.url + indicator.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("points de médiation")
    expect(page.get_by_role("button", name="Enregistrer la mesure")).to_have_count(0)
    response = page.goto(live_server.url + "/schema/sdaasp-charente/fiches/Num08/modifier/")
    assert response.status == 403
