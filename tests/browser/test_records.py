"""Mediators' and pilots' records in a browser, at 1280 and 390 px with axe: the beneficiary
picker's type-ahead, correcting and deleting an accompaniment; a count refusing decimals, a
value corrected; deleting a meeting asks first."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from maillage.mediation.models import Accompaniment
from maillage.organisations.labels import Role
from maillage.plan.models import Measurement, Meeting
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.mediation.conftest import _commune
from tests.mediation.factories import BeneficiaryFactory
from tests.places.factories import PlaceFactory
from tests.plan.factories import MeetingFactory, PlanFactory, num08


@pytest.fixture
def records(transactional_db):
    from maillage.territory.models import Departement

    Departement.objects.get_or_create(code="16", defaults={"name": "Charente"})
    organisation = OrganisationFactory(name="Espace Numérique Sud Charente")
    mediator = UserFactory(email="mediatrice@ensc.exemple.fr")
    MembershipFactory(user=mediator, organisation=organisation, role=Role.MEDIATOR)
    PlaceFactory(organisation=organisation, name="Espace numérique de Chalais")
    for code, name, postcode, year in (
        ("16028", "Barbezieux-Saint-Hilaire", "16300", 1948),
        ("16073", "Chalais", "16210", 1961),
        ("16066", "Brossac", "16480", 1975),
    ):
        BeneficiaryFactory(
            organisation=organisation,
            first_name="André",
            commune=_commune(code, name, postcode),
            birth_year=year,
        )
    return organisation


def test_a_mediator_picks_andre_of_chalais_then_corrects_and_deletes_the_record(
    live_server, page, records, check_widths, log_in
):
    log_in("mediatrice@ensc.exemple.fr")
    page.goto(live_server.url + "/mediation/accompagnements/nouveau/")
    search = page.get_by_label("Rechercher une personne (prénom, nom, code, commune, année")
    search.fill("andre chalais")
    expect(page.get_by_text("1 personne correspond")).to_be_visible()
    picked = page.get_by_label("Personne déjà suivie")
    assert "Chalais, né(e) en 1961" in picked.locator("option:checked").inner_text()
    expect(page.locator("#id_place")).to_have_value("")  # nothing chosen for her
    check_widths("formulaire")
    page.locator("#id_place").select_option(label="Espace numérique de Chalais")
    page.get_by_role("button", name="Enregistrer l'accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement individuel")
    record = Accompaniment.objects.get()
    assert record.beneficiaries.get().birth_year == 1961

    page.get_by_role("link", name="Corriger").click()
    page.get_by_label("Durée").select_option("90")
    check_widths("correction")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Accompagnement corrigé")).to_be_visible()
    record.refresh_from_db()
    assert record.duration_minutes == 90 and record.history.count() == 2

    page.get_by_role("link", name="Supprimer…").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("ne comptera plus")
    check_widths("suppression")
    page.get_by_role("button", name="Supprimer l'accompagnement").click()
    expect(page.get_by_text("Accompagnement supprimé")).to_be_visible()
    assert not Accompaniment.objects.exists()


@pytest.fixture
def pilot_records(transactional_db):
    library = OrganisationFactory(name="Développement de la lecture publique")
    pilot = UserFactory(email="pilote.num08@exemple.fr")
    MembershipFactory(user=pilot, organisation=library, role=Role.PILOT)
    plan = PlanFactory(slug="sdaasp-charente")
    sheet = num08(plan, library)
    meeting = MeetingFactory(plan=plan, title="Comité technique Num08")
    meeting.sheets.set([sheet])
    return sheet


def test_a_pilot_enters_a_count_corrects_it_and_deletes_a_meeting_after_confirming(
    live_server, page, pilot_records, check_widths, log_in
):
    sheet = pilot_records
    indicator = sheet.indicators.get()
    log_in("pilote.num08@exemple.fr")
    page.goto(live_server.url + indicator.get_absolute_url())
    page.locator("#id_value").fill("12,5")
    page.locator("#id_date").fill("2024-12-31")
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_text("saisissez un nombre entier")).to_be_visible()
    page.locator("#id_value").fill("12")
    page.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_role("cell", name="31/12/2024", exact=True)).to_be_visible()
    check_widths("indicateur")
    page.get_by_role("link", name="Corriger la mesure du 31/12/2024").click()
    expect(page.locator("#id_date")).to_have_value("2024-12-31")
    page.locator("#id_value").fill("13")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("Mesure corrigée")).to_be_visible()
    measurement = Measurement.objects.get()
    assert measurement.value == 13 and measurement.history.count() == 2
    assert measurement.date == dt.date(2024, 12, 31)

    meeting = Meeting.objects.get()
    page.goto(live_server.url + f"/schema/sdaasp-charente/instances/{meeting.pk}/")
    page.get_by_role("link", name="Supprimer…").click()
    expect(page.get_by_text("Cette suppression est définitive")).to_be_visible()
    check_widths("suppression-reunion")
    assert Meeting.objects.exists()
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("Réunion supprimée")).to_be_visible()
    assert not Meeting.objects.exists()
