"""Writes of the networks app on members and trainings: register, update, change status,
publication choices, online presence, trainings and attendance, erasure. Each runs in one
transaction, checks the permissions module when given the acting person (`by`), and asks
the plan to recompute the indicators fed by the network once it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillage import clock
from maillage.organisations import permissions
from maillage.organisations.models import User
from maillage.organisations.services import organisation_create

from . import labels
from .labels import CONSENT_FIELDS, LogAction, MemberStatus, Presence
from .models import (
    Member,
    MemberLog,
    Network,
    OnlinePresence,
    TrainingAttendance,
    TrainingSession,
)

MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "job",
    "job_title",
    "email",
    "phone",
    "organisation",
    "agreement_signed_on",
    "agreement_signatory",
    "audiences",
)
PERSONAL_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "agreement_signatory")


# --- Who may do what: the permissions package decides ----------------------------------------


def _check_coordinate(user, network: Network) -> None:
    if user is not None and not permissions.can_coordinate_network(user, network):
        raise PermissionDenied


def _check_act_for(user, member: Member) -> None:
    if user is not None and not permissions.can_act_for_network_member(user, member):
        raise PermissionDenied


def log(member: Member, action: str, user=None, **detail) -> MemberLog:
    return MemberLog.objects.create(
        member=member,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        detail=detail,
    )


def recompute_indicators(*changed: dt.date) -> None:
    """Recompute the plan indicators bound to the network's sources once the transaction
    commits: today, and the 31 December of each past year a change falls in (a December
    return sent in January updates that year's value)."""
    from maillage.plan.tasks import enqueue_compute_on_commit

    enqueue_compute_on_commit(source_prefix="networks.")
    for year in sorted({day.year for day in changed if day.year < clock.today().year}):
        enqueue_compute_on_commit(source_prefix="networks.", on=dt.date(year, 12, 31))


def log_export(*, members, by) -> None:
    """One log line per member whose data leaves in an export."""
    MemberLog.objects.bulk_create(
        MemberLog(member_id=pk, action=LogAction.EXPORTED, user=by)
        for pk in members.values_list("pk", flat=True)
    )


NETWORK_SETTINGS = (
    "description",
    "active_requires_initial_training",
    "network_meetings_per_year",
    "reminder_day",
)


@transaction.atomic
def network_update(*, network: Network, data: Mapping, by=None) -> list[str]:
    """Change the network's public text and rules; a new counting rule recomputes today's
    indicators (past computed values keep the rule of their day)."""
    _check_coordinate(by, network)
    changed = [k for k in NETWORK_SETTINGS if k in data and getattr(network, k) != data[k]]
    for name in changed:
        setattr(network, name, data[name])
    network.full_clean()
    network.save()
    if "active_requires_initial_training" in changed:
        recompute_indicators()
    return changed


# --- Members --------------------------------------------------------------------------------


def _link_account(member: Member) -> User | None:
    """Link the account using the member's email, when there is one and it is free."""
    if member.user_id or not member.email:
        return None
    account = User.objects.filter(email=member.email.strip().lower(), is_active=True).first()
    if account is None:
        return None
    if Member.objects.filter(network=member.network, user=account).exclude(pk=member.pk).exists():
        return None
    member.user = account
    return account


def _check_unique_email(member: Member) -> None:
    if (
        member.email
        and Member.objects.filter(network=member.network, email__iexact=member.email)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError({"email": labels.ERR_DUPLICATE_EMAIL})


def _with_structure(data: Mapping, new_structure: Mapping | None) -> dict:
    """`data` with its organisation, created first when the form named a new structure."""
    data = dict(data)
    if new_structure:
        data["organisation"] = organisation_create(**new_structure)
    return data


@transaction.atomic
def member_register(
    *,
    network: Network,
    data: Mapping,
    communes: Iterable = (),
    status: str = MemberStatus.IN_TRAINING,
    status_on: dt.date | None = None,
    new_structure: Mapping | None = None,
    by=None,
) -> Member:
    """Register a professional in the network with their first status (in training by
    default), dated `status_on` (today by default); link their account if their email has
    one. `new_structure` (name, kind, commune_insee) creates their employing structure."""
    _check_coordinate(by, network)
    data = _with_structure(data, new_structure)
    member = Member(
        network=network, created_by=by, **{k: data[k] for k in MEMBER_FIELDS if k in data}
    )
    member.email = member.email.strip().lower()
    _check_unique_email(member)
    member.full_clean(exclude=["user"])
    _link_account(member)
    member.save()
    member.communes.set(list(communes))
    member.change_status(status, on=status_on or clock.today(), by=by)
    log(member, LogAction.CREATED, by)
    recompute_indicators()
    return member


@transaction.atomic
def member_update(
    *,
    member: Member,
    data: Mapping,
    communes: Iterable | None = None,
    new_structure: Mapping | None = None,
    by=None,
) -> list[str]:
    """Change a member's record; returns the names of the changed fields."""
    _check_coordinate(by, member.network)
    if member.is_erased:
        raise ValidationError(labels.ERR_ERASED)
    data = _with_structure(data, new_structure)
    if "email" in data:
        data["email"] = data["email"].strip().lower()
    changed = [k for k in MEMBER_FIELDS if k in data and getattr(member, k) != data[k]]
    for name in changed:
        setattr(member, name, data[name])
    if "email" in changed and member.user_id and member.user.email != member.email:
        member.user = None  # the account of the old address is no longer this member's
    _check_unique_email(member)
    member.full_clean(exclude=["user"])
    _link_account(member)
    member.save()
    if communes is not None:
        communes = list(communes)
        if {c.pk for c in communes} != set(member.communes.values_list("pk", flat=True)):
            member.communes.set(communes)
            changed.append("communes")
    if changed:
        log(member, LogAction.UPDATED, by, fields=sorted(changed))
    return changed


@transaction.atomic
def member_change_status(
    *, member: Member, status: str, on: dt.date, comment: str = "", by=None
) -> Member:
    """Log a dated status change (see `Member.change_status` for the rules)."""
    _check_coordinate(by, member.network)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_erased:
        raise ValidationError(labels.ERR_ERASED)
    member.change_status(status, on=on, by=by, comment=comment)
    log(member, LogAction.STATUS, by, status=status, on=on.isoformat())
    recompute_indicators(on)
    return member


@transaction.atomic
def member_undo_last_status(*, member: Member, by=None) -> Member:
    """Remove the last status change (a mistaken entry); the first one stays."""
    _check_coordinate(by, member.network)
    member = Member.objects.select_for_update().get(pk=member.pk)
    changes = list(member.status_changes.order_by("-effective_on", "-id")[:2])
    if len(changes) < 2:
        raise ValidationError(labels.ERR_UNDO_FIRST_STATUS)
    undone, previous = changes
    undone.delete()
    member.status, member.status_since = previous.status, previous.effective_on
    member.save(update_fields=["status", "status_since", "updated_at"])
    log(member, LogAction.STATUS, by, undone=undone.status, on=undone.effective_on.isoformat())
    recompute_indicators(undone.effective_on)
    return member


@transaction.atomic
def member_set_consents(*, member: Member, consents: Mapping[str, bool], by=None) -> Member:
    """Record what the member agrees to publish (the member themself, or a coordinator
    copying a signed form); presences are published one by one (`presences_set`)."""
    _check_act_for(by, member)
    if member.is_erased:
        raise ValidationError(labels.ERR_ERASED)
    unknown = set(consents) - set(CONSENT_FIELDS)
    if unknown:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    changed = {k: bool(v) for k, v in consents.items() if getattr(member, k) != bool(v)}
    if changed:
        for name, value in changed.items():
            setattr(member, name, value)
        member.consents_updated_at = timezone.now()
        member.save()
        log(member, LogAction.CONSENT, by, **changed)
    return member


@transaction.atomic
def presences_set(*, member: Member, presences: Iterable[Mapping], by=None) -> list:
    """Replace the member's online presence with `presences` (platform, handle, url, public)."""
    _check_act_for(by, member)
    if member.is_erased:
        raise ValidationError(labels.ERR_ERASED)
    rows = []
    for data in presences:
        row = OnlinePresence(
            member=member,
            platform=data["platform"],
            handle=(data.get("handle") or "").strip(),
            url=(data.get("url") or "").strip(),
            public=bool(data.get("public")),
        )
        row.full_clean(exclude=["member"])
        rows.append(row)
    member.presences.all().delete()
    OnlinePresence.objects.bulk_create(rows)
    log(member, LogAction.UPDATED, by, fields=["presences"])
    return rows


@transaction.atomic
def member_erase(*, member: Member, by=None, reason: str = "request") -> Member:
    """Erase a member's personal data (names, contacts, presences, account link, consents);
    the anonymous row stays — structure, status history, trainings, returns — so counts and
    indicators keep their values."""
    _check_coordinate(by, member.network)
    if member.is_erased:
        return member
    for name in PERSONAL_FIELDS:
        setattr(member, name, "")
    member.user = None
    for name in CONSENT_FIELDS:
        setattr(member, name, False)
    member.erased_at = timezone.now()
    member.save()
    member.presences.all().delete()
    member.communes.clear()
    log(member, LogAction.ERASED, by, reason=reason)
    return member


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    year, month_number = divmod(index, 12)
    return dt.date(year, month_number + 1, 1)


def departed_members(months: int | None = None, today: dt.date | None = None):
    """Members who left the network more than `months` ago and still hold personal data."""
    months = settings.MAILLAGE_NETWORKS_RETENTION_MONTHS if months is None else months
    today = today or clock.today()
    limit = add_months(today.replace(day=1), -months)
    return Member.objects.filter(
        status=MemberStatus.LEFT, status_since__lt=limit, erased_at__isnull=True
    )


def erase_departed(months: int | None = None, today: dt.date | None = None) -> int:
    """Erase the personal data of members gone for `months` (setting by default)."""
    count = 0
    for pk in list(departed_members(months, today).values_list("pk", flat=True)):
        with transaction.atomic():
            member = Member.objects.select_for_update().get(pk=pk)
            member_erase(member=member, reason="retention")
            count += 1
    return count


# --- Trainings ------------------------------------------------------------------------------

TRAINING_FIELDS = ("kind", "title", "starts_on", "ends_on", "location", "trainer")


@transaction.atomic
def training_save(
    *, network: Network, data: Mapping, session: TrainingSession | None = None, by=None
) -> TrainingSession:
    """Create (or change) a training session of the network."""
    _check_coordinate(by, network)
    if session is None:
        session = TrainingSession(network=network, created_by=by)
    for name in TRAINING_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    if session.ends_on is None:
        session.ends_on = session.starts_on
    session.full_clean(exclude=["network"])
    session.save()
    recompute_indicators(session.ends_on)
    return session


@transaction.atomic
def training_record_attendance(
    *, session: TrainingSession, presences: Mapping[int, str], by=None
) -> int:
    """Set each member's presence at `session` ({member id: presence}; an empty presence
    removes the row); returns how many members were present."""
    _check_coordinate(by, session.network)
    members = set(
        Member.objects.filter(network=session.network, pk__in=list(presences)).values_list(
            "pk", flat=True
        )
    )
    if members != set(presences):
        raise ValidationError(labels.ERR_TRAINING_MEMBER)
    for member_id, presence in presences.items():
        if not presence:
            TrainingAttendance.objects.filter(session=session, member_id=member_id).delete()
            continue
        if presence not in Presence.values:
            raise ValidationError(f"Présence inconnue : « {presence} ».")
        TrainingAttendance.objects.update_or_create(
            session=session, member_id=member_id, defaults={"presence": presence}
        )
    recompute_indicators(session.ends_on)
    return session.attendances.filter(presence=Presence.PRESENT).count()
