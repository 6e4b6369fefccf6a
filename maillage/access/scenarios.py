"""Saved siting scenarios: recorded by the page (`scenario_create`), solved in the background
(`solve_scenario` task) with their progress, by the computation of `siting_compute.py`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import kinds
from .labels import RunStatus


def scenario_create(*, organisation, by, **fields):
    """Record a scenario and enqueue its computation once the transaction commits."""
    from .models import SitingScenario

    kind = kinds.get_kind(fields["kind"])
    scenario = SitingScenario.objects.create(
        organisation=organisation,
        created_by=by,
        kind_label=kind.label,
        step="En attente du calcul",
        **fields,
    )
    transaction.on_commit(lambda: solve_scenario.enqueue(scenario.pk))
    return scenario


def scenario_execute(scenario) -> None:
    """Solve a saved scenario, recording its progress as it goes."""
    from .models import SitingScenario

    def progress(percent: int, step: str) -> None:
        SitingScenario.objects.filter(pk=scenario.pk).update(progress=percent, step=step[:200])

    SitingScenario.objects.filter(pk=scenario.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=0, error=""
    )
    # numpy, scipy and HiGHS are imported here, when a scenario is solved, not with this
    # module: the siting pages import it with the URL configuration.
    from .siting_compute import scenario_request, siting_compute

    try:
        result = siting_compute(scenario_request(scenario), progress=progress)
    except Exception as error:
        SitingScenario.objects.filter(pk=scenario.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    SitingScenario.objects.filter(pk=scenario.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        progress=100,
        step="Terminé",
        result=result.as_json(),
    )


@task()
def solve_scenario(scenario_id: int) -> None:
    """Background task: solve the saved scenario `scenario_id`."""
    from .models import SitingScenario

    scenario = SitingScenario.objects.filter(pk=scenario_id).first()
    if scenario is not None:
        scenario_execute(scenario)
