"""The networks' panel of "Mon espace": for the people who follow a network, last month's
returns still missing."""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse

from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .models import Member, MonthlyReturn, Network, month_label, previous_month

NAMES_SHOWN = 8


def returns_panel(user, *, today: dt.date) -> Panel | None:
    """Per network the person follows, the members who owe last month's return and have not
    sent it (two queries, whatever the number of networks and members)."""
    if not permissions.can_anywhere(user, permissions.NETWORKS_VIEW):
        return None
    month = previous_month(today)
    networks = list(Network.objects.visible_to(user).order_by("name"))
    if not networks:
        return None
    sent = MonthlyReturn.objects.filter(member=OuterRef("pk"), month=month)
    missing: dict[int, list[Member]] = {}
    for member in (
        Member.objects.filter(network__in=networks, erased_at__isnull=True)
        .reporting_for(month)
        .annotate(sent=Exists(sent))
        .filter(sent=False)
        .select_related("network")
        .order_by("last_name", "first_name", "pk")
    ):
        missing.setdefault(member.network_id, []).append(member)
    entries = []
    for network in networks:
        members = missing.get(network.pk, [])
        entries.append(
            {
                "network": network,
                "missing": members[:NAMES_SHOWN],
                "missing_count": len(members),
                "more": max(len(members) - NAMES_SHOWN, 0),
                "returns_url": reverse("networks:return_list", args=[network.slug]),
                "home_url": reverse("networks:home", args=[network.slug]),
            }
        )
    return Panel(
        title=f"Bilans mensuels de {month_label(month)}",
        template="networks/space/returns.html",
        context={"entries": entries, "month_label": month_label(month)},
    )


def register() -> None:
    register_panel("networks.returns", 60, returns_panel)
