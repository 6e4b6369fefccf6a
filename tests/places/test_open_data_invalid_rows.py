"""One bad row must not take the open data down: a place with an empty id made `lieux.csv`
and `lieux.json` answer 500 for everyone. The database now refuses the standard's required
fields empty, and a place invalid in another way (written around the model's rules) is left
out of every open-data format and reported to staff, the file still served."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from maillage.places import exchange
from maillage.places.models import Place
from tests.factories import UserFactory

from .factories import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field", ["standard_id", "pivot", "name", "commune_name", "postcode", "address"]
)
def test_the_database_refuses_a_place_without_a_required_field(field):
    place = PlaceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.filter(pk=place.pk).update(**{field: ""})


def test_the_model_refuses_it_before_the_database():
    place = PlaceFactory.build(standard_id="  ")
    place.standard_id = ""
    with pytest.raises(ValidationError) as error:
        place.full_clean(exclude=["organisation", "commune"])
    assert "standard_id" in error.value.message_dict


@pytest.fixture
def one_bad_place(charente):
    cache.delete(exchange.SKIPPED_CACHE_KEY)
    good = PlaceFactory(name="Bon lieu", commune_id="16028")
    bad = PlaceFactory(name="Lieu abîmé", commune_id="16028")
    Place.objects.filter(pk=bad.pk).update(pivot="12")  # around the model's validators
    return good, bad


@pytest.mark.parametrize("fmt", exchange.EXPORT_FORMATS)
def test_every_open_data_format_leaves_the_bad_place_out(client, one_bad_place, fmt):
    good, bad = one_bad_place
    response = client.get(reverse("places:open_data_export", args=[fmt]))
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert good.standard_id in body and bad.standard_id not in body
    if fmt == "csv":
        assert [r["id"] for r in csv.DictReader(io.StringIO(body))] == [good.standard_id]
    else:
        json.loads(body)
    report = exchange.last_skipped()
    assert report["format"] == fmt
    assert any(bad.standard_id in line and "pivot" in line for line in report["lines"])


def test_staff_see_what_was_left_out(client, login, one_bad_place):
    _good, bad = one_bad_place
    client.get(reverse("places:open_data_export", args=["csv"]))
    login(UserFactory(superuser=True))
    page = client.get(reverse("places:place_manage_list")).content.decode()
    assert "Lieux écartés de l'open data" in page and bad.standard_id in page


def test_a_clean_export_clears_the_report(client, one_bad_place):
    client.get(reverse("places:open_data_export", args=["json"]))
    Place.objects.filter(pk=one_bad_place[1].pk).update(pivot="43493312300029")
    client.get(reverse("places:open_data_export", args=["json"]))
    assert exchange.last_skipped() is None
