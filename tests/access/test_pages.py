"""The public access pages on the demonstration's Charente: map and table agree, figures are the
population figures' own, pickers fall back, downloads, a commune's detail with booking links."""

import csv
import html
import io
import json
import re

import pytest
from django.db import transaction
from django.urls import reverse

from maillage import clock
from maillage.access import coverage, runs
from maillage.access.models import AccessRun
from maillage.territory.contours import point_count
from maillage.territory.models import Commune

pytestmark = pytest.mark.django_db

SHAPE = re.compile(
    r'<a href="[^"]*" aria-label="[^"]*" data-insee="(\d\w\d+)" data-classe="([^"]+)"'
)
ROW = re.compile(
    r'<tr data-insee="(\d\w\d+)">.*?<span class="acces-class__label">([^<]+)</span>', re.S
)
BROSSAC = "16066"


@pytest.fixture(scope="module")
def computed(charente, django_db_blocker):
    """The demonstration places and appointments, and one computation of two kinds, once per
    module, rolled back after it."""
    from maillage.appointments.demo import load_demo_appointments
    from maillage.organisations.referential import load_referential_organisations
    from maillage.places.demo import load_demo_places

    with django_db_blocker.unblock(), transaction.atomic():
        load_referential_organisations()
        list(load_demo_places())
        list(load_demo_appointments())
        run = AccessRun.objects.create(computed_on=clock.today(), kinds=["digital", "visio"])
        runs.access_run_execute(run)
        yield run
        transaction.set_rollback(True)


def classes(content: str, pattern) -> dict[str, str]:
    return {insee: html.unescape(label) for insee, label in pattern.findall(content)}


def test_map_and_table_give_every_commune_the_same_class(client, computed):
    for query in ("aide=visio", "aide=visio&mesure=rendez-vous", "aide=digital&mesure=attente"):
        content = client.get(reverse("access:map") + "?" + query).content.decode()
        on_map, in_table = classes(content, SHAPE), classes(content, ROW)
        assert len(on_map) == 359
        assert on_map == in_table


def test_the_figures_shown_are_the_population_figures(client, computed):
    figures = coverage.population_figures("visio", run=computed, min_half_days=6)
    content = client.get(reverse("access:map"), {"aide": "visio", "ouverture": "6"}).content
    content = content.decode()
    for share in figures.whole.shares:
        percent = f"{share.share * 100:.1f}".replace(".", ",")
        assert f"<td>{percent}\u00a0%</td>" in content
    assert "ouverts au moins 6 demi-journées" in content
    worst = figures.worst[0]
    assert reverse("access:commune", args=[worst.insee]) in content


def test_a_stricter_opening_never_brings_more_people_within_reach(client, computed):
    loose = coverage.population_figures("digital", run=computed)
    strict = coverage.population_figures("digital", run=computed, min_half_days=10)
    for a, b in zip(loose.whole.shares, strict.whole.shares, strict=True):
        assert b.population <= a.population


def test_wrong_pickers_fall_back_to_defaults(client, computed):
    response = client.get(
        reverse("access:map"),
        {"aide": "nope", "mesure": "rendez-vous", "ouverture": "abc", "delai": "-3"},
    )
    assert response.status_code == 200
    assert response.context["kind"].key == "digital"
    # the digital kind needs no appointment: the delay map is not offered
    assert response.context["measure"].key == "trajet"


