"""Security in a browser: a staff member enrols in two-factor authentication and logs in with
a code; the main pages (maps, charts, the admin) run under the production
Content-Security-Policy without a single violation (the `page` fixture fails on any)."""

import base64
import datetime as dt

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from maillage.mediation.labels import LogAction
from maillage.mediation.services import log
from maillage.places.demo import load_demo_places
from maillage.places.models import Place
from tests.browser.conftest import totp_code
from tests.factories import UserFactory
from tests.mediation.factories import BeneficiaryFactory
from tests.plan.factories import MeasurementFactory, PlanFactory, num08


def test_staff_member_enrols_then_logs_in_with_a_code(
    live_server, page, transactional_db, screenshot, assert_accessible, log_in
):
    UserFactory(email="cheffe@exemple.fr", first_name="Anne", staff=True)
    log_in("cheffe@exemple.fr")
    # The admin needs a second factor: every page leads to the enrolment first.
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_alt_text("Code QR à scanner", exact=False)).to_be_visible()
    screenshot("enrolement")
    assert_accessible()

    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code affiché par l'application").fill(totp_code(key))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    screenshot("codes-de-secours")
    assert_accessible()
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.get_by_text("Maillage — administration")).to_be_visible()

    page.goto(live_server.url + "/mon-espace/")
    page.get_by_role("button", name="Se déconnecter").first.click()
    log_in("cheffe@exemple.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    screenshot("code-de-verification")
    assert_accessible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("code-de-verification-390")
    assert_accessible()
    page.get_by_label("Code de vérification").fill(totp_code(key, steps_ahead=1))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_text("Maillage — administration")).to_be_visible()


@pytest.fixture
def site_data(transactional_db):
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    list(load_demo_places())
    plan = PlanFactory(slug="sdaasp-charente", name="Schéma de la Charente")
    sheet = num08(plan)
    MeasurementFactory(indicator=sheet.indicators.get(), value=5, date=dt.date(2019, 6, 30))
    log(BeneficiaryFactory(), LogAction.VIEWED, None)
    admin = UserFactory(email="admin@exemple.fr", superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="téléphone", confirmed=True)
    place = Place.objects.filter(commune_name="Chalais").first()
    return {"sheet": sheet.pk, "place": place.pk, "key": device.bin_key}


def test_main_pages_run_under_the_production_csp(
    live_server, page, site_data, screenshot, log_in_with_code
):
    responses = []
    page.on("response", lambda r: responses.append(r) if r.request.is_navigation_request() else 0)

    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/lieux/")
    page.get_by_label("Votre commune, code postal ou adresse").fill("Chalais")
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator("#carte-lieux[data-ready='true']")).to_be_visible()  # Leaflet drew
    expect(page.locator("#carte-lieux .leaflet-marker-icon").first).to_be_visible()
    # The live server's SQLite is shared by its threads: let the contours' request end first.
    page.wait_for_load_state("networkidle")
    place, sheet = site_data["place"], site_data["sheet"]
    for path in (f"/lieux/{place}/", "/communes/16073/", "/rendez-vous/"):
        assert page.goto(live_server.url + path, wait_until="networkidle").status == 200, path
    page.goto(f"{live_server.url}/schema/sdaasp-charente/fiches/Num08/")
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.pygal-chart .graph > .background')).fill"
    )
    assert background in {"transparent", "rgba(0, 0, 0, 0)"}  # charts.css applied
    page.goto(f"{live_server.url}/schema/sdaasp-charente/tableau-de-bord/")
    screenshot("tableau-de-bord")

    log_in_with_code("admin@exemple.fr", site_data["key"])
    for path in (
        "/admin/",
        "/admin/places/place/",
        "/admin/territory/commune/16073/change/",
        f"/admin/plan/actionsheet/{sheet}/change/",
        f"/admin/plan/actionsheet/{sheet}/history/",
        "/admin/mediation/beneficiarylog/",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        expect(page.locator("#content")).to_be_visible()
    screenshot("administration")

    policies = {r.url: r.headers.get("content-security-policy", "") for r in responses}
    assert len(policies) >= 12
    for url, policy in policies.items():
        assert "script-src 'self'" in policy and "object-src 'none'" in policy, url
