"""`{{ address|web_href }}`: a stored address written into `href` only if it is http(s)."""

from django import template

from maillage.web.validators import is_web_url

register = template.Library()


@register.filter
def web_href(value) -> str:
    """The address when it is http(s); otherwise nothing (the link then leads nowhere)."""
    return value if is_web_url(value) else ""
