"""Stored computations of access times: request one, run it with progress, read it back.

`access_run_request()` records a pending `AccessRun` and enqueues the background task
(`compute_access` below, run by `maillage worker`; immediately in development and tests) once
the transaction commits. `access_run_execute()` computes every kind (or those asked), writes
each kind's rows in one transaction, and moves `progress` from 0 to 100 as kinds are done;
`maillage compute-access` calls it directly (nightly from cron) and prints the progress.
When it finishes, the plan's indicators bound to the access sources are recomputed.

`latest_run(on=…)` is the last finished run computed on or before a date: pages read it, the
indicator sources read it at the end of their period (so the history of a figure is the
history of the runs). `load_accesses(run, kind)` rebuilds the `times.CommuneAccess` of every
commune from the stored rows, so figures read from storage and figures just computed go
through the same counting (`coverage`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage import clock
from maillage.territory import travel

from . import kinds as kinds_module
from .labels import RunStatus
from .models import AccessRun, CommuneTime, PlaceOpening
from .times import (
    AccessParameters,
    CommuneAccess,
    PlaceFigures,
    Reach,
    commune_origins,
    place_figures,
    reach_places,
)

Progress = Callable[[AccessRun], None]


class NoRun(Exception):
    """No finished computation of access times yet."""


def latest_run(on: dt.date | None = None) -> AccessRun | None:
    """The last finished run computed on or before `on` (any date by default)."""
    runs = AccessRun.objects.done()
    if on is not None:
        runs = runs.filter(computed_on__lte=on)
    return runs.order_by("-computed_on", "-finished_at", "-pk").first()


def access_run_request(*, kinds: Sequence[str] = (), by=None) -> AccessRun:
    """Record a computation of `kinds` (every kind when empty) and run it in the background."""
    for key in kinds:
        kinds_module.get_kind(key)  # refuse an unknown kind now, not in the worker
    run = AccessRun.objects.create(
        computed_on=clock.today(), kinds=list(kinds), requested_by=by, step="En attente"
    )
    transaction.on_commit(lambda: compute_access.enqueue(run_id=run.pk))
    return run


def prune_runs(*, keep_days: int | None = None) -> int:
    """Delete the rows of old runs, keeping every run of the last `keep_days` days
    (`MAILLAGE_ACCESS_KEEP_DAYS`, 31) and the last finished run of each earlier month, so the
    indicator sources still read a figure at any past month's end. Returns the runs deleted."""
    from django.conf import settings

    keep_days = keep_days or int(getattr(settings, "MAILLAGE_ACCESS_KEEP_DAYS", 31))
    limit = clock.today() - dt.timedelta(days=keep_days)
    old = AccessRun.objects.filter(computed_on__lt=limit)
    monthly = set()
    seen_months = set()
    for pk, day in (
        old.done().order_by("-computed_on", "-finished_at", "-pk").values_list("pk", "computed_on")
    ):
        if (day.year, day.month) not in seen_months:
            seen_months.add((day.year, day.month))
            monthly.add(pk)
    deleted = old.exclude(pk__in=monthly).exclude(status=RunStatus.RUNNING)
    count = deleted.count()
    deleted.delete()
    return count


