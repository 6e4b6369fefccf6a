"""Exports of a plan: CSV and XLSX tables, PDF sheets and report, ICS calendar.

Every table is built from the same column specs (`SHEET_COLUMNS`, `INDICATOR_COLUMNS`) that the
XLSX bulk update reads back, so a downloaded workbook re-imports as it is.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from maillage import clock
from maillage.spreadsheets import csv_bytes, xlsx_row

from . import labels
from .labels import SheetStatus, TargetKind
from .models import Meeting, Plan
from .rollup import IndicatorRow, PlanOverview, SheetRow

SHEETS_TAB = "Fiches"
INDICATORS_TAB = "Indicateurs"
YES, NO = "Oui", "Non"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    get: Callable
    editable: bool = False
    width: int = 18


def _num(value: Decimal | None):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _when(target) -> str | dt.date | None:
    if target is None:
        return None
    return target.date or target.year


def _target_getter(kind: str, attr: str):
    def get(row: IndicatorRow):
        target = row.indicator.targets_by_kind().get(kind)
        if target is None:
            return None
        if attr == "value":
            return _num(target.value) if target.value is not None else target.value_text or None
        return _when(target)

    return get


def _progress(value: Decimal | None):
    return None if value is None else round(float(value), 1)


SHEET_COLUMNS: list[Column] = [
    Column("ref", "Réf.", lambda r: r.sheet.ref, width=8),
    Column("theme", "Thème", lambda r: r.sheet.theme, editable=True),
    Column("action", "Action", lambda r: r.sheet.action, editable=True, width=40),
    Column("sub_action", "Sous-action", lambda r: r.sheet.sub_action, editable=True, width=40),
    Column("status", "Statut", lambda r: r.sheet.get_status_display(), editable=True, width=14),
    Column("pilots", "Pilotes", lambda r: r.pilot_names, width=30),
    Column("partners", "Partenaires", lambda r: r.partner_names, width=30),
    Column("scope_text", "Emprise géographique", lambda r: r.sheet.scope_text, editable=True),
    Column("scope_level", "Niveau d'emprise", lambda r: r.sheet.get_scope_level_display()),
    Column("calendar_text", "Calendrier", lambda r: r.sheet.calendar_text, editable=True),
    *[
        Column(
            field,
            label,
            (lambda r, f=field: YES if getattr(r.sheet, f) else NO),
            editable=True,
            width=10,
        )
        for field, label in labels.DIMENSIONS.items()
    ],
    Column("cost_text", "Coût (texte)", lambda r: r.sheet.cost_text, editable=True, width=30),
    Column("cost_total", "Coût total (€)", lambda r: _num(r.sheet.cost_total), editable=True),
    Column("budget_total", "Total des lignes budgétaires (€)", lambda r: _num(r.budget_total)),
    Column("cost_notes", "Remarques sur le coût", lambda r: r.sheet.cost_notes, editable=True),
    Column("funding_text", "Financement", lambda r: r.sheet.funding_text, editable=True),
    Column("progress", "Avancement (%)", lambda r: _progress(r.progress), width=12),
    Column("indicator_count", "Indicateurs", lambda r: len(r.indicators), width=10),
]

INDICATOR_COLUMNS: list[Column] = [
    Column("id", "N°", lambda r: r.indicator.pk, width=8),
    Column("ref", "Réf. fiche", lambda r: r.indicator.sheet.ref, width=8),
    Column("label", "Indicateur", lambda r: r.indicator.label, editable=True, width=40),
    Column("unit", "Unité", lambda r: r.indicator.unit, editable=True, width=12),
    Column("direction", "Sens", lambda r: r.indicator.get_direction_display(), width=14),
    *[
        col
        for kind, name in (
            (TargetKind.INITIAL, "initiale"),
            (TargetKind.INTERMEDIATE, "intermédiaire"),
            (TargetKind.FINAL, "finale"),
        )
        for col in (
            Column(f"{kind}.value", f"Valeur {name}", _target_getter(kind, "value"), True),
            Column(f"{kind}.when", f"Date {name}", _target_getter(kind, "when"), True, 14),
        )
    ],
    Column("latest_value", "Dernière mesure", lambda r: _num(r.state.current)),
    Column("latest_date", "Date de la dernière mesure", lambda r: r.state.current_date),
    Column("progress", "Avancement (%)", lambda r: _progress(r.state.progress), width=12),
    Column("status", "Situation", lambda r: r.state.status_label, width=14),
    Column("new_value", "Nouvelle mesure", lambda r: None, editable=True, width=14),
    Column("new_date", "Date de la nouvelle mesure", lambda r: None, editable=True, width=14),
]


def indicator_rows(overview: PlanOverview) -> Iterable[IndicatorRow]:
    for sheet_row in overview.rows:
        yield from sheet_row.indicators


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value}".replace(".", ",")
    return str(value)


def _csv(columns: list[Column], rows: Iterable) -> bytes:
    return csv_bytes(
        [c.header for c in columns], ([_cell_text(c.get(row)) for c in columns] for row in rows)
    )


def sheets_csv(overview: PlanOverview) -> bytes:
    """The plan's sheets, one per line (semicolon-separated, UTF-8 with BOM for Excel)."""
    return _csv(SHEET_COLUMNS, overview.rows)


