"""Slot buttons in templates: `{% load slot_tags %}` then `{{ day|slot_buttons:form_id }}`."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def slot_buttons(day: dict, form_id: str) -> SafeString:
    """One day's slot buttons (`slot_lists.group_by_day`), each a submit button of the form
    `form_id`. Written here in one pass: a page shows hundreds of them, and a template loop
    resolving and escaping four variables per button was most of the page's rendering. The
    posted values and times are made of digits and punctuation; the accessible name's end is
    escaped by `group_by_day`."""
    form = escape(form_id)
    name_end = day["name_end"]
    return mark_safe(
        "".join(
            f'<li><button class="fr-btn fr-btn--secondary" type="submit" name="slot" '
            f'value="{value}" form="{form}" aria-label="{hour}{name_end}">{hour}</button></li>'
            for value, hour in day["buttons"]
        )
    )
