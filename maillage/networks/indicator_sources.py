"""The sources of indicators the networks app feeds (registered in the plan's registry).

Each is one database query (a COUNT or a SUM), never a loop over rows:

* `networks.active_members` — members counting as active on the date (status "active" on
  that day in their dated history and, where the network's rule says so, initial training
  attended by then). Bound to Num02 "Nombre de Pnd" (target 30).
* `networks.contacts` — online contacts with young people in the monthly returns of the
  period (all channels, or `channel`). Bound to Num02 "Nombre de contacts", per year.
* `networks.physical_meetings` — young people met in person after an online contact, from
  the returns. Bound to Num02 "Nombre de rencontres physiques", per year.
* `networks.follow_ups` — young people followed individually (sum of the monthly counts).
* `networks.network_meetings` — network meetings held (attendance or minutes recorded).

Filters: `network` (a slug or a list; all networks by default), `territory` (an INSEE code
or an EPCI SIREN: the member's structure), `period` (as every source), and `channel` for
contacts. A return counts in a period when its month starts within it; a period without any
return has no value (`NoData`), rather than a misleading zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from maillage.plan import sources

from .labels import CountKind
from .models import Member, MonthlyReturn, Network, ReturnCount

COMMON_FILTERS = ("network", "territory", "period")
PAGE = ("networks:index", "Promeneurs du Net : annuaire et coordination")


def _as_list(value) -> list:
    if value in (None, "", []):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _members(filters: dict) -> QuerySet[Member]:
    qs = Member.objects.all()
    if networks := _as_list(filters.get("network")):
        qs = qs.filter(network__slug__in=networks)
    if territory := filters.get("territory"):
        qs = qs.in_territory(territory)
    return qs


def count_active_members(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    return Decimal(_members(filters).active_on(end).count())


def _returns(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet[MonthlyReturn]:
    """The returns of the period; `NoData` when there is none at all."""
    qs = MonthlyReturn.objects.filter(member__in=_members(filters), month__lte=end)
    if start:
        qs = qs.filter(month__gte=start)
    if not qs.exists():
        raise sources.NoData
    return qs


def sum_contacts(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    q = Q(kind=CountKind.CHANNEL)
    if channels := _as_list(filters.get("channel")):
        q &= Q(code__in=channels)
    total = ReturnCount.objects.filter(
        q, monthly_return__in=_returns(filters, start=start, end=end)
    ).aggregate(n=Sum("count"))["n"]
    return Decimal(total or 0)


def _sum_field(name: str):
    def compute(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
        total = _returns(filters, start=start, end=end).aggregate(n=Sum(name))["n"]
        return Decimal(total or 0)

    return compute


def count_network_meetings(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    from .meetings import held_network_meetings

    networks = Network.objects.exclude(sheet=None)
    if slugs := _as_list(filters.get("network")):
        networks = networks.filter(slug__in=slugs)
    return Decimal(sum(held_network_meetings(n, start=start, end=end).count() for n in networks))


def register_all() -> None:
    sources.register(
        "networks.active_members",
        label="Promeneurs du Net actifs",
        description="Membres actifs du réseau à la date : statut « actif » ce jour-là dans "
        "l'historique daté de chaque membre et, si la règle du réseau le demande, formation "
        "initiale suivie. Filtres : réseau, territoire (commune ou EPCI de la structure).",
        unit="Promeneurs du Net",
        compute=count_active_members,
        filters=("network", "territory"),
        sheets=("Num02",),
        page=PAGE,
    )
    sources.register(
        "networks.contacts",
        label="Contacts en ligne avec des jeunes",
        description="Somme des contacts déclarés dans les bilans mensuels des membres (tous "
        "canaux, ou channel : instagram, snapchat…). Un bilan compte dans la période où son "
        "mois commence.",
        unit="contacts",
        compute=sum_contacts,
        filters=(*COMMON_FILTERS, "channel"),
        sheets=("Num02",),
        page=PAGE,
    )
    sources.register(
        "networks.physical_meetings",
        label="Rencontres physiques à la suite d'un contact en ligne",
        description="Somme des jeunes rencontrés en personne après un contact en ligne, "
        "déclarés dans les bilans mensuels.",
        unit="rencontres",
        compute=_sum_field("physical_meetings"),
        filters=COMMON_FILTERS,
        sheets=("Num02",),
        page=PAGE,
    )
    sources.register(
        "networks.follow_ups",
        label="Jeunes suivis individuellement",
        description="Somme des jeunes accompagnés sur plusieurs échanges, déclarés dans les "
        "bilans mensuels (un jeune suivi plusieurs mois compte chaque mois).",
        unit="suivis",
        compute=_sum_field("follow_ups"),
        filters=COMMON_FILTERS,
        sheets=("Num02",),
        page=PAGE,
    )
    sources.register(
        "networks.network_meetings",
        label="Réunions de réseau tenues",
        description="Réunions de réseau de la fiche du réseau tenues (présences ou compte "
        "rendu enregistrés) dans la période.",
        unit="réunions",
        compute=count_network_meetings,
        filters=("network", "period"),
        sheets=("Num02",),
        page=PAGE,
    )