def _infinite_as_none(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


def access_run_execute(
    run: AccessRun,
    *,
    parameters: AccessParameters | None = None,
    provider=None,
    progress: Progress | None = None,
) -> AccessRun:
    """Compute the run's kinds now, storing rows kind by kind; marks the run failed (and
    re-raises) on an error."""
    parameters = parameters or AccessParameters()
    provider = provider or travel.provider()
    now = clock.now()
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.computed_on = timezone.localtime(now).date()
    run.progress = 0
    run.error = ""
    keys = list(run.kinds) or [kind.key for kind in kinds_module.all_kinds()]
    run.kinds = keys
    run.parameters = {**parameters.as_dict(), "provider": type(provider).__name__}
    run.step = "Préparation"
    run.save()
    if progress:
        progress(run)
    try:
        origins = commune_origins()
        for number, key in enumerate(keys):
            kind = kinds_module.get_kind(key)
            run.step = kind.label[:200]
            _store_kind(run, kind, origins, now=now, parameters=parameters, provider=provider)
            run.progress = round(100 * (number + 1) / len(keys))
            AccessRun.objects.filter(pk=run.pk).update(progress=run.progress, step=run.step)
            if progress:
                progress(run)
    except Exception as error:
        run.status = RunStatus.FAILED
        run.error = str(error) or type(error).__name__
        run.finished_at = timezone.now()
        run.save()
        raise
    run.status = RunStatus.DONE
    run.progress = 100
    run.step = ""
    run.finished_at = timezone.now()
    run.save()
    prune_runs()
    from maillage.plan.tasks import enqueue_compute_on_commit

    enqueue_compute_on_commit(source_prefix="access.")
    return run


@transaction.atomic
def _store_kind(run, kind, origins, *, now, parameters, provider) -> None:
    places = kinds_module.places_for(kind, run.computed_on)
    figures = place_figures(kind, places, now=now, parameters=parameters)
    openings = PlaceOpening.objects.bulk_create(
        [
            PlaceOpening(
                run=run,
                kind=kind.key,
                place_id=figure.place_id,
                place_name=figure.name[:250],
                latitude=figure.position[0],
                longitude=figure.position[1],
                hours_known=figure.hours_known,
                waiting_minutes=_infinite_as_none(figure.waiting_minutes),
                half_days_per_week=figure.half_days_per_week,
                appointment_days=figure.appointment_days,
                next_slot_at=figure.next_slot_at,
            )
            for figure in figures
        ]
    )
    stored = {opening.place_id: opening for opening in openings}
    accesses = reach_places(origins, figures, kind=kind, parameters=parameters, provider=provider)
    rows = []
    for access in accesses:
        nearest, best = access.nearest, access.best
        rows.append(
            CommuneTime(
                run=run,
                kind=kind.key,
                commune_id=access.insee,
                population=access.population,
                epci_id=access.epci_id,
                place=stored[nearest.place.place_id] if nearest else None,
                travel_minutes=nearest.travel_minutes if nearest else None,
                km=nearest.km if nearest else None,
                waiting_minutes=_infinite_as_none(nearest.waiting_minutes) if nearest else None,
                appointment_days=nearest.appointment_days if nearest else None,
                best_place=stored[best.place.place_id] if best else None,
                best_travel_minutes=best.travel_minutes if best else None,
                best_waiting_minutes=_infinite_as_none(best.waiting_minutes) if best else None,
                best_appointment_days=best.appointment_days if best else None,
                best_score_minutes=_infinite_as_none(best.score_minutes) if best else None,
                candidates=[
                    [stored[r.place.place_id].pk, r.travel_minutes, r.km, r.estimated]
                    for r in access.candidates
                ],
            )
        )
    CommuneTime.objects.bulk_create(rows, batch_size=500)


def _place_figures(opening: PlaceOpening) -> PlaceFigures:
    waiting = opening.waiting_minutes
    if waiting is None and opening.hours_known:
        waiting = math.inf
    return PlaceFigures(
        place_id=opening.place_id or -opening.pk,
        name=opening.place_name,
        position=(opening.latitude, opening.longitude),
        insee_code=opening.place.insee_code if opening.place else "",
        waiting_minutes=waiting,
        half_days_per_week=opening.half_days_per_week,
        appointment_days=opening.appointment_days,
        next_slot_at=opening.next_slot_at,
    )


def load_places(run: AccessRun, kind: str) -> dict[int, PlaceFigures]:
    """The places of `kind` in `run`, by `PlaceOpening` id."""
    return {
        opening.pk: _place_figures(opening)
        for opening in PlaceOpening.objects.filter(run=run, kind=kind).select_related("place")
    }


def load_accesses(
    run: AccessRun, kind: str, *, communes: Sequence[str] = ()
) -> list[CommuneAccess]:
    """Every commune's stored access to `kind` in `run` (or only the INSEE codes given)."""
    places = load_places(run, kind)
    rows = CommuneTime.objects.filter(run=run, kind=kind).select_related("commune")
    if communes:
        rows = rows.filter(commune_id__in=list(communes))
    accesses = []
    for row in rows.order_by("commune_id"):
        candidates = tuple(
            Reach(places[opening_id], minutes, km, estimated)
            for opening_id, minutes, km, estimated in row.candidates
        )
        nearest = candidates[0] if candidates else None
        best_place = places.get(row.best_place_id) if row.best_place_id else None
        best = next((r for r in candidates if r.place is best_place), None)
        commune = row.commune
        accesses.append(
            CommuneAccess(
                insee=commune.insee_code,
                name=commune.name,
                population=row.population,
                epci_id=row.epci_id,
                departement_id=commune.departement_id or "",
                position=(commune.latitude, commune.longitude),
                candidates=candidates,
                nearest=nearest,
                best=best,
            )
        )
    return accesses


@task()
def compute_access(run_id: int) -> int:
    """Background task: compute the pending run `run_id` (see `access_run_execute`); returns
    its id. Declared beside the service it runs, so the two never import each other."""
    run = AccessRun.objects.get(pk=run_id)
    access_run_execute(run)
    return run.pk
