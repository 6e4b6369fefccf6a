"""Messages: SMS through the Brevo protocol (tested against a local server), retries with
back-off, reminders at the service's offsets, admin-edited templates, nothing after the start;
calendar files; videoconference links; retention; indicators."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from icalendar import Calendar

from maillage import clock
from maillage.appointments import ics, indicators, notifications, retention, services, sms, visio
from maillage.appointments.labels import (
    Attendance,
    BookingStatus,
    Channel,
    MessageKind,
    MessageStatus,
)
from maillage.appointments.models import Booking, MessageLog, MessageTemplate
from maillage.appointments.tasks import tick

from .conftest import MONDAY, paris
from .factories import SessionFactory

PERSON = {"name": "Jeanne", "phone": "06 12 34 56 78", "email": "jeanne@exemple.fr"}


class FakeBrevo(BaseHTTPRequestHandler):
    """Speaks Brevo's POST /v3/transactionalSMS/sms; answers with the queued statuses."""

    statuses: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        length = int(self.headers["content-length"])
        body = json.loads(self.rfile.read(length))
        FakeBrevo.received.append(
            {"path": self.path, "api-key": self.headers["api-key"], "body": body}
        )
        status = FakeBrevo.statuses.pop(0) if FakeBrevo.statuses else 201
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.end_headers()
        if status == 201:
            self.wfile.write(json.dumps({"reference": "ref-1", "messageId": 4242}).encode())
        else:
            self.wfile.write(json.dumps({"code": "error", "message": "boom"}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def brevo(settings):
    FakeBrevo.statuses = []
    FakeBrevo.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeBrevo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "brevo"
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.SMS_API_KEY = "cle-de-test"
    settings.SMS_SENDER = "Charente16xyz"
    yield FakeBrevo
    server.shutdown()
    server.server_close()


@pytest.fixture
def booked(visio_setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking, _ = services.booking_create(
            service=visio_setup["service"],
            starts_at=paris(MONDAY, 9),
            place=visio_setup["place"],
            consent_reminders=True,
            **PERSON,
        )
    mail.outbox.clear()
    sms.outbox.clear()
    MessageLog.objects.all().delete()
    return booking


def test_brevo_protocol(brevo):
    reference = sms.send_sms("06 12 34 56 78", "Bonjour")
    assert reference == "4242"
    request = brevo.received[0]
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["api-key"] == "cle-de-test"
    assert request["body"] == {
        "sender": "Charente16x",  # 11 characters at most
        "recipient": "33612345678",
        "content": "Bonjour",
        "type": "transactional",
    }


def test_brevo_errors(brevo):
    brevo.statuses = [503, 400]
    with pytest.raises(sms.SmsTemporaryError):
        sms.send_sms("0612345678", "x")
    with pytest.raises(sms.SmsError) as error:
        sms.send_sms("0612345678", "x")
    assert not isinstance(error.value, sms.SmsTemporaryError)


def test_sms_failure_is_retried_with_backoff(brevo, booked):
    brevo.received.clear()
    brevo.statuses = [500, 502]
    assert notifications.deliver(booked.pk, MessageKind.CONFIRMATION, Channel.SMS) == "failed"
    log = MessageLog.objects.get()
    assert log.status == MessageStatus.FAILED
    assert log.next_attempt_at == clock.now() + dt.timedelta(minutes=1)
    # Not yet due: nothing retried.
    assert notifications.retry_due_messages() == 0
    with clock.travel(clock.now() + dt.timedelta(minutes=1)):
        assert notifications.retry_due_messages() == 1  # second attempt fails (502)
    second = MessageLog.objects.order_by("pk").last()
    assert second.attempts == 2 and second.status == MessageStatus.FAILED
    # Retried at +1 min, the next attempt waits 2 more minutes.
    assert second.next_attempt_at == clock.now() + dt.timedelta(minutes=3)
    with clock.travel(clock.now() + dt.timedelta(minutes=3)):
        assert notifications.retry_due_messages() == 1  # third attempt succeeds
    assert MessageLog.objects.order_by("pk").last().status == MessageStatus.SENT
    assert len(brevo.received) == 3


def test_gives_up_after_max_attempts(brevo, booked):
    brevo.statuses = [500]
    status = notifications.deliver(
        booked.pk, MessageKind.CONFIRMATION, Channel.SMS, None, notifications.MAX_ATTEMPTS
    )
    assert status == MessageStatus.GAVE_UP


def test_retry_deferred_when_the_backend_can_defer(booked, settings, brevo):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    brevo.statuses = [500]
    notifications.deliver(booked.pk, MessageKind.CONFIRMATION, Channel.SMS)
    results = default_task_backend.results
    assert len(results) == 1
    assert results[0].args[-1] == 2  # second attempt
    assert results[0].task.run_after == clock.now() + dt.timedelta(minutes=1)


def test_nothing_is_sent_once_started(booked):
    with clock.travel(paris(MONDAY, 9, 1)):
        status = notifications.deliver(booked.pk, MessageKind.REMINDER, Channel.EMAIL, 120)
    assert status == MessageStatus.SKIPPED
    assert not mail.outbox


def test_reminders_at_the_service_offsets_once(booked):
    # 2 days before (Saturday 09:00), then 2 hours before (Monday 07:00).
    with clock.travel(paris(dt.date(2030, 3, 2), 9, 1)):
        assert notifications.send_due_reminders() == 2  # email + SMS
        assert notifications.send_due_reminders() == 0
    assert mail.outbox[0].subject.startswith("Rappel")
    assert sms.outbox[0].text.startswith("Rappel")
    with clock.travel(paris(MONDAY, 7, 0)):
        assert notifications.send_due_reminders() == 2
    assert MessageLog.objects.filter(kind=MessageKind.REMINDER, status="sent").count() == 4


def test_no_reminder_without_consent(booked):
    Booking.objects.filter(pk=booked.pk).update(consent_reminders=False)
    with clock.travel(paris(MONDAY, 7, 0)):
        assert notifications.send_due_reminders() == 0


def test_admin_edited_template(booked):
    MessageTemplate.objects.create(
        kind=MessageKind.CONFIRMATION,
        channel=Channel.SMS,
        body="RDV {{ service.name }} le {{ when }} — {{ documents|join:' + ' }}",
    )
    notifications.deliver(booked.pk, MessageKind.CONFIRMATION, Channel.SMS)
    assert sms.outbox[0].text.startswith("RDV Dossier de prestations Caf le lundi 4 mars 2030")
    assert "Numéro d'allocataire + Avis d'imposition" in sms.outbox[0].text


def test_email_has_ics_and_what_to_bring_and_link(booked):
    notifications.deliver(booked.pk, MessageKind.CONFIRMATION, Channel.EMAIL)
    message = mail.outbox[0]
    assert "lundi 4 mars 2030 à 09h00" in message.body
    assert "- Avis d'imposition" in message.body
    assert "/rendez-vous/gerer/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "rendez-vous.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"booking-{booked.uid}@maillage"
    assert event.decoded("DTSTART") == paris(MONDAY, 9)


def test_ics_update_and_cancel_keep_the_uid(booked):
    first = Calendar.from_ical(ics.booking_ics(booked)).walk("VEVENT")[0]
    services.booking_move(booking=booked, starts_at=paris(MONDAY, 10))
    booked.refresh_from_db()
    moved = Calendar.from_ical(ics.booking_ics(booked)).walk("VEVENT")[0]
    services.booking_cancel(booking=booked)
    booked.refresh_from_db()
    cancelled_cal = Calendar.from_ical(ics.booking_ics(booked))
    cancelled = cancelled_cal.walk("VEVENT")[0]
    assert first["UID"] == moved["UID"] == cancelled["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert cancelled["STATUS"] == "CANCELLED" and cancelled_cal["METHOD"] == "CANCEL"


def test_visio_link_and_jwt(booked, settings):
    settings.MAILLAGE_VISIO_SERVER = "https://visio.exemple.fr/"
    assert visio.room_url(booked) == f"https://visio.exemple.fr/{booked.visio_room}"
    settings.MAILLAGE_VISIO_JWT_SECRET = "secret"
    url = visio.room_url(booked, user_name="Accueil")
    token = url.split("?jwt=")[1]
    import base64
    import hashlib
    import hmac

    head, claims, signature = token.split(".")
    expected = hmac.new(b"secret", f"{head}.{claims}".encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "==") == expected
    payload = json.loads(base64.urlsafe_b64decode(claims + "=="))
    assert payload["room"] == booked.visio_room and payload["sub"] == "visio.exemple.fr"


def test_retention_erases_people_and_keeps_counts(booked, settings):
    settings.MAILLAGE_APPOINTMENTS_RETENTION_MONTHS = 24
    with clock.travel(booked.starts_at):  # attendance is noted once begun
        services.booking_mark_attendance(booking=booked, attendance=Attendance.PRESENT)
    with clock.travel(paris(MONDAY, 12) + dt.timedelta(days=365 * 2 - 10)):
        assert retention.erase_expired_personal_data() == 0
    with clock.travel(paris(MONDAY, 12) + dt.timedelta(days=365 * 2 + 10)):
        assert retention.erase_expired_personal_data() == 1
        assert retention.erase_expired_personal_data() == 0
    booked.refresh_from_db()
    assert (booked.name, booked.phone, booked.email, booked.visio_room) == ("", "", "", "")
    assert booked.anonymised_at is not None
    assert indicators.plan_indicators().visio_appointments_held == 1


def test_indicators(booked, visio_setup):
    with clock.travel(booked.starts_at):  # attendance is noted once begun
        services.booking_mark_attendance(booking=booked, attendance=Attendance.PRESENT)
    session = SessionFactory(capacity=3)
    came, _ = services.session_register(session=session, name="A", phone="0600000000")
    services.session_register(session=session, name="B", phone="0600000001")
    with clock.travel(came.starts_at):  # attendance is noted once begun
        services.booking_mark_attendance(booking=came, attendance=Attendance.PRESENT)
    plan = indicators.plan_indicators()
    assert (plan.visio_users, plan.visio_operators) == (1, 1)
    assert (plan.workshops_held, plan.workshop_participants) == (1, 1)
    rows = {r["label"]: r for r in indicators.breakdown("service")}
    assert rows["Dossier de prestations Caf"]["present"] == 1
    by_operator = indicators.breakdown("operator")
    assert sum(r["booked"] for r in by_operator) == 3


def test_tick_runs_the_periodic_work(booked):
    result = tick.enqueue()
    assert set(result.return_value) == {"holds_expired", "reminders", "retries", "erased"}
    assert Booking.objects.get(pk=booked.pk).status == BookingStatus.BOOKED


def test_broken_admin_template_is_refused(db):
    from django.core.exceptions import ValidationError

    template = MessageTemplate(kind=MessageKind.REMINDER, channel=Channel.SMS, body="{% if %}")
    with pytest.raises(ValidationError):
        template.full_clean()


def test_the_reminder_tick_does_not_query_per_booking(booked, visio_setup):
    """What was already sent is read once: the tick costs the same queries for 1 or 3."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def tick_queries() -> int:
        with clock.travel(paris(dt.date(2030, 3, 2), 9, 1)):
            notifications.send_due_reminders()  # sends what is due
            with CaptureQueriesContext(connection) as captured:
                assert notifications.send_due_reminders() == 0
        return len(captured)

    one = tick_queries()
    for hour in (10, 11):
        services.booking_create(
            service=visio_setup["service"],
            starts_at=paris(MONDAY, hour),
            place=visio_setup["place"],
            consent_reminders=True,
            **PERSON,
        )
    assert tick_queries() == one
