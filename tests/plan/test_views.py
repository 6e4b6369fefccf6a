import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.plan.models import Measurement

from .factories import IndicatorFactory, TargetFactory

pytestmark = pytest.mark.django_db


def _urls(sheet):
    plan = sheet.plan
    indicator = sheet.indicators.first()
    return {
        "plan": reverse("plan:plan_detail", args=[plan.slug]),
        "sheet": reverse("plan:sheet_detail", args=[plan.slug, sheet.ref]),
        "indicator": reverse("plan:indicator_detail", args=[plan.slug, sheet.ref, indicator.pk]),
        "edit": reverse("plan:sheet_edit", args=[plan.slug, sheet.ref]),
        "history": reverse("plan:sheet_history", args=[plan.slug, sheet.ref]),
        "dashboard": reverse("plan:dashboard", args=[plan.slug]),
    }


def test_anonymous_reads_public_pages(client, sheet08):
    urls = _urls(sheet08)
    html = client.get(urls["sheet"]).content.decode()
    assert "Num08" in html
    assert "Nombre de points de médiation" in html
    assert 'role="img"' in html  # the trajectory chart, accessible
    assert "<script" not in html.split("fr-footer")[0].split("trajectoire cible")[-1][:2000]
    assert "gratuit pour l" in html
    page = client.get(urls["plan"]).content.decode()
    assert "Num08" in page and "Tableau de bord" in page
    assert client.get(urls["dashboard"]).status_code == 200


def test_anonymous_is_redirected_from_edit_pages(client, sheet08):
    urls = _urls(sheet08)
    for name in ("edit", "history"):
        response = client.get(urls[name])
        assert response.status_code == 302 and "/connexion/" in response["Location"]
    response = client.post(urls["indicator"], {"value": "3", "date": "2020-01-01"})
    assert response.status_code == 302
    assert not Measurement.objects.exists()


def test_confidential_items_are_hidden_from_the_public(client, sheet08, plan):
    secret_indicator = IndicatorFactory(sheet=sheet08, label="Indicateur secret", confidential=True)
    sheet08.confidential = False
    sheet08.save()
    from .factories import ActionSheetFactory

    ActionSheetFactory(plan=plan, ref="Num77", confidential=True)
    page = client.get(reverse("plan:plan_detail", args=[plan.slug])).content.decode()
    assert "Num77" not in page
    assert client.get(reverse("plan:sheet_detail", args=[plan.slug, "Num77"])).status_code == 404
    sheet_page = client.get(_urls(sheet08)["sheet"]).content.decode()
    assert "Indicateur secret" not in sheet_page
    url = reverse("plan:indicator_detail", args=[plan.slug, "Num08", secret_indicator.pk])
    assert client.get(url).status_code == 404
    csv = client.get(reverse("plan:plan_export", args=[plan.slug, "indicateurs", "csv"]))
    assert "Indicateur secret" not in csv.content.decode("utf-8-sig")
    assert "Num77" not in client.get(
        reverse("plan:plan_export", args=[plan.slug, "fiches", "csv"])
    ).content.decode("utf-8-sig")


def test_pilot_sees_confidential_items_of_own_sheet(login, sheet08, pilot08):
    IndicatorFactory(sheet=sheet08, label="Indicateur interne", confidential=True)
    html = login(pilot08).get(_urls(sheet08)["sheet"]).content.decode()
    assert "Indicateur interne" in html


def test_pilot_records_a_measurement_and_progress_changes(login, sheet08, pilot08):
    client = login(pilot08)
    urls = _urls(sheet08)
    page = client.get(urls["indicator"]).content.decode()
    assert "Saisir une mesure" in page and 'inputmode="decimal"' in page
    today = dt.date.today()
    response = client.post(urls["indicator"], {"value": "59", "date": today.isoformat()})
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == Decimal(59) and measurement.author == pilot08
    page = client.get(urls["sheet"]).content.decode()
    assert "100 %" in page
    assert "Cible atteinte" in page


def test_measurement_form_errors_are_shown(login, sheet08, pilot08):
    response = login(pilot08).post(
        _urls(sheet08)["indicator"], {"value": "abc", "date": dt.date.today().isoformat()}
    )
    assert response.status_code == 200
    assert "pas un nombre" in response.content.decode()
    assert not Measurement.objects.exists()


