"""Measurements a pilot enters: a count takes whole numbers, one value per date (replaced only
when asked), and a value is corrected or deleted with the history keeping the old one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maillage.plan import services
from maillage.plan.models import Indicator, Measurement

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 12, 31)


def _post(client, indicator, **data):
    return client.post(
        indicator.get_absolute_url(), {"date": DAY.isoformat(), "comment": "", **data}
    )


def test_a_count_refuses_decimals_and_a_date_holds_one_value(login, sheet08, pilot08):
    indicator = sheet08.indicators.get()
    assert indicator.is_count
    client = login(pilot08)
    page = _post(client, indicator, value="12,5").content.decode()
    assert "saisissez un nombre entier" in page and not Measurement.objects.exists()
    assert _post(client, indicator, value="12").status_code == 302
    page = _post(client, indicator, value="14").content.decode()
    assert "Une valeur existe déjà au 31/12/2024 (12)" in page
    assert Measurement.objects.get().value == 12
    assert _post(client, indicator, value="14", replace="on").status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.value == 14
    assert [h.value for h in measurement.history.order_by("history_date")] == [12, 14]


def test_a_computed_value_of_a_count_keeps_its_decimals(sheet08, pilot08):
    """The whole-number rule is for what people and files give: a source bound to a count
    (a share, a mean) stores its value, and a file's decimal is still refused."""
    from maillage.plan.labels import MeasurementSource

    indicator = sheet08.indicators.get()
    assert indicator.is_count
    computed = services.measurement_record(
        indicator=indicator,
        value="12.5",
        date=DAY,
        source=MeasurementSource.COMPUTED,
        check_permission=False,
    )
    assert computed.value == Decimal("12.5")
    with pytest.raises(ValidationError, match="nombre entier"):
        services.measurement_record(
            indicator=indicator,
            value="3.5",
            date=DAY - dt.timedelta(days=1),
            author=pilot08,
            source=MeasurementSource.IMPORT,
        )


def test_a_pilot_corrects_and_deletes_a_value_with_its_history(
    login, sheet08, pilot08, pilot_other
):
    indicator = sheet08.indicators.get()
    measurement = services.measurement_record(
        indicator=indicator, value=12, date=DAY, author=pilot08
    )
    edit = reverse("plan:measurement_edit", args=[sheet08.plan.slug, measurement.pk])
    delete = reverse("plan:measurement_delete", args=[sheet08.plan.slug, measurement.pk])
    other = login(pilot_other)
    assert other.get(edit).status_code == 403 and other.post(delete).status_code == 403
    client = login(pilot08)
    form = client.get(edit).content.decode()
    assert 'value="2024-12-31"' in form  # an ISO date the browser's date field reads
    response = client.post(edit, {"value": "13", "date": DAY.isoformat(), "comment": "recompté"})
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert (measurement.value, measurement.comment) == (13, "recompté")
    history = client.get(reverse("plan:sheet_history", args=[sheet08.plan.slug, "Num08"]))
    assert "13" in history.content.decode()
    assert "ne comptera plus" in client.get(delete).content.decode()
    assert Measurement.objects.exists()
    client.post(delete)
    assert not Measurement.objects.exists()
    assert measurement.history.count() == 3  # recorded, corrected, deleted


@given(value=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_counts_take_whole_numbers_only(value):
    indicator = Indicator(label="Nombre de points de médiation", unit="points")
    whole = value == value.to_integral_value()
    try:
        services._checked_value(indicator, str(value))
    except ValidationError:
        assert not whole
    else:
        assert whole
    rate = Indicator(label="Part des lignes en très haut débit", unit="%")
    assert services._checked_value(rate, str(value)) == Decimal(str(value))
