from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """A duration in whole minutes, rounded up (15 for 0:14:30)."""
    return -(-int(value.total_seconds()) // 60)


@register.filter
def may_open(user, url_name: str) -> bool:
    """Whether `user` may open the page named `url_name` (a page without a record in its
    address), as its guard in `permissions/routes.py` decides: `{% if user|may_open:"x:y" %}`
    shows a link only to those it lets in."""
    from maillage.organisations.permissions import routes

    return routes.ROUTES[url_name].get.decide(user) == routes.ALLOWED
