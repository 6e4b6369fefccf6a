"""A cancelled ride: the rider is told once (by her link, by the staff, or with the booking it
serves), never for a ride already over nor once her data are erased; until the re-plan replaces
the tours, the day's page, the driver's sheet and the API say not to go."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from maillage import clock
from maillage.appointments import services as appointments
from maillage.appointments import sms
from maillage.appointments.labels import BookingStatus
from maillage.appointments.locking import BookingError
from maillage.organisations.labels import Role
from maillage.territory.models import Commune
from maillage.transport import planning, services
from maillage.transport.current_plan import current_run
from maillage.transport.labels import RideStatus, RunStatus
from maillage.transport.models import PlanningRun, RideRequest, RideRequestEvent, TourStop
from maillage.transport.tokens import make_ride_token
from tests.appointments.factories import BookingFactory, ServiceFactory

from .fleet import DAY, at, chalais_place, make_operator, ride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fleet_day")]

INTRO = "Votre transport est annulé."


@pytest.fixture
def setup(charente, member):
    operator, _vehicles = make_operator(vehicles=1)
    place = chalais_place()
    rider = ride(operator, place, "Brossac", email="rider@example.org")
    other = ride(operator, place, "Courlac", phone="06 55 44 33 22")
    planning.plan_day(operator=operator, date=DAY)
    dispatcher = member(Role.TRANSPORT_OPERATOR, organisation=operator)
    return operator, place, rider, other, dispatcher


def told(ride_request) -> list[tuple[str, str]]:
    """The cancellation messages sent to this ride's rider (channel, address), each logged in
    the ride's history."""
    sent = [
        ("sms", message.to)
        for message in sms.outbox
        if message.text.startswith(INTRO) and message.to == ride_request.phone
    ]
    sent += [
        ("email", ride_request.email)
        for message in mail.outbox
        if INTRO in message.body and message.to == [ride_request.email]
    ]
    logged = RideRequestEvent.objects.filter(
        request=ride_request, action__startswith="message_", note__startswith="annulation"
    )
    assert logged.count() == len(sent)
    return sent


def test_the_staff_cancels_and_only_that_rider_is_told_once(
    setup, login, django_capture_on_commit_callbacks
):
    _operator, _place, rider, other, dispatcher = setup
    with django_capture_on_commit_callbacks(execute=True):
        login(dispatcher).post(reverse("transport:request_cancel", args=[rider.pk]))
    rider.refresh_from_db()
    assert rider.status == RideStatus.CANCELLED
    assert sorted(told(rider)) == [("email", "rider@example.org"), ("sms", "06 11 22 33 44")]
    text = sms.outbox[0].text
    assert text == (
        "Votre transport est annulé. Trajet du mardi 5 mars vers Espace numérique de Chalais "
        "(aller et retour) : personne ne passera vous chercher."
    )
    assert "/transport/mon-trajet/" not in text and "passage le" not in text
    assert mail.outbox[0].subject == "Transport à la demande : votre transport est annulé"
    assert mail.outbox[0].body.startswith("Bonjour Personne de Brossac,")
    assert not told(other)
    # Asking again changes nothing and tells nobody twice.
    sms.outbox.clear()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.ride_request_cancel(ride=rider)
    assert not sms.outbox and not mail.outbox


def test_the_rider_cancelling_by_her_link_is_told_too(
    setup, client, django_capture_on_commit_callbacks
):
    _operator, _place, rider, _other, _dispatcher = setup
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transport:rider_ride", args=[make_ride_token(rider)]))
    assert len(told(rider)) == 2


@pytest.mark.parametrize("status", [RideStatus.DONE, RideStatus.NO_SHOW, RideStatus.CANCELLED])
def test_a_ride_already_over_is_not_cancelled_nor_told(
    setup, django_capture_on_commit_callbacks, status
):
    _operator, _place, rider, _other, _dispatcher = setup
    RideRequest.objects.filter(pk=rider.pk).update(status=status)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.ride_request_cancel(ride=rider)
    rider.refresh_from_db()
    assert rider.status == status and not told(rider)


def test_an_anonymised_rider_is_not_told(setup, django_capture_on_commit_callbacks):
    _operator, _place, rider, _other, _dispatcher = setup
    with clock.travel(at(10, day=DAY.replace(year=DAY.year + 3))):
        assert services.ride_requests_anonymise() == 2
    rider.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.ride_request_cancel(ride=rider)
    rider.refresh_from_db()
    assert rider.status == RideStatus.CANCELLED and not sms.outbox and not mail.outbox


