"""Import broadband figures: receive a file, read it (in the background), preview, apply.

One service for the pages, the `import_broadband` command and the demonstration data:

1. `figures_import_create` keeps the file and its source note (name, size, SHA-256, download
   address, date of the data, who) and refuses a file above the size limit;
2. `figures_import_read` (the background task `read_figure_import` runs it) detects the layout,
   validates every line of the département (`validation.py`) and compares what the file
   holds with what is stored: the preview. A file with errors is refused whole;
3. `figures_import_apply` writes the counts in one transaction. It is idempotent per
   (commune, quarter, dataset): a value the file repeats is left alone, one it changes is
   updated; for the datasets that split the premises (best access, speed classes) the file's
   categories replace the previous ones. The indicators computed from these figures are then
   recomputed for the quarters imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django_tasks import task

from maillage import clock
from maillage.territory.models import Commune

from . import labels, layouts, reading, validation
from .labels import Category, ImportStatus, Layout
from .models import FigureImport, PremisesCount
from .quarters import Quarter

PREVIEW_CHANGES = 100
BATCH = 1000


def _departement_code() -> str:
    return settings.MAILLAGE_DEPARTEMENT_CODE


def commune_codes(departement_code: str | None = None) -> dict[str, str]:
    """Every INSEE code of the département's communes, current or of 2018 → current code."""
    departement_code = departement_code or _departement_code()
    codes: dict[str, str] = {}
    for insee, former in Commune.objects.filter(departement_id=departement_code).values_list(
        "insee_code", "former_codes"
    ):
        for code in former.split():
            codes.setdefault(code, insee)
        codes[insee] = insee
    return codes


