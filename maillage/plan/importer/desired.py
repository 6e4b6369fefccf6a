"""What the document says about a sheet, in the models' terms: the sheet's fields, its scope,
and its rows keyed as the writer matches them with the stored ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from maillage.organisations.models import Organisation
from maillage.organisations.name_matching import (
    NameIndex,
    find_organisation_by_name,
    find_organisations_in_text,
)
from maillage.territory.names import normalise
from maillage.territory.scope import ScopeReader

from .. import labels
from ..labels import ActorRole, BudgetKind, Periodicity
from ..models import Plan
from ..sheet_parser import ParsedSheet
from .rows import SHEET_ROWS
from .validation import measurement_date

_DIMENSION_FIELDS = {label: name for name, label in labels.DIMENSIONS.items()}


class Lookups:
    """Lookups shared by every sheet of an import, built once."""

    def __init__(self, plan: Plan) -> None:
        self.names = NameIndex.build()
        self.organisation_names = {pk: o.name for pk, o in self.names.organisations.items()}
        self.territory = ScopeReader(plan.departement_code)

    def organisation(self, text: str) -> Organisation | None:
        """The organisation a name designates; None when unknown or when the text names
        several ("sources de subventions (Etat, Europe, Région)")."""
        if not text:
            return None
        exact = self.names.exact(text)
        if exact is not None:
            return exact
        if len(find_organisations_in_text(text, self.names)) > 1:
            return None
        return find_organisation_by_name(text, self.names)


def _rhythm(sheet: ParsedSheet) -> list[dict[str, Any]]:
    return [
        {
            "body": meeting.body,
            "times_per_year": meeting.times_per_year,
            "months": list(meeting.months),
            "text": meeting.text,
        }
        for meeting in sheet.governance_rhythm
    ]


def desired_values(sheet: ParsedSheet, *, plan: Plan, context: Lookups, end_line: int, source: str):
    """Everything the document says about `sheet`, in the models' terms."""
    level, epcis, communes = context.territory.infer(sheet.scope_text)
    fields = {
        "date": sheet.date,
        "theme": sheet.theme,
        "action": sheet.action,
        "sub_action": sheet.sub_action,
        "description": sheet.description,
        "scope_text": sheet.scope_text,
        "scope_level": level,
        "departement_code": plan.departement_code,
        "pilots_text": sheet.pilots_text,
        "partners_text": sheet.partners_text,
        "calendar_text": sheet.calendar_text,
        "indicators_text": sheet.indicators_text,
        "cost_text": sheet.cost_text,
        "cost_total": sheet.cost_total,
        "cost_notes": "\n".join(sheet.cost_notes),
        "funding_text": sheet.funding_text,
        "governance_rhythm": _rhythm(sheet),
        "source_line_start": sheet.line,
        "source_line_end": end_line,
    }
    for label, name in _DIMENSION_FIELDS.items():
        fields[name] = bool(sheet.dimensions.get(label, False))

    actors = []
    for role, parsed in ((ActorRole.PILOT, sheet.pilots), (ActorRole.PARTNER, sheet.partners)):
        for order, actor in enumerate(parsed):
            organisation = context.organisation(actor.name)
            actors.append(
                {
                    "role": str(role),
                    "name": actor.name,
                    "mission": actor.mission,
                    "organisation_id": organisation.pk if organisation else None,
                    "order": order,
                }
            )
    milestones = [
        {
            "label": milestone.label,
            "when_text": milestone.when_text,
            "date": milestone.date,
            "year": milestone.year,
            "month": milestone.month,
            "order": order,
        }
        for order, milestone in enumerate(sheet.milestones)
    ]
    budget_lines = [
        {
            "label": line.label or labels.IMPORT_DEFAULT_BUDGET_LABEL,
            "amount": line.amount,
            "periodicity": str(
                Periodicity.ANNUAL
                if line.per_year
                else Periodicity.CUMULATIVE
                if line.since_year
                else Periodicity.ONE_OFF
            ),
            "year": line.year,
            # An amount reckoned at a past date ("au 31/12/2016") has been spent.
            "kind": str(BudgetKind.ACTUAL if line.as_of else BudgetKind.PLANNED),
            "nature": line.kind,
            "note": line.note,
            "order": order,
        }
        for order, line in enumerate(sheet.budget_lines)
    ]
    fundings = []
    attached = set()
    for funder in sheet.funders:
        amounts = [a for a in sheet.funding_amounts if a.funder == funder]
        attached.update(id(a) for a in amounts)
        organisation = context.organisation(funder)
        fundings.append(
            {
                "funder_name": funder,
                "funder_id": organisation.pk if organisation else None,
                "amount": sum((a.amount for a in amounts), Decimal(0)) if amounts else None,
                "wording": "; ".join(a.raw for a in amounts),
            }
        )
    for amount in sheet.funding_amounts:
        if id(amount) in attached:
            continue
        organisation = context.organisation(amount.funder or "")
        fundings.append(
            {
                "funder_name": amount.funder or labels.IMPORT_UNKNOWN_FUNDER,
                "funder_id": organisation.pk if organisation else None,
                "amount": amount.amount,
                "wording": amount.raw,
            }
        )
    for order, funding in enumerate(fundings):
        funding["order"] = order
    key_figures = [
        {
            "value": figure.value,
            "comparator": figure.comparator,
            "unit": figure.unit,
            "per_year": figure.per_year,
            "year": figure.year,
            "context": figure.context,
            "raw": figure.raw,
            "source_field": figure.field,
            "source_line": figure.line,
            "order": order,
        }
        for order, figure in enumerate(sheet.key_figures)
    ]
    indicators = {}
    for order, indicator in enumerate(sheet.indicators):
        targets = {
            target.kind: {
                "kind": target.kind,
                "value": target.value,
                "comparator": target.comparator,
                "value_text": target.value_text,
                "date": target.date,
                "year": target.year,
                "end_year": target.end_year,
                "note": target.note,
            }
            for target in indicator.targets
        }
        measurements = {}
        for measurement in indicator.measurements:
            if measurement.value is None:
                continue
            when = measurement_date(measurement.year, sheet.date)
            measurements[when.isoformat()] = {
                "date": when,
                "value": measurement.value,
                "provenance": {"document": source, "line": measurement.line},
            }
        indicators[normalise(indicator.label)] = {
            "fields": {"label": indicator.label, "unit": indicator.unit, "order": order},
            "targets": targets,
            "measurements": measurements,
        }
    lists = {
        "actors": actors,
        "milestones": milestones,
        "budget_lines": budget_lines,
        "fundings": fundings,
        "key_figures": key_figures,
    }
    return {
        "sheet": fields,
        "scope": {"epcis": epcis, "communes": communes},
        **{rows.section: rows.keyed(lists[rows.section]) for rows in SHEET_ROWS},
        "indicators": indicators,
    }
