import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.plan import services
from maillage.plan.labels import MeetingBody, SheetStatus
from maillage.plan.models import Meeting
from maillage.plan.rollup import plan_overview

from .factories import PlanFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_measurement_record_moves_progress(sheet08, pilot08):
    indicator = sheet08.indicators.get()
    before = plan_overview(sheet08.plan, pilot08).rows[0]
    assert before.progress is None
    with pytest.raises(ValidationError):  # a count of points: whole numbers only
        services.measurement_record(indicator=indicator, value="29,5", author=pilot08)
    indicator.targets.filter(kind="final").update(value=60)
    measurement = services.measurement_record(
        indicator=indicator, value="30", author=pilot08, comment="Bilan"
    )
    assert measurement.value == Decimal("30")
    assert measurement.date == dt.date(2020, 6, 1)
    assert measurement.history.get().history_user == pilot08
    after = plan_overview(sheet08.plan, pilot08).rows[0]
    assert after.progress == Decimal(50)
    assert after.indicators[0].state.status == "on_track"


def test_measurement_record_refuses_non_pilots_and_future_dates(sheet08, pilot08, pilot_other):
    indicator = sheet08.indicators.get()
    with pytest.raises(PermissionDenied):
        services.measurement_record(indicator=indicator, value=3, author=pilot_other)
    with pytest.raises(ValidationError):
        services.measurement_record(
            indicator=indicator,
            value=3,
            author=pilot08,
            date=dt.date.today() + dt.timedelta(days=3),
        )
    with pytest.raises(ValidationError):
        services.measurement_record(indicator=indicator, value="beaucoup", author=pilot08)


def test_sheet_update_and_status(sheet08, pilot08):
    changed = services.sheet_update(
        sheet=sheet08, data={"calendar_text": "2018-2020", "schedule": True}, by=pilot08
    )
    assert set(changed) == {"calendar_text", "schedule"}
    assert services.sheet_update(sheet=sheet08, data={"schedule": True}, by=pilot08) == []
    with pytest.raises(ValidationError):
        services.sheet_update(sheet=sheet08, data={"ref": "Num99"}, by=pilot08)
    services.sheet_change_status(sheet=sheet08, status=SheetStatus.IN_PROGRESS, by=pilot08)
    sheet08.refresh_from_db()
    assert sheet08.status == SheetStatus.IN_PROGRESS
    assert sheet08.status_changes.get().user == pilot08


def test_superuser_edits_everything(sheet08, superuser):
    services.sheet_update(sheet=sheet08, data={"theme": "Services"}, by=superuser)


def test_target_set_creates_updates_and_removes(sheet08, pilot08):
    indicator = sheet08.indicators.get()
    target = services.target_set(
        indicator=indicator, kind="final", value="60", year=2023, by=pilot08
    )
    assert target.value == 60 and target.year == 2023
    assert services.target_set(indicator=indicator, kind="final", by=pilot08) is None
    assert not indicator.targets.filter(kind="final").exists()


def test_meetings_from_num02_rhythm(plan, superuser):
    rhythm = [
        {"body": "Comité de pilotage", "months": ["janvier", "juin"]},
        {"body": "Comité technique", "months": ["décembre", "mai"]},
        {"body": "Réseau Pdn", "months": ["février", "mai", "novembre"]},
    ]
    created = services.meetings_generate_from_rhythm(
        plan=plan, year=2030, rhythm=rhythm, by=superuser
    )
    assert len(created) == 7
    by_body = {}
    for meeting in created:
        by_body.setdefault(meeting.body, []).append(meeting.starts_at.month)
    assert sorted(by_body[MeetingBody.COPIL]) == [1, 6]
    assert sorted(by_body[MeetingBody.COTECH]) == [5, 12]
    assert sorted(by_body[MeetingBody.NETWORK]) == [2, 5, 11]
    assert all(m.starts_at.weekday() == 1 for m in created)  # a Tuesday
    # idempotent
    assert services.meetings_generate_from_rhythm(plan=plan, year=2030, rhythm=rhythm) == []
    assert Meeting.objects.filter(plan=plan).count() == 7


def test_meetings_need_a_pilot_or_admin(user):
    plan = PlanFactory()
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            plan=plan,
            data={
                "body": "copil",
                "title": "Copil",
                "starts_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            },
            by=user,
        )


def test_unknown_month_is_rejected(plan):
    with pytest.raises(ValidationError):
        services.normalise_rhythm([{"body": "copil", "months": ["brumaire"]}])
