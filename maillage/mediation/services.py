"""Writes of the mediation app: create, record, merge, erase, export; each in one transaction.

Permissions come from `organisations.permissions` (action `mediation.record_accompaniment`,
held by an organisation's administrators and mediators); every read or write of a person's
record is logged in `BeneficiaryLog`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateField, Max, Q
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from unidecode import unidecode

from maillage import clock
from maillage.organisations import permissions
from maillage.organisations.models import Organisation

from . import labels
from .labels import AccompanimentKind, LogAction, OutcomeKind, SubscriptionKind
from .models import (
    Accompaniment,
    Beneficiary,
    BeneficiaryLog,
    Outcome,
    Participation,
    Subscription,
)

PERSONAL_FIELDS = ("first_name", "last_name", "phone", "email")
DUPLICATE_SIMILARITY = 0.85


def _check(user, organisation: Organisation) -> None:
    if user is not None and not permissions.can_record_accompaniment(user, organisation):
        raise PermissionDenied


def log(beneficiary: Beneficiary, action: str, user=None, **detail) -> BeneficiaryLog:
    return BeneficiaryLog.objects.create(
        beneficiary=beneficiary,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        detail=detail,
    )


def _recompute_indicators() -> None:
    from maillage.plan.tasks import enqueue_compute_on_commit

    enqueue_compute_on_commit(source_prefix="mediation.")


# --- Beneficiaries --------------------------------------------------------------------------


def beneficiary_search_q(text: str) -> Q:
    """Beneficiaries whose code, first or last name or commune contains each word of `text`,
    a four-digit word matching the year of birth ("andré brossac 1950")."""
    query = Q()
    for word in text.split():
        if word.isdigit() and len(word) == 4:
            query &= Q(birth_year=int(word))
        else:
            query &= (
                Q(code__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(commune__name__icontains=word)
            )
    return query


@transaction.atomic
def beneficiary_create(*, organisation: Organisation, data: dict, by=None, consent: bool = False):
    """A new beneficiary: a generated code; names and contact only with `consent`."""
    _check(by, organisation)
    beneficiary = Beneficiary(organisation=organisation, created_by=by, **data)
    if consent and not beneficiary.consent_at:
        beneficiary.consent_at = timezone.now()
    beneficiary.full_clean()
    beneficiary.save()
    log(beneficiary, LogAction.CREATED, by)
    return beneficiary


@transaction.atomic
def beneficiary_update(
    *, beneficiary: Beneficiary, data: dict, by=None, consent: bool | None = None
):
    """Change a record; `consent` True records it now, False withdraws it (the contact
    fields must then be empty), None leaves it as it is."""
    _check(by, beneficiary.organisation)
    if beneficiary.erased_at or beneficiary.merged_into_id:
        raise ValidationError(labels.ERR_ERASED)
    changed = [name for name, value in data.items() if getattr(beneficiary, name) != value]
    for name in changed:
        setattr(beneficiary, name, data[name])
    if consent and not beneficiary.consent_at:
        beneficiary.consent_at = timezone.now()
    elif consent is False and beneficiary.consent_at:
        beneficiary.consent_at = None
        changed.append("consent_at")
    beneficiary.full_clean()
    beneficiary.save()
    if changed:
        log(beneficiary, LogAction.UPDATED, by, fields=sorted(changed))
    return beneficiary


def _folded_name(b: Beneficiary) -> str:
    return " ".join(unidecode(f"{b.first_name} {b.last_name}").lower().replace("-", " ").split())


def similarity(a: Beneficiary, b: Beneficiary) -> float:
    """How alike two people's names are (0–1), accents, case and word order aside."""
    first, second = _folded_name(a), _folded_name(b)
    if not first or not second:
        return 0.0
    direct = difflib.SequenceMatcher(None, first, second).ratio()
    swapped = difflib.SequenceMatcher(
        None, " ".join(sorted(first.split())), " ".join(sorted(second.split()))
    ).ratio()
    return max(direct, swapped)


