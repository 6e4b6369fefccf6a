"""Network life: the plan's meetings of the sheet, attendance and minutes, and the rule
"3 network meetings a year" as done / on track / late."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maillage import clock
from maillage.networks import meetings
from maillage.networks.labels import Presence, RuleStatus
from maillage.plan.labels import MeetingBody
from maillage.plan.services import meetings_generate_from_rhythm
from tests.factories import OrganisationFactory
from tests.plan.factories import ActionSheetFactory

from .factories import MemberFactory

pytestmark = pytest.mark.django_db

RHYTHM = [
    {"body": "Comité de pilotage", "months": [1, 6]},
    {"body": "Réseau Pdn", "months": [2, 5, 11]},
]


@pytest.fixture
def sheet(network):
    sheet = ActionSheetFactory(ref="Num02", governance_rhythm=RHYTHM)
    network.sheet = sheet
    network.save()
    meetings_generate_from_rhythm(plan=sheet.plan, year=2026, rhythm=RHYTHM, sheets=[sheet])
    return sheet


def _network_meeting(network, month):
    return meetings.network_meetings(network).get(body=MeetingBody.NETWORK, starts_at__month=month)


def test_a_meeting_is_held_once_attendance_or_minutes_are_recorded(network, sheet, coordinator):
    member = MemberFactory(network=network)
    february, may = _network_meeting(network, 2), _network_meeting(network, 5)
    with clock.travel(dt.datetime(2026, 6, 20, 12, tzinfo=dt.UTC)):
        assert not february.held
        meetings.meeting_record(
            network=network,
            meeting=february,
            presences={member.pk: Presence.PRESENT},
            organisations=[network.organisation],
            minutes="",
            decisions="",
            by=coordinator,
        )
        meetings.meeting_record(
            network=network,
            meeting=may,
            presences={},
            organisations=[],
            minutes="Compte rendu",
            decisions="",
            by=coordinator,
        )
        february = _network_meeting(network, 2)
        assert february.held and february.present == 2  # a member and an organisation
        rule = meetings.year_rule(network, 2026)
        assert (rule.held, rule.expected_by_now, rule.status) == (2, 2, RuleStatus.ON_TRACK)
    with clock.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)):
        rule = meetings.year_rule(network, 2026)
        assert (rule.held, rule.expected_by_now, rule.status) == (2, 3, RuleStatus.LATE)
    with clock.travel(dt.datetime(2027, 1, 10, 12, tzinfo=dt.UTC)):
        assert meetings.year_rule(network, 2026).status == RuleStatus.LATE
        assert meetings.year_rule(network, 2027).status == RuleStatus.ON_TRACK


def test_three_held_meetings_make_the_year_done(network, sheet, coordinator):
    with clock.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)):
        for month in (2, 5, 11):
            meetings.meeting_record(
                network=network,
                meeting=_network_meeting(network, month),
                presences={},
                organisations=[],
                minutes="Réunion tenue",
                decisions="",
                by=coordinator,
            )
        rule = meetings.year_rule(network, 2026)
        assert rule.is_done and rule.status_label == "Fait"


def test_a_future_meeting_with_minutes_is_not_held_yet(network, sheet, coordinator):
    with clock.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        may = _network_meeting(network, 5)
        meetings.meeting_record(
            network=network,
            meeting=may,
            presences={},
            organisations=[],
            minutes="Ordre du jour préparé",
            decisions="",
            by=coordinator,
        )
        assert not _network_meeting(network, 5).held


def test_expected_meetings_follow_the_rhythm_or_the_calendar():
    assert meetings.expected_by(3, [2, 5, 11], dt.date(2026, 3, 1), 2026) == 1
    assert meetings.expected_by(3, [2, 5, 11], dt.date(2026, 6, 1), 2026) == 2
    assert meetings.expected_by(3, [2, 5, 11], dt.date(2026, 11, 30), 2026) == 2
    assert meetings.expected_by(3, [2, 5, 11], dt.date(2026, 12, 1), 2026) == 3
    assert meetings.expected_by(3, [], dt.date(2026, 9, 1), 2026) == 2
    assert meetings.expected_by(3, [], dt.date(2026, 9, 1), 2025) == 3
    assert meetings.expected_by(3, [], dt.date(2026, 9, 1), 2027) == 0


def test_only_the_network_coordinator_records(network, sheet, member):
    pilot = member("pilot", organisation=network.organisation)
    with pytest.raises(PermissionDenied):
        meetings.meeting_record(
            network=network,
            meeting=_network_meeting(network, 2),
            presences={},
            organisations=[OrganisationFactory()],
            minutes="x",
            decisions="",
            by=pilot,
        )
