"""What a siting scenario's page asks the scenario (templates only render it)."""

import pytest

from maillage.access.labels import RunStatus, SitingObjective
from maillage.access.models import SitingScenario


@pytest.mark.parametrize("status", RunStatus.values)
def test_a_scenario_has_failed_only_when_its_computation_failed(status):
    assert SitingScenario(status=status).has_failed == (status == RunStatus.FAILED)


def test_a_coverage_scenario_counts_the_people_brought_within_the_threshold():
    assert SitingScenario(objective=SitingObjective.COVERAGE).maximises_coverage
    assert not SitingScenario(objective=SitingObjective.MEDIAN).maximises_coverage