def test_a_cancelled_booking_cancels_its_live_rides_and_tells_the_riders(
    setup, member, django_capture_on_commit_callbacks
):
    operator, place, _rider, _other, _dispatcher = setup
    service = ServiceFactory(organisation=operator, workshop=True, name="Atelier numérique")
    booking = BookingFactory(
        service=service, place=place, starts_at=at(14), name="M. Martin", phone="06 99 88 77 66"
    )
    common = {"operator": operator, "booking": booking, "name": "M. Martin", "via_link": True}
    outbound = services.ride_request_create(
        **common,
        address="",
        commune=Commune.objects.get(name="Courlac"),
        phone="06 99 88 77 66",
        return_trip=False,
    )
    back = services.ride_request_create(
        **common,
        address="",
        commune=Commune.objects.get(name="Courlac"),
        phone="06 99 88 77 00",
        outbound=False,
    )
    RideRequest.objects.filter(pk=back.pk).update(status=RideStatus.DONE)  # not live any more
    staff = member(Role.MEDIATOR, organisation=operator)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        appointments.booking_cancel(booking=booking, by=staff, reason="atelier reporté")
    booking.refresh_from_db()
    outbound.refresh_from_db()
    back.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert (outbound.status, back.status) == (RideStatus.CANCELLED, RideStatus.DONE)
    event = outbound.events.get(action="cancelled")
    assert (event.user, event.note) == (staff, "rendez-vous ou atelier annulé")
    assert told(outbound) == [("sms", "06 99 88 77 66")] and not told(back)
    assert [m.text for m in sms.outbox if m.text.startswith(INTRO)] == [
        "Votre transport est annulé. Trajet du mardi 5 mars vers Espace numérique de Chalais "
        "(aller) : personne ne passera vous chercher."
    ]


def test_a_booking_the_staff_may_not_cancel_keeps_its_rides(
    setup, member, django_capture_on_commit_callbacks
):
    operator, place, _rider, _other, _dispatcher = setup
    service = ServiceFactory(organisation=operator, workshop=True)
    booking = BookingFactory(service=service, place=place, starts_at=at(14), phone="06 99")
    live = services.ride_request_create(
        operator=operator,
        booking=booking,
        name="X",
        address="",
        commune=Commune.objects.get(name="Courlac"),
        via_link=True,
    )
    with pytest.raises(BookingError):
        appointments.booking_cancel(booking=booking, by=member(Role.VIEWER))
    live.refresh_from_db()
    assert live.status == RideStatus.REQUESTED


def test_until_the_replan_the_day_the_sheet_and_the_api_say_not_to_go(setup, login):
    """The re-plan runs as a task after the commit: until it has run (or if it fails), the
    tours still hold the cancelled rider's stops."""
    operator, _place, rider, other, dispatcher = setup
    run = current_run(operator, DAY)
    services.ride_request_cancel(ride=rider)  # the re-plan task is not run here
    assert current_run(operator, DAY) == run
    tour = run.tours.get()
    assert TourStop.objects.filter(tour=tour, request=rider).count() == 4
    client = login(dispatcher)
    page = client.get(reverse("transport:day", args=[operator.slug, DAY.isoformat()]))
    assert page.content.decode().count("annulé : ne pas passer") == 4
    sheet_url = reverse("transport:driver_sheet", args=[tour.pk]) + "?format=html"
    sheet = client.get(sheet_url).content.decode()
    assert sheet.count("ANNULÉ : NE PAS PASSER") == 4 and "Feuille périmée" not in sheet
    data = client.get(f"/api/transport/operators/{operator.slug}/days/{DAY.isoformat()}").json()
    flagged = {
        (stop["request"], stop["cancelled"])
        for stop in data["tours"][0]["stops"]
        if stop["request"]
    }
    assert flagged == {(rider.pk, True), (other.pk, False)}
    # Once the re-plan has run, the old sheet says so; the new tour is without her.
    planning.plan_day_task.call(PlanningRun.objects.get(status=RunStatus.PENDING).pk)
    assert "Feuille périmée" in client.get(sheet_url).content.decode()
    new_tour = current_run(operator, DAY).tours.get()
    assert not new_tour.stops.filter(request=rider).exists()
