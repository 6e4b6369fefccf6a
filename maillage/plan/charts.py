"""Server-rendered SVG charts (pygal): they work without JavaScript, print with WeasyPrint and
carry a text alternative (role="img", a title and a description); pages also show the data as
a table.

pygal is imported on the first chart (`pygal_library()`, used by the broadband charts too), not
with this module: the URL configuration imports it through the plan's views, and most
processes draw no chart.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import math
import re
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .labels import ProgressStatus, SheetStatus
from .progress import TrajectoryPoint


@cache
def pygal_library() -> ModuleType:
    """pygal, imported once, on the first chart."""
    import pygal

    # pygal installs an import hook for its map plugins (pygal.maps.*), unused here, that
    # makes Python emit an ImportWarning on every later import: remove it.
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]
    return pygal


@cache
def chart_style():
    """The charts' pygal `Style` (DSFR colours and type)."""
    pygal_library()
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#161616",
        foreground_strong="#161616",
        foreground_subtle="#3a3a3a",
        opacity=".9",
        opacity_hover="1",
        colors=("#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#666666"),
        font_family="Marianne, Arial, sans-serif",
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        title_font_size=15,
        value_font_size=12,
    )


_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
_CHART_ID = re.compile(r"#chart-[0-9a-f-]{36} ?")  # pygal scopes its CSS by the chart's id
# The static file every page with a chart links (and the PDFs embed): pages carry no inline
# style sheet, which the Content-Security-Policy forbids. `stylesheet()` writes it.
STYLESHEET = Path(__file__).resolve().parent / "static" / "plan" / "charts.css"
TRAJECTORY_CLASS = "maillage-trajectory"


def _fmt(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.2f}".replace(".", ",")


def _finish(svg: str, *, title: str, description: str, kind: str = "") -> SafeString:
    """Drop pygal's script, style sheet (see `STYLESHEET`) and comments; add an accessible name
    and description."""
    svg = _COMMENT.sub("", _STYLE.sub("", _SCRIPT.sub("", svg)))
    if kind:
        svg = svg.replace('class="pygal-chart"', f'class="pygal-chart {kind}"', 1)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}" focusable="false" ',
        1,
    )
    head_end = svg.index(">") + 1
    svg = (
        svg[:head_end]
        + f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + svg[head_end:]
    )
    return mark_safe(svg)


def _config(**extra) -> dict:
    base = {
        "style": chart_style(),
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 760,
        "height": 340,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "print_values": False,
        "no_data_text": "Pas encore de données",
    }
    base.update(extra)
    return base


def year_position(day: dt.date) -> float:
    """Where `day` sits on a chart's year axis: 31 December of a year is exactly that year's
    mark (plans and their targets speak of "2019" meaning the end of 2019); a day inside
    a year sits between the previous year's mark and its own."""
    length = 366 if calendar.isleap(day.year) else 365
    return day.year - 1 + day.timetuple().tm_yday / length


