"""The public service page: the first places with free slots, the others on later pages."""

import datetime as dt
import html

from django.urls import reverse

from tests.places.factories import PlaceFactory

from .conftest import MONDAY
from .factories import AgentFactory, ServiceFactory, WeeklyRuleFactory


def _service(organisation, names: list[str], closed: set[str] = frozenset()):
    places = [PlaceFactory(name=name) for name in names]
    agent = AgentFactory(organisation=organisation)
    for place in places:
        if place.name not in closed:
            WeeklyRuleFactory(
                agent=agent, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(10)
            )
    return ServiceFactory(organisation=organisation, agents=[agent], places=places)


def _page(client, service, **params):
    response = client.get(
        reverse("appointments:service_detail", args=[service.pk]),
        {"du": MONDAY.isoformat(), **params},
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_places_with_slots_come_first_and_the_rest_on_a_next_page(client, organisation):
    names = [f"Espace {letter}" for letter in "ABCDEFGH"]
    service = _service(organisation, names, closed={"Espace B"})
    first = _page(client, service)
    assert [name for name in names if f">{name}<" in first] == [
        "Espace A",
        "Espace C",
        "Espace D",
        "Espace E",
        "Espace F",
        "Espace G",
    ]
    assert "lieux=2" in first and "Voir d'autres lieux" in first
    second = _page(client, service, lieux="2")
    # Espace H has slots; Espace B (none) comes after the places with slots.
    assert [name for name in names if f">{name}<" in second] == ["Espace B", "Espace H"]
    assert second.index(">Espace H<") < second.index(">Espace B<")
    assert "Voir d'autres lieux" not in second


def test_no_next_page_link_when_every_place_is_shown(client, organisation):
    service = _service(organisation, ["Espace A", "Espace B"], closed={"Espace A"})
    page = _page(client, service)
    assert ">Espace A<" in page and ">Espace B<" in page
    assert page.index(">Espace B<") < page.index(">Espace A<")
    assert "Voir d'autres lieux" not in page
