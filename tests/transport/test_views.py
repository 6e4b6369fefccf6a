"""The transport pages: who may ask, who sees addresses, the operator's day, the planning
progress, the driver sheet, the booking link and the rider's cancel link."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from maillage import clock
from maillage.appointments import sms
from maillage.organisations.labels import Role
from maillage.transport import current_plan, planning
from maillage.transport.labels import RideStatus, RunStatus
from maillage.transport.models import PlanningRun, RideRequest
from maillage.transport.tokens import make_ride_token
from tests.appointments.factories import BookingFactory, ServiceFactory

from .fleet import DAY, NOW, chalais_place, make_operator, ride

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with clock.travel(NOW), override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.5):
        yield


@pytest.fixture
def setup(charente, member):
    operator, _vehicles = make_operator()
    place = chalais_place()
    rides = [ride(operator, place, c) for c in ["Brossac", "Courlac", "Bardenac"]]
    dispatcher = member(Role.TRANSPORT_OPERATOR, organisation=operator)
    return operator, place, rides, dispatcher


def test_a_mediator_asks_for_a_ride_and_does_not_see_the_address_afterwards(setup, member, login):
    operator, place, _rides, dispatcher = setup
    mediator = member(Role.MEDIATOR)
    client = login(mediator)
    page = client.get(reverse("transport:request_create"))
    assert page.status_code == 200
    response = client.post(
        reverse("transport:request_create"),
        {
            "operator": operator.pk,
            "name": "Mme Lefèvre",
            "phone": "06 12 34 56 78",
            "address": "12 rue des Lilas",
            "commune": "Brossac",
            "place": place.pk,
            "date": DAY.isoformat(),
            "arrive_by": "14:00",
            "leave_after": "15:30",
            "outbound": "on",
            "return_trip": "on",
            "wheelchair": "on",
        },
    )
    created = RideRequest.objects.get(name="Mme Lefèvre")
    assert response.status_code == 302 and created.created_by == mediator
    assert created.wheelchair and created.approximate and created.commune.name == "Brossac"
    detail = client.get(reverse("transport:request_detail", args=[created.pk])).content.decode()
    assert "Mme Lefèvre" in detail and "12 rue des Lilas" not in detail
    assert "06 12 34 56 78" not in detail
    operator_view = login(dispatcher).get(reverse("transport:request_detail", args=[created.pk]))
    assert "12 rue des Lilas" in operator_view.content.decode()


def test_the_form_needs_a_time_for_each_leg(setup, member, login):
    operator, place, _rides, _dispatcher = setup
    client = login(member(Role.RECEPTIONIST))
    response = client.post(
        reverse("transport:request_create"),
        {
            "operator": operator.pk,
            "name": "X",
            "commune": "Brossac",
            "place": place.pk,
            "date": DAY.isoformat(),
            "outbound": "on",
        },
    )
    assert response.status_code == 200
    assert "Indiquez l&#x27;heure d&#x27;arrivée" in response.content.decode()


def test_viewers_may_not_ask_nor_see_the_day(setup, member, login):
    operator, *_ = setup
    client = login(member(Role.VIEWER))
    assert client.get(reverse("transport:request_create")).status_code == 403
    day_url = reverse("transport:day", args=[operator.slug, DAY.isoformat()])
    assert client.get(day_url).status_code == 404  # another organisation's carrier
    assert login(member(Role.VIEWER, organisation=operator)).get(day_url).status_code == 403


def test_the_operator_plans_the_day_and_confirms_it(
    setup, login, django_capture_on_commit_callbacks
):
    operator, _place, _rides, dispatcher = setup
    client = login(dispatcher)
    day_url = reverse("transport:day", args=[operator.slug, DAY.isoformat()])
    assert "Pas encore de plan" in client.get(day_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transport:plan", args=[operator.slug, DAY.isoformat()]))
    run = PlanningRun.objects.get()
    assert response.url == reverse("transport:run", args=[run.pk])
    assert run.status == RunStatus.DONE
    progress = client.get(response.url).content.decode()
    assert "100 %" in progress and 'http-equiv="refresh"' not in progress
    page = client.get(day_url).content.decode()
    assert "Minibus" in page and "Feuille de route (PDF)" in page
    assert "carte-tournees-donnees" in page and "Personne de Brossac" in page
    sms.outbox.clear()
    asking = client.get(reverse("transport:confirm", args=[run.pk])).content.decode()
    assert "3 usagers vont être prévenus maintenant" in asking and "SMS au" in asking
    assert not sms.outbox and not RideRequest.objects.filter(status=RideStatus.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transport:confirm", args=[run.pk]))
    assert all(r.status == RideStatus.CONFIRMED for r in RideRequest.objects.all())
    assert len(sms.outbox) == 3
    text = sms.outbox[0].text
    assert "Votre transport est confirmé" in text and "passage le mardi 5 mars à" in text
    assert "/transport/mon-trajet/" in text


def test_a_pending_run_refreshes_itself(setup, login):
    operator, _place, _rides, dispatcher = setup
    run = PlanningRun.objects.create(operator=operator, date=DAY, progress=30, step="Recherche")
    page = login(dispatcher).get(reverse("transport:run", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "30 %" in page and "Recherche" in page


def test_driver_sheet_is_a_pdf_with_names_and_phones(setup, login):
    operator, _place, _rides, dispatcher = setup
    run = planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    tour = run.tours.first()
    client = login(dispatcher)
    response = client.get(reverse("transport:driver_sheet", args=[tour.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = client.get(
        reverse("transport:driver_sheet", args=[tour.pk]) + "?format=html"
    ).content.decode()
    assert "06 11 22 33 44" in html and "Chauffeur" in html


def test_the_rider_cancels_through_her_link_and_the_day_is_replanned(
    setup, client, django_capture_on_commit_callbacks
):
    operator, _place, rides, _dispatcher = setup
    planning.plan_day(operator=operator, date=DAY, seconds=0.5)
    url = reverse("transport:rider_ride", args=[make_ride_token(rides[0])])
    page = client.get(url).content.decode()
    assert "Annuler mon transport" in page and "Heures prévues" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    rides[0].refresh_from_db()
    assert rides[0].status == RideStatus.CANCELLED
    run = current_plan.current_run(operator, DAY)
    assert run.kind == "replan" and not run.tours.filter(stops__request=rides[0]).exists()
    assert "Ce transport est annulé" in client.get(url).content.decode()
    assert client.get(reverse("transport:rider_ride", args=["faux"])).status_code == 404


def test_the_rider_cannot_cancel_online_after_the_pickup(setup, client):
    _operator, _place, rides, _dispatcher = setup
    url = reverse("transport:rider_ride", args=[make_ride_token(rides[0])])
    with clock.travel(dt.datetime.combine(DAY, dt.time(16), tzinfo=NOW.tzinfo)):
        assert "Annuler mon transport" not in client.get(url).content.decode()
        client.post(url)
    rides[0].refresh_from_db()
    assert rides[0].status == RideStatus.REQUESTED


def test_a_person_asks_from_her_booking_link(setup, client):
    from maillage.appointments.tokens import make_link_token

    operator, place, _rides, _dispatcher = setup
    booking = BookingFactory(
        service=ServiceFactory(organisation=operator, workshop=True, name="Atelier numérique"),
        place=place,
        starts_at=dt.datetime.combine(DAY, dt.time(14), tzinfo=NOW.tzinfo),
        name="M. Martin",
        phone="06 99 88 77 66",
    )
    url = reverse("transport:booking_ride", args=[make_link_token(booking)])
    assert "Demander le transport" in client.get(url).content.decode()
    response = client.post(
        url, {"address": "", "commune": "Courlac", "outbound": "on", "return_trip": "on"}
    )
    created = RideRequest.objects.get(booking=booking)
    assert response.status_code == 302 and "/transport/mon-trajet/" in response.url
    assert created.arrive_by == booking.starts_at and created.leave_after == booking.ends_at
    assert created.phone == "06 99 88 77 66" and created.operator == operator


def test_requests_list_filters_and_exports(setup, login):
    _operator, _place, _rides, dispatcher = setup
    client = login(dispatcher)
    page = client.get(reverse("transport:home"), {"jour": DAY.isoformat()}).content.decode()
    assert "Personne de Brossac" in page
    csv = client.get(reverse("transport:home"), {"format": "csv"}).content.decode()
    assert csv.count("\n") == 4 and "Brossac" in csv


def test_anonymisation_erases_personal_data(setup):
    from maillage.transport.services import ride_requests_anonymise

    operator, _place, rides, _dispatcher = setup
    planning.plan_day(operator=operator, date=DAY, seconds=0.3)
    assert ride_requests_anonymise(now=NOW + dt.timedelta(days=400)) == 3
    erased = RideRequest.objects.get(pk=rides[0].pk)
    assert erased.name == "(effacé)" and erased.phone == "" and erased.approximate
    assert mail.outbox == []


def test_booking_ride_url_for_the_confirmation_page(setup):
    from maillage.transport.services import booking_ride_url

    operator, place, _rides, _dispatcher = setup
    booking = BookingFactory(
        service=ServiceFactory(organisation=operator, workshop=True, name="Atelier"),
        place=place,
        starts_at=dt.datetime.combine(DAY, dt.time(14), tzinfo=NOW.tzinfo),
        name="M. Martin",
    )
    assert booking_ride_url(booking, "jeton").endswith("/transport/rendez-vous/jeton/")
    booking.place = None
    assert booking_ride_url(booking, "jeton") == ""


def test_whether_rides_are_offered_is_cached_and_forgotten_when_a_vehicle_changes(
    setup, django_assert_num_queries
):
    from django.core.cache import cache

    from maillage.transport.models import Vehicle
    from maillage.transport.services import any_operator

    cache.clear()
    assert any_operator() is True
    with django_assert_num_queries(0):
        assert any_operator() is True
    for vehicle in Vehicle.objects.all():
        vehicle.is_active = False
        vehicle.save()
    assert any_operator() is False
    vehicle.is_active = True
    vehicle.save()
    assert any_operator() is True
    Vehicle.objects.all().delete()
    assert any_operator() is False


def test_a_mediator_plans_her_home_visits(charente, member, login):
    client = login(member(Role.MEDIATOR))
    response = client.post(
        reverse("transport:home_visits"),
        {
            "date": DAY.isoformat(),
            "base": "16210 Chalais",
            "start": "09:00",
            "end": "17:30",
            "visits": "12 rue des Lilas 16480 Brossac ; 60 ; 14:00-16:00\n"
            "Courlac ; 45 ; 9:00-10:30\n"
            "Bardenac ; 30 ; 6:00-7:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Tournée du mardi 5 mars 2030" in page
    table = page[page.index("Ordre des visites") :]
    assert table.index("Courlac") < table.index("12 rue des Lilas")
    assert "Visites impossibles" in page and "Bardenac : aucune de ses disponibilités" in page
    bad = client.post(
        reverse("transport:home_visits"),
        {
            "date": DAY.isoformat(),
            "base": "Chalais",
            "start": "09:00",
            "end": "17:00",
            "visits": "Brossac sans durée",
        },
    )
    assert "Ligne 1" in bad.content.decode()
    # Addresses are sent by POST: a GET with them in the URL plans nothing.
    leaked = client.get(reverse("transport:home_visits"), {"base": "16210 Chalais"})
    assert "Ordre des visites" not in leaked.content.decode()
    assert login(member(Role.VIEWER)).get(reverse("transport:home_visits")).status_code == 403


def test_the_booking_confirmation_offers_a_ride(setup, client):
    """Appointments never imports transport: transport registers its offer at start-up."""
    from maillage.appointments import notifications
    from maillage.appointments.tokens import make_link_token

    operator, place, _rides, _dispatcher = setup
    booking = BookingFactory(
        service=ServiceFactory(organisation=operator, workshop=True, name="Atelier"),
        place=place,
        starts_at=dt.datetime.combine(DAY, dt.time(14), tzinfo=NOW.tzinfo),
        name="M. Martin",
    )
    token = make_link_token(booking)
    page = client.get(reverse("appointments:confirmation", args=[token])).content.decode()
    ride_path = reverse("transport:booking_ride", args=[token])
    assert "Demander un transport à la demande" in page
    assert ride_path in page
    assert ride_path in notifications.how_to_come(booking, token)
    assert ride_path not in notifications.how_to_come(booking)  # no token, no link


def _queries(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_requests_list_and_its_export_do_not_query_per_ride(setup, login):
    """Pinned query counts: 3 rides or 12, the list and the CSV cost the same queries."""
    operator, place, _rides, dispatcher = setup
    client = login(dispatcher)
    url = reverse("transport:home")
    small = [_queries(client, url), _queries(client, url, {"format": "csv"})]
    for _ in range(3):
        for commune in ["Brossac", "Courlac", "Bardenac"]:
            ride(operator, place, commune)
    assert [_queries(client, url), _queries(client, url, {"format": "csv"})] == small


def test_ride_actions_are_separate_views_and_colleagues_see_the_rides(setup, member, login):
    """Cancel, done and no-show each have their own POST view; a mediator sees the rides a
    colleague of her organisation asked for (not their address), and may cancel them, but
    only the carrier marks a ride done."""
    from maillage.organisations.models import Organisation
    from tests.factories import MembershipFactory, UserFactory

    _operator, _place, rides, dispatcher = setup
    asking = Organisation.objects.create(name="Espace numérique de Chalais", slug="en-chalais")
    colleague, mediator = UserFactory(), UserFactory()
    for person in (colleague, mediator):
        MembershipFactory(user=person, organisation=asking, role=Role.MEDIATOR)
    asked = rides[0]
    asked.created_by = colleague
    asked.status = RideStatus.CONFIRMED
    asked.address = "12 rue des Lilas"
    asked.save()
    client = login(mediator)
    listing = client.get(reverse("transport:home")).content.decode()
    assert asked.name in listing and rides[1].name not in listing
    detail = client.get(reverse("transport:request_detail", args=[asked.pk]))
    assert detail.status_code == 200 and asked.address not in detail.content.decode()
    assert client.post(reverse("transport:request_detail", args=[asked.pk])).status_code == 405
    done_url = reverse("transport:request_done", args=[asked.pk])
    assert client.post(done_url).status_code == 403
    assert login(dispatcher).post(done_url).status_code == 302
    asked.refresh_from_db()
    assert asked.status == RideStatus.DONE
    other = rides[1]
    client = login(mediator)
    assert client.post(reverse("transport:request_cancel", args=[other.pk])).status_code == 404
    other.created_by = colleague
    other.save()
    client.post(reverse("transport:request_cancel", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == RideStatus.CANCELLED
