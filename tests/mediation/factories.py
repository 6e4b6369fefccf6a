"""Factories of the mediation app.

BeneficiaryFactory(organisation=org), BeneficiaryFactory(named=True) (name + consent)
AccompanimentFactory(organisation=org, participants=[b1, b2]), OutcomeFactory(beneficiary=b)
"""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from maillage.mediation.labels import AccompanimentKind, LocationKind, OutcomeKind
from maillage.mediation.models import Accompaniment, Beneficiary, Outcome, Participation
from tests.factories import OrganisationFactory


class BeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = Beneficiary

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")

    class Params:
        named = factory.Trait(last_name="Martin", consent_at=factory.LazyFunction(timezone.now))


class AccompanimentFactory(DjangoModelFactory):
    class Meta:
        model = Accompaniment
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    kind = AccompanimentKind.INDIVIDUAL
    date = dt.date(2025, 3, 10)
    duration_minutes = 60
    location_kind = LocationKind.HOME
    themes = factory.LazyFunction(lambda: ["email"])

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            Participation.objects.bulk_create(
                [Participation(accompaniment=self, beneficiary=b) for b in extracted]
            )


class OutcomeFactory(DjangoModelFactory):
    class Meta:
        model = Outcome

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    organisation = factory.LazyAttribute(lambda o: o.beneficiary.organisation)
    kind = OutcomeKind.EQUIPPED
    date = dt.date(2025, 4, 1)
