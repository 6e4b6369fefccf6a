"""Which rule guards each URL of Maillage: one entry per URL name, the permission matrix test
(`tests/web/test_permission_matrix.py`) asks every route as every kind of person, about a
record of their own organisation and one of another organisation, and expects exactly the
answer `Guard.decide` gives. A new URL without an entry here fails that test.

A `Route` names the record its URL points at (the model label, e.g. `"plan.Indicator"`; the
test fills the URL from it) and a guard per method; `None` means the method is refused (405).
A `Guard` is checked in this order, and the views check in the same order:

1. `login`: anonymous visitors go to the login page (the API answers 401);
2. `anywhere`: one of these actions held in some organisation, else 403;
3. `see`: a rule on the record; refused → 404 (its existence is not revealed);
4. `act`: a rule on the record; refused → 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from . import (
    ACCESS_PLAN_SITING,
    APPOINTMENTS_BOOK_FOR_USER,
    APPOINTMENTS_MANAGE_AGENDA,
    MEDIATION_RECORD_ACCOMPANIMENT,
    ORGANISATION_MANAGE_MEMBERS,
    PLACES_EDIT_PLACE,
    PLACES_HANDLE_HELP_REQUESTS,
    TRANSPORT_MANAGE_RIDES,
    TRANSPORT_REQUEST_RIDE,
    can_anywhere,
    can_apply_bulk_update,
    can_book_service,
    can_coordinate_network,
    can_coordinate_network_meeting,
    can_edit_organisation,
    can_edit_place,
    can_edit_sheet,
    can_handle_help_request,
    can_import_broadband_figures,
    can_manage_agenda_of,
    can_manage_availability,
    can_manage_booking,
    can_manage_meeting,
    can_manage_meetings,
    can_manage_members,
    can_manage_rides,
    can_manage_session,
    can_manage_some_of_programme,
    can_manage_work,
    can_plan_siting,
    can_record_accompaniment,
    can_record_measurement,
    can_see_booking,
    can_see_indicator,
    can_see_mediation_record,
    can_see_plan,
    can_see_ride,
    can_see_session,
    can_see_sheet,
    can_view_network,
    can_view_network_meeting,
    can_view_organisation,
    has_network_member_record,
    roles_granting,
)

ALLOWED, LOGIN, FORBIDDEN, HIDDEN = "allowed", "login", "forbidden", "hidden"


@dataclass(frozen=True)
class Rule:
    """A rule of the permissions package applied to the URL's record, or to the object at
    `of` (a dotted attribute path) from it."""

    check: Callable[[Any, Any], bool]
    of: str = ""

    def __call__(self, user, record) -> bool:
        target = reduce(getattr, self.of.split("."), record) if self.of else record
        return self.check(user, target)

    def __str__(self) -> str:
        return f"`{self.check.__name__}`" + (f" (of its {self.of})" if self.of else "")


@dataclass(frozen=True)
class Guard:
    login: bool = True
    anywhere: tuple[str, ...] = ()
    see: Rule | None = None
    act: Rule | None = None

    def __post_init__(self):
        for action in self.anywhere:
            roles_granting(action)  # fail at import time on a typo

    def decide(self, user, record=None) -> str:
        """ALLOWED, LOGIN (login page / 401), FORBIDDEN (403) or HIDDEN (404)."""
        if self.login and not user.is_authenticated:
            return LOGIN
        if self.anywhere and not can_anywhere(user, *self.anywhere):
            return FORBIDDEN
        if self.see is not None and not self.see(user, record):
            return HIDDEN
        if self.act is not None and not self.act(user, record):
            return FORBIDDEN
        return ALLOWED

    def __str__(self) -> str:
        parts = [] if self.login else ["anyone"]
        if self.login and not (self.anywhere or self.see or self.act):
            parts.append("logged in")
        if self.anywhere:
            parts.append(" or ".join(f"`{a}`" for a in self.anywhere) + " somewhere")
        if self.see is not None:
            parts.append(f"sees it: {self.see}")
        if self.act is not None:
            parts.append(f"{self.act}")
        return "; ".join(parts)


SAME = object()


@dataclass(frozen=True)
class Route:
    """`get`/`post`: the guard of each method (None: 405). `post` defaults to `get`."""

    get: Guard | None
    post: Any = SAME
    record: str = ""
    methods: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        post = self.get if self.post is SAME else self.post
        object.__setattr__(self, "post", post)
        object.__setattr__(self, "methods", {"GET": self.get, "POST": post})


PUBLIC = Guard(login=False)
LOGGED_IN = Guard()


def answers_nobody(user, record) -> bool:
    """An address that only serves to build others (the API's root): 404 for everyone."""
    return False


NOWHERE = Guard(login=False, see=Rule(answers_nobody))


def imports_broadband_figures(user, record=None) -> bool:
    """`can_import_broadband_figures`, whichever import the address names."""
    return can_import_broadband_figures(user)


IMPORTS_BROADBAND = Guard(act=Rule(imports_broadband_figures))


def created_the_feed(user, feed) -> bool:
    """A calendar feed is revoked by the person who created it."""
    return feed.created_by_id is not None and feed.created_by_id == user.pk


def rule(check: Callable[[Any, Any], bool], of: str = "") -> Rule:
    return Rule(check, of)


def anywhere(*actions: str, **rules) -> Guard:
    return Guard(anywhere=actions, **rules)


def get_only(guard: Guard, record: str = "") -> Route:
    return Route(get=guard, post=None, record=record)


def post_only(guard: Guard, record: str = "") -> Route:
    return Route(get=None, post=guard, record=record)


def _public(record: str = "") -> Route:
    return Route(get=PUBLIC, record=record)


APPOINTMENTS_STAFF = (APPOINTMENTS_MANAGE_AGENDA, APPOINTMENTS_BOOK_FOR_USER)
SEES_PLAN = Guard(login=False, see=rule(can_see_plan))
SEES_SHEET = Guard(login=False, see=rule(can_see_sheet))
MANAGES_MEETINGS = Guard(see=rule(can_see_plan), act=rule(can_manage_meetings))
MANAGES_MEETING = Guard(see=rule(can_see_plan, of="plan"), act=rule(can_manage_meeting))
SEES_MEDIATION = Guard(see=rule(can_see_mediation_record))
MEDIATION = anywhere(MEDIATION_RECORD_ACCOMPANIMENT)
SEES_CARRIER = rule(can_view_organisation)
FOLLOWS_NETWORK = Guard(see=rule(can_view_network))
COORDINATES_NETWORK = Guard(see=rule(can_view_network), act=rule(can_coordinate_network))
FOLLOWS_ITS_NETWORK = Guard(see=rule(can_view_network, of="network"))
COORDINATES_ITS_NETWORK = Guard(
    see=rule(can_view_network, of="network"), act=rule(can_coordinate_network, of="network")
)
NETWORK_MEMBER = Guard(see=rule(has_network_member_record))
PLANS_SITING = anywhere(ACCESS_PLAN_SITING)
PLANS_SITING_OF = Guard(see=rule(can_plan_siting))

#: Every named URL of the project (the Django admin has its own permissions).
ROUTES: dict[str, Route] = {
    # --- web, accounts -----------------------------------------------------------------
    "web:home": _public(),
    "web:accessibility": _public(),
    "web:legal": _public(),
    "web:health": _public(),
    "login": _public(),
    "login_code": _public(),
    "logout": post_only(PUBLIC),
    "password_reset": _public(),
    "password_reset_done": get_only(PUBLIC),
    "password_reset_confirm": _public(),  # the emailed link carries a one-time token
    "password_reset_complete": get_only(PUBLIC),
    # --- territory ------------------------------------------------------------------------
    "territory:commune_search": _public(),
    "territory:commune_search_json": _public(),
    "territory:commune_detail": _public("territory.Commune"),
    # --- organisations --------------------------------------------------------------------
    "organisations:my_space": Route(get=LOGGED_IN),
    "organisations:two_factor": Route(get=LOGGED_IN),
    "organisations:two_factor_enable": Route(get=LOGGED_IN),
    "organisations:two_factor_backup_codes": post_only(LOGGED_IN),
    "organisations:two_factor_disable": Route(get=LOGGED_IN),
    "organisations:list": Route(get=LOGGED_IN),
    "organisations:export": get_only(LOGGED_IN),
    "organisations:detail": Route(
        get=Guard(see=rule(can_view_organisation)), record="organisations.Organisation"
    ),
    "organisations:edit": Route(
        get=Guard(see=rule(can_view_organisation), act=rule(can_edit_organisation)),
        record="organisations.Organisation",
    ),
    "organisations:members": Route(
        get=Guard(see=rule(can_view_organisation), act=rule(can_manage_members)),
        record="organisations.Organisation",
    ),
    "organisations:membership_delete": Route(
        get=Guard(
            see=rule(can_view_organisation, of="organisation"),
            act=rule(can_manage_members, of="organisation"),
        ),
        record="organisations.Membership",
    ),
    # --- plan -----------------------------------------------------------------------------
    "plan:plan_list": _public(),
    "plan:plan_detail": Route(get=SEES_PLAN, record="plan.Plan"),
    "plan:dashboard": Route(get=SEES_PLAN, record="plan.Plan"),
    "plan:plan_report": get_only(SEES_PLAN, "plan.Plan"),
    "plan:plan_export": get_only(SEES_PLAN, "plan.Plan"),
    "plan:meeting_list": Route(get=SEES_PLAN, record="plan.Plan"),
    "plan:meetings_ics": get_only(SEES_PLAN, "plan.Plan"),
    "plan:meeting_detail": Route(
        get=Guard(login=False, see=rule(can_see_plan, of="plan")), record="plan.Meeting"
    ),
    "plan:meeting_create": Route(get=MANAGES_MEETINGS, record="plan.Plan"),
    "plan:meetings_generate": post_only(MANAGES_MEETINGS, "plan.Plan"),
    "plan:meeting_edit": Route(get=MANAGES_MEETING, record="plan.Meeting"),
    "plan:meeting_delete": Route(get=MANAGES_MEETING, record="plan.Meeting"),
    "plan:bulk_update_upload": Route(get=MANAGES_MEETINGS, record="plan.Plan"),
    "plan:bulk_update_preview": Route(
        get=Guard(see=rule(can_apply_bulk_update)), record="plan.BulkUpdate"
    ),
    "plan:sheet_detail": Route(get=SEES_SHEET, record="plan.ActionSheet"),
    "plan:sheet_pdf": get_only(SEES_SHEET, "plan.ActionSheet"),
    "plan:sheet_history": Route(get=Guard(see=rule(can_see_sheet)), record="plan.ActionSheet"),
    "plan:sheet_edit": Route(
        get=Guard(see=rule(can_see_sheet), act=rule(can_edit_sheet)), record="plan.ActionSheet"
    ),
    "plan:indicator_detail": Route(
        get=Guard(login=False, see=rule(can_see_indicator)),
        post=Guard(see=rule(can_see_indicator), act=rule(can_record_measurement, of="sheet")),
        record="plan.Indicator",
    ),
    "plan:indicator_recompute": post_only(
        Guard(see=rule(can_see_indicator), act=rule(can_record_measurement, of="sheet")),
        "plan.Indicator",
    ),
    "plan:indicator_bind": post_only(
        Guard(see=rule(can_see_indicator), act=rule(can_edit_sheet, of="sheet")),
        "plan.Indicator",
    ),
    "plan:series_upload": Route(get=MANAGES_MEETINGS, record="plan.Plan"),
    "plan:measurement_edit": Route(
        get=Guard(
            see=rule(can_see_indicator, of="indicator"),
            act=rule(can_record_measurement, of="indicator.sheet"),
        ),
        record="plan.Measurement",
    ),
    "plan:measurement_delete": Route(
        get=Guard(
            see=rule(can_see_indicator, of="indicator"),
            act=rule(can_record_measurement, of="indicator.sheet"),
        ),
        record="plan.Measurement",
    ),
    # --- access (public counts by commune, EPCI and département) ----------------------------
    "access:map": _public(),
    "access:export": _public(),
    "access:commune": _public("territory.Commune"),
    # --- broadband ------------------------------------------------------------------------
    "broadband:map": _public(),
    "broadband:export": _public(),
    "broadband:commune": _public("territory.Commune"),
    "broadband:epci": _public("territory.Epci"),
    "broadband:rip_template": _public(),
    "broadband:programme_detail": _public("broadband.Programme"),
    "broadband:import_list": Route(get=IMPORTS_BROADBAND),
    "broadband:import_detail": Route(get=IMPORTS_BROADBAND, record="broadband.FigureImport"),
    "broadband:import_apply": post_only(IMPORTS_BROADBAND, "broadband.FigureImport"),
    "broadband:work_edit": Route(get=Guard(act=rule(can_manage_work)), record="broadband.Work"),
    "broadband:works_import": Route(
        get=Guard(act=rule(can_manage_some_of_programme)), record="broadband.Programme"
    ),
    # --- places ---------------------------------------------------------------------------
    "places:find_help": _public(),
    "places:place_detail": _public("places.Place"),
    "places:communes_geojson": get_only(PUBLIC),
    "places:open_data_export": get_only(PUBLIC),
    "places:help_request_create": _public(),
    "places:help_request_sent": _public(),
    "places:place_edit": Route(get=Guard(act=rule(can_edit_place)), record="places.Place"),
    "places:place_manage_list": Route(get=anywhere(PLACES_EDIT_PLACE)),
    "places:place_create": Route(get=anywhere(PLACES_EDIT_PLACE)),
    "places:help_request_list": Route(get=anywhere(PLACES_HANDLE_HELP_REQUESTS)),
    "places:help_request_detail": Route(
        get=Guard(see=rule(can_handle_help_request)), record="places.HelpRequest"
    ),
    # --- appointments: the public's pages (signed links carry an unguessable token) -------
    "appointments:home": _public(),
    "appointments:service_detail": Route(
        get=Guard(login=False, see=rule(can_book_service)), record="appointments.Service"
    ),
    "appointments:hold": post_only(PUBLIC, "appointments.Service"),
    "appointments:session_register": _public("appointments.Session"),
    "appointments:book": _public("appointments.Booking"),
    "appointments:confirmation": _public("appointments.Booking"),
    "appointments:booking_ics": get_only(PUBLIC, "appointments.Booking"),
    "appointments:manage": get_only(PUBLIC, "appointments.Booking"),
    "appointments:manage_move": post_only(PUBLIC, "appointments.Booking"),
    "appointments:manage_cancel": get_only(PUBLIC, "appointments.Booking"),
    "appointments:manage_cancel_do": post_only(PUBLIC, "appointments.Booking"),
    "appointments:feed": get_only(PUBLIC, "appointments.CalendarFeed"),
    # --- appointments: staff ----------------------------------------------------------------
    "appointments:agenda": Route(get=anywhere(*APPOINTMENTS_STAFF)),
    "appointments:staff_book": Route(get=anywhere(*APPOINTMENTS_STAFF)),
    "appointments:feeds": get_only(anywhere(*APPOINTMENTS_STAFF)),
    "appointments:feed_create_agent": post_only(anywhere(*APPOINTMENTS_STAFF)),
    "appointments:feed_create_place": post_only(anywhere(*APPOINTMENTS_STAFF)),
    "appointments:feed_revoke": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(created_the_feed)), "appointments.CalendarFeed"
    ),
    "appointments:indicators": Route(get=anywhere(*APPOINTMENTS_STAFF)),
    "appointments:staff_force": Route(
        get=anywhere(*APPOINTMENTS_STAFF, act=rule(can_manage_agenda_of)),
        record="appointments.Service",
    ),
    "appointments:staff_booking": get_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking)), "appointments.Booking"
    ),
    "appointments:staff_booking_attendance": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    "appointments:staff_booking_move": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    "appointments:staff_cancel": get_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    "appointments:staff_cancel_do": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    # Agents' own availability: the agent, or an administrator of the agent's organisation.
    "appointments:availability_list": get_only(
        anywhere(APPOINTMENTS_MANAGE_AGENDA, ORGANISATION_MANAGE_MEMBERS)
    ),
    "appointments:agent_availability": get_only(
        Guard(see=rule(can_manage_availability)), "appointments.Agent"
    ),
    "appointments:agent_rule_add": post_only(
        Guard(see=rule(can_manage_availability)), "appointments.Agent"
    ),
    "appointments:agent_absence_add": post_only(
        Guard(see=rule(can_manage_availability)), "appointments.Agent"
    ),
    "appointments:agent_rule_delete": post_only(
        Guard(see=rule(can_manage_availability, of="agent")), "appointments.WeeklyRule"
    ),
    "appointments:agent_absence_delete": post_only(
        Guard(see=rule(can_manage_availability, of="agent")), "appointments.Absence"
    ),
    "appointments:session_attendance": get_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_session)), "appointments.Session"
    ),
    "appointments:session_attendance_save": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_session), act=rule(can_manage_session)),
        "appointments.Session",
    ),
    # Registering a person needs only to see the session.
    "appointments:session_enrol": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_session)), "appointments.Session"
    ),
    # Taking someone off a waitlist is a cancellation: those who manage the booking.
    "appointments:waitlist_remove": get_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    "appointments:waitlist_remove_do": post_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_booking), act=rule(can_manage_booking)),
        "appointments.Booking",
    ),
    "appointments:session_attendance_pdf": get_only(
        anywhere(*APPOINTMENTS_STAFF, see=rule(can_see_session)), "appointments.Session"
    ),
    # --- mediation --------------------------------------------------------------------------
    "mediation:home": Route(get=MEDIATION),
    "mediation:accompaniment_list": Route(get=MEDIATION),
    "mediation:accompaniment_create": Route(get=MEDIATION),
    "mediation:accompaniment_detail": Route(get=SEES_MEDIATION, record="mediation.Accompaniment"),
    "mediation:accompaniment_edit": Route(get=SEES_MEDIATION, record="mediation.Accompaniment"),
    "mediation:accompaniment_delete": Route(get=SEES_MEDIATION, record="mediation.Accompaniment"),
    "mediation:from_attendance": post_only(
        Guard(see=rule(can_record_accompaniment, of="service.organisation")),
        "appointments.Session",
    ),
    "mediation:beneficiary_list": Route(get=MEDIATION),
    "mediation:beneficiary_create": Route(get=MEDIATION),
    "mediation:duplicates": Route(get=MEDIATION),
    "mediation:beneficiary_detail": Route(get=SEES_MEDIATION, record="mediation.Beneficiary"),
    "mediation:beneficiary_edit": Route(get=SEES_MEDIATION, record="mediation.Beneficiary"),
    "mediation:beneficiary_merge": post_only(SEES_MEDIATION, "mediation.Beneficiary"),
    "mediation:beneficiary_erase": Route(get=SEES_MEDIATION, record="mediation.Beneficiary"),
    "mediation:beneficiary_export": get_only(SEES_MEDIATION, "mediation.Beneficiary"),
    "mediation:outcome_create": post_only(SEES_MEDIATION, "mediation.Beneficiary"),
    "mediation:subscription_create": Route(get=SEES_MEDIATION, record="mediation.Beneficiary"),
    "mediation:receipt_pdf": get_only(
        Guard(see=rule(can_see_mediation_record, of="beneficiary")), "mediation.Subscription"
    ),
    "mediation:stats": Route(get=MEDIATION),
    "mediation:public_stats": _public("plan.Plan"),
    # --- networks (Promeneurs du Net) ----------------------------------------------------------
    "networks:index": _public(),
    "networks:directory": _public("networks.Network"),
    "networks:my_space": Route(get=NETWORK_MEMBER),
    "networks:my_return": Route(get=NETWORK_MEMBER),
    "networks:my_publication": Route(get=NETWORK_MEMBER),
    "networks:meeting_detail": Route(
        get=Guard(see=rule(can_view_network_meeting)),
        post=Guard(see=rule(can_view_network_meeting), act=rule(can_coordinate_network_meeting)),
        record="plan.Meeting",
    ),
    "networks:home": Route(get=FOLLOWS_NETWORK, record="networks.Network"),
    "networks:network_settings": Route(get=COORDINATES_NETWORK, record="networks.Network"),
    "networks:member_list": Route(get=FOLLOWS_NETWORK, record="networks.Network"),
    "networks:member_create": Route(get=COORDINATES_NETWORK, record="networks.Network"),
    "networks:member_detail": Route(get=FOLLOWS_ITS_NETWORK, record="networks.Member"),
    "networks:member_edit": Route(get=COORDINATES_ITS_NETWORK, record="networks.Member"),
    "networks:member_status": post_only(COORDINATES_ITS_NETWORK, "networks.Member"),
    "networks:member_status_undo": post_only(COORDINATES_ITS_NETWORK, "networks.Member"),
    "networks:member_publication": Route(get=COORDINATES_ITS_NETWORK, record="networks.Member"),
    "networks:member_return": Route(get=COORDINATES_ITS_NETWORK, record="networks.Member"),
    "networks:member_erase": Route(get=COORDINATES_ITS_NETWORK, record="networks.Member"),
    "networks:training_list": Route(get=FOLLOWS_NETWORK, record="networks.Network"),
    "networks:training_create": Route(get=COORDINATES_NETWORK, record="networks.Network"),
    "networks:training_detail": Route(
        get=FOLLOWS_ITS_NETWORK, post=COORDINATES_ITS_NETWORK, record="networks.TrainingSession"
    ),
    "networks:training_edit": Route(get=COORDINATES_ITS_NETWORK, record="networks.TrainingSession"),
    "networks:return_list": Route(get=FOLLOWS_NETWORK, record="networks.Network"),
    "networks:return_import": Route(get=COORDINATES_NETWORK, record="networks.Network"),
    "networks:return_template": get_only(COORDINATES_NETWORK, "networks.Network"),
    "networks:reminders_send": post_only(COORDINATES_NETWORK, "networks.Network"),
    "networks:meeting_list": Route(get=FOLLOWS_NETWORK, record="networks.Network"),
    "networks:report_pdf": get_only(FOLLOWS_NETWORK, "networks.Network"),
    # --- access: siting scenarios (pilots) -----------------------------------------------
    "access:siting_list": get_only(PLANS_SITING),
    "access:siting_create": Route(get=PLANS_SITING),
    "access:siting_compare": get_only(PLANS_SITING),
    "access:siting_template": get_only(PLANS_SITING),
    "access:siting_detail": get_only(PLANS_SITING_OF, "access.SitingScenario"),
    "access:siting_pdf": get_only(PLANS_SITING_OF, "access.SitingScenario"),
    "access:siting_delete": post_only(PLANS_SITING_OF, "access.SitingScenario"),
    # --- transport --------------------------------------------------------------------------
    "transport:home": Route(get=anywhere(TRANSPORT_REQUEST_RIDE, TRANSPORT_MANAGE_RIDES)),
    "transport:request_create": Route(get=anywhere(TRANSPORT_REQUEST_RIDE)),
    "transport:home_visits": Route(get=anywhere(TRANSPORT_REQUEST_RIDE)),
    "transport:request_detail": get_only(Guard(see=rule(can_see_ride)), "transport.RideRequest"),
    # Cancelling is open to whoever sees the ride; marking it done needs `can_manage_rides`.
    "transport:request_cancel": post_only(Guard(see=rule(can_see_ride)), "transport.RideRequest"),
    "transport:request_done": post_only(
        Guard(see=rule(can_see_ride), act=rule(can_manage_rides, of="operator")),
        "transport.RideRequest",
    ),
    "transport:request_no_show": post_only(
        Guard(see=rule(can_see_ride), act=rule(can_manage_rides, of="operator")),
        "transport.RideRequest",
    ),
    "transport:booking_ride": _public("appointments.Booking"),
    "transport:rider_ride": _public("transport.RideRequest"),
    "transport:day_choose": Route(
        get=Guard(see=SEES_CARRIER, act=rule(can_manage_rides)),
        record="organisations.Organisation",
    ),
    "transport:day": Route(
        get=Guard(see=SEES_CARRIER, act=rule(can_manage_rides)),
        record="organisations.Organisation",
    ),
    "transport:plan": post_only(
        Guard(see=SEES_CARRIER, act=rule(can_manage_rides)), "organisations.Organisation"
    ),
    "transport:run": Route(
        get=Guard(act=rule(can_manage_rides, of="operator")), record="transport.PlanningRun"
    ),
    "transport:confirm": Route(
        get=Guard(act=rule(can_manage_rides, of="operator")), record="transport.PlanningRun"
    ),
    "transport:driver_sheet": get_only(
        Guard(act=rule(can_manage_rides, of="run.operator")), "transport.Tour"
    ),
    # --- JSON API (GET only unless said) ----------------------------------------------------
    "api:api-root": Route(get=NOWHERE),
    "api:openapi-json": _public(),
    "api:openapi-view": _public(),
    "api:communes": get_only(PUBLIC),
    "api:commune": get_only(PUBLIC, "territory.Commune"),
    "api:epcis": get_only(PUBLIC),
    "api:organisations": get_only(LOGGED_IN),
    "api:organisation": get_only(
        Guard(see=rule(can_view_organisation)), "organisations.Organisation"
    ),
    "api:plans": get_only(PUBLIC),
    "api:plan": get_only(SEES_PLAN, "plan.Plan"),
    "api:sheet": get_only(SEES_SHEET, "plan.ActionSheet"),
    "api:add_measurement": post_only(
        Guard(see=rule(can_see_indicator), act=rule(can_record_measurement, of="sheet")),
        "plan.Indicator",
    ),
    "api:import_series": post_only(MANAGES_MEETINGS, "plan.Plan"),
    "api:places": get_only(PUBLIC),
    "api:near": get_only(PUBLIC),
    "api:place_counts": get_only(PUBLIC),
    "api:place": get_only(PUBLIC, "places.Place"),
    "api:access_figures": get_only(PUBLIC),
    "api:list_services": get_only(PUBLIC),
    "api:list_slots": get_only(PUBLIC, "appointments.Service"),
    "api:list_indicators": get_only(anywhere(*APPOINTMENTS_STAFF)),
    "api:indicator_sources": get_only(PUBLIC),
    "api:mediation_statistics": get_only(PUBLIC, "plan.Plan"),
    "api:day_tours": get_only(
        Guard(see=SEES_CARRIER, act=rule(can_manage_rides)), "organisations.Organisation"
    ),
}
