import pytest
from django.urls import reverse

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
