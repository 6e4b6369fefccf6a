import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from maillage.plan.labels import SheetStatus, TargetKind
from maillage.plan.models import ActionSheet, Indicator, SheetStatusChange

from .factories import (
    ActionSheetFactory,
    IndicatorFactory,
    MeetingFactory,
    PlanFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


def test_ref_is_unique_per_plan_only():
    plan = PlanFactory()
    ActionSheetFactory(plan=plan, ref="Num01")
    ActionSheetFactory(plan=PlanFactory(), ref="Num01")  # another plan: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionSheetFactory(plan=plan, ref="Num01")


def test_one_target_per_kind():
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, kind=TargetKind.FINAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(indicator=indicator, kind=TargetKind.FINAL)


def test_target_needs_a_value_or_a_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(value=None, value_text="")
    target = TargetFactory(value=None, value_text="Programme de numérisation de masse en cours")
    assert target.display_value.startswith("Programme")


def test_target_effective_date_from_year():
    target = TargetFactory(year=2019, date=None)
    assert target.effective_date == dt.date(2019, 12, 31)


def test_meeting_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(
            starts_at=dt.datetime(2030, 1, 1, 14, tzinfo=dt.UTC),
            ends_at=dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC),
        )


def test_computed_indicator_needs_a_source():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(measurement_method="computed", source_key="")


def test_status_transitions_are_declared_and_logged(user):
    sheet = ActionSheetFactory()
    with pytest.raises(ValidationError):
        sheet.change_status(SheetStatus.DONE, by=user)  # not started → done: not declared
    sheet.change_status(SheetStatus.IN_PROGRESS, by=user, comment="Lancement")
    sheet.change_status(SheetStatus.DONE, by=user)
    log = list(SheetStatusChange.objects.filter(sheet=sheet).order_by("id"))
    assert [(c.from_status, c.to_status) for c in log] == [
        ("not_started", "in_progress"),
        ("in_progress", "done"),
    ]
    assert log[0].user == user and log[0].comment == "Lancement"


def test_public_querysets_hide_confidential_items():
    plan = PlanFactory()
    public = ActionSheetFactory(plan=plan)
    secret = ActionSheetFactory(plan=plan, confidential=True)
    shown = IndicatorFactory(sheet=public)
    IndicatorFactory(sheet=public, confidential=True)
    IndicatorFactory(sheet=secret)
    assert list(ActionSheet.objects.public()) == [public]
    assert list(Indicator.objects.public()) == [shown]


def test_history_records_each_change(user):
    sheet = ActionSheetFactory(theme="Numérique")
    sheet.theme = "Services"
    sheet._history_user = user
    sheet.save()
    records = list(sheet.history.order_by("history_date"))
    assert [r.theme for r in records] == ["Numérique", "Services"]
    assert records[-1].history_user == user


def test_dimensions_labels():
    sheet = ActionSheetFactory(physical=True, digital=True, schedule=False, pooling=True)
    assert sheet.dimensions == ["Physique", "Numérique", "Mutualisation"]


def test_with_latest_annotation():
    indicator = IndicatorFactory()
    indicator.measurements.create(value=Decimal(3), date=dt.date(2019, 1, 1))
    indicator.measurements.create(value=Decimal(7), date=dt.date(2020, 1, 1))
    indicator.measurements.create(value=Decimal(5), date=dt.date(2018, 1, 1))
    annotated = Indicator.objects.with_latest().get(pk=indicator.pk)
    assert annotated.latest_value == Decimal(7)
    assert annotated.latest_date == dt.date(2020, 1, 1)
