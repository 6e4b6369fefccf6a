"""Mediation in a browser, on a phone-sized screen: a mediator records an individual
accompaniment in a few taps, and the plan's Num01 indicator, computed from the records, moves."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.places.demo import load_demo_places
from maillage.plan.computed import compute_all
from tests.browser.conftest import ARTIFACTS
from tests.factories import MembershipFactory, UserFactory

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def mediation_data(transactional_db):
    call_command("load_referential", verbosity=0)
    list(load_demo_places())
    compute_all()  # Num01 starts at 0 today
    mediator = UserFactory(email="mediateur.ensc@exemple.fr", first_name="Inès")
    MembershipFactory(
        user=mediator,
        organisation=Organisation.objects.get(slug="espace-numerique-sud-charente"),
        role=Role.MEDIATOR,
    )
    return mediator


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR", timezone_id="Europe/Paris"
    )
    yield context.new_page()
    context.close()


def _num01_beneficiaries(page, live_server) -> str:
    page.goto(live_server.url + "/schema/sdaasp-charente/fiches/Num01/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Nombre de bénéficiaires")
    )
    return section.get_by_role("table").locator("tbody td").last.inner_text()


def test_mediator_records_an_accompaniment_on_a_phone_and_num01_moves(
    live_server, phone, mediation_data, axe_check, log_in
):
    page = phone
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert _num01_beneficiaries(page, live_server) == f"0 au {today}"

    log_in("mediateur.ensc@exemple.fr", on=page)
    page.goto(live_server.url + "/mediation/accompagnements/nouveau/")
    axe_check(page)

    started = time.monotonic()
    page.goto(live_server.url + "/mediation/")
    page.get_by_role("link", name="Nouvel accompagnement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    expect(page.get_by_label("Accompagnement individuel")).to_be_checked()  # the default
    page.locator("label.fr-label", has_text="Démarche : impôts").click()
    page.locator("#id_place").select_option(index=1)  # none chosen in advance
    page.get_by_role("button", name="Enregistrer l'accompagnement").click()
    expect(page.get_by_text("Accompagnement du")).to_be_visible()
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"{elapsed:.1f} s"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accompagnement individuel")
    expect(page.get_by_text("Démarche : impôts")).to_be_visible()
    # The form fits a phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "mediation-telephone.png"), full_page=True)
    axe_check(page)

    assert _num01_beneficiaries(page, live_server) == f"1 au {today}"
    page.get_by_role("link", name="Nombre de bénéficiaires").first.click()
    expect(page.get_by_text("Valeur calculée à partir des données")).to_be_visible()
    axe_check(page)
    page.goto(live_server.url + "/mediation/statistiques/schema/sdaasp-charente/")
    expect(page.get_by_role("heading", level=1)).to_have_text("La médiation numérique en chiffres")
    expect(page.get_by_text("< 5").first).to_be_visible()  # one person: masked
    axe_check(page)
    page.goto(live_server.url + "/mediation/statistiques/")
    expect(page.get_by_role("heading", name="Par thématique")).to_be_visible()
    axe_check(page)
    page.screenshot(path=str(ARTIFACTS / "mediation-statistiques.png"), full_page=True)
