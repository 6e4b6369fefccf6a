"""The Charente's programme and Num10's numeric indicators, from the shipped sheets."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from maillage.broadband.models import Phase, Programme
from maillage.organisations.referential import load_referential_organisations
from maillage.plan.figure_indicators import ensure_figure_indicators
from maillage.plan.importer import DEFAULT_PLAN_SLUG, import_sheets_file
from maillage.plan.labels import Comparator, Direction, MeasurementMethod
from maillage.plan.models import Indicator, KeyFigure, Milestone, Plan
from maillage.territory.importer import CHARENTE_CSV, import_communes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        import_communes(csv_path=CHARENTE_CSV, departement_code="16", departement_name="Charente")
        load_referential_organisations()
        import_sheets_file()
        call_command("load_broadband_programme", verbosity=0)
        call_command("bind_seed_indicators", verbosity=0)
        yield Plan.objects.get(slug=DEFAULT_PLAN_SLUG)
        transaction.set_rollback(True)


def targets(indicator):
    return {t.kind: (t.value, t.year, t.comparator) for t in indicator.targets.all()}


def test_num10_gets_an_indicator_per_figure_of_its_description(seed):
    num10 = seed.sheets.get(ref="Num10")
    text = num10.indicators.get(label="Mise en service des réseaux")
    assert {t.value_text for t in text.targets.all()} >= {"Choix structurants au 31/12/2016"}

    ineligible = num10.indicators.get(label="Lignes inéligibles à tout accès fixe à internet")
    assert ineligible.direction == Direction.DECREASE
    assert targets(ineligible) == {"initial": (4300, 2016, ""), "final": (0, 2020, "")}
    assert "4 300 lignes" in ineligible.targets.get(kind="initial").note

    slow = num10.indicators.get(label="Lignes à moins de 3 Mbit/s")
    assert targets(slow)["final"] == (15060, 2020, "")  # 50 200 reduced by 70 %

    communes = num10.indicators.get(label="Communes couvertes en fibre (FttH) par le programme")
    assert targets(communes)["final"] == (114, 2021, Comparator.GTE)
    premises = num10.indicators.get(label="Prises FttH raccordables dans les communes du programme")
    assert targets(premises)["final"] == (41000, 2021, Comparator.APPROX)


def test_they_are_bound_to_the_figures(seed):
    bound = dict(
        Indicator.objects.filter(sheet__plan=seed, source_key__startswith="broadband.").values_list(
            "label", "source_filters"
        )
    )
    assert bound == {
        "Lignes inéligibles à tout accès fixe à internet": {"basis": "all"},
        "Lignes à moins de 3 Mbit/s": {"basis": "wired"},
        "Communes couvertes en fibre (FttH) par le programme": {"programme": "charente-thd"},
        "Prises FttH raccordables dans les communes du programme": {"programme": "charente-thd"},
        "Nombre de prises FttH": {"territory": "200029734"},  # Num11: the CC des 4B
    }
    assert (
        seed.sheets.get(ref="Num03")
        .indicators.filter(
            label="Consultations en ligne des archives",
            measurement_method=MeasurementMethod.MANUAL,
        )
        .exists()
    )


def test_an_indicator_is_only_created_when_the_sheet_states_its_figure(seed):
    num10 = seed.sheets.get(ref="Num10")
    with transaction.atomic():
        num10.indicators.filter(label="Lignes à moins de 3 Mbit/s").delete()
        KeyFigure.objects.filter(sheet=num10, value=50200).delete()
        assert ensure_figure_indicators(seed) == []
        transaction.set_rollback(True)


def test_ensuring_again_changes_nothing_and_keeps_edits(seed):
    indicator = Indicator.objects.get(sheet__plan=seed, label="Lignes à moins de 3 Mbit/s")
    with transaction.atomic():
        indicator.unit = "locaux"
        indicator.save()
        assert ensure_figure_indicators(seed) == []
        indicator.refresh_from_db()
        assert indicator.unit == "locaux"
        transaction.set_rollback(True)


def test_the_programme_as_the_sheets_describe_it(seed):
    programme = Programme.objects.get(slug="charente-thd")
    assert programme.sheet.ref == "Num10"
    assert programme.owner.slug == "smo-charente-numerique"
    assert (programme.target_communes, programme.target_premises) == (114, 41000)
    sdeg = programme.phases.get(name__startswith="Opération du SDEG")
    assert sdeg.budget == 7300000 and sdeg.budget_line is None
    assert sdeg.owner.slug == "sdeg-charente"
    four_b = programme.phases.get(name__startswith="Participation de la CC des 4B")
    assert four_b.sheet.ref == "Num11"
    assert four_b.budget_line.amount == 3374200  # Num11's own budget line, not a copy
    assert list(four_b.epcis.values_list("siren", flat=True)) == ["200029734"]
    assert Milestone.objects.filter(sheet=programme.sheet).count() == 2


def test_loading_again_creates_nothing_and_keeps_edits(seed):
    with transaction.atomic():
        Phase.objects.filter(name__startswith="Montée en débit").update(target_premises=123)
        out = io.StringIO()
        call_command("load_broadband_programme", stdout=out)
        assert out.getvalue() == ""
        assert Phase.objects.get(name__startswith="Montée en débit").target_premises == 123
        assert Phase.objects.count() == 6
        transaction.set_rollback(True)


def test_reimporting_the_sheets_keeps_the_milestones_and_indicators(seed):
    with transaction.atomic():
        import_sheets_file(force=True)
        num10 = seed.sheets.get(ref="Num10")
        assert num10.milestones.count() == 2
        assert num10.indicators.count() == 5
        transaction.set_rollback(True)
