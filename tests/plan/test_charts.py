"""Charts are SVG without inline style or script (the Content-Security-Policy forbids them):
their CSS is the static file `plan/charts.css`, generated from pygal and kept up to date."""

import datetime as dt
from decimal import Decimal

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
