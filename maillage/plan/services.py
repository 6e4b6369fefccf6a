"""Writes on the plan: each function validates, writes in one transaction and records who did it."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format

from maillage import clock
from maillage.organisations import permissions

from . import labels
from .amounts import fold
from .labels import MeasurementSource, MeetingBody
from .models import ActionSheet, Indicator, Measurement, Meeting, Plan, Target
from .sheet_parser import month_number

# Fields of a sheet a pilot edits through the form or the spreadsheet (status has its own path).
SHEET_EDITABLE_FIELDS = [
    "theme",
    "action",
    "sub_action",
    "description",
    "scope_text",
    "scope_level",
    "calendar_text",
    "physical",
    "digital",
    "schedule",
    "pooling",
    "cost_text",
    "cost_total",
    "cost_notes",
    "funding_text",
    "confidential",
    "weight",
]


def parse_decimal(value) -> Decimal:
    """A number as people type it: "1 234,5", "1234.5", "15"."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.replace(",", ".")
    try:
        result = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(f"« {value} » n'est pas un nombre.") from exc
    if not result.is_finite():
        raise ValidationError(f"« {value} » n'est pas un nombre.")
    return result


def _check_edit(user, sheet: ActionSheet) -> None:
    if user is not None and not permissions.can_edit_sheet(user, sheet):
        raise PermissionDenied


def _check_record(user, sheet: ActionSheet) -> None:
    if user is not None and not permissions.can_record_measurement(user, sheet):
        raise PermissionDenied


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    value,
    date: dt.date | None = None,
    author=None,
    comment: str = "",
    source: str = MeasurementSource.MANUAL,
    provenance: dict | None = None,
    check_permission: bool = True,
    replace: bool = False,
) -> Measurement:
    """Record a measured value of `indicator` (today by default).

    A value a person enters (`source` manual) at a date that already has one is refused,
    unless `replace`: then that value is corrected, the old one kept in the history. A count
    refuses decimals when a person or a file gives them; a computed value is the source's
    (a share bound to an indicator worded as a count must not stop the nightly computation)."""
    if check_permission:
        _check_record(author, indicator.sheet)
    date = date or clock.today()
    if date > clock.today():
        raise ValidationError({"date": "La date de la mesure ne peut pas être dans le futur."})
    value = (
        parse_decimal(value)
        if source == MeasurementSource.COMPUTED
        else _checked_value(indicator, value)
    )
    if source == MeasurementSource.MANUAL:
        existing = indicator.measurements.filter(date=date).order_by("-pk").first()
        if existing is not None and not replace:
            raise ValidationError({"date": _same_date_error(existing)})
        if existing is not None:
            return measurement_update(
                measurement=existing,
                value=value,
                date=date,
                comment=comment or existing.comment,
                by=author,
                check_permission=False,
                source=source,
            )
    measurement = Measurement(
        indicator=indicator,
        value=value,
        date=date,
        author=author,
        comment=comment,
        source=source,
        provenance=provenance or {},
    )
    measurement.full_clean()
    if author is not None:
        measurement._history_user = author
    measurement.save()
    return measurement


@transaction.atomic
def measurement_upsert(
    *,
    measurement: Measurement | None,
    indicator: Indicator,
    value: Decimal,
    date: dt.date,
    source: str,
    author=None,
    comment: str = "",
    provenance: dict | None = None,
) -> Measurement:
    """Replace `measurement`'s value (history keeps the old one), or record a new one."""
    if measurement is None:
        return measurement_record(
            indicator=indicator,
            value=value,
            date=date,
            author=author,
            comment=comment,
            source=source,
            provenance=provenance,
        )
    _check_edit(author, indicator.sheet)
    measurement.value, measurement.comment = parse_decimal(value), comment
    measurement.provenance = provenance or {}
    if author is not None:
        measurement._history_user = author
    measurement.full_clean()
    measurement.save(update_fields=["value", "comment", "provenance"])
    return measurement


