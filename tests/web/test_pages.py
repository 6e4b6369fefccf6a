import pytest
from django.urls import reverse

from maillage.organisations.labels import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["web:home", "web:accessibility", "web:legal", "login"])
def test_public_page_renders_in_french_with_dsfr_layout(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert 'class="fr-header"' in html
    assert 'class="fr-footer"' in html
    assert 'href="#contenu"' in html  # skip link
    assert "Charente" in html


@pytest.mark.django_db
def test_the_menu_shows_the_pages_a_person_may_open(client, login, member):
    def menu(response) -> set[str]:
        return {item["label"] for item in response.context["main_nav"]}

    public = {"Accueil", "Trouver de l'aide", "Prendre rendez-vous", "Le schéma", "Communes"}
    public |= {"Très haut débit", "Promeneurs du Net", "Accès aux services"}
    assert menu(client.get("/")) == public
    assert menu(login(member(Role.VIEWER)).get("/")) == public | {"Organisations"}
    assert menu(login(member(Role.MEDIATOR)).get("/")) == public | {
        "Organisations",
        "Médiation",
        "Transport",
    }
