"""Public pages: the networks, and each network's directory and map of active members
(only what each member agreed to publish, see `directory`)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from maillage import clock
from maillage.organisations.permissions import can_view_network
from maillage.places.maps import map_config
from maillage.spreadsheets import table_response

from .. import directory as public_directory
from ..forms import DirectoryFilterForm
from ..labels import DEMO_NOTE
from ..models import Member, Network

EXPORT_FORMATS = {"csv", "xlsx"}


def index(request):
    """The networks, their active members today, and the way in for each kind of visitor."""
    today = clock.today()
    networks = []
    for network in Network.objects.select_related("organisation").order_by("name"):
        networks.append(
            {
                "network": network,
                "active": Member.objects.filter(network=network).active_on(today).count(),
                "can_view": can_view_network(request.user, network),
            }
        )
    own = (
        Member.objects.filter(user=request.user).select_related("network")
        if request.user.is_authenticated
        else Member.objects.none()
    )
    return render(request, "networks/index.html", {"networks": networks, "own_records": own})


def directory(request, slug):
    network = get_object_or_404(Network.objects.select_related("organisation"), slug=slug)
    form = DirectoryFilterForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    profiles = public_directory.directory(network, **filters)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt,
            f"annuaire-{network.slug}",
            public_directory.EXPORT_HEADERS,
            public_directory.export_rows(profiles),
        )
    url = reverse("networks:directory", args=[network.slug])
    return render(
        request,
        "networks/directory.html",
        {
            "network": network,
            "form": form,
            "groups": public_directory.by_commune(profiles),
            "count": len(profiles),
            "map_data": {
                **map_config(),
                "origin": None,
                "places": public_directory.map_markers(profiles, url),
            },
            "map_label": f"Carte des Promeneurs du Net — {network.name}",
            "has_demo": network.members.filter(is_demo=True).exists(),
            "demo_note": DEMO_NOTE,
            "query": request.GET.urlencode(),
        },
    )
