"""Agents run their own agendas: weekly windows, absences and leave set from the site by the
agent or an administrator of their organisation; slots follow; appointments falling in a new
absence are pointed out; the week calendar shows the agent's appointments."""

import datetime as dt
import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillage.appointments import availability, services
from maillage.appointments.models import Absence, WeeklyRule
from maillage.appointments.slots import service_slots
from maillage.organisations.labels import Role

from .conftest import MONDAY, paris
from .factories import AgentFactory

pytestmark = pytest.mark.django_db
PERSON = {"name": "Jeanne", "phone": "0612345678", "email": "jeanne@exemple.fr"}


def _slots(setup):
    found = service_slots(setup["service"], start=MONDAY, end=MONDAY + dt.timedelta(days=1))
    return [s.starts_at for slots in found.values() for s in slots]


def test_agent_adds_a_window_then_an_absence(member, individual_setup):
    agent = individual_setup["agent"]
    person = member(Role.MEDIATOR)
    agent.user = person
    agent.save()
    before = _slots(individual_setup)
    availability.weekly_rule_add(
        agent=agent,
        by=person,
        weekday=MONDAY.weekday(),
        start_time=dt.time(14),
        end_time=dt.time(16),
        place=individual_setup["place"],
    )
    after = _slots(individual_setup)
    assert set(after) - set(before) == {paris(MONDAY, 14), paris(MONDAY, 15)}
    booking, _ = services.booking_create(
        service=individual_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=individual_setup["place"],
        agent=agent,
        **PERSON,
    )
    low, high = availability.absence_bounds(MONDAY, MONDAY, None, None)
    _absence, affected = availability.absence_add(
        agent=agent, by=person, starts_at=low, ends_at=high, reason="Congés"
    )
    assert affected == [booking]
    assert _slots(individual_setup) == []
    assert availability.conflicts(agent) == [booking]


def test_who_sets_an_agents_availability(member, organisation, other_organisation):
    agent = AgentFactory(organisation=organisation)
    own = member(Role.PARTNER_AGENT)
    agent.user = own
    agent.save()
    admin = member(Role.ADMIN)
    colleague = member(Role.PARTNER_AGENT)
    outsider = member(Role.ADMIN, organisation=other_organisation)
    window = {"weekday": 0, "start_time": dt.time(9), "end_time": dt.time(10)}
    assert availability.weekly_rule_add(agent=agent, by=own, **window)
    assert availability.weekly_rule_add(agent=agent, by=admin, **window)
    for person in (colleague, outsider):
        with pytest.raises(PermissionDenied):
            availability.weekly_rule_add(agent=agent, by=person, **window)
    assert list(availability.manageable_agents(colleague)) == []
    assert list(availability.manageable_agents(own)) == [agent]


def test_absence_hours_are_local_and_whole_days_cover_the_day():
    low, high = availability.absence_bounds(MONDAY, MONDAY + dt.timedelta(days=2), None, None)
    assert low == paris(MONDAY, 0)
    assert high == paris(MONDAY + dt.timedelta(days=3), 0)
    low, high = availability.absence_bounds(MONDAY, MONDAY, dt.time(14), dt.time(17, 30))
    assert (low, high) == (paris(MONDAY, 14), paris(MONDAY, 17, 30))


def test_availability_pages(login, member, individual_setup):
    agent = individual_setup["agent"]
    person = member(Role.MEDIATOR)
    agent.user = person
    agent.save()
    client = login(person)
    assert client.get(reverse("appointments:availability_list")).url == reverse(
        "appointments:agent_availability", args=[agent.pk]
    )
    page = client.get(reverse("appointments:agent_availability", args=[agent.pk]))
    assert "Plages d'ouverture chaque semaine" in html.unescape(page.content.decode())
    add = reverse("appointments:agent_rule_add", args=[agent.pk])
    wrong = client.post(
        add, {"plage-weekday": "2", "plage-start_time": "12:00", "plage-end_time": "09:00"}
    )
    assert wrong.status_code == 400
    assert "L'heure de fin doit suivre l'heure de début." in html.unescape(wrong.content.decode())
    client.post(
        add,
        {
            "plage-weekday": "2",
            "plage-start_time": "09:00",
            "plage-end_time": "12:00",
            "plage-place": str(individual_setup["place"].pk),
        },
    )
    rule = WeeklyRule.objects.get(agent=agent, weekday=2)
    assert rule.place == individual_setup["place"]
    client.post(
        reverse("appointments:agent_absence_add", args=[agent.pk]),
        {
            "absence-first_day": "2030-03-11",
            "absence-last_day": "2030-03-15",
            "absence-reason": "Congés",
        },
    )
    absence = Absence.objects.get(agent=agent)
    assert absence.starts_at == paris(dt.date(2030, 3, 11), 0)
    client.post(reverse("appointments:agent_rule_delete", args=[rule.pk]))
    client.post(reverse("appointments:agent_absence_delete", args=[absence.pk]))
    assert not WeeklyRule.objects.filter(pk=rule.pk).exists()
    assert not Absence.objects.filter(pk=absence.pk).exists()


def test_week_calendar_lists_the_agents_appointments(login, member, individual_setup):
    agent = individual_setup["agent"]
    person = member(Role.MEDIATOR)
    services.booking_create(
        service=individual_setup["service"],
        starts_at=paris(MONDAY, 9),
        place=individual_setup["place"],
        agent=agent,
        **PERSON,
    )
    client = login(person)
    page = client.get(
        reverse("appointments:agenda"), {"vue": "semaine", "jour": "2030-03-06", "agent": agent.pk}
    )
    calendar = page.context["calendar"]
    assert calendar[0]["date"] == MONDAY
    assert [item["who"] for item in calendar[0]["items"]] == ["Jeanne"]
    assert all(not d["items"] for d in calendar[1:])
