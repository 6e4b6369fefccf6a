"""Per-field history of a sheet and of its indicators, targets, measurements and budget lines,
read from django-simple-history as a list of diffs (field label, old → new, who, when)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from .models import ActionSheet, BudgetLine, Indicator, Measurement, Target

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}
# Not shown: keys, ordering, and what the importer keeps for itself (the source document's
# snapshot, a value's provenance), which mean nothing to a reader.
HIDDEN_FIELDS = {
    "id",
    "sheet",
    "indicator",
    "plan",
    "order",
    "author",
    "import_snapshot",
    "provenance",
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    subject: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def _shown(model_field, value) -> str:
    if value is None or value == "":
        return "(vide)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), r"j F Y \à H\hi")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dict):  # a JSON field: its entries, never Python's notation
        return "; ".join(f"{key} : {_shown_item(item)}" for key, item in value.items()) or "(vide)"
    if isinstance(value, list):
        return "; ".join(_shown_item(item) for item in value) or "(vide)"
    return str(value)


def _shown_item(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} : {item}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _tracked_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and f.name not in {"created", "updated"}
    ]


def _diffs(model, records, describe) -> list[HistoryEntry]:
    """Turn historical records (any order) into entries, each against the previous version."""
    fields = _tracked_fields(model)
    by_object: dict[int, list] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in versions:
            changes = []
            for f in fields:
                new = getattr(record, f.attname, None)
                old = getattr(previous, f.attname, None) if previous is not None else None
                if record.history_type == "-":
                    continue
                if previous is None and (new is None or new == "" or new == {} or new == []):
                    continue
                if previous is None or old != new:
                    changes.append(
                        FieldChange(
                            label=str(f.verbose_name).capitalize(),
                            old=_shown(f, old) if previous is not None else "—",
                            new=_shown(f, new),
                        )
                    )
            if changes or record.history_type != "~":
                entries.append(
                    HistoryEntry(
                        when=record.history_date,
                        who=str(record.history_user) if record.history_user else "Système",
                        subject=describe(record),
                        action=ACTIONS.get(record.history_type, record.history_type),
                        changes=changes,
                    )
                )
            previous = record
    return entries


def sheet_changes(sheet: ActionSheet, user) -> list[HistoryEntry]:
    """Every recorded change of `sheet` and its parts that `user` may see, newest first."""
    indicator_ids = set(
        Indicator.objects.filter(sheet=sheet).visible_to(user).values_list("pk", flat=True)
    )
    # indicators deleted since still have a history; show them only to those who see the sheet
    historical_indicators = Indicator.history.filter(sheet_id=sheet.pk).select_related(
        "history_user"
    )
    known = {r.id for r in historical_indicators}
    hidden = set(
        Indicator.objects.filter(sheet=sheet)
        .exclude(pk__in=indicator_ids)
        .values_list("pk", flat=True)
    )
    indicator_ids |= known - hidden
    labels = {r.id: r.label for r in historical_indicators}

    def indicator_label(pk):
        return f"« {labels.get(pk, pk)} »"

    entries = []
    entries += _diffs(
        ActionSheet,
        ActionSheet.history.filter(id=sheet.pk).select_related("history_user"),
        lambda r: f"Fiche {sheet.ref}",
    )
    entries += _diffs(
        Indicator,
        [r for r in historical_indicators if r.id in indicator_ids],
        lambda r: f"Indicateur {indicator_label(r.id)}",
    )
    entries += _diffs(
        Target,
        Target.history.filter(indicator_id__in=indicator_ids).select_related("history_user"),
        lambda r: f"{r.get_kind_display()} de l'indicateur {indicator_label(r.indicator_id)}",
    )
    entries += _diffs(
        Measurement,
        Measurement.history.filter(indicator_id__in=indicator_ids).select_related("history_user"),
        lambda r: f"Mesure du {r.date:%d/%m/%Y} de l'indicateur {indicator_label(r.indicator_id)}",
    )
    entries += _diffs(
        BudgetLine,
        BudgetLine.history.filter(sheet_id=sheet.pk).select_related("history_user"),
        lambda r: f"Ligne budgétaire « {r.label} »",
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
