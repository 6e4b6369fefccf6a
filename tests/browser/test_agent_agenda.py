"""An agent runs their own agenda in a browser, as in RDV Service Public: the Caf adviser
adds a weekly window and a day of leave, is told that an appointment falls in it, cancels it
after a page saying what will happen (the person gets the cancellation email), and reads their
week calendar. At 1280 and 390 px, axe clean."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from maillage import clock
from maillage.appointments import services
from maillage.appointments.demo import load_demo_appointments
from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Agent, Service, WeeklyRule
from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.places.demo import load_demo_places
from maillage.places.models import Place
from tests.browser.test_appointments import NOW
from tests.factories import MembershipFactory, UserFactory

SIZES = [("bureau", 1280, 900), ("mobile", 390, 844)]


@pytest.fixture
def caf_agent(transactional_db):
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    with clock.travel(NOW):
        list(load_demo_places())
        list(load_demo_appointments())
    person = UserFactory(email="conseillere.caf@exemple.fr", first_name="Nadia")
    MembershipFactory(
        user=person,
        organisation=Organisation.objects.get(slug="caf-charente"),
        role=Role.PARTNER_AGENT,
    )
    agent = Agent.objects.get(name__startswith="Conseillère Caf")
    agent.user = person
    agent.save()
    return agent


@pytest.fixture
def at_now(page):
    page.set_default_navigation_timeout(120_000)
    page.set_default_timeout(60_000)
    with clock.travel(NOW):
        yield


def _both_sizes(page, screenshot, assert_accessible, step: str) -> None:
    for name, width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible()
        screenshot(f"{step}-{name}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_agent_sets_leave_and_cancels_the_appointment_it_hits(
    live_server, page, caf_agent, at_now, screenshot, assert_accessible, log_in
):
    service = Service.objects.get(name__startswith="Rendez-vous Caf")
    chalais = Place.objects.get(standard_id="demo-visio-16073")
    tuesday = NOW.date() + dt.timedelta(days=1)
    booking, _ = services.booking_create(
        service=service,
        starts_at=dt.datetime.combine(tuesday, dt.time(10), tzinfo=NOW.tzinfo),
        place=chalais,
        name="Jeanne",
        email="jeanne@exemple.fr",
    )
    mail.outbox.clear()

    log_in("conseillere.caf@exemple.fr")
    page.goto(live_server.url + "/rendez-vous/agenda/")
    page.get_by_role("link", name="Disponibilités et absences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Disponibilités de Conseillère Caf (démo)"
    )
    _both_sizes(page, screenshot, assert_accessible, "disponibilites")

    page.get_by_label("Jour", exact=True).select_option(label="vendredi")
    page.get_by_label("De", exact=True).fill("14:00")
    page.get_by_label("À", exact=True).fill("16:00")
    page.get_by_role("button", name="Ajouter la plage").click()
    expect(page.get_by_text("Plage d'ouverture ajoutée")).to_be_visible()
    assert WeeklyRule.objects.filter(agent=caf_agent, weekday=4).exists()

    page.get_by_label("Du", exact=True).fill(tuesday.isoformat())
    page.get_by_label("Au (inclus)").fill(tuesday.isoformat())
    page.get_by_label("Motif").fill("Congés")
    page.get_by_role("button", name="Enregistrer l'absence").click()
    expect(page.get_by_text("1 rendez-vous déjà pris")).to_be_visible()
    conflicts = page.get_by_role("heading", name="Rendez-vous pendant une absence")
    expect(conflicts).to_be_visible()
    _both_sizes(page, screenshot, assert_accessible, "absence-et-conflit")

    page.get_by_role("link", name="Jeanne").click()
    page.get_by_role("link", name="Annuler le rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous ?")
    expect(
        page.get_by_text("La personne recevra la confirmation de l'annulation par courriel.")
    ).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # showing the page changes nothing
    _both_sizes(page, screenshot, assert_accessible, "confirmer-annulation")
    page.get_by_label("Motif de l'annulation").fill("Congés de la conseillère")
    page.get_by_role("button", name="Oui, annuler le rendez-vous").click()
    expect(page.get_by_text("Le rendez-vous est annulé.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert any(m.subject.startswith("Rendez-vous annulé") for m in mail.outbox)

    page.goto(live_server.url + "/rendez-vous/agenda/")
    page.get_by_role("link", name="Ma semaine").click()
    week = page.get_by_role("list", name="Calendrier de la semaine")
    expect(week).to_contain_text("Rendez-vous Caf en visio")
    _both_sizes(page, screenshot, assert_accessible, "semaine")
