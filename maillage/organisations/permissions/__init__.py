"""Who may do what: the one place deciding permissions in Maillage.

Every view, API endpoint, service, queryset and template of every app asks this package;
nothing else compares roles. `docs/permissions.md` is generated from it
(`maillage permissions-doc`), and `routes.py` beside this file declares, for every URL of
the project, the rule guarding it (the permission matrix test checks each route against it).

* Anonymous visitors see only the public pages. Everything else requires login.
* A platform administrator (an active superuser) may do everything, everywhere.
* Staff (`is_staff`) reach the Django admin, where Django's model permissions apply, and
  may view every organisation. Nobody else reaches the admin.
* Every other right comes from a membership: a (person, organisation, role) row. A role
  grants actions *within that organisation only*; roles do not flow to parent or child
  organisations. `ROLE_ACTIONS` below is the whole rule book; the rules on records (a
  sheet, a booking, a place…) say which organisation's roles count for that record.

Use `can(user, action, organisation)` for one organisation, `organisations_where(user,
action)` to filter records, and the record rules below (`can_edit_sheet`,
`can_manage_booking`, `visible_bookings_q`…). In views,
`organisation_permission_required(action)` loads the organisation from the URL (404 when
the person may not even see it, 403 when they may see but not act).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from ..labels import OrganisationKind, Role
from ..models import Membership, Organisation, User

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


# --- Plan ----------------------------------------------------------------------------------
# "The organisation" of a sheet is each of its pilot organisations. Anyone reads the public
# (non-draft, non-confidential) items; members of a sheet's pilot or partner organisations
# also read its confidential items.


def is_plan_admin(user) -> bool:
    """Platform administrators, and holders of `plan.administer` in an organisation of kind
    `departement`, administer every plan (drafts, every sheet, meetings)."""
    if is_platform_admin(user):
        return True
    return (
        organisations_where(user, PLAN_ADMINISTER)
        .filter(kind=OrganisationKind.DEPARTEMENT)
        .exists()
    )


def _sheet_actors():
    return apps.get_model("plan", "SheetActor").objects


def _sheet_ids_piloted_where(user, action: str) -> QuerySet:
    return (
        _sheet_actors()
        .pilots()
        .filter(organisation__in=organisations_where(user, action))
        .values("sheet_id")
    )


def visible_plans_q(user) -> Q:
    """Plans `user` may read: every plan for plan administrators, else all but drafts."""
    if is_plan_admin(user):
        return Q()
    return Q(pk__in=apps.get_model("plan", "Plan").objects.public().values("pk"))


def can_see_plan(user, plan) -> bool:
    """`plan` is among `visible_plans_q`."""
    return _in(visible_plans_q(user), plan)


def visible_sheets_q(user) -> Q:
    """Sheets `user` may read: public ones; confidential ones for members (any role) of the
    sheet's pilot or partner organisations; all for plan administrators."""
    if is_plan_admin(user):
        return Q()
    public = Q(pk__in=apps.get_model("plan", "ActionSheet").objects.public().values("pk"))
    if not _is_person(user):
        return public
    insider = _sheet_actors().filter(organisation__in=member_organisations(user))
    return public | Q(pk__in=insider.values("sheet_id"))


def can_see_sheet(user, sheet) -> bool:
    """`sheet` is among `visible_sheets_q`."""
    return _in(visible_sheets_q(user), sheet)


def visible_indicators_q(user) -> Q:
    """Indicators `user` may read: public ones of public sheets; confidential ones for members
    of the sheet's pilot or partner organisations; all for plan administrators."""
    if is_plan_admin(user):
        return Q()
    public = Q(pk__in=apps.get_model("plan", "Indicator").objects.public().values("pk"))
    if not _is_person(user):
        return public
    insider = _sheet_actors().filter(organisation__in=member_organisations(user))
    return public | Q(sheet_id__in=insider.values("sheet_id"))


