"""Who may do what: the one module deciding permissions in Maillage.

Every view, API endpoint and service that touches data limited to some people asks this
module; nothing else compares roles. The rules (kept in sync with `docs/permissions.md`):

* Anonymous visitors see only the public pages (home, accessibility, legal notice, login,
  communes, and later the public map of places). Everything else requires login.
* A platform administrator (an active superuser) may do everything, everywhere.
* Staff (`is_staff`) reach the Django admin, where Django's model permissions apply, and
  may view every organisation. Nobody else reaches the admin.
* Every other right comes from a membership: a (person, organisation, role) row. A role
  grants actions *within that organisation only*; roles do not flow to parent or child
  organisations. The table `ROLE_ACTIONS` below is the whole rule book:

  ====================================  =====  =====  =====  =======  =====  =========  ======
  action                                admin  pilot  medi-  partner  recep  transport  viewer
                                                      ator   agent    tion   operator
  ====================================  =====  =====  =====  =======  =====  =========  ======
  organisation.view                     yes    yes    yes    yes      yes    yes        yes
  organisation.edit                     yes
  organisation.manage_members           yes
  plan.edit_sheet                       yes    yes
  plan.record_measurement               yes    yes
  places.edit_place                     yes           yes
  places.handle_help_requests           yes           yes
  appointments.manage_agenda            yes           yes    yes
  appointments.book_for_user            yes           yes    yes      yes
  mediation.record_accompaniment        yes           yes
  transport.request_ride                yes           yes             yes    yes
  transport.manage_rides                yes                                  yes
  broadband.import_figures              yes    yes
  broadband.manage_programme            yes    yes
  ====================================  =====  =====  =====  =======  =====  =========  ======

  For the plan, "the organisation" is the pilot organisation of an action sheet: pilots of
  a sheet's pilot organisation edit that sheet. For help requests (the "call me back"
  line), it is the organisation running the place the request was routed to. For
  mediation, transport and appointments it is the organisation owning the record (place,
  agenda, accompaniment, ride). For broadband figures and the roll-out programme, it is a
  pilot organisation of a sheet a programme serves (Num10's, or Num11's for its phase).

Two-factor authentication (`two_factor.py`) is required of platform administrators and staff
(`two_factor_required`) and offered to whoever may read beneficiaries' records
(`two_factor_offered`, from `mediation.record_accompaniment`).

Use `can(user, action, organisation)` for one object and
`organisations_where(user, action)` to filter querysets (records of the organisations a
person may act on). In views, `organisation_permission_required(action)` loads the
organisation from the URL (404 when the person may not even see it, 403 when they may see
but not act) and `role_required(*roles)` guards pages needing a role anywhere.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .labels import Role
from .models import Membership, Organisation

ORGANISATION_VIEW = "organisation.view"
ORGANISATION_EDIT = "organisation.edit"
ORGANISATION_MANAGE_MEMBERS = "organisation.manage_members"
PLAN_EDIT_SHEET = "plan.edit_sheet"
PLAN_RECORD_MEASUREMENT = "plan.record_measurement"
PLACES_EDIT_PLACE = "places.edit_place"
PLACES_HANDLE_HELP_REQUESTS = "places.handle_help_requests"
APPOINTMENTS_MANAGE_AGENDA = "appointments.manage_agenda"
APPOINTMENTS_BOOK_FOR_USER = "appointments.book_for_user"
MEDIATION_RECORD_ACCOMPANIMENT = "mediation.record_accompaniment"
TRANSPORT_REQUEST_RIDE = "transport.request_ride"
TRANSPORT_MANAGE_RIDES = "transport.manage_rides"
BROADBAND_IMPORT_FIGURES = "broadband.import_figures"
BROADBAND_MANAGE_PROGRAMME = "broadband.manage_programme"

ACTIONS = (
    ORGANISATION_VIEW,
    ORGANISATION_EDIT,
    ORGANISATION_MANAGE_MEMBERS,
    PLAN_EDIT_SHEET,
    PLAN_RECORD_MEASUREMENT,
    PLACES_EDIT_PLACE,
    PLACES_HANDLE_HELP_REQUESTS,
    APPOINTMENTS_MANAGE_AGENDA,
    APPOINTMENTS_BOOK_FOR_USER,
    MEDIATION_RECORD_ACCOMPANIMENT,
    TRANSPORT_REQUEST_RIDE,
    TRANSPORT_MANAGE_RIDES,
    BROADBAND_IMPORT_FIGURES,
    BROADBAND_MANAGE_PROGRAMME,
)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(ACTIONS),
    Role.PILOT: frozenset(
        {
            ORGANISATION_VIEW,
            PLAN_EDIT_SHEET,
            PLAN_RECORD_MEASUREMENT,
            BROADBAND_IMPORT_FIGURES,
            BROADBAND_MANAGE_PROGRAMME,
        }
    ),
    Role.MEDIATOR: frozenset(
        {
            ORGANISATION_VIEW,
            PLACES_EDIT_PLACE,
            PLACES_HANDLE_HELP_REQUESTS,
            APPOINTMENTS_MANAGE_AGENDA,
            APPOINTMENTS_BOOK_FOR_USER,
            MEDIATION_RECORD_ACCOMPANIMENT,
            TRANSPORT_REQUEST_RIDE,
        }
    ),
    Role.PARTNER_AGENT: frozenset(
        {ORGANISATION_VIEW, APPOINTMENTS_MANAGE_AGENDA, APPOINTMENTS_BOOK_FOR_USER}
    ),
    Role.RECEPTIONIST: frozenset(
        {ORGANISATION_VIEW, APPOINTMENTS_BOOK_FOR_USER, TRANSPORT_REQUEST_RIDE}
    ),
    Role.TRANSPORT_OPERATOR: frozenset(
        {ORGANISATION_VIEW, TRANSPORT_REQUEST_RIDE, TRANSPORT_MANAGE_RIDES}
    ),
    Role.VIEWER: frozenset({ORGANISATION_VIEW}),
}


def roles_granting(action: str) -> list[str]:
    """The roles whose holders may do `action` in their organisation."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action: {action!r}")
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def _is_person(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_platform_admin(user) -> bool:
    """Active superusers: every right, every organisation."""
    return _is_person(user) and user.is_superuser


def sees_all_organisations(user) -> bool:
    """Platform administrators and staff see every organisation (not edit: see `can`)."""
    return _is_person(user) and (user.is_superuser or user.is_staff)


def can_use_admin(user) -> bool:
    """The Django admin is for staff only (Django also applies its model permissions)."""
    return _is_person(user) and user.is_staff


def two_factor_required(user) -> bool:
    """Platform administrators and staff (the admin) log in with a second factor, except the
    demonstration accounts of a demonstration instance (their password is published)."""
    from .demo import is_demo_account

    return _is_person(user) and (user.is_superuser or user.is_staff) and not is_demo_account(user)


def two_factor_offered(user) -> bool:
    """Whoever may read beneficiaries' records is offered a second factor (and those who must)."""
    return (
        two_factor_required(user)
        or organisations_where(user, MEDIATION_RECORD_ACCOMPANIMENT).exists()
    )


def user_roles(user, organisation: Organisation) -> set[str]:
    """The roles `user` holds in `organisation` (memberships only; no superuser magic)."""
    if not _is_person(user) or organisation is None or organisation.pk is None:
        return set()
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def roles_by_organisation(user) -> dict[int, set[str]]:
    """Every role of `user`, by organisation id, in one query (for lists)."""
    result: dict[int, set[str]] = {}
    if not _is_person(user):
        return result
    for organisation_id, role in Membership.objects.filter(user=user).values_list(
        "organisation_id", "role"
    ):
        result.setdefault(organisation_id, set()).add(role)
    return result


def has_role(user, role: str, organisation: Organisation | None = None) -> bool:
    """Whether `user` holds `role` in `organisation`, or in any organisation if None."""
    if not _is_person(user):
        return False
    memberships = Membership.objects.filter(user=user, role=role)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


def can(user, action: str, organisation: Organisation) -> bool:
    """Whether `user` may do `action` within `organisation`."""
    allowed_roles = roles_granting(action)
    if not _is_person(user):
        return False
    if user.is_superuser:
        return True
    if action == ORGANISATION_VIEW and user.is_staff:
        return True
    return bool(user_roles(user, organisation) & set(allowed_roles))


def require(user, action: str, organisation: Organisation) -> None:
    """Raise PermissionDenied unless `user` may do `action` within `organisation`."""
    if not can(user, action, organisation):
        raise PermissionDenied


def can_view_organisation(user, organisation: Organisation) -> bool:
    return can(user, ORGANISATION_VIEW, organisation)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return can(user, ORGANISATION_EDIT, organisation)


def can_manage_members(user, organisation: Organisation) -> bool:
    return can(user, ORGANISATION_MANAGE_MEMBERS, organisation)


def organisations_where(user, action: str) -> QuerySet[Organisation]:
    """The organisations within which `user` may do `action` (use it to filter records)."""
    allowed_roles = roles_granting(action)
    if not _is_person(user):
        return Organisation.objects.none()
    if user.is_superuser or (action == ORGANISATION_VIEW and user.is_staff):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=allowed_roles).values(
            "organisation_id"
        )
    )


