import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from maillage import clock
from maillage.organisations.labels import Role
from maillage.transport import planning

from .fleet import DAY, NOW, chalais_place, make_operator, ride

pytestmark = pytest.mark.django_db


@override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.3)
def test_the_day_api_is_for_the_operator_only(charente, member, login, client):
    with clock.travel(NOW):
        operator, _ = make_operator()
        place = chalais_place()
        ride(operator, place, "Brossac")
        planning.plan_day(operator=operator, date=DAY, seconds=0.3)
    url = f"/api/transport/operators/{operator.slug}/days/{DAY.isoformat()}"
    assert client.get(url).status_code == 401
    # Another organisation's carrier is not even revealed; its own viewer is refused.
    assert login(member(Role.MEDIATOR)).get(url).status_code == 404
    assert login(member(Role.VIEWER, organisation=operator)).get(url).status_code == 403
    data = login(member(Role.TRANSPORT_OPERATOR, organisation=operator)).get(url).json()
    assert data["unserved"] == [] and len(data["tours"]) == 1
    stops = data["tours"][0]["stops"]
    assert next(s["kind"] for s in stops) == "depart" and stops[-1]["kind"] == "arrive"
    assert {s["name"] for s in stops if s["request"]} == {"Personne de Brossac"}


@override_settings(MAILLAGE_TRANSPORT_PLAN_SECONDS=0.3)
def test_the_day_page_map_and_the_api_read_the_same_tours(charente, member, login):
    """One reading of a day's tours (`day_tours.py`): the map's data on the operator's page
    are the API's tours, with the map's line, colour and marker captions beside."""
    with clock.travel(NOW):
        operator, _ = make_operator()
        place = chalais_place()
        ride(operator, place, "Brossac")
        planning.plan_day(operator=operator, date=DAY, seconds=0.3)
    client = login(member(Role.TRANSPORT_OPERATOR, organisation=operator))
    api = client.get(f"/api/transport/operators/{operator.slug}/days/{DAY.isoformat()}").json()
    page = client.get(reverse("transport:day", args=[operator.slug, DAY.isoformat()]))
    found = re.search(
        r'<script id="carte-tournees-donnees" type="application/json">(.*?)</script>',
        page.content.decode(),
    )
    drawn = json.loads(found.group(1))["tours"]
    fields = ("id", "vehicle", "driver", "km", "minutes")
    assert [{k: t[k] for k in fields} for t in drawn] == [
        {k: t[k] for k in fields} for t in api["tours"]
    ]
    stop_fields = ("order", "kind", "leg", "latitude", "longitude", "request", "name")
    assert [[{k: s[k] for k in stop_fields} for s in t["stops"]] for t in drawn] == [
        [{k: s[k] for k in stop_fields} for s in t["stops"]] for t in api["tours"]
    ]
    assert drawn[0]["line"] and drawn[0]["colour"].startswith("#")
    assert any("Personne de Brossac" in s["caption"] for s in drawn[0]["stops"])
