"""Background task of the access app (django-tasks; run by `maillage worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_access(run_id: int) -> int:
    """Compute the pending run `run_id` (see `runs.access_run_execute`); returns its id."""
    from .models import AccessRun
    from .runs import access_run_execute

    run = AccessRun.objects.get(pk=run_id)
    access_run_execute(run)
    return run.pk