def _checked_value(indicator: Indicator, value) -> Decimal:
    value = parse_decimal(value)
    if indicator.is_count and value != value.to_integral_value():
        raise ValidationError({"value": labels.ERR_COUNT_DECIMAL})
    return value


def _same_date_error(existing: Measurement) -> str:
    shown = f"{existing.value.normalize():f}".replace(".", ",")
    return labels.ERR_SAME_DATE.format(date=f"{existing.date:%d/%m/%Y}", value=shown)


@transaction.atomic
def measurement_update(
    *,
    measurement: Measurement,
    value,
    date: dt.date,
    comment: str = "",
    by=None,
    check_permission: bool = True,
    source: str | None = None,
) -> Measurement:
    """Correct a value a person or a file gave (not a computed one); the history keeps the
    value it replaces and who corrected it."""
    if check_permission:
        _check_record(by, measurement.indicator.sheet)
    if measurement.is_computed:
        raise ValidationError(labels.ERR_COMPUTED_NOT_EDITABLE)
    if date > clock.today():
        raise ValidationError({"date": "La date de la mesure ne peut pas être dans le futur."})
    other = measurement.indicator.measurements.filter(date=date).exclude(pk=measurement.pk).first()
    if other is not None:
        raise ValidationError({"date": _same_date_error(other)})
    measurement.value = _checked_value(measurement.indicator, value)
    measurement.date, measurement.comment = date, comment
    if source is not None:
        measurement.source = source
    if by is not None:
        measurement.author = by
        measurement._history_user = by
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by) -> None:
    _check_record(by, measurement.indicator.sheet)
    measurement._history_user = by
    measurement.delete()


@transaction.atomic
def sheet_update(*, sheet: ActionSheet, data: dict, by) -> list[str]:
    """Set the editable fields in `data` on `sheet`; returns the names of changed fields."""
    _check_edit(by, sheet)
    unknown = set(data) - set(SHEET_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.")
    changed = [name for name, value in data.items() if getattr(sheet, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(sheet, name, data[name])
    sheet.full_clean(exclude=["plan"], validate_unique=False)
    if by is not None:
        sheet._history_user = by
    sheet.save()
    return changed


@transaction.atomic
def sheet_change_status(*, sheet: ActionSheet, status: str, by, comment: str = ""):
    """Move `sheet` to `status` along a declared transition; the change is logged."""
    _check_edit(by, sheet)
    sheet = ActionSheet.objects.select_for_update().get(pk=sheet.pk)
    return sheet.change_status(status, by=by, comment=comment)


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    kind: str,
    value=None,
    value_text: str = "",
    date: dt.date | None = None,
    year: int | None = None,
    note: str = "",
    by=None,
) -> Target | None:
    """Create, update or (when both value and text are empty) remove a target of `indicator`."""
    if by is not None:
        _check_edit(by, indicator.sheet)
    target = Target.objects.filter(indicator=indicator, kind=kind).first()
    value = None if value in (None, "") else parse_decimal(value)
    if value is None and not value_text:
        if target is not None:
            if by is not None:
                target._history_user = by
            target.delete()
        return None
    target = target or Target(indicator=indicator, kind=kind)
    target.value, target.value_text = value, value_text
    target.date, target.year, target.note = date, year, note
    target.full_clean()
    if by is not None:
        target._history_user = by
    target.save()
    return target


# --- Meetings -------------------------------------------------------------------------------

MEETING_FIELDS = ["body", "title", "starts_at", "ends_at", "location", "agenda", "minutes"]


def _check_meetings(user, plan: Plan) -> None:
    if user is not None and not permissions.can_manage_meetings(user, plan):
        raise PermissionDenied


def _check_meeting(user, meeting: Meeting) -> None:
    if user is not None and not permissions.can_manage_meeting(user, meeting):
        raise PermissionDenied


def _check_meeting_sheets(user, plan: Plan, sheets: list[ActionSheet]) -> None:
    """A pilot attaches a meeting only to sheets they pilot, and to one at least."""
    if user is None:
        return
    editable = permissions.editable_sheet_ids(user, plan)
    if editable is None:
        return
    if not sheets:
        raise ValidationError(labels.ERR_MEETING_SHEETS_REQUIRED)
    if any(sheet.pk not in editable for sheet in sheets):
        raise PermissionDenied


@transaction.atomic
def meeting_create(
    *, plan: Plan, data: dict, sheets: Iterable[ActionSheet] = (), by=None
) -> Meeting:
    _check_meetings(by, plan)
    sheets = list(sheets)
    _check_meeting_sheets(by, plan, sheets)
    meeting = Meeting(plan=plan, created_by=by, **data)
    meeting.full_clean()
    meeting.save()
    meeting.sheets.set(list(sheets))
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, data: dict, sheets: Iterable[ActionSheet] | None = None, by=None
) -> Meeting:
    _check_meeting(by, meeting)
    if sheets is not None:
        sheets = list(sheets)
        _check_meeting_sheets(by, meeting.plan, sheets)
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    if sheets is not None:
        meeting.sheets.set(list(sheets))
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by=None) -> None:
    _check_meeting(by, meeting)
    meeting.delete()


