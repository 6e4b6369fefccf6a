import pytest
from django.urls import reverse

from maillage.organisations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from maillage.organisations.labels import Role
from maillage.organisations.models import Membership, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_not_created_without_debug(settings):
    settings.DEBUG = False
    lines = list(load_demo_accounts())
    assert "non créés" in lines[0]
    assert not User.objects.exists()


def test_demo_accounts_cover_every_role_and_are_idempotent(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    lines = list(load_demo_accounts())
    assert DEMO_PASSWORD in lines[0]
    assert all(account.email in "\n".join(lines) for account in DEMO_ACCOUNTS)
    users, memberships = User.objects.count(), Membership.objects.count()
    list(load_demo_accounts())
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(email="admin@demo.maillage.fr").is_superuser
    assert not User.objects.filter(is_staff=True).exclude(email="admin@demo.maillage.fr").exists()
    assert all("démonstration" in user.last_name for user in User.objects.all())


def test_demo_mediator_logs_in_and_sees_their_organisation(client, settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    list(load_demo_accounts())
    response = client.post(
        reverse("login"),
        {"username": "mediateur@demo.maillage.fr", "password": DEMO_PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("organisations:my_space")
    assert "Espace Numérique Sud Charente" in html
    assert Role.MEDIATOR.label in html
