"""Every web address Maillage keeps is http(s): a `javascript:` website was stored through the
place form and `import-places`, then rendered as a live link on the public place page.

The class of fault is closed where it starts (one validator on every model's URL field, their
form field, the importers that validate the model) and where it ends (links written through
`web_href`). Walking every model means a new `URLField` cannot forget the rule.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Context, Template
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maillage.organisations.labels import Role
from maillage.places.models import Place
from maillage.web.validators import (
    WebURLField,
    WebURLFormField,
    is_web_url,
    validate_http_url,
    validate_http_url_list,
)
from tests.places.factories import PlaceFactory
from tests.places.test_views import _place_post

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://exemple.fr/fichier",
    "file:///etc/passwd",
]

hostile_url = st.one_of(
    st.sampled_from(HOSTILE_URLS),
    st.builds(
        lambda scheme, rest: f"{scheme}:{rest}",
        st.sampled_from(["javascript", "data", "vbscript", "ftp", "mailto", "tel", "blob"]).map(
            lambda scheme: "".join(c.upper() if i % 2 else c for i, c in enumerate(scheme))
        ),
        st.text(max_size=40),
    ),
)


def _model_url_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.URLField):
                yield model, field


def _model_url_lists():
    """JSON lists of addresses: named so (`websites`, `…_urls`)."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.JSONField) and (
                "website" in field.name or "url" in field.name
            ):
                yield model, field


def test_every_url_field_of_every_model_is_http_only():
    """Maillage's models use `WebURLField`; a library's models (django-dsfr's settings) are
    edited only in the admin, which gets the rule (the admin test below)."""
    fields = [(m, f) for m, f in _model_url_fields() if m.__module__.startswith("maillage.")]
    assert len(fields) >= 5
    plain = [f"{m._meta.label}.{f.name}" for m, f in fields if not isinstance(f, WebURLField)]
    assert not plain, f"Use maillage.web.validators.WebURLField for {plain}"
    for model, field in fields:
        for url in HOSTILE_URLS:
            with pytest.raises(ValidationError):
                field.clean(url, model())
            with pytest.raises(ValidationError):
                field.formfield().clean(url)
        assert field.clean("https://www.exemple.fr/", model()) == "https://www.exemple.fr/"
        # Typed without a scheme: https, without Django 5.2's deprecation warning (an error here).
        assert field.formfield().clean("www.exemple.fr") == "https://www.exemple.fr"


def test_every_list_of_addresses_is_validated():
    lists = list(_model_url_lists())
    assert [f"{m._meta.label}.{f.name}" for m, f in lists] == ["places.Place.websites"]
    for model, field in lists:
        assert validate_http_url_list in field.validators, f"{model._meta.label}.{field.name}"
        with pytest.raises(ValidationError):
            field.clean(["https://exemple.fr/", "javascript:alert(1)"], model())


@given(hostile_url)
def test_no_hostile_address_passes_the_validator(url):
    with pytest.raises(ValidationError):
        validate_http_url(url)
    with pytest.raises(ValidationError):
        validate_http_url_list([url])
    with pytest.raises(ValidationError):
        WebURLFormField(assume_scheme="https").clean(url)


@given(st.one_of(hostile_url, st.text(max_size=60)))
def test_rendered_links_are_never_anything_but_http(value):
    rendered = Template('{% load links %}<a href="{{ value|web_href }}">').render(
        Context({"value": value})
    )
    href = rendered[len('<a href="') : -len('">')]
    assert href == "" or href.lower().startswith(("http:", "https:"))
    assert is_web_url(href) or href == ""


@pytest.mark.django_db
def test_a_place_form_refuses_a_javascript_website(client, login, member, organisation, charente):
    place = PlaceFactory(organisation=organisation, commune_id="16028")
    login(member(Role.MEDIATOR))
    url = reverse("places:place_edit", args=[place.pk])
    for field, value in [
        ("websites", "https://exemple.fr/\njavascript:alert(1)"),
        ("booking_url", "javascript:alert(1)"),
        ("acceslibre_url", "data:text/html,x"),
    ]:
        response = client.post(url, _place_post(place, **{field: value}))
        assert response.status_code == 200
        assert field in response.context["form"].errors
    place.refresh_from_db()
    assert place.websites == [] and place.booking_url == "" and place.acceslibre_url == ""


@pytest.mark.django_db
def test_a_stored_hostile_address_is_not_rendered_as_a_link(client, charente):
    """A row older than the rule (or written around it) still cannot make a live link."""
    place = PlaceFactory(commune_id="16028")
    Place.objects.filter(pk=place.pk).update(
        websites=["javascript:alert(1)"], booking_url="javascript:alert(2)"
    )
    page = client.get(place.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in page.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", sorted({m for m, _ in _model_url_fields()}, key=lambda m: m._meta.label)
)
def test_admin_forms_with_an_address_open_without_warning(model, admin_client, admin_user, rf):
    """Django 5.2 warns (an error here) when a URL form field has no `assume_scheme`; the
    admin builds its fields from the model's, so it gets the http(s) rule too."""
    from django.contrib import admin

    model_admin = admin.site._registry.get(model)
    if model_admin is None:  # edited inline in its parent's page (online presences)
        model_admin = next(
            inline(parent, admin.site)
            for parent, registered in admin.site._registry.items()
            for inline in registered.inlines
            if inline.model is model
        )
    request = rf.get("/admin/")
    request.user = admin_user
    for _model, field in (pair for pair in _model_url_fields() if pair[0] is model):
        form_field = model_admin.formfield_for_dbfield(field, request)
        assert isinstance(form_field, WebURLFormField)
        assert form_field.clean("www.exemple.fr") == "https://www.exemple.fr"
    if model in admin.site._registry and model_admin.has_add_permission(request):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert admin_client.get(url).status_code == 200
