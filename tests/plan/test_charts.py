"""Charts are SVG without inline style or script (the Content-Security-Policy forbids them):
their CSS is the static file `plan/charts.css`, generated from pygal and kept up to date."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from maillage.plan import charts
from maillage.plan.progress import TrajectoryPoint


def test_the_static_chart_stylesheet_is_up_to_date():
    assert charts.STYLESHEET.read_text(encoding="utf-8") == charts.stylesheet(), (
        "Régénérez plan/charts.css : .venv/bin/python -c "
        '"from maillage.plan import charts; charts.write_stylesheet()"'
    )


def test_charts_carry_no_style_sheet_nor_script_and_keep_their_classes():
    svg = charts.indicator_chart(
        label="Points de médiation",
        unit="lieux",
        measurements=[(dt.date(2019, 6, 30), Decimal(15))],
        trajectory=[
            TrajectoryPoint(dt.date(2017, 1, 1), Decimal(0)),
            TrajectoryPoint(dt.date(2022, 12, 31), Decimal(59)),
        ],
    )
    assert "<style" not in svg and "<script" not in svg
    assert f'class="pygal-chart {charts.TRAJECTORY_CLASS}"' in svg
    assert "color-0" in svg and "serie-0" in svg  # what the stylesheet colours
    bars = charts.status_chart({"in_progress": 3})
    assert "<style" not in bars and 'class="pygal-chart"' in bars
    stylesheet = charts.stylesheet()
    assert ".pygal-chart .color-0" in stylesheet and "#chart-" not in stylesheet
    assert f".{charts.TRAJECTORY_CLASS} .serie-0 .line" in stylesheet


def test_num08_targets_sit_on_their_years():
    """2016/2017 → 15 in 2019 → 59 in 2022: each target's dot is drawn on its year's mark
    (it used to land near the next year's), with the year's value in its tooltip."""
    import re

    svg = charts.indicator_chart(
        label="Nombre de points de médiation dans le département",
        unit="points",
        measurements=[(dt.date(2021, 12, 31), Decimal(21)), (dt.date(2024, 6, 30), Decimal(40))],
        trajectory=[
            TrajectoryPoint(dt.date(2017, 12, 31), Decimal(0)),
            TrajectoryPoint(dt.date(2019, 12, 31), Decimal(15)),
            TrajectoryPoint(dt.date(2022, 12, 31), Decimal(59)),
        ],
    )
    marks = {
        int(year): float(x) for x, year in re.findall(r'<text x="([\d.]+)"[^>]*>(\d{4})<', svg)
    }
    assert set(marks) >= {2017, 2019, 2021, 2022, 2024}
    dots = re.findall(r'<desc class="label">31/12/(\d{4})</desc><circle cx="([\d.]+)"', svg)
    assert {int(year) for year, _ in dots} == {2017, 2019, 2021, 2022}
    for year, x in dots:
        assert abs(float(x) - marks[int(year)]) < 0.01
    mid_2024 = next(
        x for label, x in re.findall(r'label">(30/06/2024)</desc><circle cx="([\d.]+)"', svg)
    )
    assert marks[2023] < float(mid_2024) < marks[2024]
    assert "<title>Évolution de l" in svg and "tableau qui suit" in svg


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_day_sits_within_its_year(day):
    position = charts.year_position(day)
    assert day.year - 1 < position <= day.year
    assert (position == day.year) == ((day.month, day.day) == (12, 31))
    assert charts.year_position(day) < charts.year_position(day + dt.timedelta(days=1))
