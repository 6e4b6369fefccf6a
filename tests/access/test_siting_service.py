"""Siting scenarios on the Charente demonstration: the command, the candidates, the saved
scenario computed in the background."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from maillage.access import scenarios
from maillage.access.candidates import CandidateFileError, parse_candidates_csv
from maillage.access.labels import CandidateSource, RunStatus
from maillage.access.models import SitingScenario
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _siting(*arguments) -> dict:
    out = io.StringIO()
    call_command("access_siting", *arguments, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_charente_k15_at_15_minutes_is_proven_optimal_and_beats_greedy(demo):
    answer = _siting("--kind", "mediation", "--k", "15", "--minutes", "15")
    for key in (
        "kind", "k", "minutes", "objective", "total_population", "covered_population",
        "greedy_covered_population", "proven_optimal", "gap", "sites", "seconds",
    ):  # fmt: skip
        assert key in answer
    assert answer["proven_optimal"] is True and answer["gap"] < 1e-9
    assert answer["covered_population"] >= answer["greedy_covered_population"]
    assert answer["covered_population"] > answer["covered_before"] > 0
    assert 0 < len(answer["sites"]) <= 15
    assert all(len(code) == 5 for code in answer["sites"])  # INSEE codes of commune centres
    assert answer["existing_places"] > 0 and answer["total_population"] > 300_000


def test_p_median_from_scratch_on_libraries(demo):
    answer = _siting(
        "--kind", "visio", "--k", "3", "--objective", "median", "--candidates", "libraries",
        "--from-scratch",
    )  # fmt: skip
    assert answer["proven_optimal"] is True
    assert answer["existing_places"] == 0 and answer["covered_before"] == 0
    assert len(answer["sites"]) == 3  # place ids of libraries
    assert answer["mean_minutes_after"] <= answer["greedy_mean_minutes"] + 1e-9


def test_csv_candidates_and_line_errors(demo, tmp_path):
    good = tmp_path / "sites.csv"
    good.write_text(
        "nom;code_insee;latitude;longitude\n"
        "Mairie de Brossac;16066;;\n"
        "Salle des fêtes;;45.35;0.05\n",
        encoding="utf-8",
    )
    answer = _siting("--kind", "visio", "--k", "1", "--candidates", str(good))
    assert answer["candidates"] == "file" and answer["candidate_count"] == 2
    with pytest.raises(CandidateFileError) as raised:
        parse_candidates_csv(
            b"nom;code_insee;latitude;longitude\n;16066;;\nA;99999;;\nB;;abc;1\nC;;;\n"
        )
    assert raised.value.errors == [
        "Ligne 2 : le nom est vide.",
        "Ligne 3 : code INSEE inconnu « 99999 ».",
        "Ligne 4 : latitude et longitude doivent être des nombres en degrés (WGS84).",
        "Ligne 5 : ni code INSEE ni coordonnées.",
    ]
    with pytest.raises(CommandError):
        _siting("--kind", "visio", "--k", "1", "--candidates", str(tmp_path / "absent.csv"))


def test_saved_scenario_runs_in_the_background_with_progress(
    demo, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        scenario = scenarios.scenario_create(
            organisation=organisation,
            by=UserFactory(),
            name="Bibliothèques, 5 points",
            kind="mediation",
            candidates=CandidateSource.COMMUNES,
            k=5,
            minutes=15,
            objective="coverage",
            opening_hours="Tu,Th 14:00-18:00; Sa 09:00-12:00",
        )
    scenario = SitingScenario.objects.get(pk=scenario.pk)
    assert scenario.status == RunStatus.DONE and scenario.progress == 100
    result = scenario.result
    assert result["proven_optimal"] and len(result["new_sites"]) <= 5
    assert sum(site["brought"] for site in result["new_sites"]) == result["newly_covered"]
    assert result["new_points_half_days"] == pytest.approx(3, abs=0.5)
    assert len(result["communes"]) == result["candidate_count"]  # every commune is a candidate
