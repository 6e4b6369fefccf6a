"""The public booking path does a fixed number of queries, whatever the number of places,
agents and bookings: pinned here so that a change adding a query per place or per slot fails."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.appointments.models import Booking
from tests.places.factories import PlaceFactory

from .conftest import MONDAY
from .factories import AgentFactory, ServiceFactory, WeeklyRuleFactory

PERSON = {"name": "Jeanne", "phone": "0612345678", "email": "jeanne@exemple.fr"}


def _setup(organisation, places: int, agents: int):
    place_objs = [PlaceFactory(name=f"Espace {n}") for n in range(places)]
    agent_objs = [AgentFactory(organisation=organisation) for _ in range(agents)]
    for agent in agent_objs:
        for place in place_objs:
            for weekday in range(5):
                WeeklyRuleFactory(
                    agent=agent,
                    place=place,
                    weekday=weekday,
                    start_time=dt.time(9),
                    end_time=dt.time(12),
                )
    return ServiceFactory(organisation=organisation, agents=agent_objs, places=place_objs)


def _count(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response, captured


def _journey(client, service) -> dict[str, int]:
    page_url = reverse("appointments:service_detail", args=[service.pk])
    n_page, page, q_page = _count(lambda: client.get(page_url, {"du": MONDAY.isoformat()}))
    assert page.status_code == 200
    key = page.content.decode().split('name="slot" value="', 1)[1].split('"', 1)[0]
    n_hold, held, q_hold = _count(
        lambda: client.post(reverse("appointments:hold", args=[service.pk]), {"slot": key})
    )
    assert held.status_code == 302, held
    book_url = held["Location"]
    n_form, form, q_form = _count(lambda: client.get(book_url))
    assert form.status_code == 200
    n_confirm, confirmed, q_confirm = _count(lambda: client.post(book_url, PERSON))
    assert confirmed.status_code == 302
    n_done, done, q_done = _count(lambda: client.get(confirmed["Location"]))
    assert done.status_code == 200
    for name, q in [("page", q_page), ("hold", q_hold), ("form", q_form), ("confirm", q_confirm), ("done", q_done)]:
        print("=====", name, len(q))
        for x in q:
            print("   ", x["sql"][:300])
    return {"page": n_page, "hold": n_hold, "form": n_form, "confirm": n_confirm, "done": n_done}


@pytest.mark.django_db
def test_dump(client, organisation):
    service = _setup(organisation, places=8, agents=2)
    print(_journey(client, service))
    assert Booking.objects.count() == 1