def visible_organisations(user) -> QuerySet[Organisation]:
    """The organisations `user` may see: all for superusers and staff, else their own."""
    return organisations_where(user, ORGANISATION_VIEW)


# --- Broadband (sheets Num10, Num11) -----------------------------------------------------


def _sheet_pilot_organisations(sheet_ids) -> QuerySet[Organisation]:
    from maillage.plan.labels import ActorRole
    from maillage.plan.models import SheetActor

    return Organisation.objects.filter(
        pk__in=SheetActor.objects.filter(
            sheet_id__in=sheet_ids, role=ActorRole.PILOT, organisation__isnull=False
        ).values("organisation_id")
    )


def _broadband_sheet_ids() -> set[int]:
    """The sheets a roll-out programme serves: its own (Num10) and its phases' (Num11)."""
    from maillage.broadband.models import Phase, Programme

    ids = set(Programme.objects.filter(sheet__isnull=False).values_list("sheet_id", flat=True))
    return ids | set(Phase.objects.filter(sheet__isnull=False).values_list("sheet_id", flat=True))


def _plan_admin(user) -> bool:
    from maillage.plan.permissions import is_plan_admin

    return is_plan_admin(user)


def can_import_broadband_figures(user) -> bool:
    """Plan administrators, and pilots (or admins) of an organisation piloting a sheet that a
    roll-out programme serves, import the regulator's or the operator's figures."""
    if not _is_person(user):
        return False
    if _plan_admin(user):
        return True
    pilots = _sheet_pilot_organisations(_broadband_sheet_ids())
    return organisations_where(user, BROADBAND_IMPORT_FIGURES).filter(pk__in=pilots).exists()


