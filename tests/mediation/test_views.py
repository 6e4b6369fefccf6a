"""The mediator's pages: who sees what, recording on one screen, logs, exports, statistics."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from maillage.mediation.labels import LogAction
from maillage.mediation.models import Accompaniment, Beneficiary, BeneficiaryLog
from maillage.organisations.labels import Role
from tests.plan.factories import ActionSheetFactory, PlanFactory, SheetActorFactory

from .factories import AccompanimentFactory, BeneficiaryFactory

pytestmark = pytest.mark.django_db


def test_anonymous_sent_to_login_and_viewer_forbidden(client, login, member):
    response = client.get(reverse("mediation:home"))
    assert response.status_code == 302 and "/connexion/" in response.url
    assert login(member(Role.VIEWER)).get(reverse("mediation:home")).status_code == 403


def test_mediator_of_another_organisation_gets_404_on_a_beneficiary(
    login, member, organisation, other_organisation
):
    b = BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    outsider = login(member(Role.MEDIATOR, organisation=other_organisation))
    for name in (
        "beneficiary_detail",
        "beneficiary_edit",
        "beneficiary_export",
        "beneficiary_erase",
    ):
        assert outsider.get(reverse(f"mediation:{name}", args=[b.code])).status_code == 404
    assert outsider.post(reverse("mediation:beneficiary_erase", args=[b.code])).status_code == 404
    assert b.code not in outsider.get(reverse("mediation:beneficiary_list")).content.decode()
    assert not BeneficiaryLog.objects.filter(action=LogAction.VIEWED).exists()
    b.refresh_from_db()
    assert b.erased_at is None


def test_viewing_a_beneficiary_is_logged(login, mediator, organisation):
    b = BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    response = login(mediator).get(b.get_absolute_url())
    assert response.status_code == 200 and "Jeanne" in response.content.decode()
    entry = b.logs.get(action=LogAction.VIEWED)
    assert entry.user == mediator and entry.at is not None


def test_record_an_individual_accompaniment_with_a_new_person(login, mediator, place, communes):
    client = login(mediator)
    form = client.get(reverse("mediation:accompaniment_create"))
    assert form.status_code == 200
    response = client.post(
        reverse("mediation:accompaniment_create"),
        {
            "organisation": mediator.memberships.get().organisation_id,
            "kind": "individual",
            "date": "2025-06-02",
            "duration_minutes": "45",
            "location_kind": "place",
            "place": place.pk,
            "first_name": "Jeanne",
            "commune": "Chalais",
            "birth_year": "1952",
            "situation": "retired",
            "themes": ["taxes", "email"],
            "autonomy": "partial",
        },
    )
    record = Accompaniment.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    person = record.beneficiaries.get()
    assert (person.first_name, person.commune_id, person.situation) == (
        "Jeanne",
        "16073",
        "retired",
    )
    assert record.themes == ["taxes", "email"] and record.duration_minutes == 45
    assert record.commune_id == "16073"  # the person's, the place having none


def test_form_errors_are_shown(login, mediator):
    response = login(mediator).post(
        reverse("mediation:accompaniment_create"),
        {"kind": "individual", "date": "2099-01-01", "location_kind": "place"},
    )
    assert response.status_code == 200
    assert "Le formulaire contient" in response.content.decode()
    assert not Accompaniment.objects.exists()


def test_merge_and_erase_through_the_pages(login, mediator, organisation, communes):
    keep = BeneficiaryFactory(
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupré",
        named=True,
        birth_year=1948,
        commune_id="16028",
    )
    twin = BeneficiaryFactory(
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupre",
        named=True,
        birth_year=1948,
        commune_id="16028",
    )
    AccompanimentFactory(organisation=organisation, participants=[twin])
    client = login(mediator)
    page = client.get(keep.get_absolute_url()).content.decode()
    assert "Doublon probable" in page and twin.code in page
    client.post(reverse("mediation:beneficiary_merge", args=[keep.code]), {"duplicate": twin.code})
    assert keep.accompaniments.count() == 1
    # The old code now leads to the kept record.
    assert keep.code in client.get(twin.get_absolute_url()).content.decode()
    client.post(reverse("mediation:beneficiary_erase", args=[keep.code]))
    keep.refresh_from_db()
    assert keep.erased_at and keep.last_name == ""


def test_export_personal_data_as_json(login, mediator, organisation):
    b = BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    response = login(mediator).get(reverse("mediation:beneficiary_export", args=[b.code]))
    assert response["Content-Disposition"].endswith(f'donnees-{b.code}.json"')
    assert json.loads(response.content)["prenom"] == "Jeanne"


def test_receipt_pdf(login, mediator, organisation):
    b = BeneficiaryFactory(organisation=organisation)
    client = login(mediator)
    client.post(
        reverse("mediation:subscription_create", args=[b.code]),
        {"kind": "membership", "on": "2025-09-15", "payment_method": "cheque"},
    )
    subscription = b.subscriptions.get()
    response = client.get(reverse("mediation:receipt_pdf", args=[subscription.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outcome_recorded_from_the_page(login, mediator, organisation):
    b = BeneficiaryFactory(organisation=organisation)
    login(mediator).post(
        reverse("mediation:outcome_create", args=[b.code]),
        {"kind": "online_account", "date": "2025-05-01", "account": "msa"},
    )
    assert b.outcomes.get().account == "msa"


def _dataset(organisation, other_organisation):
    people = [
        BeneficiaryFactory(organisation=organisation, situation="retired", birth_year=1950)
        for _ in range(6)
    ]
    for person in people:
        AccompanimentFactory(organisation=organisation, participants=[person], themes=["caf"])
    AccompanimentFactory(organisation=organisation, participants=[people[0]], themes=["msa"])
    AccompanimentFactory(
        organisation=other_organisation,
        participants=[BeneficiaryFactory(organisation=other_organisation)],
    )
    return people


def test_dashboard_counts_and_exports(login, mediator, organisation, other_organisation):
    _dataset(organisation, other_organisation)
    client = login(mediator)
    response = client.get(reverse("mediation:stats"))
    totals = response.context["totals"]
    assert (totals.activities, totals.sessions, totals.people) == (7, 7, 6)
    assert "<svg" in response.content.decode()
    csv = client.get(reverse("mediation:stats") + "?format=csv").content.decode("utf-8-sig")
    assert "Par thématique;Démarche : Caf (prestations familiales, logement);6;6;6" in csv
    xlsx = client.get(reverse("mediation:accompaniment_list") + "?format=xlsx")
    assert xlsx.content.startswith(b"PK")
    filtered = client.get(reverse("mediation:stats"), {"theme": "msa"}).context["totals"]
    assert (filtered.activities, filtered.people) == (1, 1)


def test_public_statistics_mask_small_counts(client, organisation, other_organisation):
    plan = PlanFactory(slug="sdaasp-test")
    SheetActorFactory(sheet=ActionSheetFactory(plan=plan), organisation=organisation)
    _dataset(organisation, other_organisation)
    response = client.get(reverse("mediation:public_stats", args=[plan.slug]))
    assert response.status_code == 200
    assert response.context["totals"] == {
        "label": "Total",
        "activities": 7,
        "sessions": 7,
        "people": 6,
    }
    theme_rows = {
        row["label"]: row
        for block in response.context["blocks"]
        if block["key"] == "thematique"
        for row in block["rows"]
    }
    assert theme_rows["Démarche : MSA (espace privé)"]["people"] == "< 5"
    assert theme_rows["Démarche : Caf (prestations familiales, logement)"]["people"] == 6
    page = response.content.decode()
    assert "&lt; 5" in page
    assert "Beneficiary" not in page and "B-" not in page


def test_accompaniment_list_filters(login, mediator, organisation):
    AccompanimentFactory(
        organisation=organisation,
        date=dt.date(2024, 5, 1),
        participants=[BeneficiaryFactory(organisation=organisation)],
    )
    AccompanimentFactory(
        organisation=organisation,
        date=dt.date(2025, 5, 1),
        participants=[BeneficiaryFactory(organisation=organisation)],
    )
    response = login(mediator).get(reverse("mediation:accompaniment_list"), {"du": "2025-01-01"})
    assert response.context["total"] == 1


def test_beneficiary_list_search(login, mediator, organisation):
    BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    BeneficiaryFactory(organisation=organisation, first_name="Paul")
    response = login(mediator).get(reverse("mediation:beneficiary_list"), {"q": "jean"})
    assert response.context["total"] == 1
    assert Beneficiary.objects.count() == 2


def test_three_andre_are_told_apart_and_found_by_commune_or_year(
    login, mediator, organisation, communes, place
):
    """The picker's options show commune and year of birth; the list searches them too; the
    form chooses no place for the mediator."""
    for commune, year in (("barbezieux", 1948), ("chalais", 1961), ("brossac", 1975)):
        BeneficiaryFactory(
            organisation=organisation,
            first_name="André",
            commune=communes[commune],
            birth_year=year,
        )
    client = login(mediator)
    form = client.get(reverse("mediation:accompaniment_create")).content.decode()
    assert "André (B-" in form and "— Chalais, né(e) en 1961</option>" in form
    assert 'data-picker="beneficiaires"' in form and "mediation/picker.js" in form
    assert f'<option value="{place.pk}" selected' not in form
    assert "— Choisissez le lieu —" in form
    listing = reverse("mediation:beneficiary_list")
    for query, count in (("andré", 3), ("andré brossac", 1), ("André 1961", 1), ("1990", 0)):
        page = client.get(listing, {"q": query})
        assert len(page.context["beneficiaries"]) == count, query


def test_an_accompaniment_is_corrected_and_deleted_with_its_history(
    login, mediator, organisation, member, other_organisation
):
    person = BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    record = AccompanimentFactory(organisation=organisation, participants=[person])
    edit = reverse("mediation:accompaniment_edit", args=[record.pk])
    delete = reverse("mediation:accompaniment_delete", args=[record.pk])
    outsider = login(member(Role.MEDIATOR, organisation=other_organisation))
    assert outsider.get(edit).status_code == 404 and outsider.post(delete).status_code == 404
    client = login(mediator)
    form = client.get(edit).content.decode()
    assert 'value="2025-03-10"' in form and "Corriger l'accompagnement" in form
    response = client.post(
        edit,
        {
            "kind": "individual",
            "date": "2025-03-11",
            "duration_minutes": "90",
            "location_kind": "home",
            "themes": ["email", "smartphone"],
            "equipment_used": [],
            "autonomy": "",
            "anonymous_participants": "0",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.date, record.duration_minutes) == (dt.date(2025, 3, 11), 90)
    assert record.history.count() == 2 and record.history.first().history_user == mediator
    confirm = client.get(delete).content.decode()
    assert "ne comptera plus dans les statistiques" in confirm and "Jeanne" in confirm
    assert Accompaniment.objects.filter(pk=record.pk).exists()
    client.post(delete)
    assert not Accompaniment.objects.filter(pk=record.pk).exists()
    assert record.history.latest().history_type == "-"
    assert person.logs.filter(action=LogAction.UPDATED).count() == 2
    person.refresh_from_db()
    assert person.erased_at is None  # the person stays
