from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """A duration in whole minutes, rounded up (15 for 0:14:30)."""
    return -(-int(value.total_seconds()) // 60)