_BODIES = {
    "copil": MeetingBody.COPIL,
    "comite de pilotage": MeetingBody.COPIL,
    "cotech": MeetingBody.COTECH,
    "comite technique": MeetingBody.COTECH,
    "network": MeetingBody.NETWORK,
    "reseau": MeetingBody.NETWORK,
}


def normalise_rhythm(rhythm: Iterable[dict]) -> list[dict]:
    """Rhythm entries as {"body": MeetingBody, "months": [1..12], "label": str}.

    Accepts what a parser yields: body as a code or in words ("Comité de pilotage",
    "Réseau Pdn"), months as numbers or French names.
    """
    result = []
    for entry in rhythm:
        raw_body = fold(str(entry.get("body") or entry.get("label") or ""))
        body = next(
            (code for key, code in _BODIES.items() if raw_body.startswith(key)),
            MeetingBody.OTHER,
        )
        months = []
        for month in entry.get("months", []):
            number = month if isinstance(month, int) else month_number(str(month).strip())
            if not number or not 1 <= int(number) <= 12:
                raise ValidationError(f"Mois inconnu : « {month} ».")
            months.append(int(number))
        label = str(entry.get("label") or entry.get("body") or MeetingBody(body).label)
        if body != MeetingBody.OTHER and label == body:
            label = MeetingBody(body).label
        result.append({"body": body, "months": sorted(set(months)), "label": label})
    return result


def _second_tuesday(year: int, month: int) -> int:
    weeks = calendar.monthcalendar(year, month)
    tuesdays = [week[calendar.TUESDAY] for week in weeks if week[calendar.TUESDAY]]
    return tuesdays[1]


@transaction.atomic
def meetings_generate_from_rhythm(
    *,
    plan: Plan,
    year: int,
    rhythm: Iterable[dict],
    sheets: Iterable[ActionSheet] = (),
    by=None,
    hour: int = 14,
    duration_hours: int = 2,
) -> list[Meeting]:
    """Plan a year of meetings from a rhythm such as Num02's (copil in January and June…).

    Each meeting is set on the second Tuesday of its month at `hour` (local time), to be moved
    by hand; a body that already meets in a month keeps its meeting (the function is idempotent).
    """
    _check_meetings(by, plan)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    sheets = list(sheets)
    _check_meeting_sheets(by, plan, sheets)
    created = []
    for entry in normalise_rhythm(rhythm):
        for month in entry["months"]:
            exists = Meeting.objects.filter(
                plan=plan, body=entry["body"], starts_at__year=year, starts_at__month=month
            ).exists()
            if exists:
                continue
            starts_at = dt.datetime(year, month, _second_tuesday(year, month), hour, tzinfo=tz)
            meeting = Meeting.objects.create(
                plan=plan,
                body=entry["body"],
                title=f"{entry['label']} — {date_format(starts_at, 'F Y')}",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=duration_hours),
                created_by=by,
            )
            meeting.sheets.set(sheets)
            created.append(meeting)
    return created
