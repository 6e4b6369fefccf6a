"""The places' panel of "Mon espace": the call-back requests waiting for the person."""

import datetime as dt

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse

from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .labels import OPEN_HELP_REQUEST_STATUSES, HelpRequestStatus
from .models import HelpRequest

SHOWN = 5


def help_requests_panel(user, *, today: dt.date) -> Panel | None:
    """Open call-back requests routed to the places the person's organisations run: new ones
    first, the oldest first among them (two queries)."""
    if not permissions.can_anywhere(user, permissions.PLACES_HANDLE_HELP_REQUESTS):
        return None
    open_requests = HelpRequest.objects.visible_to(user).filter(
        status__in=OPEN_HELP_REQUEST_STATUSES
    )
    first = list(
        open_requests.select_related("commune", "place")
        .annotate(
            rank=Case(
                When(status=HelpRequestStatus.NEW, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "created_at", "pk")[:SHOWN]
    )
    total = open_requests.count()
    url = reverse("places:help_request_list")
    return Panel(
        title="Demandes de rappel à traiter",
        template="places/space/help_requests.html",
        context={"help_requests": first, "total": total},
        links=((f"Toutes les demandes à traiter ({total})", f"{url}?statut=open"),),
    )


def register() -> None:
    register_panel("places.help_requests", 10, help_requests_panel)
