"""The rule book (which role may do which action) and its answers within one organisation.

Every other module of the package says, for one kind of record, which organisation's roles
count; they all end up asking `can` or `organisations_where` here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from ..labels import Role
from ..models import Membership, Organisation, User

# --- Organisations -------------------------------------------------------------------------

ORGANISATION_VIEW = "organisation.view"
ORGANISATION_EDIT = "organisation.edit"
ORGANISATION_MANAGE_MEMBERS = "organisation.manage_members"
PLAN_ADMINISTER = "plan.administer"
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
NETWORKS_VIEW = "networks.view"
NETWORKS_COORDINATE = "networks.coordinate"
ACCESS_PLAN_SITING = "access.plan_siting"

#: Every action, with what it lets a person do (the document's wording).
ACTION_DESCRIPTIONS: dict[str, str] = {
    ORGANISATION_VIEW: "see the organisation, its members and data",
    ORGANISATION_EDIT: "edit the organisation's page",
    ORGANISATION_MANAGE_MEMBERS: "add and remove members",
    PLAN_ADMINISTER: (
        "administer every plan: drafts, every sheet, meetings (held in an organisation of "
        "kind `departement` only)"
    ),
    PLAN_EDIT_SHEET: "edit the action sheets the organisation pilots, plan their meetings",
    PLAN_RECORD_MEASUREMENT: "record indicator values of those sheets",
    PLACES_EDIT_PLACE: "edit the organisation's places of help",
    PLACES_HANDLE_HELP_REQUESTS: (
        'read and handle the "call me back" requests routed to the organisation\'s places'
    ),
    APPOINTMENTS_MANAGE_AGENDA: (
        "manage the agendas, slots and workshops of the organisation's services: move, "
        "cancel, mark attendance, book over an occupied time"
    ),
    APPOINTMENTS_BOOK_FOR_USER: (
        "book an appointment or a workshop seat for a person, for the organisation's "
        "services or at its places; see those bookings"
    ),
    MEDIATION_RECORD_ACCOMPANIMENT: (
        "record and read the organisation's beneficiaries and accompaniments"
    ),
    TRANSPORT_REQUEST_RIDE: "request a ride for a person, plan a round of home visits",
    TRANSPORT_MANAGE_RIDES: "plan the carrier's rides, vehicles and tours; see riders' details",
    BROADBAND_IMPORT_FIGURES: (
        "import broadband figures (regulator's or operator's files), when the organisation "
        "pilots a sheet a roll-out programme serves"
    ),
    BROADBAND_MANAGE_PROGRAMME: (
        "edit the roll-out programme's works, when the organisation pilots its sheet (or a "
        "phase's sheet, for that phase)"
    ),
    NETWORKS_VIEW: (
        "follow a professional network (Promeneurs du Net) the organisation coordinates or "
        "steers: members, returns, trainings, meetings, yearly report"
    ),
    NETWORKS_COORDINATE: (
        "coordinate a network the organisation coordinates: members and their status, "
        "trainings and attendance, monthly returns (form, CSV import, reminders), meeting "
        "attendance and minutes, the network's rules"
    ),
    ACCESS_PLAN_SITING: (
        "build siting scenarios for new points of help (where k new points serve most "
        "people), compare them and export them for the steering committee"
    ),
}
ACTIONS = tuple(ACTION_DESCRIPTIONS)
# Actions that only read: all a viewer may do.
READ_ACTIONS = frozenset({ORGANISATION_VIEW, NETWORKS_VIEW})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(ACTIONS),
    Role.PILOT: frozenset(
        {
            ORGANISATION_VIEW,
            PLAN_EDIT_SHEET,
            PLAN_RECORD_MEASUREMENT,
            BROADBAND_IMPORT_FIGURES,
            BROADBAND_MANAGE_PROGRAMME,
            NETWORKS_VIEW,
            ACCESS_PLAN_SITING,
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
    Role.NETWORK_COORDINATOR: frozenset({ORGANISATION_VIEW, NETWORKS_VIEW, NETWORKS_COORDINATE}),
    Role.VIEWER: READ_ACTIONS,
}


def roles_granting(action: str) -> list[str]:
    """The roles whose holders may do `action` in their organisation."""
    if action not in ACTION_DESCRIPTIONS:
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
    from ..demo import is_demo_account

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


def can(user, action: str, organisation: Organisation | None) -> bool:
    """Whether `user` may do `action` within `organisation` (None: platform admins only)."""
    allowed_roles = roles_granting(action)
    if not _is_person(user):
        return False
    if user.is_superuser:
        return True
    if organisation is None:
        return False
    if action == ORGANISATION_VIEW and user.is_staff:
        return True
    return bool(user_roles(user, organisation) & set(allowed_roles))


def require(user, action: str, organisation: Organisation | None) -> None:
    """Raise PermissionDenied unless `user` may do `action` within `organisation`."""
    if not can(user, action, organisation):
        raise PermissionDenied


def can_view_organisation(user, organisation: Organisation) -> bool:
    """`organisation.view` there (staff: every organisation)."""
    return can(user, ORGANISATION_VIEW, organisation)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """`organisation.edit` there."""
    return can(user, ORGANISATION_EDIT, organisation)


def can_manage_members(user, organisation: Organisation) -> bool:
    """`organisation.manage_members` there."""
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


def member_organisations(user) -> QuerySet[Organisation]:
    """The organisations where `user` holds any role (staff rights not included)."""
    if not _is_person(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user).values("organisation_id")
    )


def people_with(action: str, organisation: Organisation) -> QuerySet[User]:
    """Active people who may do `action` in `organisation` through a membership there."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            organisation=organisation, role__in=roles_granting(action)
        ).values("user_id"),
    )


def can_anywhere(user, *actions: str) -> bool:
    """Whether `user` may do one of `actions` in some organisation (platform admins: yes)."""
    if is_platform_admin(user):
        return True
    return any(organisations_where(user, action).exists() for action in actions)


def _in(q: Q, obj: Model) -> bool:
    """Whether `obj` is among the records that `q` selects."""
    return type(obj)._default_manager.filter(pk=obj.pk).filter(q).exists()


def _none() -> Q:
    return Q(pk__in=[])
