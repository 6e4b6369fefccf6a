"""Factories of the networks app.

NetworkFactory(organisation=org), NetworkFactory(sheet=sheet)
MemberFactory(network=n, history=[("in_training", d1), ("active", d2)], trained_on=d2)
TrainingSessionFactory(network=n, kind="initial", starts_on=d)
MonthlyReturnFactory(member=m, month=d, contacts={"instagram": 4})
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from maillage.networks.labels import CountKind, Job, MemberStatus, Presence, TrainingKind
from maillage.networks.models import (
    Member,
    MemberStatusChange,
    MonthlyReturn,
    Network,
    ReturnCount,
    TrainingAttendance,
    TrainingSession,
)
from tests.factories import OrganisationFactory


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Réseau de test {n}")
    slug = factory.Sequence(lambda n: f"reseau-{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class TrainingSessionFactory(DjangoModelFactory):
    class Meta:
        model = TrainingSession

    network = factory.SubFactory(NetworkFactory)
    kind = TrainingKind.INITIAL
    title = factory.Sequence(lambda n: f"Formation {n}")
    starts_on = dt.date(2025, 9, 24)
    ends_on = factory.LazyAttribute(lambda s: s.starts_on + dt.timedelta(days=1))


class MemberFactory(DjangoModelFactory):
    """`history`: (status, date) pairs logged in order (default: active since 2025-01-01);
    `trained_on`: the end date of an initial training attended (none by default)."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    job = Job.YOUTH_WORKER
    email = factory.Sequence(lambda n: f"promeneur{n}@exemple.fr")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if not create:
            return
        history = (
            extracted if extracted is not None else [(MemberStatus.ACTIVE, dt.date(2025, 1, 1))]
        )
        for status, on in history:
            MemberStatusChange.objects.create(member=self, status=status, effective_on=on)
        if history:
            self.status, self.status_since = history[-1]
            self.save(update_fields=["status", "status_since"])

    @factory.post_generation
    def trained_on(self, create, extracted, **kwargs):
        if create and extracted:
            session = TrainingSessionFactory(
                network=self.network,
                starts_on=extracted - dt.timedelta(days=1),
                ends_on=extracted,
            )
            TrainingAttendance.objects.create(
                session=session, member=self, presence=Presence.PRESENT
            )


class MonthlyReturnFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyReturn
        skip_postgeneration_save = True

    member = factory.SubFactory(MemberFactory)
    month = dt.date(2025, 3, 1)

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            ReturnCount.objects.bulk_create(
                ReturnCount(monthly_return=self, kind=CountKind.CHANNEL, code=code, count=n)
                for code, n in extracted.items()
            )
