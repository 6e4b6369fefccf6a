"""A plan marked in force is shown "en vigueur" only within its period."""

import datetime as dt

import pytest
from django.urls import reverse

from maillage import clock
from maillage.plan.labels import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "shown"),
    [
        (2017, "À venir (à partir de 2018)"),
        (2018, "En vigueur"),
        (2023, "En vigueur"),
        (2026, "Période achevée fin 2023"),
    ],
)
def test_the_plan_status_follows_its_period(client, plan, year, shown):
    plan.period_start, plan.period_end, plan.status = 2018, 2023, PlanStatus.ACTIVE
    plan.save()
    assert plan.status_on(dt.date(year, 6, 1))[0] == shown
    with clock.travel(dt.datetime(year, 6, 1, 10, tzinfo=dt.UTC)):
        for name, args in (("plan:plan_list", []), ("plan:plan_detail", [plan.slug])):
            page = client.get(reverse(name, args=args)).content.decode()
            assert shown in page
            if year == 2026:
                assert "En vigueur" not in page
