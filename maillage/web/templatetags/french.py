"""French wording in templates: `{% load french %}` then `{{ commune.name|de }}`,
`{{ place.city|a }}`, `{{ fee|euros }}`, `{{ population|number }}`, `{{ starts_at|hour }}`."""

import datetime as dt

from django import template
from django.utils import timezone

from maillage.web import french

register = template.Library()

register.filter("de", french.de)
register.filter("a", french.a)
register.filter("euros", french.euros)


@register.filter
def number(value, decimals=None):
    return french.number(value, None if decimals is None else int(decimals))


@register.filter
def hour(value):
    """Local time of an aware datetime (or a plain time) as « 9 h 00 »."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return french.hour(value)
