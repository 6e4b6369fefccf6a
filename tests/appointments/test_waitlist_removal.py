"""Staff take a person off a workshop's waitlist: a page saying what will happen, then the POST
that does it; only those who manage the workshop's agenda; logged; the person told."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from maillage.appointments import services, sms
from maillage.appointments.labels import BookingStatus, MessageKind
from maillage.appointments.locking import BookingError
from maillage.appointments.models import Booking, MessageLog
from maillage.organisations.labels import Role

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

INTRO = "Vous n'êtes plus sur la liste d'attente de cet atelier"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def full_session(organisation):
    """One seat taken, three people waiting (W0 with email and phone, W1 with a phone, W2
    with nothing)."""
    session = SessionFactory(
        capacity=1, service__organisation=organisation, place__organisation=organisation
    )
    seat, _ = services.session_register(session=session, name="Assise", phone="0600000000")
    contacts = [
        {"email": "w0@exemple.fr", "phone": "0611111111"},
        {"phone": "0622222222"},
        {},
    ]
    waiting = [
        services.session_register(session=session, name=f"W{i}", via="staff", **contact)[0]
        for i, contact in enumerate(contacts)
    ]
    assert all(b.status == BookingStatus.WAITLISTED for b in waiting)
    mail.outbox.clear()
    sms.outbox.clear()
    return session, seat, waiting


def test_the_entry_is_cancelled_logged_and_the_person_told_once(
    full_session, member, organisation, django_capture_on_commit_callbacks
):
    session, seat, waiting = full_session
    staff = member(Role.MEDIATOR, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.waitlist_remove(booking=waiting[0], by=staff, reason="a trouvé un autre atelier")
    removed = Booking.objects.get(pk=waiting[0].pk)
    assert (removed.status, removed.waitlist_position) == (BookingStatus.CANCELLED, None)
    event = removed.events.get(action="waitlist_remove")
    assert (event.user, event.note) == (staff, "a trouvé un autre atelier")
    assert (event.from_status, event.to_status) == ("waitlisted", "cancelled")
    assert event.action_label == "Retrait de la liste d'attente"
    # One email (no calendar file: the entry never was in a calendar) and one SMS.
    [email] = mail.outbox
    assert email.to == ["w0@exemple.fr"] and email.subject.startswith("Liste d'attente :")
    assert INTRO in email.body and not email.attachments
    assert "annuler ou déplacer" not in email.body and "transport" not in email.body
    assert [(m.to, m.text.startswith(INTRO)) for m in sms.outbox] == [("0611111111", True)]
    assert sorted(
        MessageLog.objects.filter(booking=removed).values_list("kind", "channel", "status")
    ) == [
        (MessageKind.WAITLIST_REMOVED, "email", "sent"),
        (MessageKind.WAITLIST_REMOVED, "sms", "sent"),
    ]
    # The others keep their order; a freed seat goes to the next one still waiting.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=seat)
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting[1:]]
    assert statuses == [BookingStatus.BOOKED, BookingStatus.WAITLISTED]
    # Twice: refused, nobody told again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BookingError):
        services.waitlist_remove(booking=waiting[0], by=staff)
    assert not mail.outbox
    assert session.seats_taken_now() == 1


def test_only_a_waitlist_entry_and_only_by_who_manages_the_agenda(
    full_session, member, organisation, other_organisation
):
    _session, seat, waiting = full_session
    staff = member(Role.MEDIATOR, organisation=organisation)
    with pytest.raises(BookingError, match="n'est plus sur la liste d'attente"):
        services.waitlist_remove(booking=seat, by=staff)
    receptionist = member(Role.RECEPTIONIST, organisation=organisation)
    for outsider in (receptionist, member(Role.MEDIATOR, organisation=other_organisation)):
        with pytest.raises(BookingError):
            services.waitlist_remove(booking=waiting[1], by=outsider)
    assert Booking.objects.get(pk=waiting[1].pk).status == BookingStatus.WAITLISTED
    assert Booking.objects.get(pk=seat.pk).status == BookingStatus.BOOKED


def test_from_the_session_page_a_confirmation_page_then_the_post(
    full_session, login, member, organisation, django_capture_on_commit_callbacks
):
    session, _seat, waiting = full_session
    client = login(member(Role.MEDIATOR, organisation=organisation))
    session_url = reverse("appointments:session_attendance", args=[session.pk])
    page_url = reverse("appointments:waitlist_remove", args=[waiting[1].pk])
    do_url = reverse("appointments:waitlist_remove_do", args=[waiting[1].pk])
    assert f'href="{page_url}"' in client.get(session_url).content.decode()
    page = client.get(page_url)
    assert page.status_code == 200
    body = text(page)
    assert "Retirer W1 de la liste d'attente ?" in body and f'action="{do_url}"' in body
    assert "prévenue par SMS qu'elle n'est plus sur la liste d'attente" in body
    assert "avancent d'un rang" in body
    assert "Motif du retrait" in body and "Motif de l'annulation" not in body
    assert Booking.objects.get(pk=waiting[1].pk).status == BookingStatus.WAITLISTED  # GET: no write
    nobody = text(client.get(reverse("appointments:waitlist_remove", args=[waiting[2].pk])))
    assert "ni courriel ni téléphone : prévenez-la vous-même" in nobody
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(do_url, {"reason": "doublon"})
    assert response.url == session_url
    assert Booking.objects.get(pk=waiting[1].pk).status == BookingStatus.CANCELLED
    after = text(client.get(session_url))
    assert "La personne est retirée de la liste d'attente." in after
    assert "W1" not in after and "W0" in after
    # The page of an entry already removed sends back to the session, saying why.
    again = client.get(page_url, follow=True)
    assert "Cette personne n'est plus sur la liste d'attente." in text(again)


def test_those_who_only_book_for_people_see_no_link_and_are_refused(
    full_session, login, member, organisation
):
    session, _seat, waiting = full_session
    client = login(member(Role.RECEPTIONIST, organisation=organisation))
    page = client.get(reverse("appointments:session_attendance", args=[session.pk]))
    assert page.status_code == 200 and "W0" in text(page)
    assert "Retirer" not in text(page)
    assert client.get(
        reverse("appointments:waitlist_remove", args=[waiting[0].pk])
    ).status_code in (
        403,
        404,
    )
    client.post(reverse("appointments:waitlist_remove_do", args=[waiting[0].pk]))
    assert Booking.objects.get(pk=waiting[0].pk).status == BookingStatus.WAITLISTED


def test_the_booking_page_of_an_entry_leads_to_the_same_removal(
    full_session, login, member, organisation, django_capture_on_commit_callbacks
):
    _session, _seat, waiting = full_session
    client = login(member(Role.MEDIATOR, organisation=organisation))
    removal = reverse("appointments:waitlist_remove", args=[waiting[0].pk])
    page = client.get(reverse("appointments:staff_booking", args=[waiting[0].pk]))
    assert f'href="{removal}"' in page.content.decode()
    assert client.get(reverse("appointments:staff_cancel", args=[waiting[0].pk])).url == removal
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appointments:staff_cancel_do", args=[waiting[0].pk]))
    removed = Booking.objects.get(pk=waiting[0].pk)
    assert removed.status == BookingStatus.CANCELLED
    assert removed.events.filter(action="waitlist_remove").count() == 1
    assert [m.to for m in mail.outbox] == [["w0@exemple.fr"]]