def indicators_csv(overview: PlanOverview) -> bytes:
    return _csv(INDICATOR_COLUMNS, indicator_rows(overview))


def _write_tab(ws, columns: list[Column], rows: Iterable) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    editable_fill = PatternFill("solid", fgColor="E3E3FD")
    ws.append(xlsx_row(ws, [c.header for c in columns]))
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if column.editable:
            cell.fill = editable_fill
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for row in rows:
        ws.append(xlsx_row(ws, [c.get(row) for c in columns]))
    ws.freeze_panes = "B2"


def plan_xlsx(overview: PlanOverview) -> bytes:
    """A workbook with the sheets and the indicators; highlighted columns can be edited and
    re-imported (bulk update)."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEETS_TAB
    _write_tab(ws, SHEET_COLUMNS, overview.rows)
    _write_tab(workbook.create_sheet(INDICATORS_TAB), INDICATOR_COLUMNS, indicator_rows(overview))
    notice = workbook.create_sheet("Mode d'emploi")
    for line in [
        f"Schéma : {overview.plan.name} — export du {clock.today():%d/%m/%Y}.",
        "Les colonnes à en-tête bleuté peuvent être modifiées puis le classeur réimporté :",
        "un aperçu liste chaque changement avant qu'il soit appliqué.",
        "Statut : " + ", ".join(SheetStatus.labels) + ".",
        "Dimensions : Oui ou Non. Dates : JJ/MM/AAAA ou une année (AAAA).",
        "Nouvelle mesure : une valeur et sa date ajoutent une mesure à l'indicateur.",
        "Ne modifiez pas les colonnes « Réf. » et « N° » qui identifient les lignes.",
    ]:
        notice.append(xlsx_row(notice, [line]))
    notice.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def _pdf(html: str) -> bytes:
    """Render HTML to PDF without any network access (only file: and data: URLs)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from .charts import with_inline_style

    base_url = Path(__file__).resolve().parent / "static"
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = HTML(string=with_inline_style(html), base_url=str(base_url), url_fetcher=fetcher)
    return document.write_pdf()


def sheet_pdf(context: dict) -> bytes:
    return _pdf(render_to_string("plan/pdf/sheet.html", context))


def plan_report_pdf(context: dict) -> bytes:
    return _pdf(render_to_string("plan/pdf/report.html", context))


# --- ICS --------------------------------------------------------------------------------------


def meetings_ics(plan: Plan, meetings: Iterable[Meeting], *, host: str = "maillage") -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Instances du schéma//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Instances — {plan.name}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2))
        event.add("summary", meeting.title)
        event.add("categories", [meeting.get_body_display()])
        if meeting.location:
            event.add("location", meeting.location)
        description = [meeting.agenda]
        refs = [sheet.ref for sheet in meeting.sheets.all()]
        if refs:
            description.append("Fiches : " + ", ".join(refs))
        event.add("description", "\n\n".join(part for part in description if part))
        calendar.add_component(event)
    return calendar.to_ical()


__all__ = [
    "INDICATOR_COLUMNS",
    "SHEET_COLUMNS",
    "Column",
    "SheetRow",
    "indicators_csv",
    "meetings_ics",
    "plan_report_pdf",
    "plan_xlsx",
    "sheet_pdf",
    "sheets_csv",
]
