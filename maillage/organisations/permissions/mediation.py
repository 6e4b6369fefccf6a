"""Rules on beneficiaries and accompaniment records."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import Organisation
from .rule_book import (
    MEDIATION_RECORD_ACCOMPANIMENT,
    can,
    is_platform_admin,
    organisations_where,
)

# --- Mediation -----------------------------------------------------------------------------
# Beneficiaries and accompaniments belong to the mediator's organisation; nobody else sees a
# beneficiary record (pseudonymous).


def can_record_accompaniment(user, organisation) -> bool:
    """`mediation.record_accompaniment` in `organisation`."""
    return can(user, MEDIATION_RECORD_ACCOMPANIMENT, organisation)


def recording_organisations(user) -> QuerySet[Organisation]:
    """Organisations where `user` records accompaniments (every active one for platform
    administrators)."""
    if is_platform_admin(user):
        return Organisation.objects.filter(is_active=True)
    return organisations_where(user, MEDIATION_RECORD_ACCOMPANIMENT)


def visible_mediation_records_q(user) -> Q:
    """Beneficiaries and accompaniments `user` reads and writes: those of organisations where
    they hold `mediation.record_accompaniment`."""
    if is_platform_admin(user):
        return Q()
    return Q(organisation__in=organisations_where(user, MEDIATION_RECORD_ACCOMPANIMENT))


def can_see_mediation_record(user, record) -> bool:
    """A beneficiary, an accompaniment or a subscription (by its beneficiary)."""
    return can_record_accompaniment(user, record.organisation)
