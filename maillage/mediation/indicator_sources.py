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

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Upper

from maillage.organisations.models import Organisation
from maillage.places.models import Place
from maillage.plan import sources
from maillage.territory.models import Commune

from . import activity_totals
from .labels import Counting, Situation
from .models import (
    Accompaniment,
    ActivityDay,
    Outcome,
    Participation,
    PersonDay,
    PersonYear,
)

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


def _themes_q(themes: list[str], *, upper_text: bool = False) -> Q:
    """Any of `themes` in a JSON list of codes (works on PostgreSQL and SQLite), or in that
    list kept as upper-case text (the pre-aggregated tables): the same test, without
    converting and upper-casing every row."""
    q = Q(pk__in=[])
    for theme in themes:
        if upper_text:
            q |= Q(themes__contains=Upper(Value(f'"{theme}"')))
        else:
            q |= Q(themes__icontains=f'"{theme}"')
    return q


def _of_organisations(qs: QuerySet, filters: dict) -> QuerySet:
    if slugs := _as_list(filters.get("organisation")):
        # Ids first: the planner then knows how many rows each organisation holds.
        ids = Organisation.objects.filter(slug__in=slugs).values_list("id", flat=True)
        qs = qs.filter(organisation_id__in=list(ids))
    if filters.get("organisation_ids"):
        qs = qs.filter(organisation_id__in=filters["organisation_ids"])
    return qs


# The filters on the activity other than organisations and the period.
ACTIVITY_FILTERS = (
    "territory",
    "kind",
    "location_kind",
    "place_kind",
    "place",
    "themes",
    "exclude_themes",
)


def filter_activities(
    qs: QuerySet,
    filters: dict,
    *,
    start: dt.date | None,
    end: dt.date,
    totals: bool = False,
) -> QuerySet:
    """`qs` restricted to the activities matching the filters, in [start, end]: accompaniments,
    or with `totals` the pre-aggregated `ActivityDay`/`PersonDay`, so both count the same
    activities."""
    place, commune = ("place_ref", "commune_code") if totals else ("place_id", "commune_id")
    qs = qs.filter(date__lte=end)
    if start:
        qs = qs.filter(date__gte=start)
    qs = _of_organisations(qs, filters)
    if territory := filters.get("territory"):
        code = str(territory)
        if len(code) == 9:
            communes = Commune.objects.filter(epci_id=code).values("insee_code")
            qs = qs.filter(**{f"{commune}__in": communes})
        else:
            qs = qs.filter(**{commune: code})
    if kinds := _as_list(filters.get("kind")):
        qs = qs.filter(kind__in=kinds)
    if location := _as_list(filters.get("location_kind")):
        qs = qs.filter(location_kind__in=location)
    if place_kinds := _as_list(filters.get("place_kind")):
        qs = qs.filter(**{f"{place}__in": Place.objects.filter(kind__in=place_kinds).values("id")})
    if place_id := filters.get("place"):
        qs = qs.filter(**{place: place_id})
    if themes := _as_list(filters.get("themes")):
        qs = qs.filter(_themes_q(themes, upper_text=totals))
    if excluded := _as_list(filters.get("exclude_themes")):
        qs = qs.exclude(_themes_q(excluded, upper_text=totals))
    return qs


def accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet:
    """Accompaniments matching the filters on the activity itself, in [start, end]."""
    return filter_activities(Accompaniment.objects.all(), filters, start=start, end=end)


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


def distinct_people(qs: QuerySet) -> int:
    """COUNT of SELECT DISTINCT beneficiary_id: PostgreSQL can hash it, where
    COUNT(DISTINCT …) always sorts (about twice as fast on a million rows). The hash of a few
    hundred thousand ids needs more than the default 4 MB of work memory, or it spills to disk
    and the time grows faster than the rows: it gets 64 MB for this transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        return qs.order_by().values("beneficiary_id").distinct().count()


# --- Counted on the records (the oracle, and the path on SQLite) -----------------------------


def records_accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> int:
    return accompaniments(filters, start=start, end=end).count()


def records_people(filters: dict, *, start: dt.date | None, end: dt.date) -> int:
    qs = participations(filters, start=start, end=end)
    if filters.get("counting") == Counting.SESSIONS:
        return qs.count() + anonymous_participants(filters, start=start, end=end)
    return distinct_people(qs)


# --- Counted on the pre-aggregated tables (PostgreSQL; see activity_totals) ------------------


def _totals(model, filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet:
    return filter_activities(
        model.objects.all(),
        filters,
        start=start,
        end=end,
        totals=True,
    )


def totals_accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> int:
    qs = _totals(ActivityDay, filters, start=start, end=end)
    return qs.aggregate(n=Sum("accompaniments"))["n"] or 0


def totals_people(filters: dict, *, start: dt.date | None, end: dt.date) -> int:
    """Sessions: named participations plus counted participants (none when a filter is on
    people), or the person-days' sessions under a filter on people; people: distinct
    beneficiaries of the matching person-years when only organisations, the period and the
    person are filtered, else of the matching person-days."""
    people_q = _beneficiary_q(filters, "beneficiary__")
    sessions = filters.get("counting") == Counting.SESSIONS
    if sessions and people_q is None:
        total = _totals(ActivityDay, filters, start=start, end=end).aggregate(
            named=Sum("participations"), counted=Sum("anonymous_participants")
        )
        return (total["named"] or 0) + (total["counted"] or 0)
    years = None if sessions else _person_years(filters, start=start, end=end)
    qs = _totals(PersonDay, filters, start=start, end=end) if years is None else years
    if people_q is not None:
        qs = qs.filter(people_q)
    if sessions:
        return qs.aggregate(n=Sum("sessions"))["n"] or 0
    return distinct_people(qs)


def _person_years(filters: dict, *, start: dt.date | None, end: dt.date) -> QuerySet | None:
    """People of organisations since the beginning or in the calendar year up to `end`, from
    their first day (`PersonYear`); None when a filter on the activity or another period
    needs the person-day rows."""
    if any(_as_list(filters.get(name)) for name in ACTIVITY_FILTERS):
        return None
    if start is None:
        year = 0
    elif start == dt.date(end.year, 1, 1):
        year = end.year
    else:
        return None
    qs = PersonYear.objects.filter(year=year, first_date__lte=end)
    return _of_organisations(qs, filters)


def count_accompaniments(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    count = totals_accompaniments if activity_totals.available() else records_accompaniments
    return Decimal(count(filters, start=start, end=end))


def count_people(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    count = totals_people if activity_totals.available() else records_people
    return Decimal(count(filters, start=start, end=end))


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