def can_see_indicator(user, indicator) -> bool:
    """`indicator` is among `visible_indicators_q`."""
    return _in(visible_indicators_q(user), indicator)


def editable_sheets_q(user) -> Q:
    """Sheets `user` may edit: `plan.edit_sheet` in one of their pilot organisations."""
    if is_plan_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(pk__in=_sheet_ids_piloted_where(user, PLAN_EDIT_SHEET))


def editable_sheet_ids(user, plan=None) -> set[int] | None:
    """Ids of the sheets `user` may edit (in `plan` if given); None means every sheet."""
    if is_plan_admin(user):
        return None
    sheets = apps.get_model("plan", "ActionSheet").objects.filter(editable_sheets_q(user))
    if plan is not None:
        sheets = sheets.filter(plan=plan)
    return set(sheets.values_list("pk", flat=True))


def can_edit_sheet(user, sheet) -> bool:
    """`plan.edit_sheet` in one of the sheet's pilot organisations (or plan administrator):
    the sheet, its status, indicators, targets, budget and data sources."""
    return _in(editable_sheets_q(user), sheet)


def measurable_sheets_q(user) -> Q:
    """Sheets whose indicator values `user` records: `plan.record_measurement` in one of
    their pilot organisations (every sheet for plan administrators)."""
    if is_plan_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(pk__in=_sheet_ids_piloted_where(user, PLAN_RECORD_MEASUREMENT))


def can_record_measurement(user, sheet) -> bool:
    """`plan.record_measurement` in one of the sheet's pilot organisations (or plan
    administrator): record or recompute an indicator value of the sheet."""
    if is_plan_admin(user):
        return True
    return _in(measurable_sheets_q(user), sheet)


def can_manage_meetings(user, plan) -> bool:
    """Plan administrators, and whoever may edit at least one sheet of the plan, manage the
    plan's meetings and apply spreadsheet updates to the sheets they may edit."""
    ids = editable_sheet_ids(user, plan)
    return ids is None or bool(ids)


def can_manage_meeting(user, meeting) -> bool:
    """Edit or delete one meeting: plan administrators any; a pilot only a meeting whose
    sheets are all sheets they may edit (a Num08 pilot does not touch Num02's steering
    committee; a meeting of the whole plan, without sheets, is the administrators')."""
    ids = editable_sheet_ids(user, meeting.plan)
    if ids is None:
        return True
    sheet_ids = {s.pk for s in meeting.sheets.all()}
    return bool(sheet_ids) and sheet_ids <= ids


def can_apply_bulk_update(user, bulk_update) -> bool:
    """Only the person who uploaded a spreadsheet update previews and applies it (and only
    while they may still manage the plan's updates)."""
    return (
        _is_person(user)
        and bulk_update.uploaded_by_id == user.pk
        and can_manage_meetings(user, bulk_update.plan)
    )


# --- Places --------------------------------------------------------------------------------
# "The organisation" of a place is the one running it; for a help request it is the one
# running the place the request was routed to.


def editable_places_q(user) -> Q:
    """Places `user` may edit: `places.edit_place` in the organisation running them (a place
    without organisation: platform administrators only)."""
    if is_platform_admin(user):
        return Q()
    return Q(organisation__in=organisations_where(user, PLACES_EDIT_PLACE))


def can_edit_place(user, place) -> bool:
    """`place` is among `editable_places_q`."""
    if is_platform_admin(user):
        return True
    return place.organisation_id is not None and can(user, PLACES_EDIT_PLACE, place.organisation)


def visible_help_requests_q(user) -> Q:
    """Help requests `user` reads and handles: `places.handle_help_requests` in the
    organisation running the place they were routed to; requests no place could take are
    seen by platform administrators only."""
    if is_platform_admin(user):
        return Q()
    return Q(place__organisation__in=organisations_where(user, PLACES_HANDLE_HELP_REQUESTS))


