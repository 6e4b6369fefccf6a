"""Messages to riders: one per `MessageKind`, logged in the ride's history by its label."""

import datetime as dt

import pytest
from django.core import mail
from django.db.models import F

from maillage.appointments import sms
from maillage.transport import notify, planning, services
from maillage.transport.current_plan import current_run
from maillage.transport.labels import Leg, MessageKind, RideStatus, StopKind
from maillage.transport.models import RideRequestEvent, TourStop

from .fleet import DAY, chalais_place, make_operator, ride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fleet_day")]


@pytest.fixture
def planned_ride(charente):
    operator, _vehicles = make_operator(vehicles=1)
    asked = ride(operator, chalais_place(), "Brossac", email="rider@example.org")
    planning.plan_day(operator=operator, date=DAY)
    asked.refresh_from_db()
    assert asked.status == RideStatus.PLANNED
    return asked


def notes(ride_request) -> list[tuple[str, str]]:
    events = RideRequestEvent.objects.filter(request=ride_request, action__startswith="message_")
    return list(events.order_by("pk").values_list("action", "note"))


@pytest.mark.parametrize(
    ("kind", "intro", "note"),
    [
        (MessageKind.CONFIRMATION, "Votre transport est confirmé.", "confirmation envoyée"),
        (MessageKind.CHANGE, "L'heure de votre transport a changé.", "changement d'heure envoyée"),
        (MessageKind.CANCELLATION, "Votre transport est annulé.", "annulation envoyée"),
    ],
)
def test_each_kind_goes_by_sms_and_email_and_is_logged_by_its_label(
    planned_ride, django_capture_on_commit_callbacks, kind, intro, note
):
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_on_commit(planned_ride.pk, kind)
    assert [message.text.startswith(intro) for message in sms.outbox] == [True]
    assert len(mail.outbox) == 1 and intro in mail.outbox[0].body
    assert ("passage le" in sms.outbox[0].text) is (kind != MessageKind.CANCELLATION)
    assert notes(planned_ride) == [("message_sms", note), ("message_email", note)]


def test_a_confirmed_rider_whose_pickup_moves_on_a_replan_is_told_the_new_time(
    planned_ride, django_capture_on_commit_callbacks
):
    run = current_run(planned_ride.operator, DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_confirm(run=run) == 1
    # The rider was told a return pickup half an hour later than her window allows now.
    TourStop.objects.filter(
        tour__run=run, request=planned_ride, kind=StopKind.PICKUP, leg=Leg.RETURN
    ).update(service_at=F("service_at") + dt.timedelta(minutes=30))
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        planning.replan_day(operator=planned_ride.operator, date=DAY)
    assert [message.text.split(" ")[:4] for message in sms.outbox] == [
        ["L'heure", "de", "votre", "transport"]
    ]
    assert notes(planned_ride)[-2:] == [
        ("message_sms", "changement d'heure envoyée"),
        ("message_email", "changement d'heure envoyée"),
    ]
