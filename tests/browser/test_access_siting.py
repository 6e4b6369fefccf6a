"""Siting scenarios in a browser: a pilot asks where 3 new Points Visio would serve most
people in Charente, reads the proven optimum with its before/after maps, and compares it."""

import pytest
from playwright.sync_api import expect

from maillage.organisations.labels import Role
from tests.charente import import_charente
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def charente_demo(transactional_db):
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places

    import_charente()
    load_referential_organisations()
    list(load_demo_places())
    pilot = UserFactory(email="pilote.acces@exemple.fr")
    organisation = OrganisationFactory(name="Département de la Charente (test)")
    MembershipFactory(user=pilot, organisation=organisation, role=Role.PILOT)
    return pilot


def test_a_pilot_sites_three_points_visio_and_reads_the_result(
    live_server, page, charente_demo, screenshot, assert_accessible, log_in
):
    log_in("pilote.acces@exemple.fr")
    page.goto(live_server.url + "/acces/implantation/")
    page.get_by_role("link", name="Nouveau scénario").click()
    page.get_by_label("Nom du scénario").fill("Trois Points Visio")
    page.get_by_label("Type de point").select_option("visio")
    page.get_by_label("Nombre de nouveaux points").fill("3")
    page.get_by_text("Couverture maximale", exact=False).click()
    page.get_by_text("Chaque commune (sa mairie)").click()
    screenshot("formulaire")
    assert_accessible()
    page.get_by_role("button", name="Lancer le calcul").click()

    expect(page.get_by_role("heading", name="Trois Points Visio")).to_be_visible()
    expect(page.get_by_text("optimum prouvé", exact=False)).to_be_visible()
    expect(page.get_by_role("img", name="Avant", exact=False)).to_be_visible()
    expect(page.get_by_role("img", name="Après", exact=False)).to_be_visible()
    expect(page.get_by_text("Communes encore à plus de 15 min", exact=False)).to_be_visible()
    screenshot("resultat-1280")
    assert_accessible()
    page.set_viewport_size(PHONE)
    screenshot("resultat-390")
    assert_accessible()

    page.goto(live_server.url + "/acces/implantation/")
    page.locator("label[for^=comparer-]").first.click()
    page.get_by_role("button", name="Comparer les scénarios cochés").click()
    heading = page.get_by_role("heading", name="Comparer des scénarios d'implantation")
    expect(heading).to_be_visible()
    expect(page.get_by_role("row", name="Nouvellement couverts", exact=False)).to_be_visible()
    screenshot("comparaison-390")
    assert_accessible()
