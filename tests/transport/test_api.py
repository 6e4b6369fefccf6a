import pytest
from django.test import override_settings

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
