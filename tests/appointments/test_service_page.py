"""The public service page: the first places with free slots, the others on later pages."""

import datetime as dt
import html
import re

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


def _day_headings(page: str, place_name: str) -> list[str]:
    """The day headings listed under one place's heading."""
    section = page.split(f">{place_name}<", 1)[1].split("</section>", 1)[0]
    return re.findall(r'<h4 class="fr-text--md fr-mb-1w">([^<]+)</h4>', section)


def _weekday_service(organisation, names: list[str], **service_fields):
    """Slots every weekday at each place (9:00 at the first, 12:00 at the second…)."""
    places = [PlaceFactory(name=name) for name in names]
    agent = AgentFactory(organisation=organisation)
    for n, place in enumerate(places):
        for weekday in range(5):
            WeeklyRuleFactory(
                agent=agent,
                place=place,
                weekday=weekday,
                start_time=dt.time(9 + 3 * n),
                end_time=dt.time(10 + 3 * n),
            )
    service = ServiceFactory(
        organisation=organisation, agents=[agent], places=places, **service_fields
    )
    return service, places


def test_several_places_show_three_days_each_and_link_to_a_week_of_one(client, organisation):
    service, places = _weekday_service(organisation, ["Espace A", "Espace B"])
    page = _page(client, service, commune="")
    assert _day_headings(page, "Espace A") == ["Lundi 4 mars", "Mardi 5 mars", "Mercredi 6 mars"]
    assert len(_day_headings(page, "Espace B")) == 3
    link = f"?commune=&du={MONDAY.isoformat()}&lieu={places[0].pk}"
    assert f'href="{link}">Plus de créneaux : Espace A</a>' in page
    # The next page of days starts where the lists stopped, not two weeks later.
    assert "du=2030-03-07" in page.split("Créneaux suivants")[0].rsplit("href=", 1)[1]
    one = _page(client, service, lieu=str(places[0].pk))
    assert _day_headings(one, "Espace A") == [
        "Lundi 4 mars",
        "Mardi 5 mars",
        "Mercredi 6 mars",
        "Jeudi 7 mars",
        "Vendredi 8 mars",
        "Lundi 11 mars",
        "Mardi 12 mars",
    ]
    assert "Plus de créneaux" not in one and ">Espace B<" not in one
    following = one.split("Créneaux suivants")[0].rsplit("href=", 1)[1]
    assert "du=2030-03-13" in following and f"lieu={places[0].pk}" in following


def test_a_service_with_one_list_of_slots_shows_a_week(client, organisation):
    service, _ = _weekday_service(organisation, ["Espace A"])
    assert len(_day_headings(_page(client, service), "Espace A")) == 7


def test_no_more_days_link_when_a_place_has_no_more_days(client, organisation):
    only_mondays = _service(organisation, ["Espace A", "Espace B"])  # 2 days in 14
    page = _page(client, only_mondays)
    assert len(_day_headings(page, "Espace A")) == 2
    assert "Plus de créneaux" not in page
    assert "du=2030-03-18" in page.split("Créneaux suivants")[0].rsplit("href=", 1)[1]
    # Bookable up to Wednesday: exactly the three days shown, nothing more to see.
    three_days, _ = _weekday_service(
        organisation, ["Espace C", "Espace D"], max_delay_days=MONDAY.day + 2 - 1
    )
    page = _page(client, three_days)
    assert _day_headings(page, "Espace C") == ["Lundi 4 mars", "Mardi 5 mars", "Mercredi 6 mars"]
    assert "Plus de créneaux" not in page


def test_what_the_page_starts_from_is_cached_until_the_configuration_changes(
    client, organisation, django_assert_num_queries
):
    from django.core.cache import cache

    cache.clear()
    service = _service(organisation, ["Espace A", "Espace B"])
    assert ">Espace A<" in _page(client, service)
    with django_assert_num_queries(2):  # the request's savepoint pair only
        _page(client, service)
    place = service.places.get(name="Espace A")
    place.name = "Espace Alpha"
    place.save()
    assert ">Espace Alpha<" in _page(client, service)
    organisation.name = "Nouveau nom"
    organisation.save()
    assert "Nouveau nom" in _page(client, service)
    service.places.remove(place)
    assert ">Espace Alpha<" not in _page(client, service)
    service.is_active = False
    service.save()
    response = client.get(reverse("appointments:service_detail", args=[service.pk]))
    assert response.status_code == 404
    assert client.post(reverse("appointments:hold", args=[service.pk])).status_code == 404