def can_handle_help_request(user, help_request) -> bool:
    """`help_request` is among `visible_help_requests_q`."""
    if is_platform_admin(user):
        return True
    place = help_request.place
    return (
        place is not None
        and place.organisation_id is not None
        and can(user, PLACES_HANDLE_HELP_REQUESTS, place.organisation)
    )


# --- Appointments --------------------------------------------------------------------------
# A booking has two organisations: the one offering the service (whose agents manage it) and
# the one running the place (whose receptionists book there for people).


def is_appointments_staff(user) -> bool:
    """Manages an agenda or books for people somewhere: reaches the staff agenda pages."""
    return can_anywhere(user, APPOINTMENTS_MANAGE_AGENDA, APPOINTMENTS_BOOK_FOR_USER)


def visible_bookings_q(user) -> Q:
    """Bookings `user` sees: of services of organisations where they manage the agenda or
    book for people, and at places of organisations where they book for people."""
    if is_platform_admin(user):
        return Q()
    manage = organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)
    book = organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    return (
        Q(service__organisation__in=manage)
        | Q(place__organisation__in=book)
        | Q(service__organisation__in=book)
    )


def can_see_booking(user, booking) -> bool:
    """`booking` is among `visible_bookings_q`."""
    return _in(visible_bookings_q(user), booking)


def can_manage_booking(user, booking) -> bool:
    """Move, cancel, mark attendance: `appointments.manage_agenda` in the service's
    organisation. Booking for people at a place (receptionists) does not give it."""
    return can(user, APPOINTMENTS_MANAGE_AGENDA, booking.service.organisation)


def can_manage_agenda_of(user, service) -> bool:
    """`appointments.manage_agenda` in the service's organisation: book over an occupied
    time on purpose, manage its workshops."""
    return can(user, APPOINTMENTS_MANAGE_AGENDA, service.organisation)


def can_book_service(user, service, place=None) -> bool:
    """Who may book `service` (at `place`): anyone for public services; for staff services,
    `appointments.book_for_user` in the service's organisation or the place's; for
    partner-only services, `appointments.manage_agenda` in the service's organisation."""
    if service.is_public:
        return True
    if not _is_person(user):
        return False
    if service.is_partner_only:
        return can(user, APPOINTMENTS_MANAGE_AGENDA, service.organisation)
    organisations = [service.organisation]
    if place is not None and place.organisation_id:
        organisations.append(place.organisation)
    return any(can(user, APPOINTMENTS_BOOK_FOR_USER, org) for org in organisations)


def staff_bookable_services_q(user) -> Q:
    """Services offered on the staff booking page: of organisations where `user` manages the
    agenda or books for people, or offered at places of organisations where they book."""
    if is_platform_admin(user):
        return Q()
    book = organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    return (
        Q(organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA))
        | Q(organisation__in=book)
        | Q(places__organisation__in=book)
    )


def visible_sessions_q(user) -> Q:
    """Workshop sessions `user` sees and registers people for: of services whose agenda they
    manage, or at places of organisations where they book for people."""
    if is_platform_admin(user):
        return Q()
    return Q(service__organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        place__organisation__in=organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
    )


def can_see_session(user, session) -> bool:
    """`session` is among `visible_sessions_q`."""
    return _in(visible_sessions_q(user), session)


def can_manage_session(user, session) -> bool:
    """Mark attendance at a workshop session: `appointments.manage_agenda` in the service's
    organisation."""
    return can_manage_agenda_of(user, session.service)


