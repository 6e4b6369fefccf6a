"""The broadband pages: the public map, histories and exports; imports and works for pilots."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from maillage.broadband import imports
from maillage.broadband.labels import ImportStatus
from maillage.broadband.models import FigureImport, PremisesCount, Work
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(communes):
    imports.figures_import(content=f.speed_file(), filename="commune_debit_filaire.csv")
    imports.figures_import(content=f.observatory_xlsx(), filename="obs.xlsx")


def test_the_map_colours_communes_and_lists_them(client, figures):
    response = client.get(reverse("broadband:map"), {"mesure": "lent-filaire"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "T3 2024" in html
    drawing = response.context["drawing"]
    fills = {shape.insee: shape.fill for shape in drawing.shapes}
    # Barbezieux: (40 + 160) / 2600 = 7.7 % → first class; Coteaux: 180 / 620 = 29 % → third.
    assert fills["16028"] == "#fde725"
    assert fills["16046"] == "#21918c"
    assert fills["16015"] == ""  # Angoulême has no figure: hatched
    assert "Angoulême : pas de données" in html
    total = response.context["total"]
    assert total.value == 75 + 405 and total.premises == 4320
    assert total.share == Decimal("11.1")
    assert "<strong>11,1 %</strong>" in html


def test_the_ftth_map_uses_the_latest_estimate_of_premises(client, figures):
    response = client.get(reverse("broadband:map"), {"mesure": "fibre", "trimestre": "2024-T1"})
    rows = {row.commune.insee_code: row for row in response.context["rows"]}
    assert rows["16028"].value == 1300
    assert rows["16028"].premises == 2610  # the T3 2024 estimate, the only one known
    assert rows["16028"].share == Decimal("49.8")


def test_the_table_filters_by_epci_and_exports(client, figures):
    query = {"mesure": "lent-filaire", "epci": f.EPCI_4B}
    response = client.get(reverse("broadband:map"), query)
    assert {r.commune.insee_code for r in response.context["rows"]} == {"16028", "16046"}

    csv = client.get(reverse("broadband:export", args=["csv"]), query | {"trimestre": "2024-T3"})
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code INSEE;Commune;SIREN EPCI;EPCI;Trimestre;")
    assert "Débits, réseaux filaires — 0,5 à 3 Mbit/s" in text.splitlines()[0]
    assert len(text.splitlines()) == 3 and "16073" not in text

    xlsx = client.get(reverse("broadband:export", args=["xlsx"]), {"trimestre": "2024-T3"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 5  # header + 4 communes

    geo = json.loads(client.get(reverse("broadband:export", args=["geojson"])).content)
    feature = next(x for x in geo["features"] if x["properties"]["code_insee"] == "16028")
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["speed_wired.below_3"] == 160
    assert feature["properties"]["ftth.connectable"] == 1900


def test_export_query_count_does_not_grow_with_communes(
    client, figures, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("broadband:export", args=["csv"]))


def test_commune_and_epci_histories(client, figures):
    response = client.get(reverse("broadband:commune", args=["16028"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Locaux raccordables à la fibre (FttH) par trimestre" in html
    assert 'role="img"' in html
    assert response.context["ftth"]["rows"][0][1] == 900

    response = client.get(reverse("broadband:epci", args=[f.EPCI_4B]), {"base": "wired"})
    assert response.status_code == 200
    (_quarter, premises, _values) = response.context["speeds"]["rows"][0]
    assert premises == 2600 + 620
    assert client.get(reverse("broadband:commune", args=["17300"])).status_code == 404


def test_the_demonstration_figures_are_marked(client, communes):
    imports.figures_import(
        content=f.speed_file(), filename="demo.csv", is_demo=True, layout="mci_speed_wired"
    )
    response = client.get(reverse("broadband:map"), {"mesure": "lent-filaire"})
    assert "Démonstration." in response.content.decode()


def test_only_pilots_of_a_programme_sheet_import(client, login, programme, pilot10, pilot11):
    url = reverse("broadband:import_list")
    assert client.get(url).status_code == 302
    login(UserFactory())
    assert client.get(url).status_code == 403
    login(pilot11)  # Num11 is served by the programme's phase: its pilots import too
    assert client.get(url).status_code == 200
    login(pilot10)
    assert client.get(url).status_code == 200


def test_a_pilot_uploads_previews_and_applies(
    client, login, programme, pilot10, django_capture_on_commit_callbacks
):
    login(pilot10)
    upload = SimpleUploadedFile("commune_debit_filaire.csv", f.speed_file(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("broadband:import_list"), {"file": upload, "note": "T3"})
    figure_import = FigureImport.objects.get()
    assert response["Location"] == figure_import.get_absolute_url()
    assert figure_import.status == ImportStatus.READY  # read at once by the immediate backend
    assert figure_import.created_by == pilot10

    preview = client.get(figure_import.get_absolute_url())
    assert "Appliquer l'import" in preview.content.decode()
    assert not PremisesCount.objects.exists()

    response = client.post(reverse("broadband:import_apply", args=[figure_import.pk]))
    assert response.status_code == 302
    assert "trimestre=2024-T3" in response["Location"]
    assert PremisesCount.objects.count() == 21
    again = client.post(reverse("broadband:import_apply", args=[figure_import.pk]), follow=True)
    assert "ne peut pas être appliqué" in again.content.decode()


def test_a_refused_file_shows_its_errors(
    client, login, programme, pilot10, django_capture_on_commit_callbacks
):
    login(pilot10)
    bad = f.speed_file([f.speed_row("16028", "B", 2600, -1, 2400, 2300, 2000, 1900, 1500)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadband:import_list"), {"file": SimpleUploadedFile("d.csv", bad)})
    response = client.get(FigureImport.objects.get().get_absolute_url())
    html = response.content.decode()
    assert "Fichier refusé : rien n'a été enregistré" in html
    assert "Ligne 2, colonne « inel_hd »" in html
    assert "Appliquer" not in html


def test_the_rip_template_has_every_column(client):
    text = client.get(reverse("broadband:rip_template")).content.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:4] == ["code_insee", "nom_commune", "trimestre", "locaux"]
    assert "acces_aucun" in header and "filaire_100_plus" in header


def test_the_programme_page_shows_planned_and_done(client, programme):
    phase = programme.phases.get(name="Part de la CC des 4B")
    f.WorkFactory(phase=phase, planned_quarter=dt.date(2019, 12, 31), done=True)
    f.WorkFactory(
        phase=phase, commune=f.charente_communes()["16046"], planned_quarter=dt.date(2020, 6, 30)
    )
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    progress = response.context["progress"]
    assert (progress.planned_premises, progress.done_premises, progress.late) == (2000, 980, 1)
    rows = response.context["by_quarter"]
    assert [(r["quarter"].label, r["planned_total"], r["done_total"]) for r in rows] == [
        ("T4 2019", 1000, 0),
        ("T1 2020", 1000, 980),
        ("T2 2020", 2000, 980),
    ]
    late = client.get(programme.get_absolute_url(), {"statut": "en-retard"})
    assert [w.commune_id for w in late.context["works"]] == ["16046"]
    export = client.get(programme.get_absolute_url(), {"format": "csv"})
    assert "Coteaux-du-Blanzacais" in export.content.decode("utf-8-sig")
    assert "Modifier" not in response.content.decode()


def test_a_phase_pilot_edits_only_its_phase_works(client, login, programme, pilot11):
    own = f.WorkFactory(phase=programme.phases.get(name="Part de la CC des 4B"))
    other = f.WorkFactory(phase=programme.phases.get(name="Fibre — 1re plaque"))
    login(pilot11)
    assert (
        client.get(reverse("broadband:work_edit", args=[programme.slug, other.pk])).status_code
        == 403
    )
    url = reverse("broadband:work_edit", args=[programme.slug, own.pk])
    response = client.post(
        url,
        {
            "technology": "ftth",
            "planned": "T4 2019",
            "planned_premises": 1000,
            "done": "T2 2020",
            "done_premises": 990,
            "note": "",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.done_quarter == dt.date(2020, 6, 30) and own.done_premises == 990
    response = client.post(
        url,
        {
            "technology": "ftth",
            "planned": "T4 2019",
            "planned_premises": 1000,
            "done": "T2 2020",
            "done_premises": "",
            "note": "",
        },
    )
    assert "Renseignez ensemble" in response.content.decode()
    assert Work.objects.get(pk=own.pk).done_premises == 990


def test_the_admin_lists_imports_counts_and_the_programme(client, login, superuser, programme):
    imports.figures_import(content=f.speed_file(), filename="commune_debit_filaire.csv")
    f.WorkFactory(phase=programme.phases.first())
    login(superuser)
    for model in ("figureimport", "premisescount", "programme", "work"):
        assert client.get(reverse(f"admin:broadband_{model}_changelist")).status_code == 200
    figure_import = FigureImport.objects.get()
    page = client.get(reverse("admin:broadband_figureimport_change", args=[figure_import.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:broadband_figureimport_add")).status_code == 403
    assert (
        client.get(reverse("admin:broadband_programme_change", args=[programme.pk])).status_code
        == 200
    )


def test_the_sheet_page_links_to_the_figures_its_indicators_are_computed_from(client, sheets):
    from maillage.plan.computed import indicator_bind
    from tests.plan.factories import IndicatorFactory

    indicator = IndicatorFactory(sheet=sheets["Num11"], label="Nombre de prises FttH")
    indicator_bind(indicator=indicator, source_key="broadband.ftth_connectable", filters={})
    html = client.get(sheets["Num11"].get_absolute_url()).content.decode()
    assert (
        f'<a href="{reverse("broadband:map")}">le très haut débit, commune par commune</a>' in html
    )


def test_the_imports_list_filters_and_exports(client, login, programme, pilot10):
    imports.figures_import(content=f.speed_file(), filename="commune_debit_filaire.csv")
    bad = f.speed_file([f.speed_row("16999", "X", 1, 0, 1, 1, 1, 1, 1)])
    imports.figures_import(content=bad, filename="faux.csv")
    login(pilot10)
    url = reverse("broadband:import_list")
    refused = client.get(url, {"statut": "refused"})
    assert [i.filename for i in refused.context["imports"]] == ["faux.csv"]
    export = client.get(url, {"statut": "applied", "format": "csv"}).content.decode("utf-8-sig")
    assert "commune_debit_filaire.csv" in export and "faux.csv" not in export
