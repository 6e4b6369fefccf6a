import json
from decimal import Decimal

import pytest

from tests.plan.factories import ActionSheetFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def test_plan_endpoint_lists_public_sheets_with_progress(client, plan, sheet08, library_org):
    ActionSheetFactory(plan=plan, ref="Num99", confidential=True)
    data = client.get(f"/api/plans/{plan.slug}").json()
    refs = [s["ref"] for s in data["sheets"]]
    assert refs == ["Num08"]
    assert data["sheets"][0]["pilots"][0]["organisation"] == library_org.slug


def test_sheet_endpoint_gives_indicator_targets(client, plan, sheet08):
    data = client.get(f"/api/plans/{plan.slug}/sheets/Num08").json()
    indicator = data["indicators"][0]
    targets = {t["kind"]: t for t in indicator["targets"]}
    assert Decimal(targets["initial"]["value"]) == 0
    assert Decimal(targets["intermediate"]["value"]) == 15
    assert Decimal(targets["final"]["value"]) == 59
    assert "Numérique" in data["dimensions"]
    assert client.get(f"/api/plans/{plan.slug}/sheets/Num42").status_code == 404


def test_confidential_indicator_is_hidden_from_the_public(client, plan, sheet08):
    IndicatorFactory(sheet=sheet08, label="Secret", confidential=True)
    data = client.get(f"/api/plans/{plan.slug}/sheets/Num08").json()
    assert "Secret" not in [i["label"] for i in data["indicators"]]


def _post_measurement(client, indicator_id, payload):
    return client.post(
        f"/api/indicators/{indicator_id}/measurements",
        data=json.dumps(payload),
        content_type="application/json",
    )


def test_pilot_records_a_measurement_and_progress_moves(login, plan, sheet08, pilot08):
    client = login(pilot08)
    indicator = sheet08.indicators.get()
    before = client.get(f"/api/plans/{plan.slug}/sheets/Num08").json()["indicators"][0]
    response = _post_measurement(client, indicator.pk, {"value": "30", "date": "2020-06-30"})
    assert response.status_code == 201, response.content
    after = client.get(f"/api/plans/{plan.slug}/sheets/Num08").json()["indicators"][0]
    assert Decimal(after["current"]) == 30
    assert after["progress"] != before["progress"]
    assert Decimal(after["progress"]) == pytest.approx(
        Decimal(30) / Decimal(59) * 100, abs=Decimal("0.01")
    )


def test_pilot_of_another_sheet_cannot_record(login, sheet08, pilot_other):
    client = login(pilot_other)
    response = _post_measurement(client, sheet08.indicators.get().pk, {"value": "3"})
    assert response.status_code == 403


def test_anonymous_cannot_record(client, sheet08):
    assert _post_measurement(client, sheet08.indicators.get().pk, {"value": "3"}).status_code == 401


def test_future_date_is_refused_plainly(login, sheet08, pilot08):
    client = login(pilot08)
    response = _post_measurement(
        client, sheet08.indicators.get().pk, {"value": "3", "date": "2999-01-01"}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "date"] and "futur" in error["msg"]
