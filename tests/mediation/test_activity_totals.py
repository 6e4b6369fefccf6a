"""The pre-aggregated tables give exactly the figures counted on the records (PostgreSQL).

Random histories of accompaniments go through every way records change — recorded, corrected,
deleted, participants added, people merged, erased on request or at the end of the retention
period, and writes that bypass the services (factories with `bulk_create`, `QuerySet.update`,
queryset deletes) — then every count read from `ActivityDay`/`PersonDay` (kept by the
triggers) is compared with the same count on the records, for many filters, both countings,
both periods and several dates. The triggers' result is also compared with a full rebuild of
the three tables.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.mediation import activity_totals, indicator_sources, services
from maillage.mediation.labels import AccompanimentKind, AgeBand, LocationKind, Situation
from maillage.mediation.models import (
    Accompaniment,
    ActivityDay,
    Beneficiary,
    Participation,
    PersonDay,
    PersonYear,
)
from maillage.places.labels import PlaceKind
from tests.factories import OrganisationFactory
from tests.places.factories import PlaceFactory

from .conftest import EPCI_4B
from .factories import AccompanimentFactory, BeneficiaryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the triggers keep the tables on PostgreSQL"
    ),
]

ORIGIN = dt.date(2024, 1, 1)
THEMES = ["email", "mobility", "caf", "msa", "basics"]
KINDS = list(AccompanimentKind.values)
LOCATIONS = list(LocationKind.values)
SITUATIONS = [Situation.RETIRED, Situation.RSA, Situation.JOBSEEKER, Situation.UNKNOWN]
DAYS = [dt.date(2024, 3, 1), dt.date(2024, 12, 31), dt.date(2025, 6, 30), dt.date(2026, 1, 1)]


def filter_sets(world) -> list[dict]:
    first, second = world["organisations"]
    visio = world["places"][0]
    return [
        {},
        {"organisation": first.slug},
        {"organisation": [first.slug, second.slug]},
        {"organisation_ids": [second.pk]},
        {"territory": "16028"},
        {"territory": EPCI_4B},
        {"kind": AccompanimentKind.COLLECTIVE},
        {"kind": [AccompanimentKind.INDIVIDUAL, AccompanimentKind.PROCEDURE]},
        {"location_kind": LocationKind.HOME},
        {"place_kind": PlaceKind.POINT_VISIO},
        {"place": visio.pk},
        {"themes": ["mobility"]},
        {"themes": ["MSA", "caf"]},
        {"exclude_themes": ["mobility"]},
        {"situation": Situation.RETIRED},
        {"rsa": True},
        {"age_band": [AgeBand.A60_69, AgeBand.A70_PLUS]},
        {"beneficiary_territory": "16073"},
        {
            "organisation": [first.slug],
            "kind": AccompanimentKind.COLLECTIVE,
            "exclude_themes": ["email"],
            "rsa": True,
        },
    ]


def assert_totals_match_records(world) -> None:
    for filters in filter_sets(world):
        for end in DAYS:
            for start in (None, dt.date(end.year, 1, 1)):
                where = (filters, start, end)
                assert indicator_sources.totals_accompaniments(
                    filters, start=start, end=end
                ) == indicator_sources.records_accompaniments(filters, start=start, end=end), where
                for counting in ("sessions", "people"):
                    counted = {**filters, "counting": counting}
                    assert indicator_sources.totals_people(
                        counted, start=start, end=end
                    ) == indicator_sources.records_people(counted, start=start, end=end), (
                        *where,
                        counting,
                    )


def table_rows() -> tuple[list, list, list]:
    fields = ["organisation_id", "date", "kind", "location_kind", "place_ref", "commune_code"]
    activity = ActivityDay.objects.values_list(
        *fields, "themes", "accompaniments", "anonymous_participants", "participations"
    )
    person = PersonDay.objects.values_list("beneficiary_id", *fields, "themes", "sessions")
    years = PersonYear.objects.values_list(
        "organisation_id", "year", "beneficiary_id", "first_date"
    )
    return sorted(activity), sorted(person), sorted(years)


@pytest.fixture
def world(communes):
    organisations = [OrganisationFactory(name="ENSC"), OrganisationFactory(name="MSA")]
    places = [
        PlaceFactory(kind=PlaceKind.POINT_VISIO, commune=communes["chalais"], insee_code="16073"),
        PlaceFactory(kind=PlaceKind.EPN, commune=communes["barbezieux"]),
    ]
    people = {
        org.pk: [
            BeneficiaryFactory(
                organisation=org,
                commune=list(communes.values())[i % 3],
                situation=SITUATIONS[i % len(SITUATIONS)],
                receives_rsa=i == 2,
                birth_year=1940 + 9 * i,
            )
            for i in range(4)
        ]
        for org in organisations
    }
    return {
        "organisations": organisations,
        "places": places,
        "people": people,
        "communes": list(communes.values()),
    }


activity = st.fixed_dictionaries(
    {
        "org": st.integers(0, 1),
        "kind": st.sampled_from(KINDS),
        "day": st.integers(0, 800),
        "location": st.sampled_from(LOCATIONS),
        "place": st.integers(0, 1),
        "commune": st.integers(0, 3),
        "themes": st.lists(st.sampled_from(THEMES), max_size=3, unique=True),
        "anonymous": st.integers(0, 3),
        "people": st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True),
        "direct": st.booleans(),
    }
)
operation = st.one_of(
    st.tuples(st.just("record"), activity),
    st.tuples(st.just("correct"), st.integers(0, 50), activity),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("add"), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("merge"), st.integers(0, 1), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("erase"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("retention"), st.integers(0, 800)),
    st.tuples(st.just("move_date"), st.integers(0, 50), st.integers(0, 800)),
    st.tuples(st.just("drop_participant"), st.integers(0, 50)),
)


def record(world, spec) -> None:
    organisation = world["organisations"][spec["org"]]
    people = [person(world, organisation.pk, i) for i in spec["people"]]
    people = [p for p in people if p.merged_into_id is None]
    if not people:
        return
    kind = spec["kind"]
    if kind != AccompanimentKind.COLLECTIVE:
        people = people[:1]
    place = world["places"][spec["place"]] if spec["location"] == LocationKind.PLACE else None
    data = {
        "kind": kind,
        "date": ORIGIN + dt.timedelta(days=spec["day"]),
        "location_kind": spec["location"],
        "place": place,
        "themes": spec["themes"],
        "anonymous_participants": spec["anonymous"] if kind == AccompanimentKind.COLLECTIVE else 0,
    }
    if spec["direct"]:  # as the demo, the admin or an import would: no service
        commune = world["communes"][spec["commune"]] if spec["commune"] < 3 else None
        AccompanimentFactory(
            organisation=organisation, commune=commune, participants=people, **data
        )
    else:
        services.accompaniment_record(organisation=organisation, data=data, beneficiaries=people)


def person(world, organisation_id: int, index: int) -> Beneficiary:
    return Beneficiary.objects.get(pk=world["people"][organisation_id][index].pk)


def nth(pick: int) -> Accompaniment | None:
    records = list(Accompaniment.objects.order_by("pk"))
    return records[pick % len(records)] if records else None


def apply(world, op) -> None:
    name = op[0]
    if name == "record":
        record(world, op[1])
    elif name == "correct" and (accompaniment := nth(op[1])):
        spec = op[2]
        place = world["places"][spec["place"]] if spec["location"] == LocationKind.PLACE else None
        services.accompaniment_update(
            accompaniment=accompaniment,
            data={
                "date": ORIGIN + dt.timedelta(days=spec["day"]),
                "location_kind": spec["location"],
                "place": place,
                "themes": spec["themes"],
                "anonymous_participants": spec["anonymous"],
                "kind": spec["kind"],
            },
        )
    elif name == "delete" and (accompaniment := nth(op[1])):
        services.accompaniment_delete(accompaniment=accompaniment)
    elif name == "add" and (accompaniment := nth(op[1])):
        someone = person(world, accompaniment.organisation_id, op[2])
        if accompaniment.kind == AccompanimentKind.COLLECTIVE and not someone.merged_into_id:
            services.accompaniment_add_participants(
                accompaniment=accompaniment, beneficiaries=[someone]
            )
    elif name == "merge" and op[2] != op[3]:
        organisation = world["organisations"][op[1]]
        target, duplicate = (person(world, organisation.pk, i) for i in op[2:])
        if not target.merged_into_id and not duplicate.merged_into_id:
            services.beneficiary_merge(target=target, duplicate=duplicate)
    elif name == "erase":
        organisation = world["organisations"][op[1]]
        services.beneficiary_erase(beneficiary=person(world, organisation.pk, op[2]))
    elif name == "retention":
        services.erase_inactive(months=12, today=ORIGIN + dt.timedelta(days=op[1]))
    elif name == "move_date" and (accompaniment := nth(op[1])):
        Accompaniment.objects.filter(pk=accompaniment.pk).update(
            date=ORIGIN + dt.timedelta(days=op[2])
        )
    elif name == "drop_participant" and (accompaniment := nth(op[1])):
        Participation.objects.filter(pk__in=accompaniment.participations.values("pk")[:1]).delete()


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    records=st.lists(st.tuples(st.just("record"), activity), min_size=2, max_size=6),
    operations=st.lists(operation, min_size=1, max_size=8),
)
def test_totals_give_the_records_figures_after_any_history(world, records, operations):
    with transaction.atomic():
        for op in records + operations:
            apply(world, op)
        assert_totals_match_records(world)
        kept = table_rows()
        activity_totals.rebuild()
        assert table_rows() == kept  # what the triggers kept is what a rebuild computes
        transaction.set_rollback(True)


def test_the_sources_read_the_totals_on_postgresql(world):
    """The registered source reads the tables: emptied by hand, they count nothing."""
    record(
        world,
        {
            "org": 0,
            "kind": AccompanimentKind.COLLECTIVE,
            "day": 10,
            "location": LocationKind.HOME,
            "place": 0,
            "commune": 0,
            "themes": ["email"],
            "anonymous": 2,
            "people": [0, 1],
            "direct": False,
        },
    )
    end = dt.date(2026, 1, 1)
    assert indicator_sources.count_people({"counting": "sessions"}, start=None, end=end) == 4
    ActivityDay.objects.all().delete()
    PersonDay.objects.all().delete()
    assert not PersonYear.objects.exists()  # kept from the person-days
    assert indicator_sources.count_people({"counting": "people"}, start=None, end=end) == 0
    assert indicator_sources.count_accompaniments({}, start=None, end=end) == 0
    assert indicator_sources.records_accompaniments({}, start=None, end=end) == 1


TRUNCATES = {
    "the records": "TRUNCATE mediation_accompaniment CASCADE",
    # Django's flush (transactional and live-server tests) names every table in one statement,
    # the totals included: the triggers must not truncate a table that statement is using.
    "every table, as the flush does": (
        "TRUNCATE mediation_accompaniment, mediation_participation, mediation_activityday, "
        "mediation_personday, mediation_personyear CASCADE"
    ),
}


@pytest.mark.parametrize("statement", TRUNCATES.values(), ids=TRUNCATES.keys())
def test_truncating_the_records_empties_the_totals(world, statement):
    record(
        world,
        {
            "org": 1,
            "kind": AccompanimentKind.INDIVIDUAL,
            "day": 3,
            "location": LocationKind.REMOTE,
            "place": 0,
            "commune": 1,
            "themes": [],
            "anonymous": 0,
            "people": [2],
            "direct": True,
        },
    )
    assert ActivityDay.objects.exists() and PersonDay.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check left pending
        cursor.execute(statement)
    assert not ActivityDay.objects.exists() and not PersonDay.objects.exists()
    assert not PersonYear.objects.exists()


def test_the_rebuild_command_restores_tables_emptied_by_hand(world):
    record(
        world,
        {
            "org": 0,
            "kind": AccompanimentKind.COLLECTIVE,
            "day": 40,
            "location": LocationKind.PLACE,
            "place": 1,
            "commune": 0,
            "themes": ["caf"],
            "anonymous": 1,
            "people": [0, 3],
            "direct": False,
        },
    )
    kept = table_rows()
    ActivityDay.objects.all().delete()
    PersonDay.objects.all().delete()
    call_command("rebuild_activity_totals", stdout=io.StringIO())
    assert table_rows() == kept and kept[2]
