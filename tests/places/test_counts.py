"""Counts of the registry at a date, and the indicator sources built on them."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from maillage.places import counts
from maillage.places.indicator_sources import SOURCES
from maillage.places.labels import HelpNeed, HelpRequestStatus, PlaceKind
from maillage.places.models import HelpRequestEvent

from .factories import HelpRequestFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def test_counts_respect_opening_and_closing_dates(charente):
    PlaceFactory(point_visio=True, opened_on=dt.date(2019, 3, 4))
    PlaceFactory(point_visio=True, opened_on=dt.date(2020, 1, 1), closed_on=dt.date(2023, 1, 1))
    PlaceFactory(point_visio=True, opened_on=None)  # opening date unknown: always counted
    PlaceFactory(library=True, opened_on=dt.date(2019, 6, 1))
    assert counts.points_visio_open(dt.date(2019, 3, 3)) == 1
    assert counts.points_visio_open(dt.date(2019, 3, 4)) == 2  # opens that day
    assert counts.points_visio_open(dt.date(2022, 12, 31)) == 3
    assert counts.points_visio_open(dt.date(2023, 1, 1)) == 2  # closed that day
    assert counts.open_places_count(on=dt.date(2020, 6, 1)) == 4
    assert counts.open_places_count(PlaceKind.EPN, on=dt.date(2020, 6, 1)) == 0


def test_library_mediation_points_trajectory(charente):
    for year, number in ((2018, 5), (2019, 10), (2021, 20), (2022, 24)):
        for _ in range(number):
            PlaceFactory(library=True, opened_on=dt.date(year, 6, 1))
    PlaceFactory(library=True, opened_on=dt.date(2019, 1, 1), is_demo=True)
    assert counts.library_mediation_points_open(dt.date(2019, 12, 31)) == 16
    assert counts.library_mediation_points_open(dt.date(2022, 12, 31)) == 60
    assert (
        counts.open_places_count(PlaceKind.LIBRARY, on=dt.date(2022, 12, 31), include_demo=False)
        == 59
    )


def test_cyber_cafe(charente):
    PlaceFactory(cyber_cafe=True, opened_on=dt.date(2018, 3, 17))
    assert counts.cyber_cafes_open(dt.date(2017, 12, 31)) == 0
    assert counts.cyber_cafes_open(dt.date(2018, 3, 17)) == 1


def test_people_helped_count_resolved_requests_once(charente):
    place = PlaceFactory()
    digital = HelpRequestFactory(place=place, need=HelpNeed.DIGITAL)
    mobility = HelpRequestFactory(place=place, need=HelpNeed.MOBILITY)
    HelpRequestFactory(place=place, need=HelpNeed.DIGITAL)  # still new
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        HelpRequestEvent.objects.create(request=digital, to_status=HelpRequestStatus.RESOLVED)
        HelpRequestEvent.objects.create(request=mobility, to_status=HelpRequestStatus.RESOLVED)
    with time_machine.travel(dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC)):
        HelpRequestEvent.objects.create(request=digital, to_status=HelpRequestStatus.RESOLVED)
    assert counts.people_helped_digital(dt.date(2025, 2, 28)) == 0
    assert counts.people_helped_digital(dt.date(2025, 12, 31)) == 1
    assert counts.people_helped_mobility(dt.date(2025, 12, 31)) == 1
    assert (
        counts.help_requests_resolved(
            HelpNeed.DIGITAL, since=dt.date(2025, 3, 15), until=dt.date(2025, 12, 31)
        )
        == 1
    )


def test_indicator_sources_are_documented_and_computed_at_a_date(charente):
    PlaceFactory(point_visio=True, opened_on=dt.date(2019, 3, 4))
    assert {
        "places.points_visio_open",
        "places.library_mediation_points_open",
        "places.cyber_cafes_open",
        "places.people_helped_digital",
        "places.people_helped_mobility",
    } <= set(SOURCES)
    for key, source in SOURCES.items():
        assert key.startswith("places.")
        assert source.label and source.description and source.sheets
        assert isinstance(source(dt.date(2020, 1, 1)), Decimal)
    assert SOURCES["places.points_visio_open"](dt.date(2020, 1, 1)) == Decimal(1)
    assert SOURCES["places.points_visio_open"](dt.date(2019, 1, 1)) == Decimal(0)


def test_visio_operators_present(charente):
    from tests.factories import OrganisationFactory

    caf, msa = OrganisationFactory(name="Caf"), OrganisationFactory(name="MSA")
    PlaceFactory(point_visio=True, opened_on=dt.date(2019, 1, 1)).visio_operators.set([caf, msa])
    PlaceFactory(point_visio=True, opened_on=dt.date(2021, 1, 1)).visio_operators.set([caf])
    assert counts.visio_operators_present(dt.date(2018, 12, 31)) == 0
    assert counts.visio_operators_present(dt.date(2022, 1, 1)) == 2


def test_counts_by_territory(charente):
    PlaceFactory(point_visio=True, insee_code="16073", commune_id="16073")
    PlaceFactory(point_visio=True, insee_code="16028", commune_id="16028")
    assert counts.open_places_count("point_visio", territory="16073") == 1
    assert counts.open_places_count("point_visio", territory="200029734") == 1  # CC 4B
