"""Background tasks of the plan (django-tasks; run by `maillage worker`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django_tasks import task


@task()
def compute_bound_indicators(
    plan_id: int | None = None, on: str | None = None, source_prefix: str = ""
) -> int:
    """Recompute every indicator bound to a source; returns how many were computed.

    Takes ids and ISO dates, not objects (tasks are stored as JSON).
    """
    from .computed import compute_all
    from .models import Plan

    plan = Plan.objects.get(pk=plan_id) if plan_id else None
    day = dt.date.fromisoformat(on) if on else None
    return len(compute_all(plan=plan, on=day, source_prefix=source_prefix))


def enqueue_compute_on_commit(
    *, source_prefix: str = "", plan_id: int | None = None, on: dt.date | None = None
) -> None:
    """Recompute bound indicators (at `on`, today by default) once the transaction commits."""
    day = on.isoformat() if on else None
    transaction.on_commit(
        lambda: compute_bound_indicators.enqueue(
            plan_id=plan_id, on=day, source_prefix=source_prefix
        )
    )
