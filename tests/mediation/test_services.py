"""Beneficiaries and accompaniments through the services: create, record, merge, erase,
export, retention, fees, and the one-click record from an appointment's attendance."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from maillage.mediation import services
from maillage.mediation.labels import (
    AccompanimentKind,
    AgeBand,
    LocationKind,
    LogAction,
    OutcomeKind,
    SubscriptionKind,
)
from maillage.mediation.models import Beneficiary, Outcome, Participation
from maillage.organisations.labels import Role

from .factories import AccompanimentFactory, BeneficiaryFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def test_new_beneficiary_is_pseudonymous_with_an_age_band(organisation, mediator, communes):
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)):
        b = services.beneficiary_create(
            organisation=organisation,
            data={"commune_id": "16028", "birth_year": 1950, "situation": "retired"},
            by=mediator,
        )
    assert b.code.startswith("B-") and len(b.code) == 11
    assert (b.first_name, b.last_name, b.phone, b.email) == ("", "", "", "")
    assert b.age_band == AgeBand.A70_PLUS
    assert b.logs.get().action == LogAction.CREATED


def test_name_and_contact_need_consent(organisation, mediator):
    with pytest.raises(ValidationError):
        services.beneficiary_create(
            organisation=organisation, data={"last_name": "Dupont"}, by=mediator
        )
    b = services.beneficiary_create(
        organisation=organisation,
        data={"last_name": "Dupont", "phone": "0600000000"},
        by=mediator,
        consent=True,
    )
    assert b.consent_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Beneficiary.objects.create(organisation=organisation, email="a@exemple.fr")


def test_viewer_cannot_record(organisation, member):
    with pytest.raises(PermissionDenied):
        services.beneficiary_create(organisation=organisation, data={}, by=member(Role.VIEWER))


def test_individual_accompaniment_has_one_person(organisation, mediator, place):
    a, b = (
        BeneficiaryFactory(organisation=organisation),
        BeneficiaryFactory(organisation=organisation),
    )
    data = {"kind": AccompanimentKind.INDIVIDUAL, "date": dt.date(2025, 1, 6), "place": place}
    with pytest.raises(ValidationError):
        services.accompaniment_record(
            organisation=organisation, data=dict(data), beneficiaries=[a, b], by=mediator
        )
    record = services.accompaniment_record(
        organisation=organisation, data=dict(data), beneficiaries=[a], by=mediator
    )
    assert list(record.beneficiaries.all()) == [a]
    assert record.mediator == mediator


def test_place_required_when_in_a_place(organisation, mediator):
    b = BeneficiaryFactory(organisation=organisation)
    with pytest.raises(ValidationError):
        services.accompaniment_record(
            organisation=organisation,
            data={"kind": "individual", "date": dt.date(2025, 1, 6)},
            beneficiaries=[b],
            by=mediator,
        )


def test_beneficiary_of_another_organisation_refused(organisation, other_organisation, mediator):
    stranger = BeneficiaryFactory(organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.accompaniment_record(
            organisation=organisation,
            data={"kind": "individual", "date": dt.date(2025, 1, 6), "location_kind": "home"},
            beneficiaries=[stranger],
            by=mediator,
        )


def test_collective_after_individual_records_joined_courses_once(organisation, mediator):
    helped = BeneficiaryFactory(organisation=organisation)
    newcomer = BeneficiaryFactory(organisation=organisation)
    AccompanimentFactory(organisation=organisation, date=dt.date(2025, 1, 6), participants=[helped])
    for day in (dt.date(2025, 2, 3), dt.date(2025, 2, 10)):
        services.accompaniment_record(
            organisation=organisation,
            data={"kind": "collective", "date": day, "location_kind": LocationKind.REMOTE},
            beneficiaries=[helped, newcomer],
            by=mediator,
        )
    joined = Outcome.objects.filter(kind=OutcomeKind.JOINED_COLLECTIVE)
    assert [(o.beneficiary, o.date) for o in joined] == [(helped, dt.date(2025, 2, 3))]


def test_workshop_with_counted_participants_only(organisation, mediator):
    record = services.accompaniment_record(
        organisation=organisation,
        data={
            "kind": "collective",
            "date": dt.date(2025, 1, 6),
            "location_kind": "remote",
            "anonymous_participants": 7,
        },
        by=mediator,
    )
    assert record.anonymous_participants == 7 and not record.participations.exists()
    with pytest.raises(ValidationError):
        services.accompaniment_record(
            organisation=organisation,
            data={"kind": "collective", "date": dt.date(2025, 1, 6), "location_kind": "remote"},
            by=mediator,
        )


# --- Duplicates and merge -------------------------------------------------------------------


def test_duplicates_found_fuzzy_on_name_same_birth_year_and_commune(organisation, communes):
    jeanne = BeneficiaryFactory(
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupré",
        birth_year=1948,
        commune_id="16028",
        named=True,
    )
    twin = BeneficiaryFactory(
        organisation=organisation,
        first_name="jeanne",
        last_name="DUPRE",
        birth_year=1948,
        commune_id="16028",
        named=True,
    )
    BeneficiaryFactory(  # another commune
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupré",
        birth_year=1948,
        commune_id="16073",
        named=True,
    )
    BeneficiaryFactory(  # another person
        organisation=organisation,
        first_name="Marcel",
        last_name="Durand",
        birth_year=1948,
        commune_id="16028",
        named=True,
    )
    pairs = services.find_duplicates(organisation)
    assert [(p.first, p.second) for p in pairs] == [(jeanne, twin)]
    assert pairs[0].score == 1.0
    assert services.find_duplicates(organisation, beneficiary=twin)[0].second == twin


def test_merge_keeps_every_record_and_the_history(organisation, mediator, communes):
    target = BeneficiaryFactory(organisation=organisation, first_name="Jeanne", birth_year=1948)
    duplicate = BeneficiaryFactory(
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupré",
        phone="0611",
        named=True,
        commune_id="16028",
    )
    mine = AccompanimentFactory(organisation=organisation, participants=[target])
    theirs = AccompanimentFactory(organisation=organisation, participants=[duplicate])
    both = AccompanimentFactory(
        organisation=organisation, kind="collective", participants=[target, duplicate]
    )
    OutcomeFactory(beneficiary=duplicate)
    services.subscription_create(
        beneficiary=duplicate, kind=SubscriptionKind.MEMBERSHIP, by=mediator
    )

    services.beneficiary_merge(target=target, duplicate=duplicate, by=mediator)

    target.refresh_from_db()
    duplicate.refresh_from_db()
    assert set(target.accompaniments.all()) == {mine, theirs, both}
    assert Participation.objects.filter(accompaniment=both).count() == 1
    assert target.outcomes.count() == 1 and target.subscriptions.count() == 1
    assert (target.last_name, target.phone, target.commune_id) == ("Dupré", "0611", "16028")
    assert target.consent_at is not None
    assert duplicate.merged_into == target and duplicate.merged_at is not None
    assert not duplicate.participations.exists()
    assert duplicate.logs.filter(action=LogAction.MERGED_INTO).exists()
    entry = target.logs.get(action=LogAction.MERGED_FROM)
    assert entry.detail["participations"] == 1 and entry.detail["shared_accompaniments"] == 1
    assert set(Beneficiary.objects.active()) == {target}
    with pytest.raises(ValidationError):
        services.beneficiary_merge(target=target, duplicate=duplicate, by=mediator)


def test_merge_refused_across_organisations(organisation, other_organisation, mediator):
    with pytest.raises(ValidationError):
        services.beneficiary_merge(
            target=BeneficiaryFactory(organisation=organisation),
            duplicate=BeneficiaryFactory(organisation=other_organisation),
            by=mediator,
        )


# --- RGPD -----------------------------------------------------------------------------------


def test_erase_removes_personal_fields_and_keeps_statistics(organisation, mediator, communes):
    b = BeneficiaryFactory(
        organisation=organisation,
        first_name="Jeanne",
        last_name="Dupré",
        phone="0611",
        email="j@exemple.fr",
        named=True,
        birth_year=1950,
        commune_id="16028",
        situation="retired",
    )
    band = b.age_band
    a = AccompanimentFactory(organisation=organisation, participants=[b], note="Mme Dupré, CAF")
    OutcomeFactory(beneficiary=b, note="Jeanne a acheté une tablette")
    services.beneficiary_erase(beneficiary=b, by=mediator)
    b.refresh_from_db()
    a.refresh_from_db()
    assert (b.first_name, b.last_name, b.phone, b.email, b.birth_year) == ("", "", "", "", None)
    assert b.consent_at is None and b.erased_at is not None
    assert (b.commune_id, b.age_band, b.situation) == ("16028", band, "retired")
    assert a.note == "[effacé]" and list(a.beneficiaries.all()) == [b]
    assert b.outcomes.get().note == ""
    assert b.logs.filter(action=LogAction.ERASED).exists()


def test_export_has_everything_and_is_logged(organisation, mediator):
    b = BeneficiaryFactory(organisation=organisation, first_name="Jeanne")
    AccompanimentFactory(organisation=organisation, participants=[b], themes=["caf"])
    data = services.beneficiary_export(beneficiary=b, by=mediator)
    assert data["code"] == b.code and data["prenom"] == "Jeanne"
    assert data["accompagnements"][0]["thematiques"] == [
        "Démarche : Caf (prestations familiales, logement)"
    ]
    assert b.logs.filter(action=LogAction.EXPORTED, user=mediator).exists()


def test_retention_erases_people_inactive_for_24_months(organisation, settings):
    settings.MAILLAGE_MEDIATION_RETENTION_MONTHS = 24
    with time_machine.travel(dt.datetime(2022, 1, 10, tzinfo=dt.UTC)):
        old = BeneficiaryFactory(organisation=organisation, first_name="Ancien")
        recent = BeneficiaryFactory(organisation=organisation, first_name="Revenu")
    AccompanimentFactory(organisation=organisation, date=dt.date(2022, 3, 1), participants=[old])
    AccompanimentFactory(organisation=organisation, date=dt.date(2025, 6, 1), participants=[recent])
    assert services.erase_inactive(today=dt.date(2025, 9, 1)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.erased_at and old.first_name == ""
    assert recent.erased_at is None and recent.first_name == "Revenu"
    assert old.accompaniments.count() == 1


# --- Fees -----------------------------------------------------------------------------------


def test_fees_receipts_numbered_without_gaps(organisation, mediator):
    b = BeneficiaryFactory(organisation=organisation)
    member_fee = services.subscription_create(
        beneficiary=b,
        kind=SubscriptionKind.MEMBERSHIP,
        on=dt.date(2025, 9, 15),
        payment_method="cheque",
        by=mediator,
    )
    semester = services.subscription_create(
        beneficiary=b,
        kind=SubscriptionKind.SEMESTER,
        on=dt.date(2025, 9, 15),
        payment_method="cash",
        by=mediator,
    )
    free = services.subscription_create(
        beneficiary=b, kind=SubscriptionKind.FREE_TRACK, on=dt.date(2025, 9, 15), by=mediator
    )
    unpaid = services.subscription_create(
        beneficiary=b, kind=SubscriptionKind.SEMESTER, on=dt.date(2026, 1, 5), by=mediator
    )
    assert (member_fee.amount, member_fee.receipt_number) == (Decimal("30.00"), "2025-00001")
    assert (member_fee.starts_on, member_fee.ends_on) == (
        dt.date(2025, 9, 15),
        dt.date(2026, 9, 14),
    )
    assert (semester.amount, semester.receipt_number) == (Decimal("35.00"), "2025-00002")
    assert (semester.starts_on, semester.ends_on) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert (free.amount, free.receipt_number, free.payment_method) == (Decimal(0), "", "free")
    assert unpaid.receipt_number == "" and not unpaid.is_paid


# --- From an appointment's attendance -------------------------------------------------------


def test_accompaniment_from_attendance_dataclass_once(organisation, mediator, place):
    known = BeneficiaryFactory(organisation=organisation)
    attendance = services.Attendance(
        source_model="appointments.Session",
        source_id="42",
        organisation=organisation,
        date=dt.date(2025, 5, 6),
        kind=AccompanimentKind.COLLECTIVE,
        place=place,
        title="Atelier MSA",
        present=[services.Attendee(beneficiary=known), services.Attendee(name="Paul Durand")],
        anonymous_present=2,
    )
    record, created = services.accompaniment_from_attendance(attendance, by=mediator)
    assert created and record.participations.count() == 2 and record.anonymous_participants == 2
    new = record.beneficiaries.exclude(pk=known.pk).get()
    assert (new.first_name, new.last_name) == ("Paul", "")
    again, created = services.accompaniment_from_attendance(attendance, by=mediator)
    assert again == record and not created


def test_withdrawn_consent_needs_the_contact_fields_emptied(organisation, mediator):
    b = services.beneficiary_create(
        organisation=organisation, data={"last_name": "Dupont"}, by=mediator, consent=True
    )
    with pytest.raises(ValidationError):
        services.beneficiary_update(beneficiary=b, data={}, by=mediator, consent=False)
    b.refresh_from_db()
    services.beneficiary_update(beneficiary=b, data={"last_name": ""}, by=mediator, consent=False)
    b.refresh_from_db()
    assert b.consent_at is None and b.last_name == ""
    assert b.logs.filter(action=LogAction.UPDATED).exists()
