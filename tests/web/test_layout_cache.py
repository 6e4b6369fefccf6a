"""The layout's fixed parts (style sheets, scripts, footer) are rendered once per process and
reused for everyone: nothing of one person's page may end up in another's."""

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import path

from maillage.organisations.labels import Role
from maillage.urls import urlpatterns as site_urls
from maillage.web import views

pytestmark = pytest.mark.django_db

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_layout_cache():
    caches["layout"].clear()
    yield
    caches["layout"].clear()


def with_message(request):
    messages.success(request, "Message pour une seule personne")
    return views.legal(request)


urlpatterns = [path("test-message/", with_message), *site_urls]


def test_the_fixed_parts_are_rendered_once_then_reused(client):
    first = client.get("/mentions-legales/").content.decode()
    assert caches["layout"]._cache  # filled by the first page
    again = client.get("/accessibilite/").content.decode()
    for part in ("dsfr.min.css", "web/maillage.css", "dsfr.module.min.js", 'id="pied-de-page"'):
        assert part in first
        assert again.count(part) == 1


def test_a_logged_in_persons_page_leaves_nothing_in_the_next_visitors(member, login):
    person = member(Role.MEDIATOR, first_name="Mireille", last_name="Dupontel")
    theirs = login(person).get("/mentions-legales/").content.decode()
    token = CSRF_FIELD.search(theirs).group(1)
    assert "Se déconnecter" in theirs and "Médiation" in theirs

    visitor = Client().get("/mentions-legales/").content.decode()
    assert token not in visitor
    assert "Se déconnecter" not in visitor and "Mon espace" not in visitor
    assert "Se connecter" in visitor
    assert ">Médiation<" not in visitor
    assert "Mireille" not in visitor and "Dupontel" not in visitor and person.email not in visitor


@override_settings(ROOT_URLCONF=__name__)
def test_a_message_is_shown_to_its_person_only(client):
    assert "Message pour une seule personne" in client.get("/test-message/").content.decode()
    assert "Message pour une seule personne" not in Client().get("/").content.decode()


def test_the_footer_follows_the_departement_served(client):
    assert "Charente" in client.get("/mentions-legales/").content.decode()
    with override_settings(MAILLAGE_DEPARTEMENT_NAME="Vienne"):
        footer = client.get("/mentions-legales/").content.decode().split('id="pied-de-page"')[1]
    assert "Vienne" in footer and "Charente" not in footer


def test_a_visitors_pages_open_no_session(client):
    """Reading pages writes nothing: no session row, no session cookie (the layout reads the
    messages and the login state, which must not create one)."""
    for url in ("/", "/mentions-legales/", "/rendez-vous/", "/lieux/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url
    assert not Session.objects.exists()
