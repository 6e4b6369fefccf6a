"""Booking services: holds, confirmation, cancellation, moves, forced overlaps, workshops and
their waitlist, who may book what."""

import datetime as dt

import pytest
from django.core import mail

from maillage import clock
from maillage.appointments import services
from maillage.appointments.labels import (
    Attendance,
    BookableBy,
    BookedVia,
    BookingStatus,
    MessageKind,
)
from maillage.appointments.locking import BookingError, SlotTaken
from maillage.appointments.models import Booking, BookingEvent, Occupation, WorkshopSeries
from maillage.organisations import permissions
from maillage.organisations.labels import Role
from tests.places.factories import PlaceFactory

from .conftest import MONDAY, paris
from .factories import ResourceFactory, SessionFactory

PERSON = {"name": "Jeanne", "phone": "06 12 34 56 78", "email": "jeanne@exemple.fr"}


def test_hold_then_confirm(visio_setup, django_capture_on_commit_callbacks):
    service, place, room = visio_setup["service"], visio_setup["place"], visio_setup["room"]
    booking, _token = services.booking_hold(
        service=service, starts_at=paris(MONDAY, 9), place=place
    )
    assert booking.status == BookingStatus.HELD
    assert booking.hold_expires_at == clock.now() + dt.timedelta(minutes=5)
    assert booking.resource == room and booking.agent == visio_setup["agent"]
    assert {(o.party_type, o.party_id) for o in booking.occupations.all()} == {
        ("agent", visio_setup["agent"].pk),
        ("resource", room.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking, consent_reminders=True, **PERSON)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert booking.visio_room.startswith("maillage-") and len(booking.visio_room) > 30
    assert [e.action for e in booking.events.all()] == ["hold", "confirm"]
    assert len(mail.outbox) == 1
    assert "Numéro d'allocataire" in mail.outbox[0].body
    assert booking.visio_room not in mail.outbox[0].body  # never shown to the public


def test_a_hold_takes_only_a_room_of_the_place_the_service_needs(visio_setup):
    """The public page sends back the ids of the slot it showed: a forged room (another
    place's, or inactive) is refused, the place's own room is taken."""
    service, place, room = visio_setup["service"], visio_setup["place"], visio_setup["room"]
    elsewhere = ResourceFactory(
        place=PlaceFactory(point_visio=True), organisation=room.organisation
    )
    asleep = ResourceFactory(place=place, organisation=room.organisation, is_active=False)
    for forged in (elsewhere, asleep):
        with pytest.raises(BookingError):
            services.booking_hold(
                service=service,
                starts_at=paris(MONDAY, 9),
                place_id=place.pk,
                resource_id=forged.pk,
            )
    assert not Booking.objects.exists()
    booking, _ = services.booking_hold(
        service=service, starts_at=paris(MONDAY, 9), place_id=place.pk, resource_id=room.pk
    )
    assert booking.resource == room


def test_second_hold_on_the_same_slot_is_refused(visio_setup):
    service, place = visio_setup["service"], visio_setup["place"]
    services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)
    with pytest.raises(SlotTaken):
        services.booking_hold(service=service, starts_at=paris(MONDAY, 9, 15), place=place)


def test_expired_hold_frees_the_slot_and_cannot_be_confirmed(visio_setup):
    service, place = visio_setup["service"], visio_setup["place"]
    first, _ = services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)
    with clock.travel(clock.now() + dt.timedelta(minutes=6)):
        second, _ = services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)
        with pytest.raises(BookingError):
            services.booking_confirm(booking=first, **PERSON)
    first.refresh_from_db()
    assert first.status == BookingStatus.EXPIRED
    assert not first.occupations.filter(active=True).exists()
    assert second.status == BookingStatus.HELD


def test_holds_expire_task(visio_setup):
    services.booking_hold(
        service=visio_setup["service"], starts_at=paris(MONDAY, 9), place=visio_setup["place"]
    )
    with clock.travel(clock.now() + dt.timedelta(minutes=6)):
        assert services.holds_expire() == 1
    assert not Occupation.objects.filter(active=True).exists()


def test_a_citizen_must_leave_a_contact(visio_setup):
    booking, _ = services.booking_hold(
        service=visio_setup["service"], starts_at=paris(MONDAY, 9), place=visio_setup["place"]
    )
    with pytest.raises(BookingError, match="téléphone ou un courriel"):
        services.booking_confirm(booking=booking, name="Anonyme")


def test_slot_outside_the_windows_is_refused(visio_setup):
    with pytest.raises(SlotTaken):
        services.booking_hold(
            service=visio_setup["service"], starts_at=paris(MONDAY, 14), place=visio_setup["place"]
        )


