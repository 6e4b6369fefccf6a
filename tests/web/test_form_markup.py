"""A blank form whose markup never changes is rendered once per process, and is the same
markup as rendering its fields; anything bound or pre-filled is rendered every time."""

from django import forms
from django.core.cache import caches
from django.template import Context, Template

from maillage.appointments.forms import HomeVisitPersonForm, PersonForm

LOOP = Template('{% for field in form %}{% include "places/includes/field.html" %}{% endfor %}')
TAG = Template("{% load form_markup %}{{ form|fields_markup }}")


def _both(form) -> tuple[str, str]:
    return LOOP.render(Context({"form": form})), TAG.render(Context({"form": form}))


def test_blank_markup_is_kept_once_per_form_class_and_equals_the_fields(monkeypatch):
    caches["layout"].clear()
    for form_class in (PersonForm, HomeVisitPersonForm):
        loop, tag = _both(form_class())
        assert tag == loop and 'name="name"' in tag
    assert ('name="address"' in _both(HomeVisitPersonForm())[1]) and (
        'name="address"' not in _both(PersonForm())[1]
    )
    # Kept: the fields are no longer rendered for a blank form.
    monkeypatch.setattr(LOOP, "render", None)
    rendered = []
    original = forms.BoundField.__str__
    monkeypatch.setattr(
        forms.BoundField, "__str__", lambda self: rendered.append(self.name) or original(self)
    )
    assert 'name="phone"' in TAG.render(Context({"form": PersonForm()}))
    assert rendered == []


def test_bound_prefilled_or_prefixed_forms_are_rendered_every_time():
    caches["layout"].clear()
    TAG.render(Context({"form": PersonForm()}))  # the blank markup kept
    bound = PersonForm({"name": "Jeanne Martin", "phone": "", "email": ""})
    bound.is_valid()
    loop, tag = _both(bound)
    assert tag == loop and 'value="Jeanne Martin"' in tag
    assert "Indiquez un téléphone" not in tag  # a form-wide error: shown above the fields
    invalid = PersonForm({"name": "", "email": "pas-une-adresse"})
    invalid.is_valid()
    loop, tag = _both(invalid)
    assert tag == loop and "fr-input-group--error" in tag and 'value="pas-une-adresse"' in tag
    prefilled = PersonForm(initial={"name": "Paul"})
    assert _both(prefilled)[1] == _both(prefilled)[0] and 'value="Paul"' in _both(prefilled)[1]
    prefixed = PersonForm(prefix="inscription")
    assert 'name="inscription-name"' in _both(prefixed)[1]


def test_a_form_that_does_not_say_its_markup_is_static_is_rendered_every_time():
    class Dynamic(forms.Form):
        choice = forms.ChoiceField(choices=[("a", "A")])

    caches["layout"].clear()
    assert 'value="a"' in _both(Dynamic())[1]
    Dynamic.base_fields["choice"].choices = [("b", "B")]
    assert 'value="b"' in _both(Dynamic())[1]
