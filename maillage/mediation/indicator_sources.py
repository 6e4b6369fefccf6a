"""The sources of indicators that recorded operations feed (registered in the plan's registry).

Each is a documented query run as database aggregations (COUNT, COUNT DISTINCT, SUM): no
Python loop over records, so recomputing stays fast with millions of accompaniments (see
`bench/indicators.py`). "Sessions" counts each attendance (one person coming twice counts
twice, La Coop's own count); "people" counts distinct beneficiaries. Participants of a
workshop recorded only as a number cannot be told apart: they count in sessions only, so
"people" is a floor (never inflated by the same person counted twice).

The places registry's counts (`maillage/places/indicator_sources.py`) are registered here too,
adapted to the registry's signature, with the number of partner operators reachable in the
Points Visio (sheet Num06).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from maillage.plan import sources

from .labels import Counting, Situation
from .models import Accompaniment, Outcome, Participation

COMMON_FILTERS = ("organisation", "territory", "period")


def _as_list(value) -> list:
    if value in (None, "", []):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _territory_q(code: str, field: str) -> Q:
    code = str(code)
    if len(code) == 9:
        return Q(**{f"{field}__epci_id": code})
    return Q(**{f"{field}_id": code})


def _themes_q(themes: list[str], field: str = "themes") -> Q:
    """Any of `themes` in a JSON list of codes (works on PostgreSQL and SQLite)."""
    q = Q(pk__in=[])
    for theme in themes:
        q |= Q(**{f"{field}__icontains": f'"{theme}"'})
    return q


def accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet:
    """Accompaniments matching the filters on the activity itself, in [start, end]."""
    qs = Accompaniment.objects.filter(date__lte=end)
    if start:
        qs = qs.filter(date__gte=start)
    if organisations := _as_list(filters.get("organisation")):
        qs = qs.filter(organisation__slug__in=organisations)
    if filters.get("organisation_ids"):
        qs = qs.filter(organisation_id__in=filters["organisation_ids"])
    if territory := filters.get("territory"):
        qs = qs.filter(_territory_q(territory, "commune"))
    if kinds := _as_list(filters.get("kind")):
        qs = qs.filter(kind__in=kinds)
    if location := _as_list(filters.get("location_kind")):
        qs = qs.filter(location_kind__in=location)
    if place_kinds := _as_list(filters.get("place_kind")):
        qs = qs.filter(place__kind__in=place_kinds)
    if place := filters.get("place"):
        qs = qs.filter(place_id=place)
    if themes := _as_list(filters.get("themes")):
        qs = qs.filter(_themes_q(themes))
    if excluded := _as_list(filters.get("exclude_themes")):
        qs = qs.exclude(_themes_q(excluded))
    return qs


def _beneficiary_q(filters: dict, prefix: str) -> Q | None:
    q = Q()
    used = False
    if situations := _as_list(filters.get("situation")):
        q &= Q(**{f"{prefix}situation__in": situations})
        used = True
    if filters.get("rsa"):
        q &= Q(**{f"{prefix}receives_rsa": True}) | Q(**{f"{prefix}situation": Situation.RSA})
        used = True
    if age_bands := _as_list(filters.get("age_band")):
        q &= Q(**{f"{prefix}age_band__in": age_bands})
        used = True
    if commune := filters.get("beneficiary_territory"):
        q &= _territory_q(commune, f"{prefix}commune")
        used = True
    return q if used else None


def participations(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet:
    qs = Participation.objects.filter(
        accompaniment__in=accompaniments(filters, start=start, end=end)
    )
    if (q := _beneficiary_q(filters, "beneficiary__")) is not None:
        qs = qs.filter(q)
    return qs


def anonymous_participants(filters: dict, *, start: dt.date | None, end: dt.date) -> int:
    """People counted without a name; unknown situation, so none when filtering on people."""
    if _beneficiary_q(filters, "") is not None:
        return 0
    total = accompaniments(filters, start=start, end=end).aggregate(
        n=Sum("anonymous_participants")
    )["n"]
    return total or 0


def count_accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    return Decimal(accompaniments(filters, start=start, end=end).count())


def count_people(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    qs = participations(filters, start=start, end=end)
    if filters.get("counting") == Counting.SESSIONS:
        return Decimal(qs.count() + anonymous_participants(filters, start=start, end=end))
    return Decimal(distinct_people(qs))


def distinct_people(qs: QuerySet) -> int:
    """COUNT of SELECT DISTINCT beneficiary_id: PostgreSQL can hash it, where
    COUNT(DISTINCT …) always sorts (about twice as fast on a million rows)."""
    return qs.order_by().values("beneficiary_id").distinct().count()


def outcomes(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet:
    qs = Outcome.objects.filter(date__lte=end, beneficiary__merged_into__isnull=True)
    if start:
        qs = qs.filter(date__gte=start)
    if kinds := _as_list(filters.get("outcome")):
        qs = qs.filter(kind__in=kinds)
    if accounts := _as_list(filters.get("account")):
        qs = qs.filter(account__in=accounts)
    if means := _as_list(filters.get("equipment_means")):
        qs = qs.filter(equipment_means__in=means)
    if organisations := _as_list(filters.get("organisation")):
        qs = qs.filter(organisation__slug__in=organisations)
    if territory := filters.get("territory"):
        qs = qs.filter(_territory_q(territory, "beneficiary__commune"))
    if (q := _beneficiary_q(filters, "beneficiary__")) is not None:
        qs = qs.filter(q)
    return qs


def count_outcomes(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    qs = outcomes(filters, start=start, end=end)
    if filters.get("counting") == Counting.SESSIONS:
        return Decimal(qs.count())
    return Decimal(distinct_people(qs))


def visio_operators(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    """Sheet Num06: distinct partner operators reachable in at least one open Point Visio."""
    from maillage.places.labels import PlaceKind
    from maillage.places.models import Place

    points = Place.objects.open_on(end).filter(kind=PlaceKind.POINT_VISIO)
    return Decimal(
        points.filter(visio_operators__isnull=False).aggregate(
            n=Count("visio_operators", distinct=True)
        )["n"]
    )


def _places_adapter(source):
    def compute(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
        return Decimal(source(end))

    return compute


BOTH = (Counting.SESSIONS, Counting.PEOPLE)


def register_all() -> None:
    sources.register(
        "mediation.accompaniments",
        label="Accompagnements et ateliers réalisés",
        description="Nombre d'activités enregistrées (un atelier compte une fois, quel que soit "
        "le nombre de participants). Filtres : organisation, territoire, type (individual, "
        "collective, procedure), lieu (location_kind, place_kind), thématiques, période.",
        unit="activités",
        compute=count_accompaniments,
        filters=(*COMMON_FILTERS, "kind", "themes", "exclude_themes", "place_kind"),
        sheets=("Num07",),
    )
    sources.register(
        "mediation.people",
        label="Personnes accompagnées",
        description="Bénéficiaires des accompagnements enregistrés. En « séances », chaque "
        "venue compte (une personne venue deux fois compte deux) ; en « personnes distinctes », "
        "chacune une fois. Les participants d'atelier seulement comptés (non nommés) ne "
        "figurent que dans les séances. Filtres des accompagnements, plus situation, rsa, "
        "tranche d'âge.",
        unit="personnes",
        compute=count_people,
        countings=BOTH,
        filters=(*COMMON_FILTERS, "kind", "themes", "situation", "rsa", "age_band", "place_kind"),
        sheets=("Num01", "Num05", "Num06", "Num07", "Num09"),
    )
    sources.register(
        "mediation.outcomes",
        label="Suivis des bénéficiaires",
        description="Suivis enregistrés : a rejoint les cours collectifs, s'est équipé, a créé "
        "un compte en ligne (account : msa, caf…), a progressé en autonomie, a changé de "
        "tranche de chiffre d'affaires. En séances : nombre de suivis ; en personnes "
        "distinctes : nombre de bénéficiaires concernés.",
        unit="personnes",
        compute=count_outcomes,
        countings=BOTH,
        filters=(*COMMON_FILTERS, "outcome", "account", "equipment_means", "situation", "rsa"),
        sheets=("Num01", "Num07", "Num09"),
    )
    sources.register(
        "places.visio_operators",
        label="Opérateurs présents dans les Points Visio",
        description="Nombre d'organismes partenaires distincts joignables dans au moins un "
        "Point Visio ouvert à la date.",
        unit="opérateurs",
        compute=visio_operators,
        sheets=("Num06",),
    )
    try:
        from maillage.places.indicator_sources import SOURCES as PLACES_SOURCES
    except ImportError:  # pragma: no cover - the places app is part of Maillage
        return
    for key, source in PLACES_SOURCES.items():
        sources.register(
            key,
            label=source.label,
            description=source.description,
            unit=source.unit,
            compute=_places_adapter(source),
            sheets=source.sheets,
        )