def test_cancel_frees_the_slot_and_notifies(visio_setup, django_capture_on_commit_callbacks):
    service, place = visio_setup["service"], visio_setup["place"]
    with django_capture_on_commit_callbacks(execute=True):
        booking, _ = services.booking_create(
            service=service, starts_at=paris(MONDAY, 9), place=place, via=BookedVia.SELF, **PERSON
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.sequence == 1
    assert [m.subject.split(" :")[0] for m in mail.outbox] == [
        "Rendez-vous confirmé",
        "Rendez-vous annulé",
    ]
    content = mail.outbox[1].attachments[0][1]
    assert "METHOD:CANCEL" in (content.decode() if isinstance(content, bytes) else content)
    services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)


def test_move_keeps_the_uid_and_raises_the_sequence(visio_setup):
    service, place = visio_setup["service"], visio_setup["place"]
    booking, _ = services.booking_create(
        service=service, starts_at=paris(MONDAY, 9), place=place, **PERSON
    )
    uid = booking.uid
    services.booking_move(booking=booking, starts_at=paris(MONDAY, 10, 30))
    booking.refresh_from_db()
    assert booking.uid == uid and booking.sequence == 1
    assert booking.starts_at == paris(MONDAY, 10, 30)
    occupation = booking.occupations.get(party_type="agent")
    assert occupation.starts_at == paris(MONDAY, 10, 30)
    # Its old time is free again.
    services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)


def test_move_within_its_own_time_is_allowed(visio_setup):
    service, place = visio_setup["service"], visio_setup["place"]
    booking, _ = services.booking_create(
        service=service, starts_at=paris(MONDAY, 9), place=place, **PERSON
    )
    services.booking_move(booking=booking, starts_at=paris(MONDAY, 9, 15))
    booking.refresh_from_db()
    assert booking.starts_at == paris(MONDAY, 9, 15)