@dataclass
class DuplicatePair:
    first: Beneficiary
    second: Beneficiary
    score: float


def find_duplicates(
    organisation: Organisation, *, beneficiary: Beneficiary | None = None
) -> list[DuplicatePair]:
    """Likely duplicates: same birth year and commune, names alike (fuzzy).

    Candidates are narrowed in the database (organisation, birth year, commune, named), then
    names are compared; people without a name cannot be matched.
    """
    qs = (
        Beneficiary.objects.active()
        .filter(organisation=organisation, erased_at__isnull=True, birth_year__isnull=False)
        .exclude(first_name="", last_name="")
        .order_by("birth_year", "commune_id", "created_at", "pk")
    )
    if beneficiary is not None:
        qs = qs.filter(birth_year=beneficiary.birth_year, commune_id=beneficiary.commune_id)
    groups: dict[tuple, list[Beneficiary]] = {}
    for b in qs:
        groups.setdefault((b.birth_year, b.commune_id), []).append(b)
    pairs = []
    for members in groups.values():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if beneficiary is not None and beneficiary.pk not in (first.pk, second.pk):
                    continue
                score = similarity(first, second)
                if score >= DUPLICATE_SIMILARITY:
                    pairs.append(DuplicatePair(first, second, round(score, 2)))
    return sorted(pairs, key=lambda p: -p.score)


@transaction.atomic
def beneficiary_merge(*, target: Beneficiary, duplicate: Beneficiary, by=None) -> Beneficiary:
    """Move everything of `duplicate` to `target`; `duplicate` stays as a pointer (history).

    Participations move (one per accompaniment: a person cannot attend twice), as do outcomes
    and subscriptions; empty fields of `target` are filled from `duplicate`.
    """
    if target.pk == duplicate.pk:
        raise ValidationError(labels.ERR_MERGE_SELF)
    target, duplicate = (
        Beneficiary.objects.select_for_update().get(pk=target.pk),
        Beneficiary.objects.select_for_update().get(pk=duplicate.pk),
    )
    if target.organisation_id != duplicate.organisation_id:
        raise ValidationError(labels.ERR_OTHER_ORGANISATION)
    if duplicate.merged_into_id or target.merged_into_id:
        raise ValidationError(labels.ERR_MERGE_MERGED)
    _check(by, target.organisation)
    shared = Participation.objects.filter(beneficiary=target).values("accompaniment_id")
    dropped = Participation.objects.filter(beneficiary=duplicate, accompaniment_id__in=shared)
    dropped_count = dropped.count()
    dropped.delete()
    moved = Participation.objects.filter(beneficiary=duplicate).update(beneficiary=target)
    outcomes = Outcome.objects.filter(beneficiary=duplicate).update(beneficiary=target)
    subscriptions = Subscription.objects.filter(beneficiary=duplicate).update(beneficiary=target)
    filled = []
    for name in (*PERSONAL_FIELDS, "commune_id", "birth_year", "situation", "connection"):
        if not getattr(target, name) and getattr(duplicate, name):
            setattr(target, name, getattr(duplicate, name))
            filled.append(name)
    if filled and duplicate.consent_at and not target.consent_at:
        target.consent_at = duplicate.consent_at
    target.home_equipment = sorted(set(target.home_equipment) | set(duplicate.home_equipment))
    target.receives_rsa = target.receives_rsa or duplicate.receives_rsa
    target.save()
    duplicate.merged_into, duplicate.merged_at = target, timezone.now()
    duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
    Beneficiary.objects.filter(merged_into=duplicate).update(merged_into=target)
    detail = {
        "participations": moved,
        "shared_accompaniments": dropped_count,
        "outcomes": outcomes,
        "subscriptions": subscriptions,
        "filled": filled,
    }
    log(duplicate, LogAction.MERGED_INTO, by, into=target.code, **detail)
    log(target, LogAction.MERGED_FROM, by, duplicate=duplicate.code, **detail)
    _recompute_indicators()
    return target


