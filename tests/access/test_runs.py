"""Stored computations: a background task with progress, figures read back equal to the
figures computed live, population figures, the commands, and the plan's indicator sources."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from maillage.access import coverage, kinds, runs
from maillage.access.labels import RunStatus
from maillage.access.models import AccessRun, CommuneTime, PlaceOpening
from maillage.access.times import compute_commune_access
from maillage.plan import computed, sources
from maillage.plan.models import Measurement
from maillage.territory.models import Commune
from tests.plan.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

KINDS = [kinds.DIGITAL, kinds.MEDIATION, kinds.VISIO]


@pytest.fixture
def run(demo, django_capture_on_commit_callbacks):
    """A finished computation of three kinds, run through the background task."""
    with django_capture_on_commit_callbacks(execute=True):
        requested = runs.access_run_request(kinds=KINDS)
    requested.refresh_from_db()
    return requested


def test_the_task_computes_the_run_with_progress(run):
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert run.kinds == KINDS
    assert run.parameters["daytime"]["weekdays"] == [0, 1, 2, 3, 4, 5]
    assert run.parameters["provider"] == "CrowFliesEstimate"
    communes = Commune.objects.count()
    assert CommuneTime.objects.filter(run=run).count() == 3 * communes
    assert PlaceOpening.objects.filter(run=run, kind=kinds.MEDIATION).exists()
    assert runs.latest_run() == run
    assert runs.latest_run(on=run.computed_on - dt.timedelta(days=1)) is None


def test_stored_figures_read_back_as_computed_live(run):
    for key in KINDS:
        stored = {a.insee: a.as_json() for a in runs.load_accesses(run, key)}
        live = {a.insee: a.as_json() for a in compute_commune_access(key)}
        for insee, figures in live.items():
            assert stored[insee] == figures


def test_population_figures_count_each_commune_once(run):
    figures = coverage.population_figures(kinds.DIGITAL)
    total = sum(Commune.objects.values_list("population", flat=True))
    assert figures.whole.population == total
    assert figures.whole.name == "Charente"
    assert sum(area.population for area in figures.by_epci) == total
    shares = [figures.whole.share(m).population for m in coverage.THRESHOLDS]
    assert shares == sorted(shares)
    assert 0 < figures.whole.share(30).share <= 1
    assert len(figures.worst) == 20
    worst_minutes = [row.sort_minutes for row in figures.worst]
    assert worst_minutes == sorted(worst_minutes, reverse=True)
    assert min(worst_minutes) >= max(
        row.sort_minutes for row in figures.communes if row not in figures.worst
    )
    assert figures.whole.median_travel_minutes is not None


def test_filters_never_count_more_people(run):
    plain = coverage.population_figures(kinds.DIGITAL)
    often = coverage.population_figures(kinds.DIGITAL, min_half_days=8)
    for minutes in coverage.THRESHOLDS:
        assert often.whole.share(minutes).population <= plain.whole.share(minutes).population
    visio = coverage.population_figures(kinds.VISIO)
    soon = coverage.population_figures(kinds.VISIO, max_appointment_days=0.001)
    assert soon.whole.share(30).population <= visio.whole.share(30).population
    never = coverage.population_figures(kinds.VISIO, max_appointment_days=-1)
    assert never.whole.share(30).population == 0
    assert all(row.travel_minutes is None for row in never.worst)


def test_figures_by_epci_and_for_one_epci_agree(run):
    figures = coverage.population_figures(kinds.MEDIATION)
    area = figures.by_epci[0]
    narrowed = coverage.population_figures(kinds.MEDIATION, territory=area.code)
    assert narrowed.whole.population == area.population
    assert narrowed.whole.shares == area.shares


def test_no_run_yet(demo):
    with pytest.raises(runs.NoRun):
        coverage.population_figures(kinds.DIGITAL)


def test_a_failing_run_is_marked_failed(demo):
    failed = AccessRun.objects.create(computed_on=dt.date.today(), kinds=["service-999999"])
    with pytest.raises(kinds.UnknownKind):
        runs.access_run_execute(failed)
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED
    assert "inconnu" in failed.error
    assert runs.latest_run() is None


def bound(sheet, filters):
    indicator = IndicatorFactory(sheet=sheet, label="Accès", unit="%")  # shares have decimals
    return computed.indicator_bind(
        indicator=indicator, source_key=filters.pop("key"), filters=filters
    )


def test_indicator_sources_read_the_latest_run(run):
    from tests.plan.factories import ActionSheetFactory

    sheet = ActionSheetFactory(ref="Num06")
    share = bound(sheet, {"key": "access.population_share_within", "kind": "visio", "minutes": 15})
    figures = coverage.population_figures(kinds.VISIO, thresholds=(15,))
    expected = Decimal(str(round(100 * figures.whole.share(15).share, 1)))
    assert computed.compute_value(share, on=run.computed_on)[0] == expected
    beyond = bound(sheet, {"key": "access.communes_beyond", "kind": "visio"})
    value = computed.compute_value(beyond, on=run.computed_on)[0]
    assert (
        value
        == figures.whole.communes
        - coverage.population_figures(kinds.VISIO, thresholds=(20,)).whole.share(20).communes
    )
    within = bound(sheet, {"key": "access.population_within", "kind": "mediation"})
    assert computed.compute_value(within, on=run.computed_on)[0] > 0
    median = bound(sheet, {"key": "access.median_travel_minutes"})
    assert computed.compute_value(median, on=run.computed_on)[0] > 0
    # before the first computation, or for a kind not computed: no value, nothing stored
    with pytest.raises(sources.NoData):
        computed.compute_value(share, on=run.computed_on - dt.timedelta(days=1))
    other = bound(sheet, {"key": "access.population_share_within", "kind": "visio-msa"})
    assert computed.indicator_compute(other, on=run.computed_on) is None
    assert computed.indicator_compute(share, on=run.computed_on) is not None
    assert Measurement.objects.filter(indicator=share).count() == 1


def test_access_times_command_prints_one_object_per_commune(demo):
    out = io.StringIO()
    call_command("access_times", "--kind", "mediation", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == Commune.objects.count()
    brossac = next(row for row in rows if row["insee"] == "16066")
    assert set(brossac) >= {
        "insee",
        "population",
        "travel_minutes",
        "waiting_minutes",
        "appointment_days",
        "place",
    }
    assert brossac["place"]["name"] == "Bibliothèque de Chalais"
    assert brossac["appointment_days"] is None
    text = io.StringIO()
    call_command("access_times", "--kind", "visio", "--commune", "16066", stdout=text)
    assert "Point Visio — mairie de Brossac" in text.getvalue()
    with pytest.raises(CommandError, match="inconnu"):
        call_command("access_times", "--kind", "piscine", "--json")


def test_compute_access_command_prints_progress(demo, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("compute_access", "--kind", "mediation", "--kind", "digital", stdout=out)
    assert "50 % — Point de médiation en bibliothèque" in out.getvalue()
    assert "100 %" in out.getvalue()
    run = runs.latest_run()
    assert run.kinds == ["mediation", "digital"]
    background = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("compute_access", "--kind", "visio", "--background", stdout=background)
    assert "en file d'attente" in background.getvalue()
    assert AccessRun.objects.filter(status=RunStatus.DONE).count() == 2
    with pytest.raises(CommandError, match="inconnu"):
        call_command("compute_access", "--kind", "piscine")


def test_old_runs_are_pruned_to_one_a_month(db):
    from maillage import clock

    def make(day, status=RunStatus.DONE):
        return AccessRun.objects.create(computed_on=day, status=status)

    january = [make(dt.date(2026, 1, d)) for d in (5, 20, 31)]
    failed = make(dt.date(2026, 1, 31), RunStatus.FAILED)
    february = make(dt.date(2026, 2, 10))
    recent = [make(dt.date(2026, 3, d)) for d in (1, 2)]
    with clock.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        assert runs.prune_runs() == 3
    remaining = set(AccessRun.objects.values_list("pk", flat=True))
    assert remaining == {january[-1].pk, february.pk, *(r.pk for r in recent)}
    assert failed.pk not in remaining
    with clock.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)):
        assert runs.latest_run(on=dt.date(2026, 1, 31)) == january[-1]


def test_the_admin_lists_runs_and_computes_again_on_demand(
    demo, login, superuser, django_capture_on_commit_callbacks
):
    first = AccessRun.objects.create(
        computed_on=dt.date(2026, 1, 5), status=RunStatus.DONE, kinds=["mediation"]
    )
    client = login(superuser)
    assert client.get("/admin/access/accessrun/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/access/accessrun/",
            {"action": "compute_again", "_selected_action": [first.pk]},
            follow=True,
        )
    assert "demandé" in response.content.decode()
    new = AccessRun.objects.exclude(pk=first.pk).get()
    assert new.status == RunStatus.DONE and new.kinds == ["mediation"]
    assert new.requested_by == superuser


def test_the_demonstration_computes_access_once(demo):
    from maillage.access.demo import load_demo_access

    lines = list(load_demo_access())
    run = runs.latest_run()
    assert run is not None and run.kinds and "temps calculés" in lines[0]
    assert list(load_demo_access()) == [
        "Accès : un calcul existe déjà (maillage compute-access le refait)."
    ]
    assert AccessRun.objects.count() == 1