def test_cannot_cancel_after_the_start(visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    with clock.travel(paris(MONDAY, 9, 5)), pytest.raises(BookingError):
        services.booking_cancel(booking=booking)


def test_forced_overlap_is_explicit_and_logged(visio_setup, member, organisation):
    service, place, agent = visio_setup["service"], visio_setup["place"], visio_setup["agent"]
    services.booking_create(service=service, starts_at=paris(MONDAY, 9), place=place, **PERSON)
    receptionist = member(Role.RECEPTIONIST)
    with pytest.raises(BookingError):
        services.booking_force(
            service=service,
            starts_at=paris(MONDAY, 9),
            agent=agent,
            place=place,
            by=receptionist,
            reason="urgence",
            name="Paul",
        )
    partner = member(Role.PARTNER_AGENT)
    with pytest.raises(BookingError, match="pourquoi"):
        services.booking_force(
            service=service,
            starts_at=paris(MONDAY, 9),
            agent=agent,
            place=place,
            by=partner,
            reason=" ",
            name="Paul",
        )
    forced = services.booking_force(
        service=service,
        starts_at=paris(MONDAY, 9),
        agent=agent,
        place=place,
        by=partner,
        reason="Dossier urgent, accord de la personne",
        name="Paul",
    )
    assert forced.forced and forced.status == BookingStatus.BOOKED
    event = BookingEvent.objects.get(booking=forced)
    assert event.action == "force_overlap" and event.user == partner and "urgent" in event.note
    assert forced.occupations.get().forced


def test_who_may_book(visio_setup, member, organisation, other_organisation, user):
    service = visio_setup["service"]
    assert permissions.can_book_service(None, service)
    service.bookable_by = BookableBy.STAFF
    assert not permissions.can_book_service(None, service)
    assert not permissions.can_book_service(user, service)
    assert permissions.can_book_service(member(Role.RECEPTIONIST), service)
    assert not permissions.can_book_service(
        member(Role.RECEPTIONIST, organisation=other_organisation), service
    )
    # A receptionist of the organisation running the place books there.
    place = visio_setup["place"]
    place.organisation = other_organisation
    place.save()
    assert permissions.can_book_service(
        member(Role.RECEPTIONIST, organisation=other_organisation), service, place
    )
    service.bookable_by = BookableBy.PARTNER
    assert not permissions.can_book_service(member(Role.RECEPTIONIST), service)
    assert permissions.can_book_service(member(Role.PARTNER_AGENT), service)
    with pytest.raises(BookingError):
        services.booking_hold(service=service, starts_at=paris(MONDAY, 9), place=place)


def test_receptionists_book_at_their_place_but_manage_no_booking(
    visio_setup, member, organisation, other_organisation
):
    """docs/permissions.md gives receptionists "book for a user" only: a partner agent's
    booking at the town hall's Point Visio is not theirs to cancel, move or mark."""
    place = visio_setup["place"]
    place.organisation = other_organisation
    place.save()
    booking, _ = services.booking_hold(
        service=visio_setup["service"], starts_at=paris(MONDAY, 9), place=place
    )
    receptionist = member(Role.RECEPTIONIST, organisation=other_organisation)
    partner = member(Role.PARTNER_AGENT)
    assert permissions.can_see_booking(receptionist, booking)
    assert not permissions.can_manage_booking(receptionist, booking)
    assert permissions.can_manage_booking(partner, booking)
    with pytest.raises(BookingError):
        services.booking_cancel(booking=booking, by=receptionist)
    with pytest.raises(BookingError):
        services.booking_mark_attendance(booking=booking, attendance="present", by=receptionist)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD
    services.booking_cancel(booking=booking, by=partner)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_attendance_is_logged(visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    with clock.travel(booking.starts_at):  # attendance is noted once begun
        services.booking_mark_attendance(booking=booking, attendance=Attendance.ABSENT)
    assert booking.events.last().action == "attendance"
    with pytest.raises(BookingError):
        services.booking_mark_attendance(booking=booking, attendance="peut-être")


# --- Workshops ------------------------------------------------------------------------------


def test_seats_then_waitlist_then_promotion_in_order(db, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=2)
    seats = [
        services.session_register(session=session, name=f"P{i}", email=f"p{i}@exemple.fr")[0]
        for i in range(2)
    ]
    waiting = [
        services.session_register(session=session, name=f"W{i}", email=f"w{i}@exemple.fr")[0]
        for i in range(3)
    ]
    assert all(b.status == BookingStatus.BOOKED for b in seats)
    assert [b.waitlist_position for b in waiting] == [1, 2, 3]
    assert all(b.status == BookingStatus.WAITLISTED for b in waiting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=seats[0])
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == [BookingStatus.BOOKED, BookingStatus.WAITLISTED, BookingStatus.WAITLISTED]
    assert any("place s'est libérée" in m.subject for m in mail.outbox)
    assert session.seats_taken_now() == 2


def test_full_session_without_waitlist(db):
    session = SessionFactory(capacity=1)
    services.session_register(session=session, name="A", phone="0600000000")
    with pytest.raises(BookingError, match="complet"):
        services.session_register(session=session, name="B", phone="0600000001", waitlist=False)


def test_series_generates_weekly_sessions_at_local_time(db, organisation):
    from tests.places.factories import PlaceFactory

    from .factories import AgentFactory, ServiceFactory

    agent = AgentFactory(organisation=organisation)
    service = ServiceFactory(organisation=organisation, workshop=True)
    series = WorkshopSeries.objects.create(
        service=service,
        place=PlaceFactory(),
        agent=agent,
        weekday=1,
        start_time=dt.time(14),
        capacity=8,
        starts_on=dt.date(2030, 3, 20),
        ends_on=dt.date(2030, 4, 10),
    )
    assert services.series_generate_sessions(series=series) == 3
    assert services.series_generate_sessions(series=series) == 0
    hours = [s.starts_at.astimezone(paris(MONDAY, 0).tzinfo).hour for s in series.sessions.all()]
    assert hours == [14, 14, 14]  # across the change to summer time
    assert Occupation.objects.filter(party_type="agent", party_id=agent.pk).count() == 3


def test_series_skips_the_weeks_its_place_is_closed(db, organisation):
    """Easter Monday 2030 (22 April): the place is closed on public holidays, no session."""
    from tests.places.factories import PlaceFactory

    from .factories import ServiceFactory

    series = WorkshopSeries.objects.create(
        service=ServiceFactory(organisation=organisation, workshop=True),
        place=PlaceFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-17:30; PH off"),
        weekday=0,
        start_time=dt.time(14),
        capacity=8,
        starts_on=dt.date(2030, 4, 15),
        ends_on=dt.date(2030, 4, 29),
    )
    assert services.series_generate_sessions(series=series) == 2
    days = [s.starts_at.date() for s in series.sessions.all()]
    assert days == [dt.date(2030, 4, 15), dt.date(2030, 4, 29)]


def test_confirmation_kind_messages_are_logged(visio_setup, django_capture_on_commit_callbacks):
    from maillage.appointments.models import MessageLog

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            service=visio_setup["service"],
            starts_at=paris(MONDAY, 9),
            place=visio_setup["place"],
            **PERSON,
        )
    assert sorted(MessageLog.objects.values_list("channel", "kind", "status")) == [
        ("email", MessageKind.CONFIRMATION, "sent"),
        ("sms", MessageKind.CONFIRMATION, "sent"),
    ]


def test_attendance_signal_after_commit(visio_setup, django_capture_on_commit_callbacks):
    from maillage.appointments.signals import attendance_marked

    received = []

    def listener(sender, booking_id, attendance, **kwargs):
        received.append((booking_id, attendance))

    attendance_marked.connect(listener)
    try:
        booking, _ = services.booking_create(
            service=visio_setup["service"],
            starts_at=paris(MONDAY, 9),
            place=visio_setup["place"],
            **PERSON,
        )
        with django_capture_on_commit_callbacks(execute=True), clock.travel(booking.starts_at):
            services.booking_mark_attendance(booking=booking, attendance=Attendance.PRESENT)
    finally:
        attendance_marked.disconnect(listener)
    assert received == [(booking.pk, Attendance.PRESENT)]
