"""Factories of the appointments app.

AgentFactory(), ServiceFactory(visio=True, places=[place], agents=[agent]),
WeeklyRuleFactory(agent=agent, place=place, weekday=1, start_time=..., end_time=...),
ResourceFactory(place=place), SessionFactory(capacity=1)
BookingFactory() (booked), BookingFactory(held=True), BookingFactory(cancelled=True),
BookingFactory(waitlisted=True), BookingFactory(session=session) (a seat in a workshop)
"""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from maillage import clock
from maillage.appointments.labels import BookableBy, BookingStatus, ResourceKind, ServiceKind
from maillage.appointments.models import (
    Absence,
    Agent,
    Booking,
    Resource,
    Service,
    Session,
    WeeklyRule,
)
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory


class AgentFactory(DjangoModelFactory):
    class Meta:
        model = Agent

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Agent {n}")


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    organisation = factory.SubFactory(OrganisationFactory)
    place = factory.SubFactory(PlaceFactory, point_visio=True)
    kind = ResourceKind.VISIO_ROOM
    name = factory.Sequence(lambda n: f"Salle visio {n}")


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Motif {n}")
    kind = ServiceKind.INDIVIDUAL
    bookable_by = BookableBy.PUBLIC
    duration_minutes = 30
    min_delay_hours = 0
    max_delay_days = 60

    class Params:
        visio = factory.Trait(kind=ServiceKind.VISIO, duration_minutes=45)
        workshop = factory.Trait(kind=ServiceKind.WORKSHOP, duration_minutes=90)
        home_visit = factory.Trait(kind=ServiceKind.HOME_VISIT, duration_minutes=60)
        phone = factory.Trait(kind=ServiceKind.PHONE)

    @factory.post_generation
    def agents(self, create, extracted, **kwargs):
        if create and extracted:
            self.agents.set(extracted)

    @factory.post_generation
    def places(self, create, extracted, **kwargs):
        if create and extracted:
            self.places.set(extracted)


class WeeklyRuleFactory(DjangoModelFactory):
    class Meta:
        model = WeeklyRule

    weekday = 0
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)


class AbsenceFactory(DjangoModelFactory):
    class Meta:
        model = Absence


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    service = factory.SubFactory(ServiceFactory, workshop=True)
    place = factory.SubFactory(PlaceFactory)
    starts_at = factory.LazyFunction(lambda: dt.datetime(2030, 3, 5, 13, 0, tzinfo=dt.UTC))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    capacity = 10


class BookingFactory(DjangoModelFactory):
    """A confirmed appointment on Monday 4 March 2030 at 10:00 (the suite's Monday), for the
    service's duration; with `session=`, a seat in that workshop session (its service, place
    and times)."""

    class Meta:
        model = Booking

    session = None
    service = factory.Maybe(
        "session",
        yes_declaration=factory.SelfAttribute("session.service"),
        no_declaration=factory.SubFactory(ServiceFactory),
    )
    place = factory.Maybe(
        "session",
        yes_declaration=factory.SelfAttribute("session.place"),
        no_declaration=None,
    )
    starts_at = factory.Maybe(
        "session",
        yes_declaration=factory.SelfAttribute("session.starts_at"),
        no_declaration=dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC),
    )
    ends_at = factory.Maybe(
        "session",
        yes_declaration=factory.SelfAttribute("session.ends_at"),
        no_declaration=factory.LazyAttribute(lambda o: o.starts_at + o.service.duration),
    )
    status = BookingStatus.BOOKED
    name = factory.Sequence(lambda n: f"Personne {n}")
    phone = "06 12 34 56 78"

    class Params:
        held = factory.Trait(
            status=BookingStatus.HELD,
            hold_expires_at=factory.LazyFunction(lambda: clock.now() + dt.timedelta(minutes=5)),
        )
        cancelled = factory.Trait(status=BookingStatus.CANCELLED)
        expired = factory.Trait(status=BookingStatus.EXPIRED)
        waitlisted = factory.Trait(status=BookingStatus.WAITLISTED)