@transaction.atomic
def beneficiary_erase(*, beneficiary: Beneficiary, by=None, reason: str = "request") -> None:
    """Erase personal data, keep the anonymous row (commune, age band, situation) and every
    accompaniment it took part in, so statistics and indicators keep their values."""
    if by is not None:
        _check(by, beneficiary.organisation)
    targets = [beneficiary, *Beneficiary.objects.filter(merged_into=beneficiary)]
    for person in targets:
        if person.erased_at:
            continue
        for name in PERSONAL_FIELDS:
            setattr(person, name, "")
        person.birth_year = None  # the age band stays
        person.consent_at = None
        person.revenue_band = ""
        person.erased_at = timezone.now()
        person.save()
        Outcome.objects.filter(beneficiary=person).update(note="")
        # Free notes of individual accompaniments may name the person.
        Accompaniment.objects.filter(
            participations__beneficiary=person,
            kind__in=[AccompanimentKind.INDIVIDUAL, AccompanimentKind.PROCEDURE],
        ).exclude(note="").update(note=labels.ERASED_TEXT)
        log(person, LogAction.ERASED, by, reason=reason)


def beneficiary_export(*, beneficiary: Beneficiary, by=None) -> dict:
    """Everything Maillage holds about a person (right of access), as plain data."""
    _check(by, beneficiary.organisation)
    log(beneficiary, LogAction.EXPORTED, by)

    def choice(instance, name):
        return getattr(instance, f"get_{name}_display")()

    return {
        "code": beneficiary.code,
        "organisation": beneficiary.organisation.name,
        "prenom": beneficiary.first_name,
        "nom": beneficiary.last_name,
        "telephone": beneficiary.phone,
        "courriel": beneficiary.email,
        "accord_recueilli_le": beneficiary.consent_at.isoformat()
        if beneficiary.consent_at
        else None,
        "commune": str(beneficiary.commune) if beneficiary.commune_id else "",
        "annee_de_naissance": beneficiary.birth_year,
        "tranche_d_age": choice(beneficiary, "age_band"),
        "situation": choice(beneficiary, "situation"),
        "allocataire_rsa": beneficiary.receives_rsa,
        "equipement": beneficiary.home_equipment_labels,
        "connexion": choice(beneficiary, "connection"),
        "autonomie": choice(beneficiary, "autonomy"),
        "cree_le": beneficiary.created_at.isoformat(),
        "accompagnements": [
            {
                "date": a.date.isoformat(),
                "type": a.get_kind_display(),
                "duree_minutes": a.duration_minutes,
                "lieu": a.get_location_kind_display(),
                "thematiques": a.theme_labels,
                "autonomie": a.get_autonomy_display(),
                "orientation": a.oriented_to,
                "note": a.note,
            }
            for a in beneficiary.accompaniments.order_by("date", "pk")
        ],
        "suivis": [
            {"date": o.date.isoformat(), "suivi": o.get_kind_display(), "note": o.note}
            for o in beneficiary.outcomes.order_by("date", "pk")
        ],
        "adhesions": [
            {
                "formule": s.get_kind_display(),
                "du": s.starts_on.isoformat(),
                "au": s.ends_on.isoformat(),
                "montant": str(s.amount),
                "regle_le": s.paid_on.isoformat() if s.paid_on else None,
                "recu": s.receipt_number,
            }
            for s in beneficiary.subscriptions.order_by("starts_on", "pk")
        ],
        "journal": [
            {"le": entry.at.isoformat(), "action": entry.get_action_display()}
            for entry in beneficiary.logs.order_by("at", "pk")
        ],
    }


def with_last_activity(qs):
    """Annotate `last_activity`: the latest accompaniment, outcome or creation date."""
    return qs.annotate(
        last_activity=Greatest(
            Coalesce(Max("participations__accompaniment__date"), TruncDate("created_at")),
            Coalesce(Max("outcomes__date"), TruncDate("created_at")),
            TruncDate("created_at"),
            output_field=DateField(),
        )
    )


