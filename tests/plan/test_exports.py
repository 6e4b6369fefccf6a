import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from maillage.plan.models import BulkUpdate, Measurement

from .factories import BudgetLineFactory, MeasurementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _export(client, plan, what, fmt):
    return client.get(reverse("plan:plan_export", args=[plan.slug, what, fmt]))


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_sheets_csv(client, sheet08, other_sheet):
    BudgetLineFactory(sheet=sheet08, amount=Decimal("1500.50"))
    response = _export(client, sheet08.plan, "fiches", "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    header = rows[0]
    assert header[:5] == ["Réf.", "Thème", "Action", "Sous-action", "Statut"]
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_ref) == {"Num01", "Num08"}
    num08 = by_ref["Num08"]
    assert num08["Numérique"] == "Oui" and num08["Physique"] == "Non"
    assert num08["Total des lignes budgétaires (€)"] == "1500,5"
    assert num08["Remarques sur le coût"] == "gratuit pour l'usager"


def test_indicators_csv_has_targets_and_latest_measurement(client, sheet08):
    indicator = sheet08.indicators.get()
    MeasurementFactory(indicator=indicator, value=15, date=dt.date(2019, 12, 31))
    rows = _csv_rows(_export(client, sheet08.plan, "indicateurs", "csv"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Réf. fiche"] == "Num08"
    assert record["Valeur initiale"] == "0" and record["Date initiale"] == "2017"
    assert record["Valeur finale"] == "59" and record["Date finale"] == "2022"
    assert record["Dernière mesure"] == "15"
    assert record["Date de la dernière mesure"] == "31/12/2019"
    assert record["Avancement (%)"] == "25,4"


def test_xlsx_export(client, sheet08):
    response = _export(client, sheet08.plan, "schema", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Fiches", "Indicateurs"]
    assert workbook["Fiches"]["A2"].value == "Num08"
    assert workbook["Indicateurs"]["B2"].value == "Num08"


def _edited_workbook(client, plan, edit):
    response = _export(client, plan, "schema", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "fiches.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _column(ws, header):
    return next(cell.column for cell in ws[1] if cell.value == header)


def test_xlsx_round_trip_preview_then_apply(login, sheet08, pilot08):
    client = login(pilot08)
    plan = sheet08.plan
    today = dt.date.today()

    def edit(workbook):
        ws = workbook["Fiches"]
        ws.cell(row=2, column=_column(ws, "Statut"), value="En cours")
        ws.cell(row=2, column=_column(ws, "Calendrier"), value="2018-2021")
        ws.cell(row=2, column=_column(ws, "Horaire"), value="Oui")
        wi = workbook["Indicateurs"]
        wi.cell(row=2, column=_column(wi, "Valeur finale"), value=60)
        wi.cell(row=2, column=_column(wi, "Nouvelle mesure"), value=20)
        wi.cell(row=2, column=_column(wi, "Date de la nouvelle mesure"), value=today)

    upload = _edited_workbook(client, plan, edit)
    response = client.post(reverse("plan:bulk_update_upload", args=[plan.slug]), {"file": upload})
    assert response.status_code == 302
    update = BulkUpdate.objects.get()
    assert update.errors == []
    fields = {(c["ref"], c["label"]) for c in update.changes}
    assert fields == {
        ("Num08", "Statut"),
        ("Num08", "Calendrier"),
        ("Num08", "Horaire"),
        ("Num08", "Valeur finale"),
        ("Num08", "Nouvelle mesure"),
    }
    preview = client.get(response["Location"]).content.decode()
    assert "2018-2019" in preview and "2018-2021" in preview
    sheet08.refresh_from_db()
    assert sheet08.calendar_text == "2018-2019"  # nothing written before applying
    assert not Measurement.objects.exists()

    response = client.post(response["Location"])
    assert response.status_code == 302
    sheet08.refresh_from_db()
    assert sheet08.calendar_text == "2018-2021"
    assert sheet08.status == "in_progress" and sheet08.schedule is True
    assert sheet08.indicators.get().targets.get(kind="final").value == 60
    measurement = Measurement.objects.get()
    assert measurement.value == 20 and measurement.source == "manual"  # not the document's
    assert measurement.provenance["bulk_update"] == update.pk
    assert measurement.author == pilot08
    update.refresh_from_db()
    assert update.applied_at is not None


def test_unchanged_workbook_has_no_changes(login, sheet08, pilot08, other_sheet):
    client = login(pilot08)
    upload = _edited_workbook(client, sheet08.plan, lambda wb: None)
    client.post(reverse("plan:bulk_update_upload", args=[sheet08.plan.slug]), {"file": upload})
    update = BulkUpdate.objects.get()
    assert update.changes == [] and update.errors == []


def test_pilot_cannot_bulk_update_another_sheet(login, sheet08, pilot08, other_sheet):
    client = login(pilot08)

    def edit(workbook):
        ws = workbook["Fiches"]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "Num01":
                ws.cell(row=row[0].row, column=_column(ws, "Calendrier"), value="changé")

    upload = _edited_workbook(client, sheet08.plan, edit)
    client.post(reverse("plan:bulk_update_upload", args=[sheet08.plan.slug]), {"file": upload})
    update = BulkUpdate.objects.get()
    assert update.changes == []
    assert any("Num01" in e for e in update.errors)


def test_stale_preview_is_refused(login, sheet08, pilot08):
    client = login(pilot08)

    def edit(workbook):
        ws = workbook["Fiches"]
        ws.cell(row=2, column=_column(ws, "Calendrier"), value="2018-2021")

    upload = _edited_workbook(client, sheet08.plan, edit)
    response = client.post(
        reverse("plan:bulk_update_upload", args=[sheet08.plan.slug]), {"file": upload}
    )
    sheet08.calendar_text = "changé entre-temps"
    sheet08.save()
    client.post(response["Location"])
    sheet08.refresh_from_db()
    assert sheet08.calendar_text == "changé entre-temps"
    assert BulkUpdate.objects.get().applied_at is None


def test_bad_file_is_reported(login, sheet08, pilot08):
    client = login(pilot08)
    upload = SimpleUploadedFile("fiches.xlsx", b"pas un classeur")
    response = client.post(
        reverse("plan:bulk_update_upload", args=[sheet08.plan.slug]), {"file": upload}
    )
    assert response.status_code == 200
    assert "pas un classeur XLSX lisible" in response.content.decode()


def test_bulk_update_needs_a_pilot(login, sheet08, user):
    url = reverse("plan:bulk_update_upload", args=[sheet08.plan.slug])
    assert login(user).get(url).status_code == 403


def test_sheet_pdf(client, sheet08):
    MeasurementFactory(indicator=sheet08.indicators.get(), value=15, date=dt.date(2019, 12, 31))
    response = client.get(reverse("plan:sheet_pdf", args=[sheet08.plan.slug, "Num08"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_plan_report_pdf(client, sheet08, other_sheet):
    response = client.get(reverse("plan:plan_report", args=[sheet08.plan.slug]))
    assert response.content.startswith(b"%PDF")


def test_meetings_ics(client, plan, sheet08):
    meeting = MeetingFactory(plan=plan, title="Comité de pilotage", location="Angoulême")
    meeting.sheets.add(sheet08)
    response = client.get(reverse("plan:meetings_ics", args=[plan.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Comité de pilotage"
    assert str(event["LOCATION"]) == "Angoulême"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert "Num08" in str(event["DESCRIPTION"])


def test_workbook_errors_name_the_tab_the_row_and_the_column(login, sheet08, pilot08):
    from openpyxl.utils import get_column_letter

    client = login(pilot08)

    def edit(workbook):
        ws, wi = workbook["Fiches"], workbook["Indicateurs"]
        ws.cell(row=2, column=_column(ws, "Statut"), value="Peut-être")
        wi.cell(row=2, column=_column(wi, "Date finale"), value="32/13/2020")

    upload = _edited_workbook(client, sheet08.plan, edit)
    client.post(reverse("plan:bulk_update_upload", args=[sheet08.plan.slug]), {"file": upload})
    update = BulkUpdate.objects.get()
    workbook = load_workbook(io.BytesIO(_export(client, sheet08.plan, "schema", "xlsx").content))
    status = get_column_letter(_column(workbook["Fiches"], "Statut"))
    final_date = get_column_letter(_column(workbook["Indicateurs"], "Date finale"))
    assert update.errors == [
        f"Onglet « Fiches », ligne 2, colonne {status} « Statut » : "
        "valeur « Peut-être » invalide (statut inconnu).",
        f"Onglet « Indicateurs », ligne 2, colonne {final_date} « Date finale » : "
        "valeur « 32/13/2020 » invalide (date attendue au format JJ/MM/AAAA).",
    ]
