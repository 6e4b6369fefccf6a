"""Reminders for last month's missing returns: who gets one, once, and what it says."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from maillage import clock
from maillage.networks import reminders
from maillage.networks.labels import MemberStatus
from maillage.networks.models import ReturnReminder

from .factories import MemberFactory, MonthlyReturnFactory

pytestmark = pytest.mark.django_db

FEB = dt.date(2026, 2, 1)
ON_THE_5TH = dt.datetime(2026, 3, 5, 7, tzinfo=dt.UTC)


@pytest.fixture
def members(network):
    late = MemberFactory(network=network, first_name="Inès", email="ines@mjc.fr")
    MonthlyReturnFactory(member=MemberFactory(network=network), month=FEB)  # on time
    MemberFactory(network=network, email="")  # no address: the coordinator follows up
    MemberFactory(
        network=network,
        history=[
            (MemberStatus.ACTIVE, dt.date(2025, 1, 1)),
            (MemberStatus.LEFT, dt.date(2026, 1, 3)),
        ],
    )
    return late


def test_the_nightly_job_reminds_once_per_month(network, members, settings):
    settings.MAILLAGE_SITE_URL = "https://maillage.exemple.fr"
    with clock.travel(ON_THE_5TH - dt.timedelta(days=1)):
        call_command("network_reminders", verbosity=0)
    assert mail.outbox == []  # before the network's reminder day
    with clock.travel(ON_THE_5TH):
        call_command("network_reminders", verbosity=0)
        call_command("network_reminders", verbosity=0)  # the next night: nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@mjc.fr"]
    assert message.subject == "Promeneurs du Net : votre bilan de février 2026"
    assert "Bonjour Inès" in message.body
    assert "https://maillage.exemple.fr/reseaux/mon-espace/bilan/?mois=2026-02" in message.body
    assert ReturnReminder.objects.get().month == FEB


def test_a_coordinator_may_remind_again_on_another_day(
    network, members, coordinator, django_capture_on_commit_callbacks
):
    with clock.travel(ON_THE_5TH):
        reminders.send_reminders(network, FEB)
    with (
        clock.travel(ON_THE_5TH + dt.timedelta(days=7)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert reminders.reminders_request(network=network, by=coordinator) == FEB
    assert len(mail.outbox) == 2
    with clock.travel(ON_THE_5TH + dt.timedelta(days=7)):
        reminders.send_reminders(network, FEB, manual=True)
    assert len(mail.outbox) == 2  # not twice the same day


def test_a_return_sent_stops_the_reminders(network, members):
    MonthlyReturnFactory(member=members, month=FEB)
    with clock.travel(ON_THE_5TH):
        assert reminders.send_reminders(network, FEB) == 0


def test_smtp_failure_leaves_the_reminder_for_the_next_run(network, members, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with clock.travel(ON_THE_5TH):
        assert reminders.send_reminders(network, FEB) == 0
    assert not ReturnReminder.objects.exists()


def test_dry_run_counts(network, members, capsys):
    with clock.travel(ON_THE_5TH):
        call_command("network_reminders", "--dry-run")
    assert "1 relance(s) à envoyer (février 2026)" in capsys.readouterr().out
    assert mail.outbox == []
