"""What can be booked at a place: the place page, each search result and the booking home's
first free times (workshops included) offer it, with the next free times."""

import pytest
from django.urls import reverse

from maillage.appointments.demo import load_demo_appointments
from maillage.appointments.models import Service
from maillage.appointments.offers import first_free_times, offers_by_place
from maillage.organisations.referential import load_referential_organisations
from maillage.places.booking_offers import offers_at
from maillage.places.demo import load_demo_places
from maillage.places.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(charente):
    load_referential_organisations()
    list(load_demo_places())
    list(load_demo_appointments())


def test_a_point_visio_offers_its_operators_with_next_free_times(demo):
    brossac = Place.objects.get(standard_id="demo-visio-16066")
    offers = offers_at([brossac.pk])[brossac.pk]
    assert {o.organisation for o in offers} >= {"Caisse d'allocations familiales de la Charente"}
    for offer in offers:
        assert not offer.is_workshop
        assert 1 <= len(offer.times) <= 3
        assert all(t.key.startswith(f"{brossac.pk}:") and t.hold_url for t in offer.times)
        assert offer.url.endswith(f"?lieu={brossac.pk}")


def test_a_workshop_place_offers_its_sessions_and_individual_help(demo):
    chalais = Place.objects.get(standard_id="demo-ensc-16073")
    offers = offers_by_place([chalais.pk])[chalais.pk]
    workshop = next(o for o in offers if o.is_workshop)
    assert workshop.times and all(t.register_url and t.seats_left == 8 for t in workshop.times)
    assert any(not o.is_workshop and o.times for o in offers)


def test_workshops_are_among_the_first_free_times(demo, charente):
    from maillage.territory.models import Commune

    chalais = Commune.objects.get(name="Chalais")
    rows = first_free_times(
        Service.objects.public(), origin=(chalais.latitude, chalais.longitude), days=14
    )
    workshop_rows = [r for r in rows if r["session"] is not None]
    assert workshop_rows
    assert all(r["session"].place == r["place"] for r in workshop_rows)
    minutes = [r["minutes"] for r in rows if r["minutes"] is not None]
    assert minutes == sorted(minutes)


def test_pages_offer_booking(client, demo):
    brossac = Place.objects.get(standard_id="demo-visio-16066")
    caf = Service.objects.get(name__startswith="Rendez-vous Caf")
    page = client.get(reverse("places:find_help"), {"q": "Brossac", "besoin": "visio"})
    html = page.content.decode()
    assert "Prendre rendez-vous ici" in html
    assert reverse("appointments:hold", args=[caf.pk]) in html
    page = client.get(brossac.get_absolute_url()).content.decode()
    assert 'id="prendre-rendez-vous"' in page
    assert "Mo,Tu" not in page and "PH off" not in page
    home = client.get(reverse("appointments:home"), {"commune": "Chalais"})
    assert any(row["session"] is not None for row in home.context["nearest"])
    assert "/rendez-vous/atelier/" in home.content.decode()
