from playwright.sync_api import expect

from maillage.organisations.labels import Role
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory


def test_mediator_logs_in_and_sees_only_their_organisation(
    live_server, page, transactional_db, screenshot, assert_accessible
):
    ensc = OrganisationFactory(name="Espace Numérique Sud Charente")
    OrganisationFactory(name="MSA des Charentes")
    mediator = UserFactory(email="mediatrice@exemple.fr", first_name="Léa")
    MembershipFactory(user=mediator, organisation=ensc, role=Role.MEDIATOR)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    assert_accessible()
    page.get_by_label("Adresse électronique").fill("Mediatrice@Exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    organisations = page.get_by_role("list", name="Mes organisations")
    expect(organisations).to_contain_text("Espace Numérique Sud Charente")
    expect(organisations).to_contain_text("Médiat")
    expect(organisations).not_to_contain_text("MSA des Charentes")
    screenshot("mon-espace")
    assert_accessible()


def test_wrong_password_is_refused_with_a_message(live_server, page, transactional_db):
    UserFactory(email="agent@exemple.fr")
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Adresse électronique").fill("agent@exemple.fr")
    page.get_by_label("Mot de passe", exact=True).fill("mauvais-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("incorrect")
    # What the person typed is kept.
    expect(page.get_by_label("Adresse électronique")).to_have_value("agent@exemple.fr")
