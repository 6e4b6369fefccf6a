"""The demonstration data: a whole roll-out over the shipped communes, through the real imports."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from maillage import clock
from maillage.broadband.demo import demo_quarters, load_demo_broadband
from maillage.broadband.labels import Category, Dataset
from maillage.broadband.models import FigureImport, PremisesCount, Programme, Work
from maillage.broadband.quarters import Quarter
from maillage.organisations.referential import load_referential_organisations
from maillage.plan.importer import import_sheets_file
from maillage.plan.labels import MeasurementSource
from maillage.plan.models import Indicator, Measurement
from maillage.territory.importer import CHARENTE_CSV, import_communes

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 6, 10, tzinfo=dt.UTC)
QUARTERS = [Quarter(2017, 4), Quarter(2019, 4), Quarter(2021, 4), Quarter(2026, 3)]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        clock.travel(TODAY),
        override_settings(MAILLAGE_DEMO_ACCOUNTS=True),
        # Four quarters are enough to check the story, and keep the test quick.
        mock.patch("maillage.broadband.demo.demo_quarters", return_value=QUARTERS),
    ):
        import_communes(csv_path=CHARENTE_CSV, departement_code="16", departement_name="Charente")
        load_referential_organisations()
        import_sheets_file()
        call_command("load_broadband_programme", verbosity=0)
        call_command("bind_seed_indicators", verbosity=0)
        lines = list(load_demo_broadband())
        yield lines
        transaction.set_rollback(True)


def test_quarters_of_the_demonstration():
    quarters = demo_quarters(dt.date(2026, 12, 6))
    assert [q.label for q in quarters[:2]] == ["T4 2017", "T4 2018"]
    assert [q.label for q in quarters[-3:]] == ["T1 2026", "T2 2026", "T3 2026"]


def test_every_commune_every_quarter_marked_as_demonstration(demo):
    assert demo[0].startswith("Très haut débit de démonstration : 359 communes, 4 trimestres")
    assert FigureImport.objects.exclude(is_demo=True).count() == 0
    assert (
        PremisesCount.objects.filter(dataset=Dataset.FTTH, category=Category.CONNECTABLE)
        .values("commune")
        .distinct()
        .count()
        == 359
    )


def test_the_starting_figures_are_the_sheets(demo):
    start = dt.date(2017, 12, 31)
    wired = PremisesCount.objects.filter(dataset=Dataset.SPEED_WIRED, quarter_end=start)
    below_3 = sum(wired.filter(category=Category.BELOW_3).values_list("value", flat=True))
    ineligible = sum(wired.filter(category=Category.INELIGIBLE).values_list("value", flat=True))
    assert below_3 == pytest.approx(50200, rel=0.02)
    assert ineligible == pytest.approx(4300, rel=0.05)


def test_the_programme_and_its_indicators(demo):
    programme = Programme.objects.get(slug="charente-thd")
    works = Work.objects.filter(phase__programme=programme)
    assert works.count() == 114
    assert 39000 < sum(works.values_list("planned_premises", flat=True)) < 43000
    assert works.filter(done_quarter__isnull=True).count() == 2  # late against the plan
    for indicator in Indicator.objects.filter(source_key__startswith="broadband."):
        assert indicator.measurements.filter(source=MeasurementSource.COMPUTED).count() >= 3


def test_num03_series_and_no_second_load(demo):
    series = Measurement.objects.filter(source=MeasurementSource.SERIES)
    assert series.filter(indicator__sheet__ref="Num03").count() == series.count() > 100
    with clock.travel(TODAY):
        assert list(load_demo_broadband()) == []
