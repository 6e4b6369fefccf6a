"""Writing one sheet: the values and rows the document changed since the last import, the
rest kept as people left it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from maillage import clock
from maillage.territory.names import normalise

from .. import labels
from ..labels import ImportOutcome, MeasurementSource
from ..models import ActionSheet, Indicator, Measurement, Plan, Target
from ..services import meetings_generate_from_rhythm
from ..sheet_parser import ParsedSheet
from .comparison import canonical, shown_value, text_difference
from .desired import Lookups, desired_values
from .report import Change, SheetReport
from .rows import SHEET_ROWS

_MISSING = object()
# Where a value was read (lines of the document, its name): refreshed along with a change of
# the values themselves, never a change on its own (a line added above shifts every line).
_WHERE_READ = frozenset({"source_line_start", "source_line_end", "source_line", "provenance"})


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name.removesuffix("_id"))


@dataclass
class SheetWriter:
    plan: Plan
    source_name: str
    force: bool
    by: Any
    context: Lookups

    @property
    def reason(self) -> str:
        return f"Import du document {self.source_name}" if self.source_name else "Import"

    def write(self, parsed: ParsedSheet, *, end_line: int) -> SheetReport:
        report = SheetReport(ref=parsed.ref, warnings=parsed.warnings)
        desired = desired_values(
            parsed,
            plan=self.plan,
            context=self.context,
            end_line=end_line,
            source=self.source_name,
        )
        snapshot = canonical(desired)
        sheet = ActionSheet.objects.filter(plan=self.plan, ref=parsed.ref).first()
        if sheet is None:
            sheet = ActionSheet(plan=self.plan, ref=parsed.ref, **desired["sheet"])
            self._save(sheet)
            report.outcome = ImportOutcome.CREATED
            last = None
        else:
            stored = sheet.import_snapshot or {}
            last = stored.get("values") or None
            if last == snapshot and not self.force:
                return report
        self._sync(sheet, desired, last, report, created=report.outcome == ImportOutcome.CREATED)
        if report.outcome != ImportOutcome.CREATED and report.changes:
            report.outcome = ImportOutcome.UPDATED
        new_snapshot = {"document": self.source_name, "values": snapshot}
        if sheet.import_snapshot != new_snapshot:
            # Through update(): neither a history record nor a new `updated` date.
            ActionSheet.objects.filter(pk=sheet.pk).update(import_snapshot=new_snapshot)
        rhythm = desired["sheet"]["governance_rhythm"]
        last_rhythm = (last or {}).get("sheet", {}).get("governance_rhythm")
        if rhythm and (last_rhythm != canonical(rhythm) or self.force):
            year = clock.today().year
            for planned_year in (year, year + 1):
                report.meetings_created += len(
                    meetings_generate_from_rhythm(
                        plan=self.plan, year=planned_year, rhythm=rhythm, sheets=[sheet]
                    )
                )
        return report

    # -- helpers

    def _save(self, instance: models.Model) -> None:
        instance._history_user = self.by
        instance._change_reason = self.reason
        instance.save()

    def _delete(self, instance: models.Model) -> None:
        instance._history_user = self.by
        instance._change_reason = self.reason
        instance.delete()

    def _merge(
        self, instance: models.Model, wanted: dict[str, Any], last: dict[str, Any] | None
    ) -> tuple[list[tuple[str, Any, Any]], bool]:
        """Set on `instance` the wanted values the document changed since the last import
        (all of them without a previous import, or with `force`).

        Returns the changes to report and whether `instance` needs saving: where a value was
        read (`_WHERE_READ`) is refreshed along with a real change, never a change by itself.
        """
        changed = []
        where_read = []
        for name, value in wanted.items():
            if not self.force and last is not None and last.get(name, _MISSING) == canonical(value):
                continue  # unchanged in the document: what is stored stays
            old = getattr(instance, name)
            if canonical(old) != canonical(value):
                (where_read if name in _WHERE_READ else changed).append((name, old, value))
        if not (changed or (self.force and where_read)):
            return [], False
        for name, _old, value in [*changed, *where_read]:
            setattr(instance, name, value)
        return changed, True

    def _show(self, model: type[models.Model], name: str, value: Any) -> str:
        if name in {"organisation_id", "funder_id"} and value is not None:
            return self.context.organisation_names.get(value, str(value))
        return shown_value(value, _field(model, name))

    def _show_change(
        self, model: type[models.Model], name: str, old: Any, new: Any
    ) -> tuple[str, str]:
        if isinstance(old, str) and isinstance(new, str) and old and new:
            return text_difference(old, new)
        return self._show(model, name, old), self._show(model, name, new)

    def _record(
        self,
        report: SheetReport,
        model: type[models.Model],
        subject: str,
        changed: list[tuple[str, Any, Any]],
    ) -> None:
        for name, old, new in changed:
            shown_old, shown_new = self._show_change(model, name, old, new)
            report.changes.append(
                Change(
                    subject=subject,
                    field=str(_field(model, name).verbose_name).capitalize(),
                    old=shown_old,
                    new=shown_new,
                )
            )

    def _sync_rows(
        self,
        report: SheetReport,
        *,
        model: type[models.Model],
        existing: dict[str, models.Model],
        wanted: dict[str, dict[str, Any]],
        last: dict[str, Any] | None,
        owned: Callable[[str], bool],
        make: Callable[[dict[str, Any]], models.Model],
        subject: Callable[[Any], str],
        quiet: bool = False,
    ) -> dict[str, models.Model]:
        """Bring the rows `existing` (by key) to `wanted`; returns the rows by key after."""
        result = {}
        for key, values in wanted.items():
            instance = existing.get(key)
            previous = None if last is None else last.get(key)
            if instance is None:
                if previous is not None and previous == canonical(values) and not self.force:
                    continue  # imported before, deleted in Maillage since: stays deleted
                instance = make(values)
                self._save(instance)
                if not quiet:
                    report.changes.append(Change(subject(instance), action="+"))
            else:
                changed, dirty = self._merge(instance, values, previous)
                if dirty:
                    self._save(instance)
                    self._record(report, model, subject(instance), changed)
            result[key] = instance
        for key, instance in existing.items():
            if key not in wanted and owned(key):
                if not quiet:
                    report.changes.append(Change(subject(instance), action="-"))
                self._delete(instance)
        return result

    def _sync(
        self,
        sheet: ActionSheet,
        desired: dict[str, Any],
        last: dict[str, Any] | None,
        report: SheetReport,
        *,
        created: bool,
    ) -> None:
        # On a new sheet every row is new: the report says "créée", not each addition.
        quiet = created
        last = last or None
        part = (lambda name: last.get(name)) if last is not None else (lambda name: None)

        changed, dirty = self._merge(sheet, desired["sheet"], part("sheet"))
        if dirty:
            self._save(sheet)
            self._record(report, ActionSheet, "", changed)

        last_scope = part("scope")
        for name in ("epcis", "communes"):
            wanted = desired["scope"][name]
            if not self.force and last_scope is not None and last_scope.get(name) == wanted:
                continue
            current = sorted(getattr(sheet, name).values_list("pk", flat=True))
            if current != wanted:
                getattr(sheet, name).set(wanted)
                if not quiet:
                    report.changes.append(
                        Change(
                            subject="",
                            field=str(ActionSheet._meta.get_field(name).verbose_name).capitalize(),
                            old=self._territory_names(name, current),
                            new=self._territory_names(name, wanted),
                        )
                    )

        def owned_row(section: str) -> Callable[[str], bool]:
            # Before any import the document is the reference for these lists.
            previous = part(section)
            return lambda key: last is None or (previous is not None and key in previous)

        for rows in SHEET_ROWS:
            self._sync_rows(
                report,
                model=rows.model,
                existing=rows.keyed(getattr(sheet, rows.section).order_by(*rows.order_by)),
                wanted=desired[rows.section],
                last=part(rows.section),
                owned=owned_row(rows.section),
                make=lambda values, model=rows.model: model(sheet=sheet, **values),
                subject=rows.subject,
                quiet=quiet,
            )
        self._sync_indicators(sheet, desired["indicators"], part("indicators"), report, quiet)

    def _territory_names(self, name: str, keys: list[str]) -> str:
        names = (
            self.context.territory.epci_names
            if name == "epcis"
            else self.context.territory.commune_names
        )
        return ", ".join(names.get(key, key) for key in keys) or "(vide)"

    def _sync_indicators(
        self,
        sheet: ActionSheet,
        wanted: dict[str, dict[str, Any]],
        last: dict[str, Any] | None,
        report: SheetReport,
        quiet: bool,
    ) -> None:
        existing = {normalise(i.label): i for i in sheet.indicators.order_by("order", "id")}
        for key, desired in wanted.items():
            previous = None if last is None else last.get(key)
            indicator = existing.get(key)
            subject = f"Indicateur « {desired['fields']['label']} »"
            if indicator is None:
                indicator = Indicator(sheet=sheet, **desired["fields"])
                self._save(indicator)
                if not quiet:
                    report.changes.append(Change(subject, action="+"))
            else:
                changed, dirty = self._merge(
                    indicator, desired["fields"], previous and previous.get("fields")
                )
                if dirty:
                    self._save(indicator)
                    self._record(report, Indicator, subject, changed)
            last_targets = previous.get("targets") if previous else None
            self._sync_rows(
                report,
                model=Target,
                existing={t.kind: t for t in indicator.targets.all()},
                wanted=desired["targets"],
                last=last_targets,
                # Targets people set in Maillage are theirs: only imported ones are removed.
                owned=lambda kind, last_targets=last_targets: bool(
                    last_targets and kind in last_targets
                ),
                make=lambda values, indicator=indicator: Target(indicator=indicator, **values),
                subject=lambda t, subject=subject: f"{subject} — {t.get_kind_display().lower()}",
                quiet=quiet,
            )
            self._sync_rows(
                report,
                model=Measurement,
                existing={
                    m.date.isoformat(): m
                    for m in indicator.measurements.filter(source=MeasurementSource.IMPORT)
                },
                wanted=desired["measurements"],
                last=previous.get("measurements") if previous else None,
                owned=lambda key: True,  # every measurement with source "import" is ours
                make=lambda values, indicator=indicator: Measurement(
                    indicator=indicator,
                    source=MeasurementSource.IMPORT,
                    author=self.by,
                    **values,
                ),
                subject=lambda m, subject=subject: f"{subject} — mesure du {m.date:%d/%m/%Y}",
                quiet=quiet,
            )
        if last is None:
            return
        for key, indicator in existing.items():
            if key in wanted or key not in last:
                continue
            subject = f"Indicateur « {indicator.label} »"
            kept = indicator.measurements.exclude(source=MeasurementSource.IMPORT).exists()
            if not kept:
                report.changes.append(Change(subject, action="-"))
                self._delete(indicator)
                continue
            # Kept for the measurements people entered; what the document brought goes.
            report.notes.append(labels.IMPORT_INDICATOR_KEPT.format(label=indicator.label))
            for measurement in indicator.measurements.filter(source=MeasurementSource.IMPORT):
                report.changes.append(
                    Change(f"{subject} — mesure du {measurement.date:%d/%m/%Y}", action="-")
                )
                self._delete(measurement)
