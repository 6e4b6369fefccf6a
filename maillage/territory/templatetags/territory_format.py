"""Formatting of territory figures the French way (352 683 habitants)."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value: int | None) -> str:
    """An integer with thousands separated, whatever USE_THOUSAND_SEPARATOR says."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)