def availability_agents_q(user) -> Q:
    """Agents whose weekly availability, absences and leave `user` sets: their own agent
    profile in an organisation where they manage an agenda, and every agent of an
    organisation where they manage the members (its administrators)."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    return Q(user=user, organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        organisation__in=organisations_where(user, ORGANISATION_MANAGE_MEMBERS)
    )


def can_manage_availability(user, agent) -> bool:
    """`agent` is among `availability_agents_q`."""
    return _in(availability_agents_q(user), agent)


def feed_places_q(user) -> Q:
    """Places whose calendar feed `user` may create: run by organisations where they manage
    an agenda or book for people."""
    return Q(organisation__in=organisations_where(user, APPOINTMENTS_MANAGE_AGENDA)) | Q(
        organisation__in=organisations_where(user, APPOINTMENTS_BOOK_FOR_USER)
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


# --- Transport -----------------------------------------------------------------------------
# "The organisation" of a ride is its carrier (operator).


def can_request_rides(user) -> bool:
    """`transport.request_ride` somewhere: ask for rides, plan home visits."""
    return can_anywhere(user, TRANSPORT_REQUEST_RIDE)


def can_manage_rides(user, operator) -> bool:
    """`transport.manage_rides` in the carrier: plan its days, confirm tours, print drivers'
    sheets, mark rides done, see riders' addresses and phone numbers."""
    return can(user, TRANSPORT_MANAGE_RIDES, operator)


def sees_rider_details(user, ride) -> bool:
    """Riders' addresses and phone numbers: only for the carrier's staff (`can_manage_rides`)."""
    return can_manage_rides(user, ride.operator)


def visible_rides_q(user) -> Q:
    """Rides `user` sees: of the carriers where they manage rides, the ones they asked for
    (they may cancel those), and — where they may ask for rides (mediators, receptionists) —
    the rides of the people their organisation booked or that a colleague asked for."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    asking = organisations_where(user, TRANSPORT_REQUEST_RIDE)
    colleagues = Membership.objects.filter(organisation__in=asking).values("user_id")
    return (
        Q(operator__in=organisations_where(user, TRANSPORT_MANAGE_RIDES))
        | Q(created_by=user)
        | Q(booking__service__organisation__in=asking)
        | Q(created_by__in=colleagues)
    )


def can_see_ride(user, ride) -> bool:
    """`ride` is among `visible_rides_q`."""
    return _in(visible_rides_q(user), ride)


# --- Broadband (sheets Num10, Num11) --------------------------------------------------------
# "The organisation" is a pilot organisation of a sheet a roll-out programme serves (Num10's,
# or Num11's for its phase).


def _pilot_organisations(sheet_ids) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=_sheet_actors()
        .pilots()
        .filter(sheet_id__in=sheet_ids, organisation__isnull=False)
        .values("organisation_id")
    )


def _broadband_sheet_ids() -> set[int]:
    """The sheets a roll-out programme serves: its own (Num10) and its phases' (Num11)."""
    programmes = apps.get_model("broadband", "Programme").objects.filter(sheet__isnull=False)
    phases = apps.get_model("broadband", "Phase").objects.filter(sheet__isnull=False)
    return set(programmes.values_list("sheet_id", flat=True)) | set(
        phases.values_list("sheet_id", flat=True)
    )


def can_import_broadband_figures(user) -> bool:
    """Plan administrators, and holders of `broadband.import_figures` in an organisation
    piloting a sheet that a roll-out programme serves, import the regulator's or the
    operator's figures."""
    if not _is_person(user):
        return False
    if is_plan_admin(user):
        return True
    pilots = _pilot_organisations(_broadband_sheet_ids())
    return organisations_where(user, BROADBAND_IMPORT_FIGURES).filter(pk__in=pilots).exists()


def can_manage_programme(user, programme, phase=None) -> bool:
    """Plan administrators and the pilots (`broadband.manage_programme`) of the programme's
    sheet manage all its works; the pilots of a phase's own sheet (Num11 for the CC des 4B Sud
    Charente) manage that phase."""
    if not _is_person(user):
        return False
    if is_plan_admin(user):
        return True
    sheet_ids = [programme.sheet_id] if programme.sheet_id else []
    if phase is not None and phase.sheet_id:
        sheet_ids.append(phase.sheet_id)
    pilots = _pilot_organisations(sheet_ids)
    return organisations_where(user, BROADBAND_MANAGE_PROGRAMME).filter(pk__in=pilots).exists()


