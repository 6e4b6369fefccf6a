"""Series of values from another system (Num03's archives): one service behind the page, the
command and the API; preview, idempotence per (indicator, date), errors naming line and column,
nothing written on error."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from maillage.organisations.labels import Role
from maillage.plan.bulk import bulk_update_apply
from maillage.plan.labels import BulkUpdateKind, MeasurementSource
from maillage.plan.models import Measurement
from maillage.plan.series import period_end, series_import, series_read
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .factories import ActionSheetFactory, IndicatorFactory, MeasurementFactory, SheetActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archives(plan):
    """Num03 with two indicators, piloted by the Archives départementales."""
    organisation = OrganisationFactory(name="Archives départementales de la Charente")
    sheet = ActionSheetFactory(plan=plan, ref="Num03")
    SheetActorFactory(sheet=sheet, organisation=organisation)
    images = IndicatorFactory(sheet=sheet, label="Images en ligne", unit="images")
    consultations = IndicatorFactory(
        sheet=sheet, label="Consultations en ligne des archives", unit="consultations"
    )
    pilot = UserFactory(email="archives@exemple.fr")
    MembershipFactory(user=pilot, organisation=organisation, role=Role.PILOT)
    return {"sheet": sheet, "images": images, "consultations": consultations, "pilot": pilot}


def wide(archives, rows=None) -> bytes:
    images = archives["images"]
    lines = [f"période;{images.pk};Consultations en ligne des archives"]
    lines += rows or ["2024-01;4120000;31200", "2024-02;4150000;29800", "03/2024;4180000;"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def values(indicator):
    return list(
        indicator.measurements.filter(source=MeasurementSource.SERIES)
        .order_by("date")
        .values_list("date", "value")
    )


def test_a_wide_export_is_previewed_then_applied(plan, archives):
    update = series_read(plan=plan, content=wide(archives), filename="archives.csv")
    assert update.kind == BulkUpdateKind.SERIES
    assert update.errors == []
    assert len(update.changes) == 5  # March has no consultations yet: an empty cell is skipped
    assert not Measurement.objects.exists()  # the preview writes nothing

    bulk_update_apply(bulk_update=update, user=archives["pilot"])
    assert values(archives["images"]) == [
        (dt.date(2024, 1, 31), Decimal(4120000)),
        (dt.date(2024, 2, 29), Decimal(4150000)),
        (dt.date(2024, 3, 31), Decimal(4180000)),
    ]
    stored = archives["consultations"].measurements.get(date=dt.date(2024, 1, 31))
    assert stored.provenance == {"series": update.pk, "file": "archives.csv"}
    assert stored.author == archives["pilot"]


def test_sending_the_same_export_again_changes_nothing_and_a_correction_replaces(plan, archives):
    series_import(plan=plan, content=wide(archives), filename="janvier.csv")
    again = series_import(plan=plan, content=wide(archives), filename="janvier.csv")
    assert again.changes == [] and again.unchanged == 5
    assert Measurement.objects.count() == 5

    corrected = wide(archives, ["2024-01;4120000;31250"])
    update = series_import(plan=plan, content=corrected, filename="corrige.csv")
    (change,) = update.changes
    assert (change["old"], change["new"]["value"]) == ("31200", "31250")
    assert Measurement.objects.count() == 5
    measurement = archives["consultations"].measurements.get(date=dt.date(2024, 1, 31))
    assert measurement.value == 31250
    assert measurement.history.count() == 2  # the old value stays in the history


def test_values_entered_by_hand_are_never_replaced(plan, archives):
    MeasurementFactory(
        indicator=archives["images"], value=4000000, date=dt.date(2024, 1, 31), source="manual"
    )
    series_import(plan=plan, content=wide(archives), filename="a.csv")
    assert set(archives["images"].measurements.values_list("source", "value")) >= {
        ("manual", Decimal(4000000)),
        ("series", Decimal(4120000)),
    }


def test_a_long_xlsx_with_years_and_comments(plan, archives):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicateur", "Année", "Valeur", "Commentaire"])
    sheet.append([f"n° {archives['images'].pk}", 2016, 4000000, "bilan 2016"])
    sheet.append(["Images en ligne", "2017", "4 250 000", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    update = series_import(plan=plan, content=buffer.getvalue(), filename="bilan.xlsx")
    assert update.errors == []
    assert values(archives["images"]) == [
        (dt.date(2016, 12, 31), Decimal(4000000)),
        (dt.date(2017, 12, 31), Decimal(4250000)),
    ]
    assert archives["images"].measurements.get(date=dt.date(2016, 12, 31)).comment == "bilan 2016"


def test_errors_name_line_and_column_and_nothing_is_written(plan, archives):
    content = wide(
        archives,
        ["2024-01;4120000;31200", "2024-13;4150000;29800", "2024-03;beaucoup;1", "2099-01;1;1"],
    )
    update = series_import(plan=plan, content=content, filename="faux.csv")
    assert update.errors == [
        "Ligne 3, colonne « période » : valeur « 2024-13 » invalide (mois 13 inexistant).",
        f"Ligne 4, colonne « {archives['images'].pk} » : valeur « beaucoup » invalide "
        "(nombre attendu).",
        "Ligne 5, colonne « période » : valeur « 2099-01 » invalide (période pas encore terminée).",
    ]
    assert update.changes == [] and update.applied_at is None
    assert not Measurement.objects.exists()
    with pytest.raises(ValidationError):
        bulk_update_apply(bulk_update=update, user=None)


def test_unknown_and_ambiguous_indicators_are_refused(plan, archives):
    IndicatorFactory(sheet=ActionSheetFactory(plan=plan, ref="Num09"), label="Images en ligne")
    content = b"indicateur;mois;valeur\nImages en ligne;2024-01;1\n999999;2024-01;2\n"
    update = series_read(plan=plan, content=content, filename="x.csv")
    assert update.errors[0].startswith(
        "Ligne 2, colonne « indicateur » : valeur « Images en ligne » invalide (plusieurs "
        "indicateurs s'appellent ainsi"
    )
    assert update.errors[1] == (
        "Ligne 3, colonne « indicateur » : valeur « 999999 » invalide (aucun indicateur n° "
        "999999 dans ce schéma)."
    )


def test_a_pilot_of_another_sheet_cannot_import(plan, archives, sheet08, pilot08):
    update = series_read(plan=plan, content=wide(archives), filename="a.csv", user=pilot08)
    assert update.errors[0] == "Ligne 2 : vous ne pouvez pas modifier la fiche Num03."


def test_a_value_changed_since_the_preview_stops_the_apply(plan, archives):
    update = series_read(plan=plan, content=wide(archives), filename="a.csv")
    series_import(plan=plan, content=wide(archives, ["2024-01;1;1"]), filename="b.csv")
    with pytest.raises(ValidationError, match="a changé depuis l'aperçu"):
        bulk_update_apply(bulk_update=update, user=None)
    assert values(archives["images"]) == [(dt.date(2024, 1, 31), Decimal(1))]


def test_a_file_without_period_column_is_refused():
    with pytest.raises(ValidationError, match="Colonne de période introuvable"):
        series_read(plan=None, content=b"quand;valeur\n2024;3\n", filename="x.csv")


def test_the_page_previews_and_the_pilot_confirms(client, login, plan, archives):
    login(archives["pilot"])
    url = reverse("plan:series_upload", args=[plan.slug])
    page = client.get(url)
    assert "Consultations en ligne des archives" in page.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("archives.csv", wide(archives))})
    preview_url = response["Location"]
    preview = client.get(preview_url).content.decode()
    assert "séries de valeurs" in preview and "Appliquer ces 5 changements" in preview
    client.post(preview_url)
    assert Measurement.objects.filter(source=MeasurementSource.SERIES).count() == 5


def test_the_command(plan, archives, tmp_path):
    path = tmp_path / "archives.csv"
    path.write_bytes(wide(archives))
    out = io.StringIO()
    call_command("import_series", str(path), "--plan", plan.slug, "--dry-run", stdout=out)
    assert "5 valeur(s) à appliquer (--dry-run, rien d'écrit), 0 inchangée(s)." in out.getvalue()
    assert not Measurement.objects.exists()
    call_command("import_series", str(path), "--plan", plan.slug, stdout=io.StringIO())
    assert Measurement.objects.count() == 5
    path.write_bytes(wide(archives, ["2024-13;1;1"]))
    with pytest.raises(CommandError, match="refusé"):
        call_command("import_series", str(path), "--plan", plan.slug, stderr=io.StringIO())


def test_the_api(client, login, plan, archives):
    url = f"/api/plans/{plan.slug}/series"
    upload = SimpleUploadedFile("archives.csv", wide(archives))
    assert client.post(url, {"file": upload}).status_code == 401
    login(archives["pilot"])
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", wide(archives))})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applied"] is True and body["changed"] == 5
    again = client.post(url, {"file": SimpleUploadedFile("a.csv", wide(archives))}).json()
    assert (again["changed"], again["unchanged"]) == (0, 5)
    bad = client.post(url, {"file": SimpleUploadedFile("b.csv", wide(archives, ["x;1;1"]))})
    assert bad.status_code == 422
    assert bad.json()["errors"][0].startswith("Ligne 2, colonne « période »")


MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
MONTHS += ["septembre", "octobre", "novembre", "décembre"]


@given(st.integers(1990, 2030), st.integers(1, 12))
def test_every_spelling_of_a_month_ends_on_its_last_day(year, month):
    expected = period_end(f"{year}-{month:02d}")
    assert expected.month == month and (expected + dt.timedelta(days=1)).day == 1
    assert period_end(f"{month:02d}/{year}") == expected
    assert period_end(f"{MONTHS[month - 1]} {year}") == expected
    assert period_end(f"{MONTHS[month - 1].capitalize()}  {year}") == expected
    assert period_end(expected.strftime("%d/%m/%Y")) == expected
    assert period_end(str(year)) == period_end(year) == dt.date(year, 12, 31)
