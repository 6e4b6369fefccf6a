import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKOUT_MESSAGE = "Connexion temporairement bloquée"


def _attempt(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_whatever_its_case(client):
    UserFactory(email="claire@exemple.fr")
    response = _attempt(client, "  Claire@Exemple.fr", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:my_space")


def test_invalid_login_shows_a_french_error(client):
    UserFactory(email="claire@exemple.fr")
    response = _attempt(client, "claire@exemple.fr", "mauvais")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adresse électronique ou mot de passe incorrect." in html
    assert 'value="claire@exemple.fr"' in html


def test_fifth_failure_locks_the_account_even_for_the_right_password(client):
    UserFactory(email="claire@exemple.fr")
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _attempt(client, "claire@exemple.fr", "mauvais").status_code == 200
    response = _attempt(client, "claire@exemple.fr", "mauvais")
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()

    response = _attempt(client, "claire@exemple.fr", DEFAULT_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKOUT_MESSAGE in html
    assert "15 minutes" in html
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("organisations:my_space")).status_code == 302


def test_lockout_concerns_only_the_attacked_account(client):
    UserFactory(email="claire@exemple.fr")
    UserFactory(email="paul@exemple.fr")
    for _ in range(5):
        _attempt(client, "claire@exemple.fr", "mauvais")
    assert _attempt(client, "paul@exemple.fr", DEFAULT_PASSWORD).status_code == 302


@override_settings(AXES_USERNAME_CALLABLE="maillage.organisations.auth_backends.lockout_username")
def test_lockout_username_ignores_case(client):
    """With AXES_USERNAME_CALLABLE set, changing the case does not give 5 more attempts."""
    UserFactory(email="claire@exemple.fr")
    for email in ("claire@exemple.fr", "Claire@exemple.fr", "CLAIRE@exemple.fr"):
        _attempt(client, email, "mauvais")
    _attempt(client, "claire@Exemple.fr", "mauvais")
    response = _attempt(client, "clAire@exemple.fr", "mauvais")
    assert response.status_code == 429


def test_the_admin_has_no_login_form_of_its_own(client):
    """The admin's login page sends to Maillage's (throttled, with the second factor): a
    password alone never opens the admin."""
    UserFactory(email="chef@exemple.fr", staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chef@exemple.fr", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/admin/"
    assert "_auth_user_id" not in client.session
