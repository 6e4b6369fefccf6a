"""The error pages are French and DSFR-styled; the server-error page needs no context (no
context processor, no database), so it shows whatever failed."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views import defaults
from django.views.csrf import csrf_failure

from maillage.organisations.labels import Role

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_a_french_404(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and 'class="fr-header"' in html and 'lang="fr"' in html


def test_a_refused_page_answers_a_french_403_saying_why(client, login, member):
    response = login(member(Role.VIEWER)).get(reverse("mediation:home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "Votre rôle" in html and 'class="fr-header"' in html


@pytest.mark.parametrize("debug", [False, True])
def test_the_server_error_page_renders_without_context_or_database(settings, debug):
    """As with production settings (DEBUG off) Django renders 500.html with an empty context;
    the test settings make any undefined variable fail, so the page uses none."""
    settings.DEBUG = debug
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = defaults.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and "fr-header" in html and 'lang="fr"' in html
    assert len(queries) == 0


def test_a_stale_form_answers_a_french_page():
    response = csrf_failure(RequestFactory().post("/"), reason="CSRF token missing.")
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
