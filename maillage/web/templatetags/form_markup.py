"""A form's fields in DSFR markup: `{% load form_markup %}` then `{{ form|fields_markup }}`.

Each field is `places/includes/field.html`. The busiest public forms (a booking's or a
workshop's « Vos coordonnées ») are shown blank far more often than anything else, and their
blank markup never changes: a form class that says so (`static_blank_markup = True`: no
choices read from the database) renders it once per process when it has no initial values
nor prefix, kept in the layout's cache (each process's memory, like the layout's fixed parts:
a deployment changes the markup with the code). A bound form, with the person's values and
errors, is rendered every time.
"""

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

FIELDS_TEMPLATE = "places/includes/form_fields.html"


@register.filter
def fields_markup(form) -> SafeString:
    if (
        form.is_bound
        or not getattr(form, "static_blank_markup", False)
        or form.initial
        or form.prefix
        or any(field.initial is not None for field in form.fields.values())
    ):
        return render_to_string(FIELDS_TEMPLATE, {"form": form})
    store = caches["layout"]
    key = f"blank-form:{type(form).__module__}.{type(form).__qualname__}"
    markup = store.get(key)
    if markup is None:
        markup = render_to_string(FIELDS_TEMPLATE, {"form": form})
        store.set(key, markup, timeout=None)
    return markup
