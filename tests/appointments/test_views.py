"""Public booking pages and staff agenda pages."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage import clock
from maillage.appointments import services
from maillage.appointments.labels import Attendance, BookableBy, BookingStatus
from maillage.appointments.models import Booking, CalendarFeed
from maillage.appointments.views.public import HELD_COOKIE
from maillage.organisations.labels import Role

from .conftest import MONDAY, paris
from .factories import SessionFactory


def text(response) -> str:
    return html.unescape(response.content.decode())


PERSON = {"name": "Jeanne", "phone": "0612345678", "email": "jeanne@exemple.fr"}


def _key(setup, hour, minute=0):
    start = paris(MONDAY, hour, minute).astimezone(dt.UTC).isoformat()
    return f"{setup['place'].pk}:{setup['agent'].pk}:{setup['room'].pk}:{start}"


def test_public_home_lists_public_services_only(client, visio_setup):
    staff_only = visio_setup["service"]
    response = client.get(reverse("appointments:home"))
    assert response.status_code == 200
    assert "Dossier de prestations Caf" in text(response)
    staff_only.bookable_by = BookableBy.STAFF
    staff_only.save()
    assert "Dossier de prestations Caf" not in text(client.get(reverse("appointments:home")))
    assert (
        client.get(reverse("appointments:service_detail", args=[staff_only.pk])).status_code == 404
    )


def test_service_page_shows_slots_and_documents(client, visio_setup):
    response = client.get(
        reverse("appointments:service_detail", args=[visio_setup["service"].pk]),
        {"du": MONDAY.isoformat()},
    )
    content = text(response)
    assert "Avis d'imposition" in content
    assert "09h00" in content and _key(visio_setup, 9) in content


def test_citizen_books_without_account(client, visio_setup, django_capture_on_commit_callbacks):
    service = visio_setup["service"]
    response = client.post(
        reverse("appointments:hold", args=[service.pk]), {"slot": _key(visio_setup, 9)}
    )
    assert response.status_code == 302
    book_url = response["Location"]
    page = client.get(book_url)
    assert "réservé jusqu'à" in text(page)
    # Missing contact → error, slot still held.
    response = client.post(book_url, {"name": "Jeanne"})
    assert "Indiquez un téléphone ou un courriel" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url, {**PERSON, "consent_reminders": "on"}, follow=True)
    content = text(response)
    assert "Rendez-vous confirmé" in content and "Numéro d'allocataire" in content
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.consent_reminders
    assert booking.visio_room not in content  # never on a public page
    assert len(mail.outbox) == 1


def test_taken_slot_is_refused_politely(client, visio_setup):
    services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    response = client.post(
        reverse("appointments:hold", args=[visio_setup["service"].pk]),
        {"slot": _key(visio_setup, 9)},
        follow=True,
    )
    assert "plus disponible" in text(response)


def test_manage_link_cancels_and_moves(client, visio_setup):
    booking, token = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    url = reverse("appointments:manage", args=[token])
    page = client.get(url, {"deplacer": "1"})
    assert "Choisir un autre horaire" in text(page)
    move_url = reverse("appointments:manage_move", args=[token])
    assert f'action="{move_url}"' in page.content.decode()
    assert client.post(url, {"slot": _key(visio_setup, 10, 30)}).status_code == 405
    client.post(move_url, {"slot": _key(visio_setup, 10, 30)})
    booking.refresh_from_db()
    assert booking.starts_at == paris(MONDAY, 10, 30)
    # Cancelling: one page says what will happen, only its form's POST cancels.
    confirm = client.get(reverse("appointments:manage_cancel", args=[token]))
    assert "Ce qui va se passer" in text(confirm)
    assert "par courriel" in text(confirm)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert client.get(reverse("appointments:manage_cancel_do", args=[token])).status_code == 405
    client.post(reverse("appointments:manage_cancel_do", args=[token]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert client.get(reverse("appointments:manage_cancel", args=[token])).status_code == 302
    assert client.get(reverse("appointments:manage", args=["faux-jeton"])).status_code == 404


def test_ics_download(client, visio_setup):
    _, token = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    response = client.get(reverse("appointments:booking_ics", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_workshop_registration_and_waitlist_pages(client, db):
    session = SessionFactory(capacity=1)
    url = reverse("appointments:session_register", args=[session.pk])
    response = client.post(url, {"name": "A", "phone": "0600000000"}, follow=True)
    assert "Rendez-vous confirmé" in text(response)
    assert "complet" in text(client.get(url))
    response = client.post(url, {"name": "B", "phone": "0600000001"}, follow=True)
    assert "liste d'attente" in text(response)
    page = client.get(reverse("appointments:service_detail", args=[session.service.pk]))
    assert "Complet" in text(page)


# --- Staff ----------------------------------------------------------------------------------


def test_staff_pages_need_an_appointments_role(client, login, member, user):
    assert client.get(reverse("appointments:agenda")).status_code == 302
    login(user)
    assert client.get(reverse("appointments:agenda")).status_code == 403
    login(member(Role.VIEWER))
    assert client.get(reverse("appointments:agenda")).status_code == 403
    login(member(Role.RECEPTIONIST))
    assert client.get(reverse("appointments:agenda")).status_code == 200


def test_receptionist_books_for_someone(login, member, visio_setup, organisation):
    visio_setup["service"].bookable_by = BookableBy.STAFF
    visio_setup["service"].save()
    client = login(member(Role.RECEPTIONIST))
    url = reverse("appointments:staff_book")
    page = client.get(url, {"motif": visio_setup["service"].pk})
    assert _key(visio_setup, 9) in text(page)
    response = client.post(
        url,
        {
            "motif": visio_setup["service"].pk,
            "lieu": visio_setup["place"].pk,
            "slot": _key(visio_setup, 9),
            "name": "Monsieur Martin",
        },
    )
    booking = Booking.objects.get()
    assert response["Location"] == reverse("appointments:staff_booking", args=[booking.pk])
    assert booking.booked_via == "staff" and booking.status == BookingStatus.BOOKED
    detail = text(client.get(response["Location"]))
    assert booking.visio_room in detail  # the receptionist sees the room link


def test_agenda_filters_and_csv(login, member, visio_setup):
    services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    client = login(member(Role.PARTNER_AGENT))
    page = client.get(reverse("appointments:agenda"), {"jour": MONDAY.isoformat()})
    assert "Jeanne" in text(page)
    week = client.get(
        reverse("appointments:agenda"),
        {"jour": (MONDAY + dt.timedelta(days=2)).isoformat(), "vue": "semaine"},
    )
    assert "Jeanne" in text(week)
    other_day = client.get(reverse("appointments:agenda"), {"jour": "2030-03-05"})
    assert "Jeanne" not in text(other_day)
    csv = client.get(reverse("appointments:agenda"), {"jour": MONDAY.isoformat(), "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "Jeanne" in csv.content.decode("utf-8-sig")


def test_agents_of_another_organisation_see_nothing(login, member, visio_setup, other_organisation):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    client = login(member(Role.PARTNER_AGENT, organisation=other_organisation))
    page = client.get(reverse("appointments:agenda"), {"jour": MONDAY.isoformat()})
    assert "Jeanne" not in text(page)
    assert client.get(reverse("appointments:staff_booking", args=[booking.pk])).status_code == 404


def test_agent_marks_attendance_and_cancels(login, member, visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    client = login(member(Role.PARTNER_AGENT))
    url = reverse("appointments:staff_booking_attendance", args=[booking.pk])
    client.post(url, {"attendance": Attendance.EXCUSED})
    booking.refresh_from_db()
    assert booking.attendance == ""  # not yet: the appointment has not started
    with clock.travel(booking.starts_at):
        page = client.get(reverse("appointments:staff_booking", args=[booking.pk]))
        assert f'action="{url}"' in page.content.decode()
        client.post(url, {"attendance": Attendance.EXCUSED})
    booking.refresh_from_db()
    assert booking.attendance == Attendance.EXCUSED
    confirm = text(client.get(reverse("appointments:staff_cancel", args=[booking.pk])))
    assert "La personne recevra la confirmation de l'annulation" in confirm
    assert "Le créneau redevient libre" in confirm
    client.post(
        reverse("appointments:staff_cancel_do", args=[booking.pk]), {"reason": "Agent malade"}
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.events.get(action="cancel").note == "Agent malade"
    history = text(client.get(reverse("appointments:staff_booking", args=[booking.pk])))
    assert "Annulation (annulé)" in history and "Présence" in history


def test_forcing_an_overlap_through_the_page(login, member, visio_setup):
    services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    url = reverse("appointments:staff_force", args=[visio_setup["service"].pk])
    assert login(member(Role.RECEPTIONIST)).get(url).status_code == 403
    client = login(member(Role.PARTNER_AGENT))
    response = client.post(
        url,
        {
            "agent": visio_setup["agent"].pk,
            "lieu": visio_setup["place"].pk,
            "starts_at": "2030-03-04T09:15",
            "reason": "Dossier urgent",
            "name": "Paul",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.filter(forced=True).count() == 1


def test_session_attendance_and_pdf(login, member, organisation):
    session = SessionFactory(capacity=3, service__organisation=organisation)
    booking, _ = services.session_register(session=session, name="Alice", phone="0600000000")
    client = login(member(Role.MEDIATOR))
    url = reverse("appointments:session_attendance", args=[session.pk])
    assert "Alice" in text(client.get(url))
    save_url = reverse("appointments:session_attendance_save", args=[session.pk])
    with clock.travel(session.starts_at):
        assert f'action="{save_url}"' in client.get(url).content.decode()
        client.post(save_url, {f"presence-{booking.pk}": Attendance.PRESENT})
    booking.refresh_from_db()
    assert booking.attendance == Attendance.PRESENT
    pdf = client.get(reverse("appointments:session_attendance_pdf", args=[session.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["agent", "place"])
def test_private_feeds_can_be_revoked(client, login, member, visio_setup, organisation, kind):
    services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    agent_user = member(Role.PARTNER_AGENT)
    visio_setup["agent"].user = agent_user
    visio_setup["agent"].save()
    visio_setup["place"].organisation = organisation
    visio_setup["place"].save()
    staff = login(agent_user)
    # An agenda that is not one's own (or none) creates nothing.
    staff.post(reverse(f"appointments:feed_create_{kind}"), {kind: 10**6})
    assert not CalendarFeed.objects.exists()
    if kind == "agent":
        staff.post(reverse("appointments:feed_create_agent"), {"agent": visio_setup["agent"].pk})
    else:
        staff.post(reverse("appointments:feed_create_place"), {"place": visio_setup["place"].pk})
    feed = CalendarFeed.objects.get()
    url = reverse("appointments:feed", args=[feed.token])
    client.logout()
    body = text(client.get(url))
    assert "BEGIN:VCALENDAR" in body and "Jeanne" in body
    # Someone else cannot revoke it: the address is not theirs (not revealed).
    other = login(member(Role.PARTNER_AGENT))
    revoke = reverse("appointments:feed_revoke", args=[feed.pk])
    assert other.post(revoke).status_code == 404
    client.logout()
    assert client.get(url).status_code == 200
    staff = login(agent_user)
    assert f'action="{revoke}"' in staff.get(reverse("appointments:feeds")).content.decode()
    staff.post(revoke)
    client.logout()
    assert client.get(url).status_code == 404


def test_indicators_page_and_csv(login, member, visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    with clock.travel(booking.starts_at):  # attendance is noted once begun
        services.booking_mark_attendance(booking=booking, attendance=Attendance.ABSENT)
    client = login(member(Role.PARTNER_AGENT))
    page = client.get(reverse("appointments:indicators"), {"par": "place"})
    assert "Point Visio — mairie de Chalais" in text(page)
    assert "100 %" in text(page)
    csv = client.get(reverse("appointments:indicators"), {"par": "operator", "format": "csv"})
    assert "Espace numérique de test" in csv.content.decode("utf-8-sig")


def test_mediator_registers_someone_for_a_workshop(login, member, organisation):
    session = SessionFactory(capacity=1, service__organisation=organisation)
    client = login(member(Role.MEDIATOR))
    url = reverse("appointments:session_attendance", args=[session.pk])
    enrol = reverse("appointments:session_enrol", args=[session.pk])
    assert f'action="{enrol}"' in client.get(url).content.decode()
    client.post(enrol, {"inscription-name": "Alice"})
    client.post(enrol, {"inscription-name": "Bernard"})
    statuses = dict(Booking.objects.values_list("name", "status"))
    assert statuses == {"Alice": BookingStatus.BOOKED, "Bernard": BookingStatus.WAITLISTED}
    assert "Bernard" in text(client.get(url))
    # A form with errors shows the list again, the errors beside the form; nobody is added.
    page = client.post(enrol, {"inscription-name": ""})
    assert page.status_code == 200 and "Bernard" in text(page)
    assert page.context["register_form"].errors
    assert Booking.objects.count() == 2


def test_agent_moves_an_appointment_from_its_page(login, member, visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    client = login(member(Role.PARTNER_AGENT))
    page = client.get(reverse("appointments:staff_booking", args=[booking.pk]), {"deplacer": "1"})
    move_url = reverse("appointments:staff_booking_move", args=[booking.pk])
    assert f'action="{move_url}"' in page.content.decode()
    assert 'name="slot"' in page.content.decode()
    client.post(move_url, {"slot": "pas-un-creneau"})
    booking.refresh_from_db()
    assert booking.starts_at == paris(MONDAY, 9)
    client.post(move_url, {"slot": _key(visio_setup, 10, 30)})
    booking.refresh_from_db()
    assert booking.starts_at == paris(MONDAY, 10, 30)
    assert booking.events.filter(action="move").exists()


def test_home_visit_booked_by_staff_keeps_the_address(login, member, organisation):
    from .factories import AgentFactory, ServiceFactory, WeeklyRuleFactory

    agent = AgentFactory(organisation=organisation)
    WeeklyRuleFactory(agent=agent, weekday=0)
    service = ServiceFactory(
        organisation=organisation,
        home_visit=True,
        bookable_by=BookableBy.STAFF,
        buffer_before_minutes=30,
        buffer_after_minutes=30,
        agents=[agent],
    )
    client = login(member(Role.MEDIATOR))
    page = text(client.get(reverse("appointments:staff_book"), {"motif": service.pk}))
    assert "Adresse de la visite" in page
    start = paris(MONDAY, 9).astimezone(dt.UTC).isoformat()
    client.post(
        reverse("appointments:staff_book"),
        {
            "motif": service.pk,
            "slot": f"0:{agent.pk}:0:{start}",
            "name": "Mme Roux",
            "address": "3 chemin des Vignes, Brossac",
        },
    )
    booking = Booking.objects.get()
    assert booking.address == "3 chemin des Vignes, Brossac" and booking.place is None
    occupation = booking.occupations.get()
    assert occupation.starts_at == paris(MONDAY, 8, 30)  # travel buffer before


def test_partner_agent_books_a_follow_up(login, member, visio_setup):
    booking, _ = services.booking_create(
        service=visio_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=visio_setup["place"],
        **PERSON,
    )
    client = login(member(Role.PARTNER_AGENT))
    detail = text(client.get(reverse("appointments:staff_booking", args=[booking.pk])))
    assert "Prendre un rendez-vous de suivi" in detail
    page = text(client.get(reverse("appointments:staff_book"), {"suivi": booking.pk}))
    assert "Rendez-vous de suivi pour Jeanne" in page
    assert 'value="jeanne@exemple.fr"' in page
    client.post(
        reverse("appointments:staff_book") + f"?suivi={booking.pk}",
        {
            "motif": visio_setup["service"].pk,
            "lieu": visio_setup["place"].pk,
            "slot": _key(visio_setup, 11),
            **PERSON,
        },
    )
    follow_up = Booking.objects.exclude(pk=booking.pk).get()
    assert follow_up.booked_via == "partner" and follow_up.email == PERSON["email"]


def test_search_across_services_nearest_first(client, charente, individual_setup, visio_setup):
    # Chalais's town hall (Point Visio) is nearer to Chalais than Barbezieux's space.
    visio_setup["place"].latitude, visio_setup["place"].longitude = 45.2736, 0.0379
    visio_setup["place"].save()
    individual_setup["place"].latitude, individual_setup["place"].longitude = 45.4727, -0.1535
    individual_setup["place"].save()
    response = client.get(reverse("appointments:home"), {"commune": "Chalais"})
    rows = response.context["nearest"]
    assert [r["service"].name for r in rows] == [
        "Dossier de prestations Caf",
        "Accompagnement individuel",
    ]
    assert rows[0]["minutes"] < rows[1]["minutes"]
    assert "Premiers créneaux près de Chalais" in text(response)
    only_visio = client.get(reverse("appointments:home"), {"commune": "Chalais", "type": "visio"})
    assert len(only_visio.context["nearest"]) == 1


def test_expired_hold_sends_back_to_the_slots(client, visio_setup):
    from maillage import clock

    response = client.post(
        reverse("appointments:hold", args=[visio_setup["service"].pk]),
        {"slot": _key(visio_setup, 9)},
    )
    with clock.travel(clock.now() + dt.timedelta(minutes=6)):
        page = client.get(response["Location"], follow=True)
    assert "pas été gardé plus de 5 minutes" in text(page)
    assert page.redirect_chain[-1][0].endswith(
        reverse("appointments:service_detail", args=[visio_setup["service"].pk])
    )


def test_holding_another_slot_gives_the_first_one_back(client, visio_setup):
    url = reverse("appointments:hold", args=[visio_setup["service"].pk])
    client.post(url, {"slot": _key(visio_setup, 9)})
    first = Booking.objects.get()
    client.post(url, {"slot": _key(visio_setup, 10)})
    first.refresh_from_db()
    assert first.status == BookingStatus.EXPIRED
    assert not first.occupations.filter(active=True).exists()
    assert Booking.objects.filter(status=BookingStatus.HELD).count() == 1
    # The 9 o'clock slot is free again for someone else.
    other = Client().post(url, {"slot": _key(visio_setup, 9)})
    assert other.status_code == 302 and "/reservation/" in other["Location"]


def test_confirming_forgets_the_held_slot_cookie(client, visio_setup):
    """Once booked, the slot is no longer held: holding another one for someone else later
    neither touches the booking nor reads it again."""
    url = reverse("appointments:hold", args=[visio_setup["service"].pk])
    held = client.post(url, {"slot": _key(visio_setup, 9)})
    assert HELD_COOKIE in held.cookies
    done = client.post(held["Location"], PERSON)
    assert done.status_code == 302 and "/confirmation/" in done["Location"]
    assert done.cookies[HELD_COOKIE]["max-age"] == 0
    assert HELD_COOKIE not in client.cookies or not client.cookies[HELD_COOKIE].value
    booked = Booking.objects.get()
    with CaptureQueriesContext(connection) as second:
        client.post(url, {"slot": _key(visio_setup, 10)})
    reading_it = f'"appointments_booking"."id" = {booked.pk}'
    assert not [query for query in second.captured_queries if reading_it in query["sql"]]
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 1
    assert Booking.objects.filter(status=BookingStatus.HELD).count() == 1


def test_one_address_cannot_hold_slot_after_slot(client, visio_setup, settings):
    settings.MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS = 3
    url = reverse("appointments:hold", args=[visio_setup["service"].pk])
    for hour in (9, 10, 11):
        assert "/reservation/" in client.post(url, {"slot": _key(visio_setup, hour)})["Location"]
    response = client.post(url, {"slot": _key(visio_setup, 14)}, follow=True)
    assert "Trop de créneaux ont été retenus" in text(response)
    assert Booking.objects.filter(status=BookingStatus.HELD).count() == 1


def test_hold_cap_counts_each_visitor_behind_the_proxy(visio_setup, settings):
    """Behind the reverse proxy every request comes from its address: the cap counts the
    client it reports, so one busy visitor does not lock the others out."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS = 2
    url = reverse("appointments:hold", args=[visio_setup["service"].pk])

    def hold(visitor, forwarded, hour):
        response = visitor.post(
            url,
            {"slot": _key(visio_setup, hour)},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        return "/reservation/" in response["Location"]

    busy, other = Client(), Client()
    assert hold(busy, "203.0.113.7", 9) and hold(busy, "1.1.1.1, 203.0.113.7", 10)
    assert not hold(busy, "9.9.9.9, 203.0.113.7", 11)  # forged entries change nothing
    assert hold(other, "198.51.100.4", 11)


def test_the_agenda_and_its_export_do_not_query_per_booking(login, member, visio_setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(member(Role.PARTNER_AGENT))

    def queries() -> list[int]:
        counts = []
        for params in ({"jour": MONDAY.isoformat()}, {"jour": MONDAY.isoformat(), "format": "csv"}):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("appointments:agenda"), params).status_code == 200
            counts.append(len(captured))
        return counts

    def book(hour: int) -> None:
        services.booking_create(
            service=visio_setup["service"],
            starts_at=paris(MONDAY, hour),
            place=visio_setup["place"],
            **PERSON,
        )

    book(9)
    one = queries()
    book(10)
    book(11)
    assert queries() == one
