"""From finding help to booking, in a browser: a person near Brossac searches for a visio
appointment, sees under each place what can be booked there and its next free times, keeps
one in one click from a Point Visio's page; the map groups nearby places and has a legend; a
workshop appears among the first free times of the booking page. At 1280 and 390 px."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage import clock
from maillage.appointments.demo import load_demo_appointments
from maillage.places.demo import load_demo_places
from tests.browser.test_appointments import NOW

WIDTHS = {"bureau": (1280, 900), "mobile": (390, 844)}


@pytest.fixture
def appointments_data(transactional_db):
    call_command("import_communes", verbosity=0)
    call_command("load_organisations", verbosity=0)
    with clock.travel(NOW):
        list(load_demo_places())
        list(load_demo_appointments())


@pytest.fixture
def at_now(page):
    # The first request of a live server imports every URL module: slow on a loaded machine.
    page.set_default_navigation_timeout(120_000)
    page.set_default_timeout(60_000)
    with clock.travel(NOW):
        yield


def _check_both_widths(page, screenshot, assert_accessible, step: str) -> None:
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible()
        screenshot(f"{step}-{name}")
    width, height = WIDTHS["bureau"]
    page.set_viewport_size({"width": width, "height": height})


def test_find_a_point_visio_then_book_from_its_page(
    live_server,
    page,
    appointments_data,
    at_now,
    screenshot,
    assert_accessible,
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/lieux/?q=Brossac&besoin=visio")
    results = page.locator(".places-results > li")
    first = results.first
    expect(first).to_contain_text("Point Visio — mairie de Brossac")
    expect(first).to_contain_text("Prendre rendez-vous ici")
    expect(first.locator(".places-offer").first).to_contain_text("Rendez-vous")
    expect(first.locator(".places-offer-times button").first).to_be_visible()
    # Opening hours in plain French, never the OpenStreetMap code.
    expect(page.locator("body")).not_to_contain_text("Mo,Tu")
    # The map is beside the list on a wide screen (no scrolling past the ten results to see
    # it); nearby places are grouped; it has a legend.
    expect(page.locator("#carte-lieux .leaflet-marker-icon").first).to_be_visible()
    assert page.locator("#carte-lieux").bounding_box()["y"] <= first.bounding_box()["y"] + 50
    expect(page.get_by_role("list", name="Légende de la carte")).to_contain_text(
        "numéroté comme dans la liste"
    )
    _check_both_widths(page, screenshot, assert_accessible, "recherche-visio-brossac")
    # At 390 px the map comes before the ten results.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("#carte-lieux").bounding_box()["y"] < first.bounding_box()["y"]
    page.set_viewport_size({"width": 1280, "height": 900})

    first.get_by_role("link", name="1. Point Visio — mairie de Brossac").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Point Visio — mairie de Brossac")
    booking = page.get_by_role("region", name="Prendre rendez-vous")
    expect(booking.get_by_role("heading", level=3).first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("PH off")
    _check_both_widths(page, screenshot, assert_accessible, "point-visio-brossac")

    booking.locator(".places-offer-times button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos coordonnées")
    expect(page.locator("body")).to_contain_text("Point Visio — mairie de Brossac")


def test_places_close_together_are_grouped_on_the_map(
    live_server, page, appointments_data, at_now, screenshot, assert_accessible
):
    page.goto(live_server.url + "/lieux/?q=Barbezieux-Saint-Hilaire&besoin=learn")
    cluster = page.locator("#carte-lieux .places-cluster").first
    expect(cluster).to_be_visible()
    expect(page.get_by_role("list", name="Légende de la carte")).to_contain_text(
        "Plusieurs lieux proches"
    )
    _check_both_widths(page, screenshot, assert_accessible, "carte-barbezieux")


def test_workshops_are_among_the_first_free_times(
    live_server,
    page,
    appointments_data,
    at_now,
    screenshot,
    assert_accessible,
):
    page.goto(live_server.url + "/rendez-vous/?commune=Chalais")
    table = page.get_by_role("table")
    workshop = table.get_by_role("row").filter(has_text="Atelier numérique collectif")
    expect(workshop.first).to_be_visible()
    _check_both_widths(page, screenshot, assert_accessible, "premiers-creneaux-chalais")
    workshop.first.get_by_role("link", name="s'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription à l'atelier")


def test_workshop_place_page_offers_its_sessions(
    live_server,
    page,
    appointments_data,
    at_now,
    screenshot,
    assert_accessible,
):
    from maillage.places.models import Place

    chalais = Place.objects.get(standard_id="demo-ensc-16073")
    page.goto(live_server.url + chalais.get_absolute_url())
    booking = page.get_by_role("region", name="Prendre rendez-vous")
    expect(booking).to_contain_text("Atelier numérique collectif")
    expect(booking).to_contain_text("Prochaines séances")
    expect(booking).to_contain_text("Accompagnement individuel au numérique")
    _check_both_widths(page, screenshot, assert_accessible, "atelier-chalais")
