"""Charts of the broadband figures, in the plan's chart style (server-rendered SVG, pygal):
no JavaScript, an accessible name and description, a data table beside each."""

from __future__ import annotations

import copy

from django.utils.safestring import SafeString

from maillage.plan.charts import _config, _finish, _fmt, pygal_library

from .quarters import Quarter

# Colour-blind-safe qualitative colours (Okabe & Ito), in the order series are added.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")


def _style(base_config: dict, colours=SERIES_COLOURS) -> dict:
    style = copy.copy(base_config["style"])
    style.colors = colours
    return base_config | {"style": style}


def quarter_lines(
    *, title: str, unit: str, quarters: list[Quarter], series: dict[str, list[int | None]]
) -> SafeString:
    """One line per series over the quarters (missing quarters leave a gap)."""
    chart = pygal_library().Line(
        **_style(
            _config(
                value_formatter=_fmt,
                x_label_rotation=30 if len(quarters) > 8 else 0,
                show_minor_x_labels=False,
                dots_size=3,
                allow_interruptions=True,
            )
        )
    )
    chart.y_title = unit
    chart.x_labels = [q.label for q in quarters]
    chart.x_labels_major = [q.label for q in quarters[:: max(1, len(quarters) // 8)]]
    for name, values in series.items():
        chart.add(name, values)
    last = quarters[-1].label if quarters else ""
    summary = "; ".join(
        f"{name} : {_fmt(next((v for v in reversed(values) if v is not None), None))}"
        for name, values in series.items()
    )
    return _finish(
        chart.render(is_unicode=True),
        title=title,
        description=(
            f"Évolution par trimestre ({len(quarters)} trimestre(s)"
            + (f", dernier : {last}" if last else "")
            + f"). Dernières valeurs — {summary}. Les valeurs figurent dans le tableau qui suit."
        ),
    )


def quarter_stack(
    *, title: str, quarters: list[Quarter], series: dict[str, list[int | None]]
) -> SafeString:
    """Stacked bars: how the premises split between classes, quarter after quarter."""
    chart = pygal_library().StackedBar(
        **_style(
            _config(
                value_formatter=_fmt,
                x_label_rotation=30 if len(quarters) > 8 else 0,
                height=380,
            )
        )
    )
    chart.x_labels = [q.label for q in quarters]
    for name, values in series.items():
        chart.add(name, values)
    return _finish(
        chart.render(is_unicode=True),
        title=title,
        description=f"Répartition des locaux par trimestre ({len(quarters)} trimestre(s)). "
        "Les valeurs figurent dans le tableau qui suit.",
    )
