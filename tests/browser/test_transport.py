"""On-demand transport in a browser: the ATLEB operator plans tomorrow's rides to the Chalais
workshop, sees the tours on the map and as a timeline, prints a driver's sheet; a rider cancels
through her link and the plan is updated."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage import clock
from maillage.appointments.demo import load_demo_appointments
from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.places.demo import load_demo_places
from maillage.transport.demo import load_demo_transport
from maillage.transport.labels import RideStatus
from maillage.transport.models import RideRequest
from maillage.transport.tokens import make_ride_token
from tests.factories import MembershipFactory, UserFactory

# Monday 4 March 2030, 10:00: tomorrow is the Tuesday workshop at Chalais, 14:00–15:30.
NOW = dt.datetime(2030, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
TOMORROW = dt.date(2030, 3, 5)


@pytest.fixture
def transport_data(transactional_db, settings):
    settings.MAILLAGE_TRANSPORT_PLAN_SECONDS = 1
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    with clock.travel(NOW):
        list(load_demo_places())
        list(load_demo_appointments())
        list(load_demo_transport())
    dispatcher = UserFactory(email="regulation@atleb.exemple.fr", first_name="Nadia")
    MembershipFactory(
        user=dispatcher,
        organisation=Organisation.objects.get(slug="atleb"),
        role=Role.TRANSPORT_OPERATOR,
    )
    return dispatcher


@pytest.fixture
def at_now():
    with clock.travel(NOW):
        yield


def test_operator_plans_tomorrow_prints_a_sheet_and_a_rider_cancels(
    live_server, page, transport_data, at_now, screenshot, assert_accessible, axe_check, log_in
):
    assert RideRequest.objects.filter(date=TOMORROW).count() == 8
    log_in("regulation@atleb.exemple.fr")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Transport"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transport à la demande")
    assert_accessible()
    page.get_by_role("link", name="Journée de demain — ATLEB").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tournées du mardi 5 mars 2030")
    expect(page.get_by_text("Pas encore de plan")).to_be_visible()

    page.get_by_role("button", name="Planifier").click()
    expect(page.get_by_role("status").filter(has_text="Terminé")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("100 %", exact=True)).to_be_visible()
    assert_accessible()
    screenshot("planification-terminee")
    page.get_by_role("link", name="Voir les tournées").click()

    map_region = page.get_by_role(
        "region", name="Carte des tournées (le détail est dans les tableaux ci-dessous)"
    )
    expect(map_region).to_be_visible()
    expect(page.locator("#carte-tournees[data-ready='true']")).to_have_count(1)
    tours = page.locator("section.transport-tour")
    expect(tours.first).to_be_visible()
    count = tours.count()
    assert count >= 1
    expect(page.locator("path.transport-tour-line")).to_have_count(count)
    expect(page.get_by_text("trajet(s) sur 14")).to_be_visible()
    expect(page.get_by_text("Trajets non servis")).to_have_count(0)
    first_table = tours.first.get_by_role("table")
    expect(first_table.get_by_role("row").nth(1)).to_contain_text("Départ du dépôt")
    expect(page.get_by_role("cell", name="Mme C. (démo)").first).to_be_visible()
    assert_accessible()
    screenshot("tournees-du-jour")

    sheet_link = tours.first.get_by_role("link", name="Feuille de route (PDF)")
    response = page.request.get(live_server.url + sheet_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    legend = page.locator(".transport-legend")
    expect(legend.get_by_text("Cercle numéroté")).to_be_visible()
    expect(legend.locator("li.transport-tour")).to_have_count(count)
    assert page.locator("#id_jour").input_value() == TOMORROW.isoformat()  # type=date reads it

    page.get_by_role("link", name="Confirmer et prévenir les usagers…").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("8 usagers vont être prévenus")
    assert RideRequest.objects.filter(status=RideStatus.CONFIRMED).count() == 0
    assert_accessible()
    screenshot("confirmer-et-prevenir")
    page.get_by_role("button", name="Confirmer et envoyer 8 messages").click()
    expect(page.get_by_text("Tournées confirmées : 8 usager(s) prévenu(s)")).to_be_visible()

    # A rider cancels through the link of her SMS.
    rider = RideRequest.objects.get(name="Mme A. (démo)")
    assert rider.status == RideStatus.CONFIRMED
    rider_page = page.context.new_page()
    rider_page.goto(live_server.url + f"/transport/mon-trajet/{make_ride_token(rider)}/")
    expect(rider_page.get_by_role("heading", level=1)).to_have_text(
        "Votre transport du mardi 5 mars 2030"
    )
    expect(rider_page.get_by_role("table", name="Heures prévues")).to_be_visible()
    axe_check(rider_page)
    rider_page.get_by_role("button", name="Annuler mon transport").click()
    expect(rider_page.get_by_text("Votre transport est annulé. Merci")).to_be_visible()
    axe_check(rider_page)
    rider_page.close()

    page.reload()
    expect(page.get_by_text("(re-planification)")).to_be_visible()
    expect(page.get_by_text("trajet(s) sur 12")).to_be_visible()
    tours_text = " ".join(page.locator("section.transport-tour").all_inner_texts())
    assert "Mme A. (démo)" not in tours_text and "Mme C. (démo)" in tours_text
    rider.refresh_from_db()
    assert rider.status == RideStatus.CANCELLED
    screenshot("plan-mis-a-jour")


def test_mediator_asks_for_a_ride_and_plans_her_home_visits(
    live_server, page, transport_data, at_now, assert_accessible, log_in
):
    mediator = UserFactory(email="mediatrice@ensc.exemple.fr")
    MembershipFactory(
        user=mediator,
        organisation=Organisation.objects.get(slug="espace-numerique-sud-charente"),
        role=Role.MEDIATOR,
    )
    log_in("mediatrice@ensc.exemple.fr")
    page.goto(live_server.url + "/transport/")
    page.get_by_role("link", name="Demander un transport").click()
    assert_accessible()
    page.get_by_label("Nom ou pseudonyme de la personne").fill("Mme Z.")
    page.get_by_label("Téléphone").fill("06 12 12 12 12")
    page.get_by_label("Adresse (numéro et rue)").fill("4 chemin des Vignes")
    page.get_by_label("Commune ou code postal").fill("Courlac")
    page.get_by_label("Lieu de destination").select_option(
        label="Espace Numérique Sud Charente — Chalais"
    )
    page.get_by_label("Jour").fill(TOMORROW.isoformat())
    page.get_by_label("Arrivée au plus tard (aller)").fill("14:00")
    page.get_by_label("Départ au plus tôt (retour)").fill("15:30")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Votre demande de transport est enregistrée")).to_be_visible()
    expect(page.get_by_text("4 chemin des Vignes")).to_have_count(0)  # operator only
    assert_accessible()

    page.goto(live_server.url + "/transport/visites-a-domicile/")
    page.get_by_label("Jour").fill(TOMORROW.isoformat())
    page.get_by_label("Point de départ (adresse et commune)").fill("16210 Chalais")
    page.get_by_label("Visites, une par ligne").fill(
        "Brossac ; 60 ; 14:00-16:00\nCourlac ; 45 ; 9:00-10:30"
    )
    page.get_by_role("button", name="Calculer la tournée").click()
    expect(page.get_by_role("heading", name="Tournée du mardi 5 mars 2030")).to_be_visible()
    assert "Brossac" not in page.url and "Chalais" not in page.url  # sent by POST
    assert_accessible()
