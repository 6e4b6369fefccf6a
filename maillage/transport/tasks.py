"""Background tasks of the transport app (django-tasks): planning runs and riders' messages."""

import traceback

from django_tasks import task

from maillage import clock


@task()
def plan_day_task(run_id: int) -> dict:
    """Run a planning run (plan or re-plan), updating its progress as it goes."""
    from .labels import RunKind, RunStatus
    from .models import PlanningRun
    from .planning import plan_day, replan_day

    run = PlanningRun.objects.select_related("operator").get(pk=run_id)
    if run.is_finished:
        return {"run": run.pk, "status": run.status}

    def progress(percent: int, step: str) -> None:
        PlanningRun.objects.filter(pk=run.pk).update(progress=percent, step=step)

    run.status = RunStatus.RUNNING
    run.started_at = clock.now()
    run.save(update_fields=["status", "started_at"])
    planner = replan_day if run.kind == RunKind.REPLAN else plan_day
    try:
        planner(
            operator=run.operator,
            date=run.date,
            half_day=run.half_day,
            run=run,
            progress=progress,
        )
    except Exception as error:
        PlanningRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=f"{error}\n{traceback.format_exc()}",
            step="Échec",
            finished_at=clock.now(),
        )
        return {"run": run.pk, "status": RunStatus.FAILED}
    return {"run": run.pk, "status": RunStatus.DONE}


@task()
def send_ride_message(ride_id: int, kind: str, channel: str) -> str:
    from .notify import deliver

    return deliver(ride_id, kind, channel)
