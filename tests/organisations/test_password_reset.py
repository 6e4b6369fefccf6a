"""Password reset by email: the same answer and the same work for a known and an unknown
address, a one-time link that expires, a few requests an hour."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NEW_PASSWORD = "un-nouveau-mot-de-passe-solide-2027"


def _ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def _asked_and_sent(client, email, capture, **extra):
    with capture(execute=True):
        return _ask(client, email, **extra)


def _link(message) -> str:
    return re.search(r"http://\S+/mot-de-passe/nouveau/\S+/", message.body).group(0)


@override_settings(TASKS=QUEUED)
def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    client, django_capture_on_commit_callbacks
):
    """Nothing in the answer, nor in what the request does (one queued task carrying the typed
    address), tells an account exists: the lookup and the email happen in the worker."""
    UserFactory(email="claire@exemple.fr")
    answers, queries = [], []
    for email in ("claire@exemple.fr", "personne@exemple.fr"):
        with CaptureQueriesContext(connection) as captured:
            answers.append(_asked_and_sent(client, email, django_capture_on_commit_callbacks))
        queries.append([query["sql"].split(" ")[0] for query in captured.captured_queries])
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"] == reverse("password_reset_done")
    assert queries[0] == queries[1]
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.order_by("enqueued_at")] == [
        ["claire@exemple.fr"],
        ["personne@exemple.fr"],
    ]
    assert mail.outbox == []  # sent by the worker, not while the person waits
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "Si un compte correspond à l'adresse indiquée" in page


def test_the_link_sets_a_new_password_once(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="claire@exemple.fr")
    _asked_and_sent(client, "Claire@Exemple.fr ", django_capture_on_commit_callbacks)
    _asked_and_sent(client, "inconnue@exemple.fr", django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["claire@exemple.fr"]]
    link = _link(mail.outbox[0])
    assert "60 minutes" in mail.outbox[0].body
    form = client.get(link, follow=True)
    assert "Nouveau mot de passe" in form.content.decode()
    set_url = form.redirect_chain[-1][0]  # the token leaves the address bar (Django)
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    again = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in again


def test_the_link_expires(client, django_capture_on_commit_callbacks, settings):
    UserFactory(email="claire@exemple.fr")
    _asked_and_sent(client, "claire@exemple.fr", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later, tick=False):
        page = client.get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in page


def test_no_email_for_an_inactive_account(client, django_capture_on_commit_callbacks):
    UserFactory(email="partie@exemple.fr", inactive=True)
    response = _asked_and_sent(client, "partie@exemple.fr", django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_requests_are_throttled_per_address_and_per_email(
    client, django_capture_on_commit_callbacks, settings
):
    settings.MAILLAGE_PASSWORD_RESET_PER_HOUR = 2
    UserFactory(email="claire@exemple.fr")
    for _ in range(2):
        _asked_and_sent(client, "claire@exemple.fr", django_capture_on_commit_callbacks)
    refused = _ask(client, "autre@exemple.fr")
    assert "Trop de demandes de réinitialisation" in refused.content.decode()
    # From elsewhere, the same answer for this email, but no third message (silently).
    elsewhere = _asked_and_sent(
        client, "claire@exemple.fr", django_capture_on_commit_callbacks, REMOTE_ADDR="192.0.2.9"
    )
    assert elsewhere["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2


def test_a_new_password_lifts_a_login_lockout(client, django_capture_on_commit_callbacks):
    UserFactory(email="claire@exemple.fr")
    for _ in range(5):
        client.post(reverse("login"), {"username": "claire@exemple.fr", "password": "mauvais"})
    locked = client.post(
        reverse("login"), {"username": "claire@exemple.fr", "password": DEFAULT_PASSWORD}
    )
    assert locked.status_code == 429
    _asked_and_sent(client, "claire@exemple.fr", django_capture_on_commit_callbacks)
    set_url = client.get(_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(
        reverse("login"), {"username": "claire@exemple.fr", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_the_login_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
