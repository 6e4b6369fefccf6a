"""One click: a workshop session's attendance (appointments app) becomes an accompaniment."""

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse

from maillage.mediation.labels import AccompanimentKind
from maillage.mediation.models import Accompaniment

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 5, 6, 12, 0, tzinfo=dt.UTC)  # 14:00 in Paris


@pytest.fixture
def workshop(organisation, place, communes):
    Service = apps.get_model("appointments", "Service")
    Session = apps.get_model("appointments", "Session")
    Booking = apps.get_model("appointments", "Booking")
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
        Booking.objects.create(
            service=service,
            session=session,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            status="booked",
            attendance=attendance,
            name=name,
            commune_id="16028",
        )
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
