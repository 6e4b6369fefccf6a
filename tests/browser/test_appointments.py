"""Appointments in a browser: a citizen books a Point Visio appointment with the Caf at the
Chalais town hall and receives the email with the .ics and what to bring; a town-hall
receptionist books for someone in front of her; a person cancels a workshop seat through the
link in her message and the first person on the waitlist gets it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from maillage import clock
from maillage.appointments import services
from maillage.appointments.demo import DEMO_PEOPLE, load_demo_appointments
from maillage.appointments.labels import BookingStatus
from maillage.appointments.models import Booking, Session
from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.places.demo import load_demo_places
from tests.factories import MembershipFactory, UserFactory

CAF_SERVICE = "Rendez-vous Caf en visio : prestations, RSA, prime d'activité"
# Monday 4 March 2030, 10:00 in Charente: the Caf's next windows are Tuesday and Thursday.
NOW = dt.datetime(2030, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def appointments_data(transactional_db):
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    with clock.travel(NOW):
        list(load_demo_places())
        list(load_demo_appointments())
    receptionist = UserFactory(email="accueil.chalais@exemple.fr", first_name="Sylvie")
    MembershipFactory(
        user=receptionist,
        organisation=Organisation.objects.get(slug="departement-charente"),
        role=Role.RECEPTIONIST,
    )
    return receptionist


@pytest.fixture
def at_now():
    with clock.travel(NOW):
        yield


def _tick(page, label: str) -> None:
    page.locator("label.fr-label", has_text=label).click()
    expect(page.get_by_label(label)).to_be_checked()


def test_citizen_books_a_point_visio_with_the_caf(
    live_server, page, appointments_data, at_now, screenshot, assert_accessible
):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Prendre rendez-vous"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous")
    assert_accessible()
    page.get_by_role("link", name=CAF_SERVICE).click()
    expect(page.get_by_text("Numéro d'allocataire").first).to_be_visible()
    page.get_by_label("Votre commune").fill("Chalais")
    page.get_by_role("button", name="Voir les créneaux").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        ["À apporter", "Créneaux disponibles près de Chalais"]
    )
    first_place = page.locator(".appointments-place").first
    expect(first_place.get_by_role("heading", level=3)).to_contain_text("mairie de Chalais")
    assert_accessible()
    screenshot("creneaux-caf-chalais")

    first_place.get_by_role("button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos coordonnées")
    expect(page.get_by_text("Ce créneau vous est réservé jusqu'à 10h05")).to_be_visible()
    page.get_by_label("Nom ou pseudonyme").fill("Jeanne")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_text("Indiquez un téléphone ou un courriel").first).to_be_visible()
    assert_accessible()
    page.get_by_label("Adresse électronique").fill("jeanne@exemple.fr")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    _tick(page, "J'accepte de recevoir des rappels")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
    expect(page.get_by_text("mardi 5 mars 2030")).to_be_visible()
    expect(page.get_by_text("Relevé d'identité bancaire (RIB)")).to_be_visible()
    expect(page.get_by_text("Point Visio — mairie de Chalais")).to_be_visible()
    assert_accessible()
    screenshot("confirmation")

    booking = Booking.objects.exclude(name__in=DEMO_PEOPLE).get(status=BookingStatus.BOOKED)
    assert booking.visio_room and booking.visio_room not in page.content()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jeanne@exemple.fr"]
    assert "Numéro d'allocataire" in message.body and "/rendez-vous/gerer/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "rendez-vous.ics" and mimetype.startswith("text/calendar")
    assert f"UID:booking-{booking.uid}@maillage" in (
        content.decode() if isinstance(content, bytes) else content
    )


def test_receptionist_books_for_someone_in_front_of_her(
    live_server, page, appointments_data, at_now, screenshot, assert_accessible, log_in
):
    log_in("accueil.chalais@exemple.fr")
    page.goto(live_server.url + "/rendez-vous/agenda/")
    page.get_by_role("link", name="Prendre un rendez-vous pour quelqu'un").click()
    page.get_by_label("Motif").select_option(label=f"Caf de la Charente — {CAF_SERVICE}")
    page.get_by_role("button", name="Voir les créneaux").click()
    page.get_by_label("Lieu").select_option(label="Point Visio — mairie de Chalais")
    page.get_by_role("button", name="Voir les créneaux").click()
    expect(page.get_by_label("Créneau")).to_contain_text("Mardi 5 mars à 10h00")
    assert_accessible()
    page.get_by_label("Nom ou pseudonyme").fill("Monsieur Martin")
    page.get_by_role("button", name="Réserver").click()

    expect(page.get_by_text("Votre rendez-vous est confirmé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monsieur Martin")
    expect(
        page.get_by_role("link", name=re.compile("Ouvrir la salle de visioconférence"))
    ).to_be_visible()
    assert_accessible()
    screenshot("rendez-vous-pris-par-l-accueil")
    booking = Booking.objects.get(name="Monsieur Martin")
    assert booking.booked_via == "staff" and booking.place.commune_name == "Chalais"


def test_cancel_through_the_link_gives_the_seat_to_the_waitlist(
    live_server, page, appointments_data, at_now, screenshot, assert_accessible
):
    session = Session.objects.filter(place__standard_id="demo-ensc-16073").order_by("starts_at")[0]
    Session.objects.filter(pk=session.pk).update(capacity=1)
    session.refresh_from_db()
    first, token = services.session_register(
        session=session, name="Alice", email="alice@exemple.fr"
    )
    page.goto(live_server.url + f"/rendez-vous/atelier/{session.pk}/")
    expect(page.get_by_text("L'atelier est complet")).to_be_visible()
    page.get_by_label("Nom ou pseudonyme").fill("Bernard")
    page.get_by_label("Adresse électronique").fill("bernard@exemple.fr")
    page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes en liste d'attente")
    assert_accessible()
    mail.outbox.clear()

    page.goto(live_server.url + f"/rendez-vous/gerer/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon rendez-vous")
    assert_accessible()
    page.get_by_role("link", name="Annuler le rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous ?")
    assert_accessible()
    page.get_by_role("button", name="Oui, annuler le rendez-vous").click()
    expect(page.get_by_text("Le rendez-vous est annulé.")).to_be_visible()
    screenshot("annulation")

    first.refresh_from_db()
    bernard = Booking.objects.get(name="Bernard")
    assert first.status == BookingStatus.CANCELLED
    assert bernard.status == BookingStatus.BOOKED
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(s.startswith("Une place s'est libérée") for s in subjects)
    assert any(s.startswith("Rendez-vous annulé") for s in subjects)
    bernard_mail = next(m for m in mail.outbox if m.to == ["bernard@exemple.fr"])
    assert "Votre téléphone ou votre tablette" in bernard_mail.body