def months_ago(months: int, today: dt.date | None = None) -> dt.date:
    today = today or clock.today()
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(today.day, 28)
    return dt.date(year, month + 1, day)


def inactive_beneficiaries(months: int | None = None, today: dt.date | None = None):
    months = settings.MAILLAGE_MEDIATION_RETENTION_MONTHS if months is None else months
    limit = months_ago(months, today)
    return with_last_activity(
        Beneficiary.objects.filter(erased_at__isnull=True, merged_into__isnull=True)
    ).filter(last_activity__lt=limit)


def erase_inactive(months: int | None = None, today: dt.date | None = None) -> int:
    """Erase the personal data of people inactive for `months` (setting by default)."""
    count = 0
    for pk in list(inactive_beneficiaries(months, today).values_list("pk", flat=True)):
        with transaction.atomic():
            beneficiary = Beneficiary.objects.select_for_update().get(pk=pk)
            beneficiary_erase(beneficiary=beneficiary, reason="retention")
            count += 1
    return count


# --- Accompaniments -------------------------------------------------------------------------


@transaction.atomic
def accompaniment_record(
    *,
    organisation: Organisation,
    data: dict,
    beneficiaries: Sequence[Beneficiary] = (),
    by=None,
    source_model: str = "",
    source_id: str = "",
) -> Accompaniment:
    """Record an activity and its named participants; an individual one has exactly one."""
    _check(by, organisation)
    beneficiaries = list(dict.fromkeys(beneficiaries))
    accompaniment = Accompaniment(
        organisation=organisation,
        created_by=by,
        mediator=data.pop("mediator", by),
        source_model=source_model,
        source_id=str(source_id or ""),
        **data,
    )
    if accompaniment.place_id and not accompaniment.commune_id:
        accompaniment.commune_id = accompaniment.place.commune_id
    if not accompaniment.commune_id and len(beneficiaries) == 1:
        accompaniment.commune_id = beneficiaries[0].commune_id
    if accompaniment.kind != AccompanimentKind.COLLECTIVE and len(beneficiaries) != 1:
        raise ValidationError(labels.ERR_INDIVIDUAL_ONE_PERSON)
    if not beneficiaries and not accompaniment.anonymous_participants:
        raise ValidationError(labels.ERR_NO_PARTICIPANT)
    for beneficiary in beneficiaries:
        if beneficiary.organisation_id != organisation.pk:
            raise ValidationError(labels.ERR_OTHER_ORGANISATION)
        if beneficiary.merged_into_id:
            raise ValidationError(labels.ERR_MERGE_MERGED)
    accompaniment.full_clean()
    accompaniment.save()
    Participation.objects.bulk_create(
        [Participation(accompaniment=accompaniment, beneficiary=b) for b in beneficiaries]
    )
    if accompaniment.kind == AccompanimentKind.COLLECTIVE:
        _record_joined_collective(accompaniment, beneficiaries, by)
    _recompute_indicators()
    return accompaniment


@transaction.atomic
def accompaniment_update(*, accompaniment: Accompaniment, data: dict, by=None) -> Accompaniment:
    """Correct an accompaniment (kind, date, place, themes…); its history keeps the previous
    version and who corrected it. Participants are not changed here."""
    _check(by, accompaniment.organisation)
    for name, value in data.items():
        setattr(accompaniment, name, value)
    accompaniment.full_clean()
    if by is not None:
        accompaniment._history_user = by
    accompaniment.save()
    for beneficiary in accompaniment.beneficiaries.all():
        log(beneficiary, LogAction.UPDATED, by, accompaniment=accompaniment.pk)
    _recompute_indicators()
    return accompaniment


