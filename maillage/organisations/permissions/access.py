"""Rules on siting scenarios."""

from __future__ import annotations

from django.db.models import Q

from .rule_book import (
    ACCESS_PLAN_SITING,
    _is_person,
    _none,
    can,
    is_platform_admin,
    organisations_where,
)

# --- Access: siting scenarios -------------------------------------------------------------
# "The organisation" of a siting scenario is the one it was built for: holders of
# `access.plan_siting` there build, read, compare and export it.


def siting_scenarios_q(user) -> Q:
    """Siting scenarios `user` may read: those of organisations where they hold
    `access.plan_siting` (all for platform administrators)."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(organisation__in=organisations_where(user, ACCESS_PLAN_SITING))


def can_plan_siting(user, scenario) -> bool:
    """`access.plan_siting` in the scenario's organisation: read, compare, export, delete it."""
    return can(user, ACCESS_PLAN_SITING, scenario.organisation)
