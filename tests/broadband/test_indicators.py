"""Num10's and Num11's indicators computed from the imported figures and the programme."""

import datetime as dt
from decimal import Decimal

import pytest

from maillage.broadband import imports
from maillage.plan import computed, sources
from maillage.plan.labels import MeasurementSource
from maillage.plan.models import Measurement
from tests.plan.factories import IndicatorFactory

from . import factories as f

pytestmark = pytest.mark.django_db
T3 = dt.date(2024, 9, 30)


def bound(sheet, source, filters, label="Indicateur"):
    indicator = IndicatorFactory(sheet=sheet, label=label)
    return computed.indicator_bind(indicator=indicator, source_key=source, filters=filters)


def value(indicator, on=T3):
    return computed.compute_value(indicator, on=on)[0]


def test_speed_sources_read_the_basis_asked_for(sheets, communes):
    imports.figures_import(content=f.speed_file(), filename="commune_debit_filaire.csv")
    slow = bound(sheets["Num10"], "broadband.slow_lines", {"basis": "wired"})
    ineligible = bound(sheets["Num10"], "broadband.ineligible_lines", {"basis": "wired"})
    assert value(slow) == 160 + 150 + 95
    assert value(ineligible) == 40 + 30 + 5
    everything = bound(sheets["Num10"], "broadband.ineligible_lines", {"basis": "all"})
    with pytest.raises(sources.NoData):  # no commune_debit.csv imported
        value(everything)
    assert computed.indicator_compute(everything, on=T3) is None
    assert not Measurement.objects.filter(indicator=everything).exists()


def test_the_latest_figure_of_each_commune_counts(sheets, communes):
    imports.figures_import(content=f.observatory_xlsx(), filename="obs.xlsx")
    connectable = bound(sheets["Num11"], "broadband.ftth_connectable", {})
    assert value(connectable, on=dt.date(2024, 3, 31)) == 1300 + 0
    # Chalais has no figure for T2 2024: its T1 figure (0) still counts then.
    assert value(connectable, on=dt.date(2024, 8, 15)) == 1700 + 0
    assert value(connectable) == 1900 + 400
    with pytest.raises(sources.NoData):
        value(connectable, on=dt.date(2023, 6, 30))


def test_territory_and_programme_filters(sheets, programme):
    imports.figures_import(content=f.observatory_xlsx(), filename="obs.xlsx")
    four_b = bound(sheets["Num11"], "broadband.ftth_connectable", {"territory": f.EPCI_4B})
    assert value(four_b) == 1900
    in_programme = bound(
        sheets["Num10"], "broadband.ftth_connectable", {"programme": programme.slug}
    )
    with pytest.raises(sources.NoData):  # no works yet: no commune in the programme
        value(in_programme)
    f.WorkFactory(phase=programme.phases.first(), commune=f.charente_communes()["16073"])
    assert value(in_programme) == 400


def test_communes_covered_and_premises_done_follow_the_works(sheets, programme):
    phase = programme.phases.first()
    communes = f.charente_communes()
    f.WorkFactory(phase=phase, commune=communes["16028"], done=True)  # in service T1 2020
    f.WorkFactory(phase=phase, commune=communes["16073"])  # planned, not done
    covered = bound(sheets["Num10"], "broadband.programme_communes", {"programme": "charente-thd"})
    premises = bound(sheets["Num10"], "broadband.programme_premises", {"programme": "charente-thd"})
    assert value(covered, on=dt.date(2019, 12, 31)) == 0
    assert value(covered, on=dt.date(2020, 3, 31)) == 1
    assert value(premises, on=dt.date(2020, 3, 31)) == 980


def test_an_import_recomputes_the_bound_indicators_at_its_quarters(
    sheets, communes, django_capture_on_commit_callbacks
):
    slow = bound(sheets["Num10"], "broadband.slow_lines", {"basis": "wired"})
    computed.indicator_compute(slow, on=dt.date(2024, 12, 1))  # NoData: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        imports.figures_import(content=f.speed_file(), filename="commune_debit_filaire.csv")
    stored = list(
        slow.measurements.filter(source=MeasurementSource.COMPUTED).values_list("date", "value")
    )
    assert stored == [(T3, Decimal(405))]

    # A day computed later is recomputed when an earlier quarter changes.
    computed.indicator_compute(slow, on=dt.date(2024, 11, 30))
    corrected = f.speed_file(
        [f.speed_row("16028", "B", 2600, 40, 2500, 2300, 2000, 1900, 1500)]
    )  # 0.5–3 Mbit/s: 160 → 60
    with django_capture_on_commit_callbacks(execute=True):
        imports.figures_import(content=corrected, filename="commune_debit_filaire.csv")
    stored = dict(slow.measurements.values_list("date", "value"))
    assert stored == {T3: Decimal(305), dt.date(2024, 11, 30): Decimal(305)}