@transaction.atomic
def accompaniment_delete(*, accompaniment: Accompaniment, by=None) -> None:
    """Delete an accompaniment recorded by mistake; the history keeps it (and who deleted it),
    each participant's log says so, and the indicators are recomputed."""
    _check(by, accompaniment.organisation)
    for beneficiary in accompaniment.beneficiaries.all():
        log(beneficiary, LogAction.UPDATED, by, accompaniment_deleted=accompaniment.pk)
    if by is not None:
        accompaniment._history_user = by
    accompaniment.delete()
    _recompute_indicators()


def _record_joined_collective(accompaniment: Accompaniment, beneficiaries, by) -> None:
    """Num01's funnel: someone first helped individually (e.g. at home) who now comes to the
    group courses gets a "joined the collective courses" follow-up, once."""
    helped_before = set(
        Participation.objects.filter(
            beneficiary__in=beneficiaries,
            accompaniment__date__lt=accompaniment.date,
            accompaniment__kind__in=[AccompanimentKind.INDIVIDUAL, AccompanimentKind.PROCEDURE],
        ).values_list("beneficiary_id", flat=True)
    )
    already = set(
        Outcome.objects.filter(
            beneficiary_id__in=helped_before, kind=OutcomeKind.JOINED_COLLECTIVE
        ).values_list("beneficiary_id", flat=True)
    )
    Outcome.objects.bulk_create(
        [
            Outcome(
                beneficiary_id=pk,
                organisation=accompaniment.organisation,
                kind=OutcomeKind.JOINED_COLLECTIVE,
                date=accompaniment.date,
                accompaniment=accompaniment,
                created_by=by,
                is_demo=accompaniment.is_demo,
            )
            for pk in sorted(helped_before - already)
        ]
    )


@transaction.atomic
def accompaniment_add_participants(
    *, accompaniment: Accompaniment, beneficiaries: Iterable[Beneficiary], by=None
) -> int:
    _check(by, accompaniment.organisation)
    existing = set(accompaniment.participations.values_list("beneficiary_id", flat=True))
    new = [b for b in beneficiaries if b.pk not in existing]
    for b in new:
        if b.organisation_id != accompaniment.organisation_id:
            raise ValidationError(labels.ERR_OTHER_ORGANISATION)
    Participation.objects.bulk_create(
        [Participation(accompaniment=accompaniment, beneficiary=b) for b in new]
    )
    if accompaniment.kind == AccompanimentKind.COLLECTIVE:
        _record_joined_collective(accompaniment, new, by)
    _recompute_indicators()
    return len(new)


# --- From an appointment's attendance ------------------------------------------------------


@dataclass
class Attendee:
    """A person marked present: matched to a beneficiary, or a new pseudonymous one."""

    name: str = ""
    commune_id: str | None = None
    beneficiary: Beneficiary | None = None


@dataclass
class Attendance:
    """What an appointment (a booking, a workshop session) says happened."""

    source_model: str
    source_id: str
    organisation: Organisation
    date: dt.date
    kind: str
    duration_minutes: int = 60
    location_kind: str = "place"
    place: object | None = None
    title: str = ""
    present: list[Attendee] = field(default_factory=list)
    anonymous_present: int = 0
    themes: list[str] = field(default_factory=list)
    starts_at: dt.datetime | None = None


