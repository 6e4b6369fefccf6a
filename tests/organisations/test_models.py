import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from maillage.organisations.models import Membership, Organisation, User, validate_siren
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_the_name():
    organisation = Organisation.objects.create(
        name="Mission locale Arc Charente", kind="association"
    )
    assert organisation.slug == "mission-locale-arc-charente"
    assert organisation.get_absolute_url() == "/organisations/mission-locale-arc-charente/"


@pytest.mark.parametrize("siren", ["732829320", "356000000", "732 829 320"])
def test_valid_siren(siren):
    validate_siren(siren)


@pytest.mark.parametrize("siren", ["732829321", "12345678", "abcdefghi"])
def test_invalid_siren(siren):
    with pytest.raises(ValidationError):
        validate_siren(siren)


def test_parent_cycles_are_refused():
    parent = OrganisationFactory()
    child = OrganisationFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_a_role_is_held_once():
    membership = MembershipFactory(pilot=True)
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=membership.user, organisation=membership.organisation, role="pilot"
        )


def test_emails_are_stored_lower_case():
    user = User.objects.create_user("Marie@Exemple.FR", "x")
    assert user.email == "marie@exemple.fr"
    user.email = " Autre@Exemple.fr"
    user.save()
    user.refresh_from_db()
    assert user.email == "autre@exemple.fr"
