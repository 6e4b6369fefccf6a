"""Factories shared by every app's tests (factory-boy).

    UserFactory(), UserFactory(staff=True), UserFactory(superuser=True)
    OrganisationFactory(kind=OrganisationKind.COMMUNE)
    MembershipFactory(mediator=True, user=user, organisation=organisation)

Every user's password is `DEFAULT_PASSWORD`.
"""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory, Password

from maillage.organisations.labels import OrganisationKind, Role
from maillage.organisations.models import Membership, Organisation, User

DEFAULT_PASSWORD = "mot-de-passe-de-test-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = Password(DEFAULT_PASSWORD)
    is_active = True

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)
        inactive = factory.Trait(is_active=False)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.ASSOCIATION

    class Params:
        departement = factory.Trait(
            name="Conseil départemental de la Charente",
            short_name="Département",
            kind=OrganisationKind.DEPARTEMENT,
        )
        commune = factory.Trait(kind=OrganisationKind.COMMUNE)
        public_operator = factory.Trait(kind=OrganisationKind.PUBLIC_OPERATOR)


class MembershipFactory(DjangoModelFactory):
    """A role in an organisation; viewer unless a role trait says otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER

    class Params:
        admin = factory.Trait(role=Role.ADMIN)
        pilot = factory.Trait(role=Role.PILOT)
        mediator = factory.Trait(role=Role.MEDIATOR)
        partner_agent = factory.Trait(role=Role.PARTNER_AGENT)
        receptionist = factory.Trait(role=Role.RECEPTIONIST)
        transport_operator = factory.Trait(role=Role.TRANSPORT_OPERATOR)
        viewer = factory.Trait(role=Role.VIEWER)
