"""Who may see and edit what in a plan.

Rules:
- anyone (even anonymous) reads the public items of a non-draft plan;
- a *pilot of a sheet* is a user holding a Membership with role "pilot" (or "admin") in an
  organisation that pilots the sheet (SheetActor with role pilot); they edit that sheet, its
  indicators, targets and measurements, and see its confidential items;
- members of a sheet's partner organisations see its confidential items but edit nothing;
- superusers edit everything; a user with role "admin" in an organisation of the plan's
  département (organisation kind "departement") is a plan administrator.

Memberships are read through the organisations app's model, by name, so that this module does
not fix their shape beyond (user, organisation, role).
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from .labels import ActorRole

PILOT_ROLES = ("pilot", "admin")
ADMIN_ROLE = "admin"


def _memberships():
    try:
        model = apps.get_model("organisations", "Membership")
    except LookupError:  # organisations app without memberships yet
        return None
    return model.objects


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def organisation_ids(user, roles: tuple[str, ...] | None = None) -> set[int]:
    """Ids of the organisations `user` belongs to (with one of `roles` when given)."""
    if not _authenticated(user):
        return set()
    memberships = _memberships()
    if memberships is None:
        return set()
    qs = memberships.filter(user=user)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("organisation_id", flat=True))


def is_plan_admin(user) -> bool:
    """Superusers, and admins of the département's organisation, edit everything."""
    if not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    org_ids = organisation_ids(user, (ADMIN_ROLE,))
    if not org_ids:
        return False
    organisation = apps.get_model("organisations", "Organisation")
    field_names = {f.name for f in organisation._meta.get_fields()}
    if "kind" not in field_names:
        return False
    return organisation.objects.filter(pk__in=org_ids, kind="departement").exists()


def editable_sheet_ids(user, plan=None) -> set[int] | None:
    """Ids of the sheets `user` may edit; None means every sheet."""
    if not _authenticated(user):
        return set()
    if is_plan_admin(user):
        return None
    org_ids = organisation_ids(user, PILOT_ROLES)
    if not org_ids:
        return set()
    from .models import SheetActor

    qs = SheetActor.objects.filter(role=ActorRole.PILOT, organisation_id__in=org_ids)
    if plan is not None:
        qs = qs.filter(sheet__plan=plan)
    return set(qs.values_list("sheet_id", flat=True))


def can_edit_sheet(user, sheet) -> bool:
    ids = editable_sheet_ids(user)
    return ids is None or sheet.pk in ids


def can_manage_meetings(user, plan) -> bool:
    """Admins, and pilots of at least one sheet of the plan, manage the plan's meetings."""
    ids = editable_sheet_ids(user, plan)
    return ids is None or bool(ids)


def can_bulk_update(user, plan) -> bool:
    return can_manage_meetings(user, plan)


def _insider_sheet_q(user, prefix: str = "") -> Q:
    """Sheets whose organisations (pilots or partners) count `user` as a member."""
    org_ids = organisation_ids(user)
    if not org_ids:
        return Q(pk__in=[])
    from .models import SheetActor

    sheet_ids = SheetActor.objects.filter(organisation_id__in=org_ids).values("sheet_id")
    return Q(**{f"{prefix}pk__in": sheet_ids})


def visible_sheets_q(user) -> Q:
    """Filter for the sheets `user` may read."""
    from .labels import PlanStatus

    public = Q(confidential=False) & ~Q(plan__status=PlanStatus.DRAFT)
    if is_plan_admin(user):
        return Q()
    if not _authenticated(user):
        return public
    return public | _insider_sheet_q(user)


def visible_indicators_q(user) -> Q:
    """Filter for the indicators `user` may read (confidential ones only for insiders)."""
    from .labels import PlanStatus

    if is_plan_admin(user):
        return Q()
    public = (
        Q(confidential=False)
        & Q(sheet__confidential=False)
        & ~Q(sheet__plan__status=PlanStatus.DRAFT)
    )
    if not _authenticated(user):
        return public
    org_ids = organisation_ids(user)
    if not org_ids:
        return public
    from .models import SheetActor

    sheet_ids = SheetActor.objects.filter(organisation_id__in=org_ids).values("sheet_id")
    return public | Q(sheet_id__in=sheet_ids)


def can_see_sheet(user, sheet) -> bool:
    from .models import ActionSheet

    return ActionSheet.objects.filter(pk=sheet.pk).filter(visible_sheets_q(user)).exists()