def figures_import_create(
    *,
    content: bytes,
    filename: str,
    by=None,
    layout: str = "",
    url: str = "",
    data_date: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> FigureImport:
    """Keep the file and its source note; the reading comes next."""
    try:
        reading.check_size(len(content))
    except reading.ReadError as error:
        raise ValidationError(str(error)) from error
    if layout and layout not in Layout.values:
        raise ValidationError(f"Présentation inconnue : « {layout} ».")
    figure_import = FigureImport(
        layout=layout,
        filename=filename[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        url=url,
        data_date=data_date,
        note=note,
        is_demo=is_demo,
        created_by=by,
    )
    figure_import.file.save(filename[:100] or "import", ContentFile(content), save=False)
    figure_import.save()
    return figure_import


def figures_import_enqueue(figure_import: FigureImport) -> None:
    """Read the file in the background once the current transaction commits."""
    transaction.on_commit(lambda: read_figure_import.enqueue(figure_import.pk))


@task()
def read_figure_import(import_id: int) -> str:
    figure_import = FigureImport.objects.get(pk=import_id)
    if figure_import.status not in (ImportStatus.PENDING, ImportStatus.READING):
        return figure_import.status
    try:
        figures_import_read(figure_import)
    except Exception as error:
        FigureImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            errors=[str(error), traceback.format_exc(limit=3)],
            progress=100,
        )
        return ImportStatus.FAILED
    return figure_import.status


def _progress(figure_import: FigureImport) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        percent = max(1, min(90, int(fraction * 90)))
        FigureImport.objects.filter(pk=figure_import.pk).update(progress=percent)

    return report


def figures_import_read(figure_import: FigureImport) -> FigureImport:
    """Validate the file and prepare the preview; refuse it whole on any error."""
    FigureImport.objects.filter(pk=figure_import.pk).update(status=ImportStatus.READING)
    with figure_import.file.open("rb") as handle:
        content = handle.read()
    errors: list[str] = []
    parsed = None
    try:
        table = reading.read_table(
            content, anchors=layouts.ANCHORS, progress=_progress(figure_import)
        )
    except reading.ReadError as error:
        errors.append(str(validation.row_error(None, None, str(error))))
    else:
        layout = figure_import.layout or layouts.detect(table, figure_import.filename)
        if layout is None:
            errors.append(str(validation.row_error(None, None, labels.ERR_LAYOUT_UNKNOWN)))
        else:
            figure_import.layout = layout
            parsed = validation.validate(
                layouts.spec_for(layout, table),
                table,
                departement_code=_departement_code(),
                communes=commune_codes(),
            )
            errors += [str(e) for e in parsed.errors]
    if errors:
        shown = errors[: validation.MAX_ERRORS]
        if len(errors) > len(shown):
            shown.append(f"… et {len(errors) - len(shown)} autre(s) erreur(s).")
        figure_import.status, figure_import.errors, figure_import.records = (
            ImportStatus.REFUSED,
            shown,
            [],
        )
    else:
        figure_import.records = [
            [insee, quarter, dataset, counts]
            for (insee, quarter, dataset), counts in sorted(parsed.records.items())
        ]
        figure_import.summary = preview(figure_import.records) | {
            "rows_read": parsed.rows_read,
            "rows_other_departements": parsed.rows_other_departements,
            "rows_other_types": parsed.rows_other_types,
        }
        if figure_import.data_date is None and parsed.quarters:
            figure_import.data_date = parsed.quarters[-1]
        figure_import.status, figure_import.errors = ImportStatus.READY, []
    figure_import.progress = 100
    figure_import.save(
        update_fields=["layout", "status", "errors", "records", "summary", "data_date", "progress"]
    )
    return figure_import


def _existing(records: list) -> dict[tuple[str, str, str, str], tuple[int, int]]:
    """Stored counts touched by `records`: (commune, quarter, dataset, category) → (pk, value)."""
    communes = {r[0] for r in records}
    quarters = {r[1] for r in records}
    datasets = {r[2] for r in records}
    rows = PremisesCount.objects.filter(
        commune_id__in=communes, quarter_end__in=quarters, dataset__in=datasets
    ).values_list("pk", "commune_id", "quarter_end", "dataset", "category", "value")
    return {(c, q.isoformat(), d, cat): (pk, v) for pk, c, q, d, cat, v in rows}


def _plan(records: list):
    """What applying `records` does: (to create, to update, to delete, unchanged count)."""
    existing = _existing(records)
    create, update, delete, unchanged = [], [], [], 0
    for insee, quarter, dataset, counts in records:
        for category, value in counts.items():
            current = existing.get((insee, quarter, dataset, category))
            if current is None:
                create.append((insee, quarter, dataset, category, value))
            elif current[1] != value:
                update.append((current[0], insee, quarter, dataset, category, current[1], value))
            else:
                unchanged += 1
        if dataset in labels.PARTITIONS:
            for category in labels.DATASET_CATEGORIES[dataset]:
                current = existing.get((insee, quarter, dataset, category))
                if category not in counts and current is not None:
                    delete.append((current[0], insee, quarter, dataset, category, current[1]))
    return create, update, delete, unchanged


def preview(records: list) -> dict:
    """What the import would change, by quarter and dataset, with the first changes."""
    create, update, delete, unchanged = _plan(records)
    names = dict(
        Commune.objects.filter(insee_code__in={r[0] for r in records}).values_list(
            "insee_code", "name"
        )
    )
    by_key: dict[tuple[str, str], dict] = {}
    for _insee, quarter, dataset, counts in records:
        entry = by_key.setdefault(
            (quarter, dataset),
            {"quarter": quarter, "dataset": dataset, "communes": 0, "premises": 0, "totals": {}},
        )
        entry["communes"] += 1
        entry["premises"] += counts.get(Category.PREMISES, 0)
        for category, value in counts.items():
            entry["totals"][category] = entry["totals"].get(category, 0) + value
    changes = [
        {
            "commune": insee,
            "name": names.get(insee, insee),
            "quarter": quarter,
            "dataset": dataset,
            "category": category,
            "old": old,
            "new": new,
        }
        for _pk, insee, quarter, dataset, category, old, new in update[:PREVIEW_CHANGES]
    ]
    return {
        "communes": len({r[0] for r in records}),
        "quarters": sorted({r[1] for r in records}),
        "datasets": sorted({r[2] for r in records}),
        "created": len(create),
        "updated": len(update),
        "deleted": len(delete),
        "unchanged": unchanged,
        "by_quarter": [by_key[k] for k in sorted(by_key)],
        "changes": changes,
    }


@transaction.atomic
def figures_import_apply(
    *, figure_import: FigureImport, by=None, recompute: bool = True
) -> dict[str, int]:
    """Write the counts read from the file, all or nothing; returns what changed.

    The indicators computed from these figures are then recomputed, in the background, unless
    `recompute` is False (a caller importing many files recomputes once at the end).
    """
    figure_import = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if not figure_import.can_apply:
        raise ValidationError(
            labels.MSG_IMPORT_NOT_READY.format(status=figure_import.get_status_display())
        )
    records = figure_import.records
    create, update, delete, unchanged = _plan(records)
    try:
        with transaction.atomic():
            PremisesCount.objects.filter(pk__in=[d[0] for d in delete]).delete()
            PremisesCount.objects.bulk_create(
                [
                    PremisesCount(
                        commune_id=insee,
                        quarter_end=dt.date.fromisoformat(quarter),
                        dataset=dataset,
                        category=category,
                        value=value,
                        source=figure_import,
                    )
                    for insee, quarter, dataset, category, value in create
                ],
                batch_size=BATCH,
            )
            changed = [
                PremisesCount(pk=pk, value=new, source=figure_import)
                for pk, _i, _q, _d, _c, _old, new in update
            ]
            PremisesCount.objects.bulk_update(changed, ["value", "source"], batch_size=BATCH)
    except IntegrityError as error:
        raise ValidationError(
            "Un autre import vient d'enregistrer les mêmes chiffres : recommencez la lecture."
        ) from error
    figure_import.status = ImportStatus.APPLIED
    figure_import.applied_at = clock.now()
    figure_import.applied_by = by
    figure_import.summary = figure_import.summary | {
        "applied": {
            "created": len(create),
            "updated": len(update),
            "deleted": len(delete),
            "unchanged": unchanged,
        }
    }
    figure_import.save(update_fields=["status", "applied_at", "applied_by", "summary"])
    quarters = sorted({r[1] for r in records})
    if recompute and (create or update or delete):
        transaction.on_commit(lambda: recompute_indicators.enqueue(quarters))
    return {
        "created": len(create),
        "updated": len(update),
        "deleted": len(delete),
        "unchanged": unchanged,
    }


def figures_import(
    *,
    content: bytes,
    filename: str,
    by=None,
    layout: str = "",
    url: str = "",
    data_date: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
    dry_run: bool = False,
    recompute: bool = True,
) -> FigureImport:
    """Create, read and (unless `dry_run` or refused) apply an import at once: the command's way."""
    figure_import = figures_import_create(
        content=content,
        filename=filename,
        by=by,
        layout=layout,
        url=url,
        data_date=data_date,
        note=note,
        is_demo=is_demo,
    )
    figures_import_read(figure_import)
    if figure_import.can_apply and not dry_run:
        figures_import_apply(figure_import=figure_import, by=by, recompute=recompute)
        figure_import.refresh_from_db()
    return figure_import


# --- Indicators ------------------------------------------------------------------------------


def recompute_dates(quarters: list[str]) -> list[dt.date]:
    """The dates to recompute after an import: the quarters imported (if over), and every
    later date an indicator fed by these figures was already computed at."""
    from maillage.plan.computed import bound_indicators
    from maillage.plan.labels import MeasurementSource
    from maillage.plan.models import Measurement

    today = clock.today()
    days = {d for q in quarters if (d := dt.date.fromisoformat(q)) <= today}
    if not days:
        return []
    later = Measurement.objects.filter(
        indicator__in=bound_indicators(source_prefix="broadband."),
        source=MeasurementSource.COMPUTED,
        date__gte=min(days),
    ).values_list("date", flat=True)
    return sorted(days | set(later))


@task()
def recompute_indicators(quarters: list[str]) -> int:
    """Recompute the indicators bound to broadband sources after an import."""
    from maillage.plan.computed import compute_all

    computed = 0
    for day in recompute_dates(quarters):
        computed += len(compute_all(on=day, source_prefix="broadband."))
    return computed


def quarters_available(dataset: str | None = None) -> list[Quarter]:
    qs = PremisesCount.objects.all()
    if dataset:
        qs = qs.filter(dataset=dataset)
    days = qs.order_by("quarter_end").values_list("quarter_end", flat=True).distinct()
    return [Quarter.parse(d) for d in days]