@transaction.atomic
def accompaniment_from_attendance(attendance: Attendance, *, by=None) -> tuple[Accompaniment, bool]:
    """One click: the accompaniment an appointment's attendance describes (once per source).

    People present become participants: the beneficiary they are linked to, else a new
    pseudonymous beneficiary (the first name only, no contact). Returns (record, created).
    """
    _check(by, attendance.organisation)
    if (attendance.starts_at or clock.now()) > clock.now() or attendance.date > clock.today():
        raise ValidationError(labels.ERR_ATTENDANCE_NOT_YET)
    existing = Accompaniment.objects.filter(
        source_model=attendance.source_model, source_id=str(attendance.source_id)
    ).first()
    if existing is not None:
        return existing, False
    people = []
    for attendee in attendance.present:
        beneficiary = attendee.beneficiary
        if beneficiary is None:
            first_name = attendee.name.split(" ")[0][:100] if attendee.name else ""
            beneficiary = beneficiary_create(
                organisation=attendance.organisation,
                data={"first_name": first_name, "commune_id": attendee.commune_id},
                by=by,
            )
        people.append(beneficiary)
    accompaniment = accompaniment_record(
        organisation=attendance.organisation,
        data={
            "kind": attendance.kind,
            "date": attendance.date,
            "duration_minutes": attendance.duration_minutes,
            "location_kind": attendance.location_kind,
            "place": attendance.place,
            "title": attendance.title,
            "themes": attendance.themes,
            "anonymous_participants": attendance.anonymous_present,
        },
        beneficiaries=people,
        by=by,
        source_model=attendance.source_model,
        source_id=attendance.source_id,
    )
    return accompaniment, True


# --- Outcomes -------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(*, beneficiary: Beneficiary, data: dict, by=None) -> Outcome:
    _check(by, beneficiary.organisation)
    if beneficiary.merged_into_id:
        raise ValidationError(labels.ERR_MERGE_MERGED)
    outcome = Outcome(
        beneficiary=beneficiary, organisation=beneficiary.organisation, created_by=by, **data
    )
    outcome.full_clean()
    outcome.save()
    if outcome.kind == OutcomeKind.AUTONOMY and outcome.autonomy:
        Beneficiary.objects.filter(pk=beneficiary.pk).update(autonomy=outcome.autonomy)
    if outcome.kind == OutcomeKind.REVENUE_BAND:
        Beneficiary.objects.filter(pk=beneficiary.pk).update(
            revenue_band=outcome.revenue_band_after
        )
    log(beneficiary, LogAction.UPDATED, by, outcome=outcome.kind)
    _recompute_indicators()
    return outcome


# --- Memberships and fees -------------------------------------------------------------------


def semester_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


def default_period(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if kind == SubscriptionKind.SEMESTER:
        return semester_bounds(day)
    if kind == SubscriptionKind.FREE_TRACK:
        return day, dt.date(day.year, 12, 31)
    try:
        end = day.replace(year=day.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        end = dt.date(day.year + 1, 2, 28)
    return day, end


def _next_receipt_number(organisation: Organisation, year: int) -> str:
    prefix = f"{year}-"
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # serialise numbering
    last = (
        Subscription.objects.filter(organisation=organisation, receipt_number__startswith=prefix)
        .order_by("-receipt_number")
        .values_list("receipt_number", flat=True)
        .first()
    )
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def subscription_create(
    *,
    beneficiary: Beneficiary,
    kind: str,
    on: dt.date | None = None,
    amount: Decimal | None = None,
    payment_method: str = "",
    paid_on: dt.date | None = None,
    by=None,
) -> Subscription:
    """A membership (30 €), a semester (35 €) or the free extended track; a paid one gets a
    receipt number (per organisation and year, without gaps)."""
    _check(by, beneficiary.organisation)
    on = on or clock.today()
    starts_on, ends_on = default_period(kind, on)
    if amount is None:
        amount = Decimal(labels.DEFAULT_FEES[kind])
    if kind == SubscriptionKind.FREE_TRACK:
        amount, payment_method = Decimal(0), labels.PaymentMethod.FREE
    subscription = Subscription(
        organisation=beneficiary.organisation,
        beneficiary=beneficiary,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
        payment_method=payment_method,
        paid_on=paid_on or (on if payment_method else None),
        created_by=by,
    )
    if subscription.paid_on and amount > 0:
        subscription.receipt_number = _next_receipt_number(
            beneficiary.organisation, subscription.paid_on.year
        )
    subscription.full_clean()
    subscription.save()
    log(beneficiary, LogAction.UPDATED, by, subscription=kind)
    return subscription
