"""Loading a network for a page, with the permissions module's answer: a network one may not
see is a 404 (its back office is not revealed), one seen but not coordinated a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from maillage.organisations.permissions import can_coordinate_network

from ..models import Member, Network


def viewable_network(request, slug: str) -> Network:
    return get_object_or_404(
        Network.objects.visible_to(request.user).select_related("organisation", "sheet"),
        slug=slug,
    )


def coordinated_network(request, slug: str) -> Network:
    network = viewable_network(request, slug)
    if not can_coordinate_network(request.user, network):
        raise PermissionDenied
    return network


def network_member(network: Network, pk: int) -> Member:
    return get_object_or_404(
        Member.objects.filter(network=network).select_related("organisation", "user"), pk=pk
    )
