""" "Mon espace" in a browser, for every demonstration account: after logging in, the person
lands on what they have to do today; the page is accessible (axe: no violation at all) and
fits a phone's width without sideways scrolling."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage.organisations.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

# What each account's space must show first (a panel's heading).
FIRST_PANEL = {
    "responsable.ensc": "Demandes de rappel à traiter",
    "pilote.num08": "Mes fiches action",
    "pilote.thd": "Mes fiches action",
    "mediateur": "Demandes de rappel à traiter",
    "agent.caf": "Agenda du jour",
    "accueil.mairie": "Agenda du jour",
    "transport": "Tournées du jour",
    "coordination.pdn": "Bilans mensuels",
}


@pytest.fixture
def demo(transactional_db, settings):
    from maillage.appointments.demo import load_demo_appointments
    from maillage.mediation.demo import load_demo_mediation
    from maillage.networks.demo import load_demo_networks
    from maillage.organisations.demo import load_demo_accounts
    from maillage.places.demo import load_demo_places
    from maillage.plan.demo import load_demo_measurements
    from maillage.transport.demo import load_demo_transport

    settings.MAILLAGE_DEMO_ACCOUNTS = True
    call_command("load_referential", verbosity=0)
    for step in (
        load_demo_accounts,
        load_demo_places,
        load_demo_appointments,
        load_demo_measurements,
        load_demo_mediation,
        load_demo_transport,
        load_demo_networks,
    ):
        list(step())


def test_each_demo_account_lands_on_its_day(live_server, page, screenshot, axe, demo, log_in):
    for account in DEMO_ACCOUNTS:
        name = account.email.split("@")[0]
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(account.email, DEMO_PASSWORD)
        if name == "promeneur":  # a Promeneur du Net's own space (networks)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.goto(live_server.url + "/mon-espace/")
        expect(page.get_by_role("heading", level=1, name="Mon espace")).to_be_visible()
        if name in FIRST_PANEL:
            expect(page.locator("section h3").first).to_contain_text(FIRST_PANEL[name])
        expect(page.get_by_role("heading", name="Ce que vous pouvez consulter")).to_be_visible()
        screenshot(f"{name}-1280")
        violations = axe.run(page).response["violations"]
        assert violations == [], f"{name} : " + ", ".join(v["id"] for v in violations)
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} : la page fait {width} px de large à 390 px"
        screenshot(f"{name}-390")
