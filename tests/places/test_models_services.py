"""Model rules, permissions of the services, routing and anonymisation of help requests."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import override_settings
from django.utils import timezone

from maillage.organisations import permissions
from maillage.organisations.labels import Role
from maillage.places import services
from maillage.places.identifiers import pivot_valid
from maillage.places.labels import HelpNeed, HelpRequestStatus
from maillage.places.models import HelpRequest, Place

from .factories import HelpRequestFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("43493312300029", True),
        ("43493312300028", False),  # wrong check digit
        ("356000000", True),  # La Poste's SIREN
        ("35600000000010", True),  # La Poste: digits sum to a multiple of 5
        ("W162000123", True),  # RNA
        ("W16200012", False),
        ("732829320", True),  # SIREN with a right key
        ("12345678", False),
        ("0000000000000", True),  # 13 characters: RIDET or other register, pattern only
    ],
)
def test_pivot(value, valid):
    assert pivot_valid(value) is valid


def test_closing_date_after_opening_date(charente):
    place = PlaceFactory.build(opened_on=dt.date(2020, 1, 1), closed_on=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "closed_on" in error.value.message_dict
    with pytest.raises(IntegrityError):
        place.save()


def test_unknown_standard_value_is_refused(charente):
    place = PlaceFactory.build(fees=["Cher"], services=["Aide aux démarches administratives"])
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "Cher" in str(error.value.message_dict["fees"])


def test_place_save_checks_the_running_organisation(
    member, organisation, other_organisation, charente
):
    place = PlaceFactory(organisation=organisation)
    mediator = member(Role.MEDIATOR)
    services.place_save(place=place, by=mediator)
    place.organisation = other_organisation  # may not hand it to another organisation
    with pytest.raises(PermissionDenied):
        services.place_save(place=place, by=mediator)
    with pytest.raises(PermissionDenied):
        services.place_save(place=PlaceFactory(organisation=other_organisation), by=mediator)
    with pytest.raises(PermissionDenied):
        services.place_save(place=PlaceFactory(organisation=organisation), by=member(Role.PILOT))


def test_handling_help_requests_is_its_own_action():
    assert set(permissions.roles_granting(permissions.PLACES_HANDLE_HELP_REQUESTS)) == {
        Role.ADMIN,
        Role.MEDIATOR,
    }


def test_help_request_routed_to_nearest_place_taking_requests(
    organisation, other_organisation, charente
):
    """An organisation taking call-backs at one place takes them at every place it runs that
    answers the need: a person is routed to the nearest of them, never to a place of an
    organisation taking none, nor to a place that cannot help with the need."""
    from maillage.territory.models import Commune

    chalais = Commune.objects.get(pk="16073")
    near = {"commune_id": "16073", "latitude": 45.27, "longitude": 0.04}
    PlaceFactory(name="Point Visio de Chalais", organisation=other_organisation, **near)
    PlaceFactory(
        name="Chalais, accès libre",
        organisation=organisation,
        services=["Accès internet et matériel informatique"],
        **near,
    )
    in_chalais = PlaceFactory(name="Atelier de Chalais", organisation=organisation, **near)
    PlaceFactory(name="Barbezieux", accepts_help_requests=True, organisation=organisation)
    mobility = PlaceFactory(
        name="Mobilité",
        accepts_help_requests=True,
        organisation=organisation,
        mobility_help=True,
        latitude=45.6484,
        longitude=0.1562,
    )
    common = {
        "name": "Jo",
        "phone": "0600000000",
        "email": "",
        "commune": chalais,
        "preferred_times": [],
    }
    assert services.help_request_create(need=HelpNeed.DIGITAL, **common).place == in_chalais
    assert services.help_request_create(need=HelpNeed.MOBILITY, **common).place == mobility


def test_help_request_without_any_place_is_kept_for_platform_admins(superuser, member, charente):
    from maillage.territory.models import Commune

    request = services.help_request_create(
        name="Jo",
        phone="0600000000",
        email="",
        commune=Commune.objects.get(pk="16073"),
        need=HelpNeed.DIGITAL,
        preferred_times=[],
    )
    assert request.place is None
    assert list(HelpRequest.objects.visible_to(superuser)) == [request]
    assert not HelpRequest.objects.visible_to(member(Role.MEDIATOR)).exists()


def test_help_request_needs_a_contact(charente):
    with pytest.raises(IntegrityError):
        HelpRequestFactory(phone="", email="")


def test_transfer_to_another_organisation_place(member, organisation, other_organisation, charente):
    here = PlaceFactory(organisation=organisation, accepts_help_requests=True)
    there = PlaceFactory(organisation=other_organisation, accepts_help_requests=True)
    request = HelpRequestFactory(place=here)
    mediator = member(Role.MEDIATOR)
    services.help_request_update(
        request=request, by=mediator, place=there, note="Plus proche de chez elle."
    )
    request.refresh_from_db()
    assert request.place == there
    assert not HelpRequest.objects.visible_to(mediator).exists()
    other = member(Role.MEDIATOR, organisation=other_organisation)
    assert list(HelpRequest.objects.visible_to(other)) == [request]
    with pytest.raises(PermissionDenied):
        services.help_request_update(
            request=request, by=mediator, status=HelpRequestStatus.RESOLVED
        )


def test_assignee_must_handle_requests_of_the_place(member, organisation, charente):
    request = HelpRequestFactory(place=PlaceFactory(organisation=organisation))
    with pytest.raises(ValidationError):
        services.help_request_update(
            request=request, by=member(Role.ADMIN), assigned_to=member(Role.VIEWER)
        )


@override_settings(MAILLAGE_HELP_REQUEST_RETENTION_MONTHS=12)
def test_personal_data_is_erased_after_retention(member, organisation, charente):
    place = PlaceFactory(organisation=organisation)
    old = HelpRequestFactory(
        place=place,
        status=HelpRequestStatus.RESOLVED,
        closed_at=timezone.now() - dt.timedelta(days=400),
        message="Mon dossier",
    )
    recent = HelpRequestFactory(
        place=place,
        status=HelpRequestStatus.RESOLVED,
        closed_at=timezone.now() - dt.timedelta(days=30),
    )
    still_open = HelpRequestFactory(place=place)
    assert services.help_requests_anonymise_expired() == 1
    old.refresh_from_db()
    assert (old.name, old.phone, old.email, old.message) == ("(effacé)", "", "", "")
    assert old.anonymised_at and old.need == HelpNeed.DIGITAL
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.name == still_open.name == "Jeanne D."


def test_open_on_queryset(charente):
    PlaceFactory(opened_on=dt.date(2020, 1, 1), closed_on=dt.date(2021, 1, 1))
    assert Place.objects.open_on(dt.date(2020, 6, 1)).count() == 1
    assert Place.objects.open_on(dt.date(2021, 1, 1)).count() == 0
