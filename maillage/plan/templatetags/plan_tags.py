"""Formatting for the plan's pages: `{% load plan_tags %}` then `{{ value|num }}`,
`{{ measurement|provenance_text }}`. Filters only format what the view passes: an indicator's
binding and its current values come from `computed.binding_summary`, which the view calls."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def num(value) -> str:
    """A number as French readers write it: 1 234,5 (no exponent, no trailing zeros)."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    text = f"{value.normalize():f}"
    integer, _, fraction = text.partition(".")
    sign = "-" if integer.startswith("-") else ""
    integer = integer.lstrip("-")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + "\u202f".join(groups)
    return f"{result},{fraction}" if fraction else result


@register.filter
def provenance_text(measurement) -> str:
    """ "Personnes accompagnées, personnes distinctes, calculé le 1 mars 2026" for computed
    measurements; empty for the others."""
    provenance = measurement.provenance or {}
    if not provenance.get("source"):
        return ""
    from maillage.plan.labels import Counting

    parts = [provenance.get("label") or provenance["source"]]
    counting = provenance.get("counting")
    if counting in Counting.values:
        parts.append(Counting(counting).label.lower())
    if computed_at := provenance.get("computed_at"):
        when = dt.datetime.fromisoformat(computed_at)
        if timezone.is_aware(when):
            when = timezone.localtime(when)
        parts.append(f"calculé le {date_format(when, 'j F Y')}")
    return ", ".join(parts)
