"""One click: a workshop session's attendance (appointments app) becomes an accompaniment."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from maillage.mediation.labels import AccompanimentKind
from maillage.mediation.models import Accompaniment
from tests.appointments.factories import BookingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 5, 6, 12, 0, tzinfo=dt.UTC)  # 14:00 in Paris


@pytest.fixture
def workshop(organisation, place, communes):
    Service = apps.get_model("appointments", "Service")
    Session = apps.get_model("appointments", "Session")
    service = Service.objects.create(
        organisation=organisation,
        name="Atelier espace privé MSA",
        kind="workshop",
        duration_minutes=90,
    )
    session = Session.objects.create(
        service=service,
        place=place,
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=90),
        capacity=8,
    )
    for name, attendance in [
        ("Jeanne Dupré", "present"),
        ("Paul", "present"),
        ("Marie", "absent"),
        ("Luc", "excused"),
    ]:
        BookingFactory(session=session, attendance=attendance, name=name, commune_id="16028")
    return session


def test_workshop_attendance_becomes_an_accompaniment_in_one_click(login, mediator, workshop):
    client = login(mediator)
    home = client.get(reverse("mediation:home"))
    assert "Atelier espace privé MSA" in home.content.decode()
    url = reverse("mediation:from_attendance", args=["appointments.Session", workshop.pk])
    response = client.post(url)
    record = Accompaniment.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.kind == AccompanimentKind.COLLECTIVE
    assert (record.date, record.duration_minutes, record.place) == (
        dt.date(2025, 5, 6),
        90,
        workshop.place,
    )
    assert (record.source_model, record.source_id) == ("appointments.Session", str(workshop.pk))
    people = sorted(b.first_name for b in record.beneficiaries.all())
    assert people == ["Jeanne", "Paul"]  # present only; first names only, no contact
    assert all(b.commune_id == "16028" and not b.last_name for b in record.beneficiaries.all())
    client.post(url)  # a second click adds nothing
    assert Accompaniment.objects.count() == 1
    assert "Atelier espace privé MSA" not in client.get(reverse("mediation:home")).content.decode()


def test_other_organisation_cannot_record_the_attendance(
    login, member, other_organisation, workshop
):
    from maillage.organisations.labels import Role

    client = login(member(Role.MEDIATOR, organisation=other_organisation))
    url = reverse("mediation:from_attendance", args=["appointments.Session", workshop.pk])
    assert client.post(url).status_code == 404
    assert not Accompaniment.objects.exists()


def test_unknown_source_is_404(login, mediator):
    client = login(mediator)
    url = reverse("mediation:from_attendance", args=["places.Place", 1])
    assert client.post(url).status_code == 404
    url = reverse("mediation:from_attendance", args=["appointments.Session", 999])
    assert client.post(url).status_code == 404


def test_attendance_of_an_appointment_still_to_come_is_refused_with_a_message(
    login, mediator, workshop
):
    """Marking people present before the workshop starts is refused (it used to be counted,
    then the "record the accompaniment" step failed); nothing is recorded either way."""
    from maillage import clock
    from maillage.appointments import services as appointment_services
    from maillage.appointments.locking import BookingError

    booking = workshop.bookings.get(name="Paul")
    before = workshop.starts_at - dt.timedelta(days=2)
    with clock.travel(before):
        with pytest.raises(BookingError, match="pas encore eu lieu"):
            appointment_services.booking_mark_attendance(
                booking=booking, attendance="absent", by=mediator
            )
        client = login(mediator)
        page = client.post(
            reverse("appointments:session_attendance_save", args=[workshop.pk]),
            {f"presence-{booking.pk}": "absent"},
            follow=True,
        )
        assert "pas encore eu lieu" in page.content.decode()
        booking.refresh_from_db()
        assert booking.attendance == "present"
        response = client.post(
            reverse("mediation:from_attendance", args=["appointments.Session", workshop.pk]),
            follow=True,
        )
        assert response.status_code == 200
        assert "pas encore eu lieu" in response.content.decode()
    assert not Accompaniment.objects.exists()
    assert not apps.get_model("mediation", "Beneficiary").objects.exists()
