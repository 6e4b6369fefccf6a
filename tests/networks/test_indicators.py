"""The Num02 indicators computed from the network: active members at any date, contacts and
physical meetings per year; they move when a member sends a return."""

import datetime as dt
from decimal import Decimal

import pytest

from maillage import clock
from maillage.networks import indicator_sources as src
from maillage.networks import returns
from maillage.networks.labels import CountKind, MemberStatus
from maillage.networks.returns import ReturnData
from maillage.plan import computed, sources
from maillage.plan.labels import MeasurementMethod, MeasurementSource, TargetKind
from maillage.plan.models import Measurement
from maillage.plan.sources import NoData
from tests.factories import OrganisationFactory
from tests.plan.factories import ActionSheetFactory, IndicatorFactory

from .factories import MemberFactory, MonthlyReturnFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_sources_are_registered_for_num02():
    for key in (
        "active_members",
        "contacts",
        "physical_meetings",
        "follow_ups",
        "network_meetings",
    ):
        source = sources.get(f"networks.{key}")
        assert source is not None and source.sheets == ("Num02",)
        assert sources.pages([f"networks.{key}"]) == [
            ("/reseaux/", "Promeneurs du Net : annuaire et coordination")
        ]


def test_contacts_and_meetings_per_period_network_and_territory(network, communes):
    angouleme = OrganisationFactory(commune_insee="16015")
    cognac = OrganisationFactory(commune_insee="16102")
    a = MemberFactory(network=network, organisation=angouleme)
    b = MemberFactory(network=network, organisation=cognac)
    elsewhere = MemberFactory(network=NetworkFactory())
    MonthlyReturnFactory(member=a, month=dt.date(2025, 12, 1), contacts={"instagram": 10})
    MonthlyReturnFactory(
        member=a,
        month=dt.date(2026, 1, 1),
        contacts={"instagram": 3, "snapchat": 2},
        physical_meetings=2,
    )
    MonthlyReturnFactory(member=b, month=dt.date(2026, 2, 1), contacts={"tiktok": 7})
    MonthlyReturnFactory(member=elsewhere, month=dt.date(2026, 2, 1), contacts={"tiktok": 100})
    mine = {"network": network.slug}
    year = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    assert src.sum_contacts(mine, **year) == 12
    assert src.sum_contacts(mine, start=None, end=dt.date(2026, 1, 31)) == 15
    assert src.sum_contacts({**mine, "channel": ["instagram"]}, **year) == 3
    assert src.sum_contacts({**mine, "territory": "200071827"}, **year) == 5  # Grand Angoulême
    assert src.sum_contacts({**mine, "territory": "16102"}, **year) == 7
    assert src.sum_contacts({}, **year) == 112  # every network
    assert src._sum_field("physical_meetings")(mine, **year) == 2
    with pytest.raises(NoData):  # no return in 2024: no value rather than a zero
        src.sum_contacts(mine, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


def test_seed_bindings_and_target_of_num02():
    sheet = ActionSheetFactory(ref="Num02")
    pnd = IndicatorFactory(sheet=sheet, label="Nombre de Pnd", unit="Pnd")
    contacts = IndicatorFactory(sheet=sheet, label="Nombre de contacts")
    computed.bind_seed_indicators(sheet.plan)
    pnd.refresh_from_db()
    contacts.refresh_from_db()
    assert (pnd.source_key, pnd.measurement_method) == (
        "networks.active_members",
        MeasurementMethod.COMPUTED,
    )
    assert contacts.source_filters == {"period": "year"}
    assert {t.kind: (t.value, t.year) for t in pnd.targets.all()} == {
        TargetKind.INITIAL: (Decimal(0), 2017),
        TargetKind.FINAL: (Decimal(30), None),
    }
    pnd.targets.filter(kind=TargetKind.FINAL).update(value=25)
    computed.bind_seed_indicators(sheet.plan)  # people's targets are kept
    assert pnd.targets.get(kind=TargetKind.FINAL).value == 25


def test_a_return_moves_the_num02_indicator(network, user, django_capture_on_commit_callbacks):
    sheet = ActionSheetFactory(ref="Num02")
    indicator = IndicatorFactory(sheet=sheet, label="Nombre de contacts")
    computed.bind_seed_indicators(sheet.plan)
    member = MemberFactory(network=network, user=user)
    now = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    data = ReturnData(counts={CountKind.CHANNEL: {"instagram": 9}})
    with clock.travel(now), django_capture_on_commit_callbacks(execute=True):
        returns.return_submit(member=member, month=dt.date(2026, 2, 1), data=data, by=user)
    measurement = Measurement.objects.get(indicator=indicator, source=MeasurementSource.COMPUTED)
    assert measurement.value == 9 and measurement.provenance["source"] == "networks.contacts"


def test_a_late_december_return_updates_last_year(
    network, user, django_capture_on_commit_callbacks
):
    sheet = ActionSheetFactory(ref="Num02")
    indicator = IndicatorFactory(sheet=sheet, label="Nombre de contacts")
    computed.bind_seed_indicators(sheet.plan)
    member = MemberFactory(network=network, user=user)
    data = ReturnData(counts={CountKind.CHANNEL: {"discord": 4}})
    with (
        clock.travel(dt.datetime(2026, 1, 6, 10, tzinfo=dt.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        returns.return_submit(member=member, month=dt.date(2025, 12, 1), data=data, by=user)
    values = dict(Measurement.objects.filter(indicator=indicator).values_list("date", "value"))
    assert values[dt.date(2025, 12, 31)] == 4


def test_active_members_indicator_counts_status_and_training(network):
    sheet = ActionSheetFactory(ref="Num02")
    indicator = IndicatorFactory(sheet=sheet, label="Nombre de Pnd")
    computed.bind_seed_indicators(sheet.plan)
    indicator.refresh_from_db()
    MemberFactory(network=network, trained_on=dt.date(2025, 3, 1))
    MemberFactory(network=network)  # not trained yet
    MemberFactory(
        network=network,
        history=[
            (MemberStatus.ACTIVE, dt.date(2024, 1, 1)),
            (MemberStatus.LEFT, dt.date(2025, 6, 1)),
        ],
        trained_on=dt.date(2024, 2, 1),
    )
    assert computed.compute_value(indicator, on=dt.date(2025, 4, 1))[0] == 2
    assert computed.compute_value(indicator, on=dt.date(2025, 7, 1))[0] == 1