def year_marks(days: Sequence[dt.date], *, most: int = 12) -> list[int]:
    """The years spanned by `days` (as `year_position` places them), thinned to at most
    `most` readable marks."""
    if not days:
        return []
    positions = [year_position(d) for d in days]
    first, last = math.floor(min(positions)), math.ceil(max(positions))
    step = max(1, -(-(last - first + 1) // most))
    return list(range(first, last + 1, step))


def indicator_chart(
    *,
    label: str,
    unit: str,
    measurements: Sequence[tuple[dt.date, Decimal]],
    trajectory: Sequence[TrajectoryPoint],
    width: int = 560,
    height: int = 340,
) -> SafeString:
    """Measured series against the target trajectory (initial → intermediate → final), on an
    axis of years where each year's mark is its 31 December (`year_position`)."""
    chart = pygal_library().XY(
        **_config(
            width=width,
            height=height,
            x_value_formatter=lambda x: str(round(x)),
            value_formatter=_fmt,
            x_label_rotation=0,
            dots_size=4,
            show_x_guides=True,
            legend_font_size=15,
            label_font_size=15,
            major_label_font_size=15,
        )
    )
    chart.y_title = unit or None
    chart.x_labels = year_marks([d for d, _ in measurements] + [p.date for p in trajectory])

    def points(series):
        return [
            {"value": (year_position(d), float(v)), "label": f"{d:%d/%m/%Y}"} for d, v in series
        ]

    chart.add("Trajectoire cible", points([(p.date, p.value) for p in trajectory]))
    chart.add("Valeurs mesurées", points(measurements))
    last = measurements[-1] if measurements else None
    target = trajectory[-1] if trajectory else None
    description = (
        f"{len(measurements)} mesure(s)"
        + (f", dernière : {_fmt(last[1])} au {last[0]:%d/%m/%Y}" if last else "")
        + (f" ; cible : {_fmt(target.value)} au {target.date:%d/%m/%Y}" if target else "")
        + ". Chaque année est marquée à son 31 décembre. Les valeurs figurent dans le tableau "
        "qui suit."
    )
    return _finish(
        chart.render(is_unicode=True),
        title=f"Évolution de l'indicateur « {label} » et trajectoire cible",
        description=description,
        kind=TRAJECTORY_CLASS,
    )


def progress_histogram(progress_values: Iterable[Decimal | None]) -> SafeString:
    """How many sheets sit in each band of progress (or have none measurable)."""
    bands = [("0–24 %", 0, 25), ("25–49 %", 25, 50), ("50–74 %", 50, 75), ("75–99 %", 75, 100)]
    counts = {"Non mesurable": 0, **{name: 0 for name, _, _ in bands}, "100 %": 0}
    for value in progress_values:
        if value is None:
            counts["Non mesurable"] += 1
        elif value >= 100:
            counts["100 %"] += 1
        else:
            name = next(name for name, low, high in bands if low <= value < high)
            counts[name] += 1
    chart = pygal_library().Bar(**_config(show_legend=False, height=280, print_values=True))
    chart.x_labels = list(counts)
    chart.add("Fiches", list(counts.values()))
    summary = ", ".join(f"{name} : {count}" for name, count in counts.items())
    return _finish(
        chart.render(is_unicode=True),
        title="Répartition des fiches par avancement",
        description=f"Nombre de fiches par tranche d'avancement — {summary}.",
    )


def status_chart(counts: dict[str, int]) -> SafeString:
    chart = pygal_library().HorizontalBar(
        **_config(show_legend=False, height=260, print_values=True)
    )
    shown = [(SheetStatus(status).label, n) for status, n in counts.items()]
    chart.x_labels = [name for name, _ in shown]
    chart.add("Fiches", [n for _, n in shown])
    summary = ", ".join(f"{name} : {n}" for name, n in shown)
    return _finish(
        chart.render(is_unicode=True),
        title="Fiches par statut",
        description=f"Nombre de fiches par statut — {summary}.",
    )


def indicator_status_chart(counts: dict[str, int]) -> SafeString:
    chart = pygal_library().HorizontalBar(
        **_config(show_legend=False, height=220, print_values=True)
    )
    shown = [(ProgressStatus(status).label, n) for status, n in counts.items()]
    chart.x_labels = [name for name, _ in shown]
    chart.add("Indicateurs", [n for _, n in shown])
    summary = ", ".join(f"{name} : {n}" for name, n in shown)
    return _finish(
        chart.render(is_unicode=True),
        title="Indicateurs par situation au regard de la trajectoire",
        description=f"Nombre d'indicateurs — {summary}.",
    )


def stylesheet() -> str:
    """The CSS of every chart: pygal's own (its style, colours by series), scoped by the
    `pygal-chart` class instead of one chart's id, and the dashed target trajectory.

    Kept as the static file `STYLESHEET` (a test checks it is up to date); to write it again:
    `.venv/bin/python -c "from maillage.plan import charts; charts.write_stylesheet()"`.
    """
    chart = pygal_library().Line(**_config())
    for index in range(len(chart_style().colors)):
        chart.add(f"serie {index}", [index, index + 1])
    css = html.unescape(_STYLE.search(chart.render(is_unicode=True)).group(1))  # "&gt;"
    css = _CHART_ID.sub(".pygal-chart ", css).strip()
    trajectory = (
        f".pygal-chart.{TRAJECTORY_CLASS} .serie-0 .line "
        "{stroke-width: 2px; stroke-dasharray: 8, 5}"
    )
    return (
        f"/* Generated by maillage.plan.charts.stylesheet(): do not edit. */\n{css}\n{trajectory}\n"
    )


_CHART_OPENING = re.compile(r'(<svg [^>]*class="pygal-chart[^"]*"[^>]*>)')


def with_inline_style(html: str) -> str:
    """Put the charts' CSS back inside each chart, for WeasyPrint: its SVG renderer reads only
    the SVG's own style sheet (no CSP applies to a PDF)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    return _CHART_OPENING.sub(lambda match: f"{match.group(1)}<style>{css}</style>", html)


def write_stylesheet() -> None:
    STYLESHEET.write_text(stylesheet(), encoding="utf-8")


def bar_chart(
    *, title: str, rows: list, measure: str, measure_label: str, horizontal: bool = False
) -> SafeString:
    """One bar per row (a dict or an object with `label` and `measure`); masked values
    (text like "< 5") are not drawn."""
    values = []
    for row in rows:
        value = row[measure] if isinstance(row, dict) else getattr(row, measure)
        values.append(value if isinstance(value, int) else None)
    labels = [row["label"] if isinstance(row, dict) else row.label for row in rows]
    pygal = pygal_library()
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(
        **_config(
            show_legend=False,
            height=max(260, 28 * len(rows) + 80) if horizontal else 300,
            print_values=True,
            value_formatter=_fmt,
            x_label_rotation=0 if horizontal else 30,
        )
    )
    chart.x_labels = labels
    chart.add(measure_label, values)
    summary = ", ".join(
        f"{label} : {value if value is not None else 'masqué'}"
        for label, value in zip(labels, values, strict=True)
    )
    return _finish(
        chart.render(is_unicode=True),
        title=title,
        description=f"{measure_label} — {summary or 'aucune donnée'}. Les valeurs figurent "
        "dans le tableau qui suit.",
    )
