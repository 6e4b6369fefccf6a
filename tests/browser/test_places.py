"""Places in a browser: a person near Chalais finds help for an online procedure, reads a
place's hours, asks to be called back; a mediator of the place's organisation sees the
request in the queue and calls back."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.places.demo import load_demo_places
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def places_data(transactional_db):
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    list(load_demo_places())
    mediator = UserFactory(email="mediatrice.ensc@exemple.fr", first_name="Inès")
    MembershipFactory(
        user=mediator,
        organisation=Organisation.objects.get(slug="espace-numerique-sud-charente"),
        role=Role.MEDIATOR,
    )
    return mediator


def _tick(page, label: str) -> None:
    """DSFR draws radios and checkboxes over their label: click the label, check the input."""
    page.locator("label.fr-label", has_text=label).click()
    expect(page.get_by_label(label)).to_be_checked()


def test_find_help_near_chalais_then_call_back(
    live_server, page, places_data, screenshot, assert_accessible, log_in
):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Trouver de l'aide"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver de l'aide près de chez vous")
    assert_accessible()

    page.get_by_label("Votre commune, code postal ou adresse").fill("Chalais")
    _tick(page, "Être aidé pour une démarche en ligne")
    page.get_by_role("button", name="Chercher").click()

    expect(
        page.get_by_role("heading", name="Lieux les plus proches de Chalais (16210)")
    ).to_be_visible()
    results = page.locator(".places-results > li")
    expect(results.first).to_contain_text("Chalais")
    expect(results.first).to_contain_text("min en voiture")
    expect(page.get_by_text("position approximative : centre de la commune")).to_be_visible()
    expect(page.locator("#carte-lieux")).to_be_visible()
    expect(page.locator("#carte-lieux .leaflet-marker-icon").first).to_be_visible()
    expect(
        page.locator("#carte-lieux path.leaflet-interactive, #carte-lieux svg path").first
    ).to_be_attached()
    assert_accessible()
    screenshot("resultats-chalais")

    results.first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chalais")
    expect(page.get_by_role("table", name="Horaires des 7 prochains jours")).to_be_visible()
    assert_accessible()
    screenshot("fiche-lieu")

    page.get_by_role("link", name="Demander à être rappelé").click()
    expect(page.get_by_label("Votre commune")).to_have_value("Chalais")
    page.get_by_label("Votre nom ou un pseudonyme").fill("Jeanne")
    page.get_by_label("Numéro de téléphone").fill("06 12 34 56 78")
    _tick(page, "Numérique (démarche en ligne")
    _tick(page, "Le matin")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Cochez la case").first).to_be_visible()  # consent forgotten
    expect(page.get_by_label("Votre nom ou un pseudonyme")).to_have_value("Jeanne")
    assert_accessible()
    _tick(page, "J'accepte que ces informations")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande envoyée")
    expect(page.get_by_text("vous recontactera")).to_be_visible()

    log_in("mediatrice.ensc@exemple.fr")
    page.goto(live_server.url + "/lieux/demandes/?statut=open")
    row = page.get_by_role("row").filter(has_text="Jeanne")
    expect(row).to_contain_text("Nouvelle")
    expect(row).to_contain_text("Chalais")
    assert_accessible()
    screenshot("file-des-demandes")

    row.get_by_role("link").click()
    page.get_by_label("Statut").select_option(label="Rappelée")
    page.get_by_label("Suivie par").select_option(label="Inès " + places_data.last_name)
    page.get_by_label("Note de suivi").fill("Rappelée : rendez-vous jeudi à l'atelier de Chalais.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La demande a été mise à jour.")).to_be_visible()
    expect(page.get_by_role("table", name="Suivi de la demande")).to_contain_text(
        "rendez-vous jeudi"
    )
    assert_accessible()
