"""Rules on professional networks, their members and meetings."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q

from .rule_book import (
    NETWORKS_COORDINATE,
    NETWORKS_VIEW,
    _in,
    _is_person,
    _none,
    can,
    is_platform_admin,
    organisations_where,
)

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