def can_manage_programme(user, programme, phase=None) -> bool:
    """Plan administrators and the pilots of the programme's sheet manage all its works; the
    pilots of a phase's own sheet (Num11 for the CC des 4B Sud Charente) manage that phase."""
    if not _is_person(user):
        return False
    if _plan_admin(user):
        return True
    sheet_ids = [programme.sheet_id] if programme.sheet_id else []
    if phase is not None and phase.sheet_id:
        sheet_ids.append(phase.sheet_id)
    pilots = _sheet_pilot_organisations(sheet_ids)
    return organisations_where(user, BROADBAND_MANAGE_PROGRAMME).filter(pk__in=pilots).exists()


def programme_phases_managed(user, programme) -> QuerySet | None:
    """The phases of `programme` whose works `user` may edit (None: every phase)."""
    from maillage.broadband.models import Phase

    if can_manage_programme(user, programme):
        return None
    if not _is_person(user):
        return Phase.objects.none()
    allowed = organisations_where(user, BROADBAND_MANAGE_PROGRAMME)
    sheet_ids = _sheet_pilot_sheet_ids(allowed)
    return Phase.objects.filter(programme=programme, sheet_id__in=sheet_ids)


def _sheet_pilot_sheet_ids(organisations: QuerySet[Organisation]):
    from maillage.plan.labels import ActorRole
    from maillage.plan.models import SheetActor

    return SheetActor.objects.filter(role=ActorRole.PILOT, organisation__in=organisations).values(
        "sheet_id"
    )


# --- Views -------------------------------------------------------------------------------


def role_required(*roles: str) -> Callable:
    """Guard a view: anonymous → login page; logged in without any of `roles` → 403.

    The role may be held in any organisation; platform administrators always pass. For a
    page about one organisation, prefer `organisation_permission_required`.
    """
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValueError(f"Unknown or missing roles: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (
                is_platform_admin(user)
                or Membership.objects.filter(user=user, role__in=roles).exists()
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def organisation_permission_required(action: str, slug_kwarg: str = "slug") -> Callable:
    """Guard a view about one organisation, named by its slug in the URL.

    Anonymous → login page; organisation the person may not see → 404 (its existence is
    not revealed); visible but `action` not allowed → 403. The view receives the
    organisation as `organisation` instead of the slug.
    """
    roles_granting(action)  # fail at import time on a typo

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            slug = kwargs.pop(slug_kwarg)
            organisation = visible_organisations(user).filter(slug=slug).first()
            if organisation is None:
                raise Http404
            require(user, action, organisation)
            return view(request, *args, organisation=organisation, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin:
    """Class-based view counterpart of `role_required`: set `required_roles`."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        guarded = role_required(*self.required_roles)(super().dispatch)
        return guarded(request, *args, **kwargs)
