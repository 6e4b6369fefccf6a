"""Access figures in templates: `{% load access_tags %}` then `{{ share|percent }}`,
`{{ area.median_travel_minutes|minutes }}`, `{{ area.median_appointment_days|days }}`."""

from django import template

from maillage.access.measures import days_text, minutes_text
from maillage.web import french

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share from 0 to 1 as « 83,4 % »."""
    if share is None:
        return "—"
    return f"{french.number(round(share * 100, 1), 1)}\u00a0%"


@register.filter
def minutes(value: float | None) -> str:
    return minutes_text(value)


@register.filter
def days(value: float | None) -> str:
    return days_text(value)