def can_manage_work(user, work) -> bool:
    """A work of a roll-out programme: `can_manage_programme` for its phase."""
    return can_manage_programme(user, work.phase.programme, work.phase)


def can_manage_some_of_programme(user, programme) -> bool:
    """The whole programme or at least one of its phases (`programme_phases_managed`)."""
    phases = programme_phases_managed(user, programme)
    return phases is None or phases.exists()


def programme_phases_managed(user, programme) -> QuerySet | None:
    """The phases of `programme` whose works `user` may edit (None: every phase)."""
    phases = apps.get_model("broadband", "Phase").objects
    if can_manage_programme(user, programme):
        return None
    if not _is_person(user):
        return phases.none()
    allowed = organisations_where(user, BROADBAND_MANAGE_PROGRAMME)
    sheet_ids = _sheet_actors().pilots().filter(organisation__in=allowed).values("sheet_id")
    return phases.filter(programme=programme, sheet_id__in=sheet_ids)


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


# --- Networks (sheet Num02) ---------------------------------------------------------------
# "The organisation" of a professional network (the Promeneurs du Net) is its coordinating
# organisation for `networks.coordinate`, and that organisation or one of the network's
# steering organisations (its comité de pilotage) for `networks.view`. A member of the network
# acts on their own record through the account linked to it, whatever their roles.


def visible_networks_q(user) -> Q:
    """Networks `user` follows: `networks.view` in the coordinating organisation or in one of
    the steering organisations (all for platform administrators)."""
    if is_platform_admin(user):
        return Q()
    if not _is_person(user):
        return _none()
    organisations = organisations_where(user, NETWORKS_VIEW)
    networks = apps.get_model("networks", "Network").objects.filter(
        Q(organisation__in=organisations) | Q(steering_organisations__in=organisations)
    )
    return Q(pk__in=networks.values("pk"))


def can_view_network(user, network) -> bool:
    """`network` is among `visible_networks_q`: its dashboard, members, returns, trainings,
    meetings and yearly report, read only."""
    return _in(visible_networks_q(user), network)


def can_coordinate_network(user, network) -> bool:
    """`networks.coordinate` in the network's coordinating organisation: register and follow
    members, trainings, returns (form, import, reminders), meetings, the network's rules."""
    return can(user, NETWORKS_COORDINATE, network.organisation)


def is_network_member_account(user, member) -> bool:
    """`user` is the account linked to the network member `member` (a Promeneur du Net
    acting on their own record: returns, online presence, publication choices)."""
    return _is_person(user) and member.user_id is not None and member.user_id == user.pk


def can_act_for_network_member(user, member) -> bool:
    """The member themself (their linked account) or a coordinator of their network."""
    return is_network_member_account(user, member) or can_coordinate_network(user, member.network)


def has_network_member_record(user, record=None) -> bool:
    """`user`'s account is linked to a (not erased) member of a network: their own space."""
    if not _is_person(user):
        return False
    members = apps.get_model("networks", "Member").objects
    return members.filter(user=user, erased_at__isnull=True).exists()


def _meeting_networks(meeting):
    return apps.get_model("networks", "Network").objects.filter(sheet__meetings=meeting)


def can_view_network_meeting(user, meeting) -> bool:
    """A meeting of the sheet of a network `user` follows (`can_view_network`)."""
    return _meeting_networks(meeting).filter(visible_networks_q(user)).exists()


def can_coordinate_network_meeting(user, meeting) -> bool:
    """A meeting of the sheet of a network `user` coordinates: attendance and minutes."""
    return any(can_coordinate_network(user, n) for n in _meeting_networks(meeting))


# --- Views ---------------------------------------------------------------------------------


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


def permission_required_anywhere(*actions: str) -> Callable:
    """Guard a page needing one of `actions` in some organisation: anonymous → login page;
    logged in without it → 403 (platform administrators always pass)."""
    for action in actions:
        roles_granting(action)
    if not actions:
        raise ValueError("permission_required_anywhere needs at least one action")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_anywhere(request.user, *actions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
