"""What people read in histories is French: no status codes, no Python notation, no ISO
dates (ride requests' history, the plan's per-field history, a computed value's origin)."""

import datetime as dt

from maillage.plan.history import _shown
from maillage.plan.models import ActionSheet, Indicator, Measurement
from maillage.plan.templatetags.plan_tags import provenance_text
from maillage.transport.labels import RideStatus
from maillage.transport.models import RideRequestEvent


def test_a_ride_history_line_names_the_step_and_the_statuses_in_french():
    event = RideRequestEvent(
        action="planned", from_status=RideStatus.REQUESTED, to_status=RideStatus.PLANNED
    )
    assert event.action_label == "Trajet planifié"
    assert event.status_change == "demandé → planifié"
    message = RideRequestEvent(action="message_sms", from_status="planned", to_status="planned")
    assert message.action_label == "SMS" and message.status_change == ""


def test_the_plan_history_shows_json_values_without_python_notation():
    filters = Indicator._meta.get_field("source_filters")
    shown = _shown(filters, {"organisation": "pilots", "themes": ["mobility", "jobs"]})
    assert shown == "organisation : pilots; themes : mobility, jobs"
    assert "{" not in shown and "[" not in shown
    updated = ActionSheet._meta.get_field("updated")
    moment = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)  # 2 March, 0:30 in Paris
    assert _shown(updated, moment) == "2 mars 2026 à 00h30"


def test_a_computed_value_says_when_in_french():
    measurement = Measurement(
        provenance={
            "source": "places.epn_open",
            "label": "Lieux ouverts",
            "computed_at": "2026-03-01T23:30:00+00:00",
        }
    )
    assert provenance_text(measurement) == "Lieux ouverts, calculé le 2 mars 2026"
