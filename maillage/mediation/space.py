"""The mediation panel of "Mon espace": the latest accompaniments and workshops recorded in
the person's organisations, theirs first named as such."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .models import Accompaniment

SHOWN = 5


def accompaniments_panel(user, *, today: dt.date) -> Panel | None:
    """The five latest activities the person may read (one query), with who recorded them."""
    if not permissions.can_anywhere(user, permissions.MEDIATION_RECORD_ACCOMPANIMENT):
        return None
    recent = list(
        Accompaniment.objects.visible_to(user)
        .filter(date__lte=today)
        .select_related("place", "mediator")
        .annotate(people=Count("participations"))
        .order_by("-date", "-pk")[:SHOWN]
    )
    return Panel(
        title="Accompagnements récents",
        template="mediation/space/accompaniments.html",
        context={"accompaniments": recent},
        links=(
            ("Enregistrer un accompagnement", reverse("mediation:accompaniment_create")),
            ("Tous les accompagnements", reverse("mediation:accompaniment_list")),
            ("Bénéficiaires", reverse("mediation:beneficiary_list")),
        ),
    )


def register() -> None:
    register_panel("mediation.accompaniments", 30, accompaniments_panel)
