"""The Promeneurs du Net in a browser: the coordinator registers a member and records their
initial training (desktop), the member sends a monthly return from a phone, and the plan's
Num02 indicators — active Promeneurs du Net, contacts of the year — move. Every page passes
axe-core with no violation at all; screenshots at 1280 and 390 px."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.networks.models import Member
from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.plan.computed import compute_all
from tests.browser.conftest import ARTIFACTS
from tests.factories import MembershipFactory, UserFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
COORDINATOR = "coordination.pdn@exemple.fr"
PROMENEUR = "ines.marchand@mjc-ruelle.fr"


@pytest.fixture
def network_data(transactional_db):
    call_command("load_referential", verbosity=0)  # the seed's network, Num02 bound
    compute_all()  # Num02 starts at 0 today
    coordinator = UserFactory(email=COORDINATOR, first_name="Claire")
    MembershipFactory(
        user=coordinator,
        organisation=Organisation.objects.get(slug="frmjc"),
        role=Role.NETWORK_COORDINATOR,
    )
    UserFactory(email=PROMENEUR, first_name="Inès")  # no role anywhere


def _context(browser, viewport, **extra):
    return browser.new_context(
        viewport=viewport, locale="fr-FR", timezone_id="Europe/Paris", **extra
    )


@pytest.fixture
def desktop(browser):
    context = _context(browser, DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    context = _context(browser, PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_violation(axe):
    """axe-core on the page: not a single violation, whatever its impact."""

    def check(page) -> None:
        violations = axe.run(page).response["violations"]
        assert not violations, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(", ".join(n["target"]) for n in v["nodes"][:5])
            for v in violations
        )

    return check


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(ARTIFACTS / f"networks-{name}-{width}.png"), full_page=True)


def _num02(page, live_server, label: str) -> str:
    page.goto(live_server.url + "/schema/sdaasp-charente/fiches/Num02/")
    section = page.locator("section", has=page.get_by_role("heading", name=label))
    return section.get_by_role("table").locator("tbody td").last.inner_text()


def test_coordinator_registers_and_trains_a_member_who_sends_a_return_and_num02_moves(
    live_server, desktop, phone, network_data, no_violation, log_in
):
    today = timezone.localdate()
    stamp = today.strftime("%d/%m/%Y")
    page = desktop
    assert _num02(page, live_server, "Nombre de Pnd") == f"0 au {stamp}"
    assert _num02(page, live_server, "Nombre de contacts") == "—"  # no return yet: no value

    # The coordinator registers a Promeneur du Net, with a new employing structure.
    log_in(COORDINATOR, on=page)
    page.goto(live_server.url + "/reseaux/")
    page.get_by_role("link", name="Coordination — Promeneurs du Net de la Charente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Promeneurs du Net de la Charente")
    no_violation(page)
    page.get_by_role("link", name="Inscrire un membre").click()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Marchand")
    page.get_by_label("Métier").select_option(label="Animateur ou animatrice jeunesse")
    page.get_by_label("Courriel professionnel").fill(PROMENEUR)
    page.get_by_label("Ou nouvelle structure : nom").fill("MJC de Ruelle-sur-Touvre")
    page.get_by_label("Type de la nouvelle structure").select_option(value="association")
    page.get_by_label("Commune de la nouvelle structure").fill("Ruelle-sur-Touvre")
    page.get_by_label("Charte signée le").fill(today.isoformat())
    page.get_by_label("Signataire de la charte").fill("Paul Girard, directeur de la MJC")
    page.get_by_label("Communes couvertes").fill("Ruelle-sur-Touvre\nMagnac-sur-Touvre")
    page.locator("label.fr-label", has_text="15-17 ans").click()
    page.locator("label.fr-label", has_text="Actif").click()
    no_violation(page)
    _shot(page, "inscription")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inès Marchand")
    expect(page.get_by_text(f"Le compte {PROMENEUR} est lié à cette fiche")).to_be_visible()
    expect(
        page.get_by_text("formation initiale à suivre avant d'être compté actif")
    ).to_be_visible()
    no_violation(page)
    member = Member.objects.get(email=PROMENEUR)
    assert member.organisation.commune_insee == "16291"
    assert _num02(page, live_server, "Nombre de Pnd") == f"0 au {stamp}"  # not trained yet

    # The coordinator records the initial training and Inès's attendance.
    page.goto(live_server.url + "/reseaux/promeneurs-du-net-charente/formations/")
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Type").select_option(label="Formation initiale")
    page.get_by_label("Intitulé").fill("Formation initiale — session d'automne")
    page.get_by_label("Date de début").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Date de fin").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Lieu").fill("FRMJC, Angoulême")
    page.get_by_role("button", name="Enregistrer la session").click()
    expect(page.get_by_text("Session enregistrée.")).to_be_visible()
    page.get_by_role("group", name="Inès Marchand").get_by_text("Présent", exact=True).click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées (1 membre(s) présent(s)).")).to_be_visible()
    no_violation(page)
    _shot(page, "formation")
    assert _num02(page, live_server, "Nombre de Pnd") == f"1 au {stamp}"

    # Inès sends her monthly return from her phone.
    log_in(PROMENEUR, on=phone)
    phone.get_by_role("link", name="Mon espace Promeneur du Net").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon espace Promeneur du Net")
    no_violation(phone)
    phone.get_by_role("link", name="Envoyer ou corriger un autre mois").click()
    this_month = f"{today:%Y-%m}"
    phone.get_by_label("Mois du bilan").select_option(value=this_month)
    phone.get_by_label("Instagram").fill("12")
    phone.get_by_label("Snapchat").fill("5")
    phone.get_by_label("Jeunes suivis individuellement").fill("2")
    phone.get_by_label("Rencontres physiques").fill("1")
    phone.get_by_label("Scolarité, orientation").fill("6")
    phone.get_by_label("Mission locale").fill("1")
    no_violation(phone)
    _shot(phone, "bilan")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("button", name="Envoyer le bilan").click()
    expect(phone.get_by_text("enregistré. Merci !")).to_be_visible()
    expect(phone.get_by_role("table")).to_contain_text("17")
    no_violation(phone)
    _shot(phone, "espace-membre")

    # Num02 moved: one active Promeneur du Net, 17 contacts this year.
    assert _num02(page, live_server, "Nombre de Pnd") == f"1 au {stamp}"
    assert _num02(page, live_server, "Nombre de contacts") == f"17 au {stamp}"
    assert _num02(page, live_server, "Nombre de rencontres physiques") == f"1 au {stamp}"

    # She chooses what the public directory shows; the public sees exactly that.
    phone.goto(live_server.url + "/reseaux/mon-espace/publication/")
    phone.get_by_text("Mon nom et mon prénom").click()
    phone.get_by_text("Ma structure employeuse").click()
    phone.get_by_label("Réseau").first.select_option(label="Instagram")
    phone.get_by_label("Pseudonyme public").first.fill("@pdn.ines.ruelle")
    phone.get_by_text("Publier dans l'annuaire").first.click()
    no_violation(phone)
    phone.get_by_role("button", name="Enregistrer").click()
    expect(phone.get_by_text("Vos choix de publication sont enregistrés.")).to_be_visible()
    for viewer, name in ((phone, "annuaire"), (page, "annuaire")):
        viewer.goto(live_server.url + "/reseaux/promeneurs-du-net-charente/annuaire/")
        cards = viewer.locator("#annuaire")
        expect(cards).to_contain_text("Inès Marchand")
        expect(cards).to_contain_text("MJC de Ruelle-sur-Touvre")
        expect(cards).to_contain_text("@pdn.ines.ruelle")
        expect(cards).not_to_contain_text(PROMENEUR)  # contact not published
        expect(cards).not_to_contain_text("Ruelle-sur-Touvre, Magnac")  # territory neither
        no_violation(viewer)
        _shot(viewer, name)