def test_pilot_of_another_sheet_cannot_edit_num08(login, sheet08, pilot_other):
    client = login(pilot_other)
    urls = _urls(sheet08)
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], {"theme": "x"}).status_code == 403
    response = client.post(urls["indicator"], {"value": "3", "date": "2020-01-01"})
    assert response.status_code == 403
    assert "Saisir une mesure" not in client.get(urls["indicator"]).content.decode()
    assert not Measurement.objects.exists()


def test_pilot_edits_sheet_and_changes_status(login, sheet08, pilot08):
    client = login(pilot08)
    urls = _urls(sheet08)
    form = client.get(urls["edit"])
    assert form.status_code == 200
    data = {
        "status": "in_progress",
        "status_comment": "Démarrage",
        "theme": "Numérique",
        "action": sheet08.action,
        "sub_action": sheet08.sub_action,
        "description": "Nouvelle description",
        "scope_text": sheet08.scope_text,
        "scope_level": sheet08.scope_level,
        "calendar_text": "2018-2020",
        "digital": "on",
        "schedule": "on",
        "cost_text": "",
        "cost_total": "",
        "cost_notes": sheet08.cost_notes,
        "funding_text": sheet08.funding_text,
        "weight": "1",
    }
    response = client.post(urls["edit"], data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sheet08.refresh_from_db()
    assert sheet08.status == "in_progress"
    assert sheet08.description == "Nouvelle description"
    assert sheet08.schedule is True
    history = client.get(urls["history"]).content.decode()
    assert "Description" in history and "Nouvelle description" in history
    assert "Calendrier" in history and "2018-2020" in history


def test_admin_edits_any_sheet(login, sheet08, superuser):
    assert login(superuser).get(_urls(sheet08)["edit"]).status_code == 200


def test_departement_admin_is_plan_admin(login, sheet08, member):
    from tests.factories import OrganisationFactory

    departement = OrganisationFactory(departement=True)
    person = member("admin", organisation=departement)
    assert login(person).get(_urls(sheet08)["edit"]).status_code == 200


def test_filters_on_plan_page(client, sheet08, other_sheet):
    url = reverse("plan:plan_detail", args=[sheet08.plan.slug])
    sheet08.schedule = True
    sheet08.save()
    html = client.get(url, {"dimension": "schedule"}).content.decode()
    assert "Num08" in html and "Num01" not in html
    html = client.get(url, {"pilote": "Espace Numérique Sud Charente"}).content.decode()
    assert "Num01" in html and ">Num08<" not in html
    html = client.get(url, {"statut": "done"}).content.decode()
    assert "Aucune fiche ne correspond" in html
    html = client.get(url, {"territoire": "departement"}).content.decode()
    assert "Num08" in html


def test_dashboard_shows_trajectories_and_next_meetings(client, sheet08):
    from .factories import MeetingFactory

    MeetingFactory(plan=sheet08.plan, title="Copil de janvier")
    html = client.get(reverse("plan:dashboard", args=[sheet08.plan.slug])).content.decode()
    assert "Copil de janvier" in html
    assert "Trajectoire cible" in html
    assert "Nombre de points de médiation" in html


def test_dashboard_query_count_does_not_grow_with_sheets(
    client, plan, django_assert_max_num_queries
):
    from .factories import ActionSheetFactory, MeasurementFactory

    def add(n):
        for _ in range(n):
            sheet = ActionSheetFactory(plan=plan)
            indicator = IndicatorFactory(sheet=sheet)
            TargetFactory(indicator=indicator, kind="initial", value=0, year=2017)
            TargetFactory(indicator=indicator, kind="final", value=10, year=2022)
            MeasurementFactory(indicator=indicator, value=4)

    add(3)
    url = reverse("plan:dashboard", args=[plan.slug])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_key_figures_are_folded_under_the_description(client, sheet08):
    from maillage.plan.models import KeyFigure

    KeyFigure.objects.create(
        sheet=sheet08, value=Decimal(59), unit="bibliothèques", context="59 bibliothèques du réseau"
    )
    page = client.get(sheet08.get_absolute_url()).content.decode()
    folded = page[page.index("<details") : page.index("</details>")]
    assert "Chiffres clés cités dans la fiche (1)" in folded
    assert "59 bibliothèques" in folded
