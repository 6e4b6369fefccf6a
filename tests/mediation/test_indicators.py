"""The seed's indicators computed from a known dataset, value by value.

The Charente seed (communes, organisations, the 11 sheets) is imported once for the module
and its indicators bound as `load_referential` does; each test builds the same small dataset
in its own transaction. Sessions and distinct people differ where someone came twice.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from maillage.mediation import services
from maillage.mediation.labels import AccompanimentKind, LocationKind, OutcomeKind
from maillage.organisations.labels import Role
from maillage.organisations.models import Organisation
from maillage.organisations.referential import load_referential_organisations
from maillage.plan import computed, sources
from maillage.plan.importer import DEFAULT_PLAN_SLUG, import_sheets_file
from maillage.plan.labels import Counting, MeasurementMethod, MeasurementSource
from maillage.plan.models import Indicator, Measurement, Plan
from maillage.territory.importer import CHARENTE_CSV, import_communes
from tests.factories import MembershipFactory, UserFactory
from tests.places.factories import PlaceFactory

from .factories import AccompanimentFactory, BeneficiaryFactory, OutcomeFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 12, 31)

# (sheet, label) → (source, counting, expected value at ON)
EXPECTED = {
    ("Num01", "Nombre de bénéficiaires"): ("mediation.people", "people", 4),
    ("Num01", "Nombre de personnes participant ensuite aux cours collectifs"): (
        "mediation.outcomes",
        "people",
        2,
    ),
    ("Num01", "Nombre de personnes s'équipant individuellement"): (
        "mediation.outcomes",
        "people",
        1,
    ),
    ("Num05", "Nombre de personnes accompagnées dans la médiation numérique"): (
        "mediation.people",
        "people",
        4,
    ),
    ("Num05", "Nombre de personnes accompagnées dans la mobilité"): (
        "mediation.people",
        "people",
        1,
    ),
    ("Num06", "Nombre de points implantés"): ("places.points_visio_open", "", 2),
    ("Num06", "Nombre d'usagers ayant utilisé le point visio"): ("mediation.people", "people", 1),
    ("Num06", "Nombre d'opérateurs présents"): ("places.visio_operators", "", 2),
    ("Num02", "Nombre de Pnd"): ("networks.active_members", "", 0),
    ("Num02", "Nombre de contacts"): ("networks.contacts", "", None),  # no return: no value
    ("Num02", "Nombre de rencontres physiques"): ("networks.physical_meetings", "", None),
    ("Num07", "Nombre d'ateliers"): ("mediation.accompaniments", "", 2),
    ("Num07", "Nombre de participants"): ("mediation.people", "sessions", 6),
    ("Num07", "Nombre de comptes espace privé créés"): ("mediation.outcomes", "sessions", 2),
    ("Num08", "Nombre de points de médiation dans le département"): (
        "places.library_mediation_points_open",
        "",
        2,
    ),
    ("Num09", "Nombre de personnes accompagnées"): ("mediation.people", "people", 2),
}


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        import_communes(csv_path=CHARENTE_CSV, departement_code="16", departement_name="Charente")
        load_referential_organisations()
        import_sheets_file()
        call_command("bind_seed_indicators", verbosity=0)
        yield Plan.objects.get(slug=DEFAULT_PLAN_SLUG)
        transaction.set_rollback(True)


def _fold(label: str) -> str:
    return label.replace("’", "'")


def indicator(ref: str, label: str) -> Indicator:
    for candidate in Indicator.objects.filter(sheet__plan__slug=DEFAULT_PLAN_SLUG, sheet__ref=ref):
        if _fold(candidate.label) == label:
            return candidate
    raise AssertionError(f"{ref} {label} introuvable")


@pytest.fixture
def dataset(seed):
    ensc = Organisation.objects.get(slug="espace-numerique-sud-charente")
    msa = Organisation.objects.get(slug="msa-des-charentes")
    caf = Organisation.objects.get(slug="caf-charente")
    visio = PlaceFactory(point_visio=True, organisation=ensc, opened_on=dt.date(2020, 1, 1))
    visio.visio_operators.set([caf, msa])
    other_visio = PlaceFactory(point_visio=True, opened_on=dt.date(2021, 1, 1))
    other_visio.visio_operators.set([caf])
    PlaceFactory(point_visio=True, opened_on=dt.date(2026, 6, 1))  # after ON
    for opened, closed in [(2019, None), (2020, None), (2019, dt.date(2024, 1, 1))]:
        PlaceFactory(library=True, opened_on=dt.date(opened, 3, 1), closed_on=closed)

    a, b, d = (BeneficiaryFactory(organisation=ensc) for _ in range(3))
    c = BeneficiaryFactory(organisation=ensc, receives_rsa=True)
    home = {"location_kind": LocationKind.HOME}
    AccompanimentFactory(organisation=ensc, date=dt.date(2025, 2, 3), participants=[a], **home)
    AccompanimentFactory(organisation=ensc, date=dt.date(2025, 3, 3), participants=[a], **home)
    AccompanimentFactory(
        organisation=ensc, date=dt.date(2025, 2, 10), participants=[b], themes=["mobility"], **home
    )
    services.accompaniment_record(  # A and B were helped before: they "join the courses"
        organisation=ensc,
        data={
            "kind": AccompanimentKind.COLLECTIVE,
            "date": dt.date(2025, 4, 7),
            "location_kind": LocationKind.REMOTE,
            "themes": ["basics"],
            "anonymous_participants": 3,
        },
        beneficiaries=[a, b, d],
    )
    OutcomeFactory(beneficiary=a, kind=OutcomeKind.EQUIPPED, date=dt.date(2025, 5, 1))
    AccompanimentFactory(
        organisation=ensc,
        date=dt.date(2025, 6, 2),
        participants=[c],
        themes=["caf"],
        location_kind=LocationKind.PLACE,
        place=visio,
    )

    e, g = BeneficiaryFactory(organisation=msa), BeneficiaryFactory(organisation=msa)
    f = BeneficiaryFactory(organisation=msa, situation="rsa")
    workshop = {"kind": AccompanimentKind.COLLECTIVE, "themes": ["msa"]}
    AccompanimentFactory(
        organisation=msa,
        date=dt.date(2025, 3, 10),
        participants=[e, f],
        anonymous_participants=2,
        **workshop,
    )
    AccompanimentFactory(
        organisation=msa,
        date=dt.date(2025, 9, 15),
        participants=[e],
        anonymous_participants=1,
        **workshop,
    )
    AccompanimentFactory(organisation=msa, date=dt.date(2024, 11, 5), participants=[g], **workshop)
    for person, day in [
        (e, dt.date(2025, 3, 10)),
        (f, dt.date(2025, 3, 10)),
        (g, dt.date(2024, 11, 5)),
    ]:
        OutcomeFactory(beneficiary=person, kind=OutcomeKind.ONLINE_ACCOUNT, account="msa", date=day)
    return {"ensc": ensc, "msa": msa, "a": a, "c": c}


def test_every_seed_indicator_this_data_feeds_is_bound(seed):
    # Num10's and Num11's broadband bindings are checked in tests/broadband/test_referential.py.
    bound = {
        (i.sheet.ref, _fold(i.label)): (i.source_key, i.counting)
        for i in Indicator.objects.filter(
            sheet__plan=seed, measurement_method=MeasurementMethod.COMPUTED
        )
        .exclude(source_key__startswith="broadband.")
        .select_related("sheet")
    }
    assert bound == {key: (source, counting) for key, (source, counting, _) in EXPECTED.items()}
    # Idempotent: binding again changes nothing.
    rebound = computed.bind_seed_indicators(seed)
    assert len([i for i in rebound if not i.source_key.startswith("broadband.")]) == len(EXPECTED)


def test_each_bound_indicator_computed_exactly(dataset, seed):
    measurements = computed.compute_all(plan=seed, on=ON)
    values = {(m.indicator.sheet.ref, _fold(m.indicator.label)): m.value for m in measurements}
    assert values == {
        key: Decimal(value) for key, (_, _, value) in EXPECTED.items() if value is not None
    }
    m = Measurement.objects.get(indicator=indicator("Num01", "Nombre de bénéficiaires"))
    assert m.source == MeasurementSource.COMPUTED and m.date == ON
    assert m.provenance["source"] == "mediation.people"
    assert m.provenance["filters"] == {"organisation": "pilots"}
    assert m.provenance["resolved_filters"]["organisation"] == ["espace-numerique-sud-charente"]
    assert m.provenance["counting"] == "people" and m.provenance["computed_at"]
    assert m.provenance["period"] == {"start": None, "end": "2025-12-31"}
    ateliers = Measurement.objects.get(
        indicator=indicator("Num07", "Nombre d'ateliers"), source=MeasurementSource.COMPUTED
    )
    assert ateliers.provenance["period"] == {"start": "2025-01-01", "end": "2025-12-31"}


def test_sessions_and_distinct_people_differ_when_someone_comes_twice(dataset):
    beneficiaries = indicator("Num01", "Nombre de bénéficiaires")
    people, _ = computed.compute_value(beneficiaries, on=ON, counting=Counting.PEOPLE)
    sessions, _ = computed.compute_value(beneficiaries, on=ON, counting=Counting.SESSIONS)
    assert (people, sessions) == (4, 10)  # A came three times, B twice, 3 counted
    participants = indicator("Num07", "Nombre de participants")
    assert computed.compute_value(participants, on=ON, counting=Counting.PEOPLE)[0] == 2
    assert computed.compute_value(participants, on=ON, counting=Counting.SESSIONS)[0] == 6


def test_recomputing_the_same_day_replaces_the_value(dataset):
    target = indicator("Num01", "Nombre de bénéficiaires")
    first = computed.indicator_compute(target, on=ON)
    BeneficiaryFactory(organisation=dataset["ensc"])  # no accompaniment: no change
    AccompanimentFactory(
        organisation=dataset["ensc"],
        date=dt.date(2025, 12, 1),
        participants=[BeneficiaryFactory(organisation=dataset["ensc"])],
    )
    second = computed.indicator_compute(target, on=ON)
    assert second.pk == first.pk and second.value == 5
    assert target.measurements.count() == 1


def test_erasure_keeps_the_indicators_values(dataset, seed):
    before = {m.indicator_id: m.value for m in computed.compute_all(plan=seed, on=ON)}
    services.beneficiary_erase(beneficiary=dataset["a"])
    services.beneficiary_erase(beneficiary=dataset["c"])
    after = {m.indicator_id: m.value for m in computed.compute_all(plan=seed, on=ON)}
    assert after == before


def test_task_and_command_compute_bound_indicators(dataset, seed):
    from maillage.plan.tasks import compute_bound_indicators

    result = compute_bound_indicators.enqueue(plan_id=seed.pk, on=ON.isoformat())
    assert result.return_value == len([v for *_, v in EXPECTED.values() if v is not None])
    call_command("compute_indicators", plan=seed.slug, year_ends="2024", date="2025-12-31")
    num07 = indicator("Num07", "Nombre d'ateliers")
    computed_values = num07.measurements.filter(source=MeasurementSource.COMPUTED)
    assert dict(computed_values.values_list("date", "value")) == {
        dt.date(2024, 12, 31): 1,
        ON: 2,
    }


def test_recording_an_accompaniment_recomputes_mediation_indicators(
    dataset, django_capture_on_commit_callbacks
):
    target = indicator("Num01", "Nombre de bénéficiaires")
    with django_capture_on_commit_callbacks(execute=True):
        services.accompaniment_record(
            organisation=dataset["ensc"],
            data={"kind": "individual", "date": dt.date(2025, 12, 1), "location_kind": "home"},
            beneficiaries=[BeneficiaryFactory(organisation=dataset["ensc"])],
        )
    latest = target.measurements.get()
    assert latest.value == 5 and latest.source == MeasurementSource.COMPUTED


def test_indicator_page_shows_the_binding_and_pilots_recompute(client, dataset):
    target = indicator("Num01", "Nombre de bénéficiaires")
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Valeur calculée à partir des données" in page
    assert "mediation.people" not in page  # the source's label, never its internal key
    assert "Personnes distinctes : <strong>4</strong> (décompte retenu)" in page
    assert "Séances (chaque venue compte) : <strong>10</strong>" in page
    assert "Recalculer" not in page
    pilot = UserFactory()
    MembershipFactory(user=pilot, organisation=dataset["ensc"], role=Role.PILOT)
    client.force_login(pilot, backend="maillage.organisations.auth_backends.EmailBackend")
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Recalculer" in page
    url = reverse("plan:indicator_recompute", args=[DEFAULT_PLAN_SLUG, "Num01", target.pk])
    response = client.post(url, follow=True)
    assert "Valeur recalculée : 4" in response.content.decode()
    assert "Calcul" in response.content.decode()


def test_manual_values_stay_beside_computed_ones(dataset, seed):
    target = indicator("Num01", "Nombre de bénéficiaires")
    from maillage.plan.services import measurement_record

    measurement_record(
        indicator=target, value=120, date=dt.date(2018, 12, 31), check_permission=False
    )
    computed.indicator_compute(target, on=ON)
    assert sorted(target.measurements.values_list("source", "value")) == [
        ("computed", 4),
        ("manual", 120),
    ]


def test_registry_lists_documented_sources(seed):
    keys = {s.key for s in sources.all_sources()}
    assert {
        "mediation.people",
        "mediation.outcomes",
        "mediation.accompaniments",
        "places.points_visio_open",
        "places.visio_operators",
        "places.library_mediation_points_open",
    } <= keys
    assert all(s.description and s.label for s in sources.all_sources())
    assert sources.get("mediation.people").countings == ("sessions", "people")


def test_pilot_binds_any_indicator_to_a_source(client, dataset):
    target = Indicator.objects.get(
        sheet__plan__slug=DEFAULT_PLAN_SLUG, sheet__ref="Num07", label="Enquête de satisfaction"
    )
    pilot = UserFactory()
    MembershipFactory(user=pilot, organisation=dataset["msa"], role=Role.PILOT)
    client.force_login(pilot, backend="maillage.organisations.auth_backends.EmailBackend")
    page = client.get(target.get_absolute_url()).content.decode()
    assert "Calculer cet indicateur à partir des données" in page
    url = reverse("plan:indicator_bind", args=[DEFAULT_PLAN_SLUG, "Num07", target.pk])
    client.post(
        url,
        {
            "source_key": "mediation.people",
            "counting": "people",
            "period": "year",
            "filters": '{"organisation": "pilots", "themes": ["msa"]}',
        },
    )
    target.refresh_from_db()
    assert target.measurement_method == MeasurementMethod.COMPUTED
    assert target.source_filters == {"organisation": "pilots", "themes": ["msa"], "period": "year"}
    assert target.measurements.filter(source=MeasurementSource.COMPUTED).exists()
    response = client.post(url, {"source_key": "mediation.nothing"}, follow=True)
    assert "Sélectionnez un choix valide" in response.content.decode()
    client.post(url, {"source_key": ""})
    target.refresh_from_db()
    assert (target.measurement_method, target.source_key) == (MeasurementMethod.MANUAL, "")


def test_only_pilots_of_the_sheet_recompute_or_bind(client, dataset):
    target = indicator("Num01", "Nombre de bénéficiaires")
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=dataset["msa"], role=Role.PILOT)
    client.force_login(outsider, backend="maillage.organisations.auth_backends.EmailBackend")
    args = [DEFAULT_PLAN_SLUG, "Num01", target.pk]
    assert client.post(reverse("plan:indicator_recompute", args=args)).status_code == 403
    response = client.post(reverse("plan:indicator_bind", args=args), {"source_key": ""})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.source_key == "mediation.people" and not target.measurements.exists()
