"""The network's governance life: the plan's meetings of its action sheet (copil, cotech,
network meetings, created from the sheet's rhythm by the plan), who attended, the minutes,
and the yearly rule "N network meetings a year" (3 for the Promeneurs du Net).

A meeting counts as held once it has started and its attendance or minutes were recorded: a
date in the calendar alone proves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from maillage import clock
from maillage.plan.labels import MeetingBody
from maillage.plan.models import Meeting
from maillage.plan.services import meeting_update, normalise_rhythm

from .labels import RULE_STATUS_BADGE, Presence, RuleStatus
from .models import MeetingParticipant, Member, Network
from .services import _check_coordinate, recompute_indicators


def network_meetings(network: Network) -> QuerySet[Meeting]:
    """Every meeting of the network's action sheet (all bodies), with `present` counted and
    `held` annotated."""
    # Without a sheet, no meeting (filter(pk__in=[]): none() would drop the annotations).
    if network.sheet_id is None:
        meetings = Meeting.objects.filter(pk__in=[])
    else:
        meetings = Meeting.objects.filter(sheets=network.sheet_id)
    present = MeetingParticipant.objects.filter(meeting=OuterRef("pk"), presence=Presence.PRESENT)
    return (
        meetings.annotate(
            present=Count(
                "network_participants",
                filter=Q(network_participants__presence=Presence.PRESENT),
            ),
            has_attendance=Exists(present),
        )
        .annotate(
            held=ExpressionWrapper(
                Q(starts_at__lte=clock.now()) & (Q(has_attendance=True) | ~Q(minutes="")),
                output_field=BooleanField(),
            )
        )
        .order_by("-starts_at")
    )


def held_network_meetings(network: Network, *, start: dt.date | None, end: dt.date) -> QuerySet:
    """Network meetings (body "réseau") held between `start` and `end` (local dates)."""
    qs = network_meetings(network).filter(body=MeetingBody.NETWORK, held=True)
    qs = qs.filter(starts_at__date__lte=end)
    if start:
        qs = qs.filter(starts_at__date__gte=start)
    return qs


def rhythm_months(network: Network) -> list[int]:
    """The months the sheet's rhythm sets for network meetings (e.g. February, May, November)."""
    if network.sheet is None or not network.sheet.governance_rhythm:
        return []
    for entry in normalise_rhythm(network.sheet.governance_rhythm):
        if entry["body"] == MeetingBody.NETWORK:
            return entry["months"]
    return []


@dataclass(frozen=True)
class YearRule:
    """Where the rule "N network meetings a year" stands for one year."""

    year: int
    required: int
    held: int
    expected_by_now: int
    status: str

    @property
    def status_label(self) -> str:
        return RuleStatus(self.status).label

    @property
    def status_badge(self) -> str:
        return RULE_STATUS_BADGE[self.status]

    @property
    def is_done(self) -> bool:
        return self.status == RuleStatus.DONE


def expected_by(required: int, months: list[int], on: dt.date, year: int) -> int:
    """Meetings that should have been held by `on` in `year`: one per rhythm month already
    over (or, without a rhythm, the share of the year gone by), at most `required`."""
    if year < on.year:
        return required
    if year > on.year:
        return 0
    if months:
        return min(required, sum(1 for month in months if month < on.month))
    return min(required, required * (on.month - 1) // 12)


def year_rule(network: Network, year: int, *, on: dt.date | None = None) -> YearRule:
    on = on or clock.today()
    required = network.network_meetings_per_year
    held = held_network_meetings(
        network, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    ).count()
    expected = expected_by(required, rhythm_months(network), on, year)
    if held >= required:
        status = RuleStatus.DONE
    elif held >= expected:
        status = RuleStatus.ON_TRACK
    else:
        status = RuleStatus.LATE
    return YearRule(
        year=year, required=required, held=held, expected_by_now=expected, status=status
    )


def write_attendance(
    *, network: Network, meeting: Meeting, presences: Mapping[int, str], organisations: Iterable
) -> None:
    """Set who attended (members of `network` by id → presence; organisations present)."""
    members = set(
        Member.objects.filter(network=network, pk__in=list(presences)).values_list("pk", flat=True)
    )
    for member_id, presence in presences.items():
        if member_id not in members:
            continue
        if presence:
            MeetingParticipant.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"presence": presence}
            )
        else:
            MeetingParticipant.objects.filter(meeting=meeting, member_id=member_id).delete()
    organisations = list(organisations)
    MeetingParticipant.objects.filter(meeting=meeting, organisation__isnull=False).exclude(
        organisation__in=organisations
    ).delete()
    for organisation in organisations:
        MeetingParticipant.objects.update_or_create(
            meeting=meeting, organisation=organisation, defaults={"presence": Presence.PRESENT}
        )


@transaction.atomic
def meeting_record(
    *,
    network: Network,
    meeting: Meeting,
    presences: Mapping[int, str],
    organisations: Iterable,
    minutes: str,
    decisions: str,
    by=None,
) -> Meeting:
    """Record who attended a meeting of the network's sheet, and its minutes."""
    _check_coordinate(by, network)
    if not Meeting.objects.filter(pk=meeting.pk, sheets=network.sheet_id).exists():
        raise ValueError("This meeting is not one of the network's sheet.")
    write_attendance(
        network=network, meeting=meeting, presences=presences, organisations=organisations
    )
    # The permission was checked above, for the network: the plan's own check is for pilots.
    meeting_update(meeting=meeting, data={"minutes": minutes, "decisions": decisions}, by=None)
    recompute_indicators(timezone.localtime(meeting.starts_at).date())
    return meeting


def current_presences(meeting: Meeting) -> dict[int, str]:
    return dict(
        meeting.network_participants.filter(member__isnull=False).values_list(
            "member_id", "presence"
        )
    )