def test_the_csv_has_one_line_per_commune_with_the_class_of_the_map(client, computed):
    response = client.get(reverse("access:export", args=["csv"]), {"aide": "visio"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 359
    brossac = next(r for r in rows if r["Code INSEE"] == BROSSAC)
    assert brossac["Lieu le plus proche"] == "Point Visio — mairie de Brossac"
    page = client.get(reverse("access:map"), {"aide": "visio"}).content.decode()
    assert classes(page, ROW)[BROSSAC] == brossac["Classe sur la carte"]


def test_the_epci_filter_narrows_the_table_and_the_download(client, computed):
    siren = Commune.objects.get(pk=BROSSAC).epci_id
    expected = Commune.objects.filter(epci_id=siren).count()
    response = client.get(reverse("access:map"), {"aide": "visio", "epci": siren})
    assert len(classes(response.content.decode(), ROW)) == expected
    text = client.get(reverse("access:export", args=["csv"]), {"epci": siren}).content
    assert len(text.decode().strip().splitlines()) == expected + 1


def test_the_geojson_has_lighter_contours_and_the_figures(client, computed):
    response = client.get(reverse("access:export", args=["geojson"]), {"aide": "visio"})
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    features = {f["properties"]["code_insee"]: f for f in collection["features"]}
    assert len(features) == 359
    brossac = features[BROSSAC]
    assert brossac["properties"]["lieu_proche"] == "Point Visio — mairie de Brossac"
    assert brossac["properties"]["trajet_min"] < 10
    stored = sum(point_count(c.contour) for c in Commune.objects.all())
    assert sum(point_count(f["geometry"]) for f in features.values()) < stored


def test_unknown_format_is_not_found(client, computed):
    assert client.get(reverse("access:export", args=["pdf"])).status_code == 404


def test_brossac_shows_its_point_visio_its_hours_and_where_to_book(client, computed):
    response = client.get(reverse("access:commune", args=[BROSSAC]), {"aide": "visio"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Point Visio — mairie de Brossac" in content
    assert "9 h – 12 h" in content  # its hours, in plain French
    assert "Attente de l'ouverture" in content and "Premier rendez-vous libre" in content
    links = re.findall(r'href="(/rendez-vous/motif/\d+/\?commune=Brossac[^"]*)"', content)
    assert links, "a link to the public booking page"
    booking = client.get(html.unescape(links[0]))
    assert booking.status_code == 200


def test_an_unknown_commune_is_not_found(client, computed):
    assert client.get(reverse("access:commune", args=["99999"])).status_code == 404


def test_the_map_is_in_the_menu_for_everyone(client, computed):
    content = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("access:map")}"' in content


def test_the_page_reads_a_fixed_number_of_queries(client, computed, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        client.get(reverse("access:map"), {"aide": "visio"})
    with django_assert_max_num_queries(40):
        client.get(reverse("access:commune", args=[BROSSAC]), {"aide": "visio"})


def test_the_sheets_it_serves_link_to_the_page(client, computed):
    from tests.plan.factories import ActionSheetFactory, PlanFactory

    plan = PlanFactory()
    for ref in ("Num05", "Num06", "Num08"):
        sheet = ActionSheetFactory(plan=plan, ref=ref)
        content = client.get(sheet.get_absolute_url()).content.decode()
        assert f'<a href="{reverse("access:map")}">Accès aux services numériques</a>' in content
    other = ActionSheetFactory(plan=plan, ref="Num10")
    seen_also = re.search(
        r"<p>Voir aussi les données publiques.*?</p>",
        client.get(other.get_absolute_url()).content.decode(),
    )
    assert seen_also and reverse("access:map") not in seen_also.group()  # broadband's only
    page = client.get(reverse("access:map")).content.decode()
    assert sheet.get_absolute_url() in page  # and back: Num08 from the access page


def test_the_api_gives_the_page_figures(client, computed):
    figures = coverage.population_figures("visio", run=computed, max_appointment_days=7)
    response = client.get("/api/acces", {"kind": "visio", "max_appointment_days": 7})
    assert response.status_code == 200
    data = response.json()
    assert data["kind_label"] == "Point Visio"
    assert [s["population"] for s in data["whole"]["shares"]] == [
        s.population for s in figures.whole.shares
    ]
    assert len(data["communes"]) == 359 and len(data["worst"]) == 20
    brossac = next(c for c in data["communes"] if c["insee"] == BROSSAC)
    assert brossac["place_name"] == "Point Visio — mairie de Brossac"
    unknown = client.get("/api/acces", {"kind": "nope"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["query", "kind"]
    not_computed = client.get("/api/acces", {"kind": "service-999"})
    assert not_computed.status_code == 200 and not_computed.json()["communes"] == []
