"""The demonstration network of `make run`: credible, fictitious, idempotent, and feeding Num02."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage import clock
from maillage.networks.demo import MEMBER_EMAIL, load_demo_networks
from maillage.networks.meetings import year_rule
from maillage.networks.models import Member, MonthlyReturn, Network, previous_month
from maillage.networks.returns import missing_returns
from maillage.organisations.demo import DEMO_PASSWORD, load_demo_accounts
from maillage.plan.labels import MeasurementSource
from maillage.plan.models import Measurement

NOW = dt.datetime(2026, 12, 6, 9, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_demo_network_is_credible_fictitious_and_idempotent(settings, client):
    settings.MAILLAGE_DEMO_ACCOUNTS = True
    with clock.travel(NOW):
        call_command("load_referential", verbosity=0)
        list(load_demo_accounts())
        lines = list(load_demo_networks())
        assert list(load_demo_networks()) == []  # idempotent
        network = Network.objects.get(slug="promeneurs-du-net-charente")
        members = Member.objects.filter(network=network)
        assert 18 <= members.count() <= 24 and not members.filter(is_demo=False).exists()
        active = members.active_on(clock.today()).count()
        assert lines == [
            f"Promeneurs du Net de démonstration : {members.count()} membres fictifs "
            f"({active} actifs), {MonthlyReturn.objects.count()} bilans mensuels sur un an, "
            "formations et réunions de réseau."
        ]
        assert 15 <= active < 30  # on the way to the target of 30
        assert all(m.organisation.slug.startswith("demo-pdn-") for m in members)
        months = set(MonthlyReturn.objects.values_list("month", flat=True))
        assert len(months) == 12 and max(months) == previous_month(clock.today())
        assert year_rule(network, 2026).is_done
        # The member account has last month's return to send.
        own = members.get(user__email=MEMBER_EMAIL)
        assert own in missing_returns(network, previous_month(clock.today()))
        pnd = Measurement.objects.filter(
            indicator__sheet__ref="Num02",
            indicator__label="Nombre de Pnd",
            source=MeasurementSource.COMPUTED,
        )
        assert pnd.filter(date=dt.date(2019, 12, 31)).get().value < active
        assert pnd.order_by("-date").first().value == active
    response = client.post(
        reverse("login"), {"username": MEMBER_EMAIL, "password": DEMO_PASSWORD}, follow=True
    )
    assert reverse("networks:my_space") in response.content.decode()


@pytest.mark.django_db
def test_demo_not_loaded_in_production(settings):
    settings.MAILLAGE_DEMO_ACCOUNTS = False
    settings.DEBUG = False
    assert next(load_demo_networks()).startswith("Réseau de démonstration non chargé")
