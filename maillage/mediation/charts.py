"""Charts of the mediation statistics, in the plan's chart style (server-rendered SVG)."""

from __future__ import annotations

import pygal
from django.utils.safestring import SafeString

from maillage.plan.charts import _config, _finish, _fmt


def bar_chart(
    *, title: str, rows: list, measure: str, measure_label: str, horizontal: bool = False
) -> SafeString:
    """One bar per row; masked values (text like "< 5") are not drawn."""
    values = []
    for row in rows:
        value = row[measure] if isinstance(row, dict) else getattr(row, measure)
        values.append(value if isinstance(value, int) else None)
    labels = [row["label"] if isinstance(row, dict) else row.label for row in rows]
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
