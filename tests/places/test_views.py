"""Public pages (find help, place page, call-back form, open data) and the back office."""

import datetime as dt
import html
import json
import re

import pytest
import time_machine
from django.urls import reverse

from maillage.organisations.labels import Role
from maillage.places.demo import load_demo_places
from maillage.places.labels import HelpNeed, HelpRequestStatus
from maillage.places.models import HelpRequest, Place
from maillage.places.standard import field_names
from tests.factories import OrganisationFactory

from .factories import HelpRequestFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


# A Monday morning, not a public holiday.
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(charente):
    from maillage.organisations.referential import load_referential_organisations

    load_referential_organisations()
    list(load_demo_places())


@time_machine.travel(MONDAY_10, tick=False)
def test_find_help_near_chalais_lists_nearest_places_without_javascript(client, demo):
    response = client.get(reverse("places:find_help"), {"q": "Chalais", "besoin": "procedure"})
    assert response.status_code == 200
    results = response.context["results"]
    assert results, "places expected near Chalais"
    assert results[0].place.commune_name == "Chalais"
    minutes = [r.trip.minutes for r in results]
    assert minutes == sorted(minutes)
    assert all("Aide aux démarches administratives" in r.place.services for r in results)
    page = text(response)
    assert "Lieux les plus proches de Chalais (16210)" in page
    assert "position approximative : centre de la commune" in page
    assert "min en voiture" in page
    assert 'id="carte-lieux-donnees"' in page and "leaflet/leaflet.js" in page
    script = re.search(
        r'id="carte-lieux-donnees" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    map_data = json.loads(script[1])
    assert len(map_data["places"]) == len(results)
    assert map_data["origin"]["label"] == "Chalais (16210)"


@time_machine.travel(MONDAY_10, tick=False)
def test_find_visio_with_an_operator(client, demo):
    from maillage.organisations.models import Organisation

    msa = Organisation.objects.get(slug="msa-des-charentes")
    response = client.get(
        reverse("places:find_help"), {"q": "16210", "need": "visio", "operator": msa.pk}
    )
    results = response.context["results"]
    assert results and all(r.place.offers_visio() for r in results)
    assert "Point Visio — mairie de Villefagnan" not in [r.place.name for r in results]  # closed


def test_unknown_commune_is_said_plainly(client, charente):
    response = client.get(reverse("places:find_help"), {"q": "Trifouilly", "besoin": "learn"})
    assert "Nous n'avons pas trouvé « Trifouilly »" in text(response)
    assert response.context["form"].errors


def test_find_help_page_without_query(client, db):
    response = client.get(reverse("places:find_help"))
    assert response.status_code == 200
    assert "leaflet.js" not in text(response)


@time_machine.travel(MONDAY_10, tick=False)
def test_place_page_shows_hours_open_now_and_week(client, charente):
    place = PlaceFactory(opening_hours="Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00")
    page = text(client.get(place.get_absolute_url()))
    assert "Ouvert en ce moment, jusqu'à 12 h" in page
    assert "Lundi 2 mars (aujourd'hui)" in page
    assert "9 h – 12 h, 14 h – 17 h 30" in page
    assert "Dimanche 8 mars" in page


def test_communes_geojson_is_light(client, charente):
    response = client.get(reverse("places:communes_geojson"))
    data = response.json()
    assert len(data["features"]) == 359
    assert len(response.content) < 450_000
    assert "max-age=86400" in response["Cache-Control"]


def test_open_data_exports(client, charente):
    PlaceFactory()
    csv_response = client.get(reverse("places:open_data_export", args=["csv"]))
    assert csv_response.content.decode().startswith(",".join(field_names()))
    for fmt in ("json", "geojson", "data-inclusion"):
        assert client.get(reverse("places:open_data_export", args=[fmt])).status_code == 200
    assert client.get(reverse("places:open_data_export", args=["xml"])).status_code == 404


# --- Help requests --------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "name": "Jeanne",
        "phone": "06 12 34 56 78",
        "email": "",
        "commune": "Chalais",
        "need": HelpNeed.DIGITAL,
        "preferred_times": ["morning"],
        "message": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_person_asks_to_be_called_back(client, charente):
    organisation = OrganisationFactory()
    near = PlaceFactory(
        name="Près",
        commune_id="16073",
        latitude=45.27,
        longitude=0.04,
        accepts_help_requests=True,
        organisation=organisation,
    )
    PlaceFactory(name="Loin", accepts_help_requests=True, organisation=organisation)
    response = client.post(reverse("places:help_request_create"), _form())
    assert response.status_code == 302
    request = HelpRequest.objects.get()
    assert request.place == near
    assert request.commune_id == "16073"
    assert request.status == HelpRequestStatus.NEW
    page = client.get(response["Location"]).content.decode()
    assert "Un médiateur de « Près » vous recontactera" in page


def test_help_request_form_errors_are_summarised_and_data_kept(client, charente):
    response = client.post(
        reverse("places:help_request_create"), _form(phone="", consent="", commune="Chal")
    )
    page = text(response)
    assert response.status_code == 200
    assert "Le formulaire contient" in page
    assert "Indiquez un numéro de téléphone ou une adresse électronique" in page
    assert "Cochez la case" in page
    assert 'value="Jeanne"' in page  # re-displayed
    assert not HelpRequest.objects.exists()


def test_help_request_queue_is_only_for_the_place_organisation(
    client, login, member, organisation, other_organisation, charente
):
    place = PlaceFactory(organisation=organisation, accepts_help_requests=True)
    request = HelpRequestFactory(place=place)
    mediator = member(Role.MEDIATOR)
    outsider = member(Role.MEDIATOR, organisation=other_organisation)
    viewer = member(Role.VIEWER)

    login(mediator)
    listing = client.get(reverse("places:help_request_list"))
    assert list(listing.context["help_requests"]) == [request]
    assert client.get(request.get_absolute_url()).status_code == 200
    export = client.get(reverse("places:help_request_list"), {"format": "csv"})
    assert "Jeanne D." in export.content.decode("utf-8-sig")

    login(outsider)
    assert list(client.get(reverse("places:help_request_list")).context["help_requests"]) == []
    assert client.get(request.get_absolute_url()).status_code == 404

    login(viewer)
    assert client.get(reverse("places:help_request_list")).status_code == 403

    client.logout()
    response = client.get(reverse("places:help_request_list"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_mediator_calls_back_assigns_and_resolves(client, login, member, organisation, charente):
    place = PlaceFactory(organisation=organisation, accepts_help_requests=True)
    request = HelpRequestFactory(place=place)
    mediator = member(Role.MEDIATOR)
    login(mediator)
    url = request.get_absolute_url()
    response = client.post(
        url,
        {
            "status": "called_back",
            "assigned_to": mediator.pk,
            "place": place.pk,
            "note": "Rappelée, RDV jeudi.",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == HelpRequestStatus.CALLED_BACK
    assert request.assigned_to == mediator
    event = request.events.last()
    assert "Rappelée, RDV jeudi." in event.note and event.user == mediator
    response = client.post(url, {"status": "new", "assigned_to": "", "place": place.pk})
    assert response.status_code == 200
    assert "ne peut pas passer à « Nouvelle »" in text(response)
    client.post(url, {"status": "resolved", "assigned_to": mediator.pk, "place": place.pk})
    request.refresh_from_db()
    assert request.status == HelpRequestStatus.RESOLVED and request.closed_at


# --- Places back office ---------------------------------------------------------------------


def _place_post(place: Place, **overrides) -> dict:
    data = {
        "name": place.name,
        "kind": place.kind,
        "organisation": place.organisation_id or "",
        "pivot": place.pivot,
        "address": place.address,
        "postcode": place.postcode,
        "commune": place.commune_id or "16028",
        "opening_hours": place.opening_hours,
        "services": place.services,
        "fees": place.fees,
        "visio_equipment_quality": "",
        "wheelchair_accessible": "unknown",
        "visio_closed_room": "unknown",
        "visio_trained_receptionist": "unknown",
    }
    data.update(overrides)
    return data


def test_only_the_running_organisation_mediators_and_admins_edit_a_place(
    client, login, member, organisation, other_organisation, charente, any_role
):
    place = PlaceFactory(organisation=organisation, commune_id="16028")
    login(member(any_role))
    response = client.get(reverse("places:place_edit", args=[place.pk]))
    allowed = any_role in {Role.ADMIN, Role.MEDIATOR}
    assert response.status_code == (200 if allowed else 403)
    if allowed and place.opening_hours:  # the code is explained in plain French beside it
        assert "Ce que le public lira" in response.content.decode()
    login(member(any_role, organisation=other_organisation))
    assert client.get(reverse("places:place_edit", args=[place.pk])).status_code == 403


def test_edit_place_validates_opening_hours_in_french(
    client, login, member, organisation, charente
):
    place = PlaceFactory(organisation=organisation, commune_id="16028")
    login(member(Role.MEDIATOR))
    url = reverse("places:place_edit", args=[place.pk])
    response = client.post(url, _place_post(place, opening_hours="lundi 9h-12h"))
    assert response.status_code == 200
    assert "Horaires non reconnus" in text(response)
    response = client.post(
        url, _place_post(place, opening_hours="Mo 09:00-12:00", name="Nouveau nom")
    )
    assert response.status_code == 302, response.context["form"].errors
    place.refresh_from_db()
    assert place.name == "Nouveau nom" and place.opening_hours == "Mo 09:00-12:00"


def test_place_list_is_filtered_and_exported(client, login, member, organisation, charente):
    PlaceFactory(organisation=organisation, name="Médiathèque A", library=True)
    PlaceFactory(organisation=organisation, name="Point Visio B", point_visio=True)
    PlaceFactory(name="Ailleurs")
    login(member(Role.ADMIN))
    response = client.get(reverse("places:place_manage_list"), {"type": "library"})
    assert [p.name for p in response.context["places"]] == ["Médiathèque A"]
    export = client.get(
        reverse("places:place_manage_list"), {"kind": "point_visio", "export": "csv"}
    )
    text = export.content.decode("utf-8-sig")
    assert "Point Visio B" in text and "Médiathèque A" not in text and "Ailleurs" not in text


def test_create_place(client, login, member, organisation, charente):
    login(member(Role.ADMIN))
    data = _place_post(
        PlaceFactory.build(organisation=organisation), name="Nouvel EPN", commune="16073"
    )
    response = client.post(reverse("places:place_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    place = Place.objects.get(name="Nouvel EPN")
    assert place.commune_name == "Chalais" and place.insee_code == "16073"
    assert place.organisation == organisation


def test_help_request_commune_must_be_one(client, charente):
    response = client.post(reverse("places:help_request_create"), _form(commune="16300"))
    assert "Plusieurs communes correspondent" in text(response)
    assert "Barbezieux-Saint-Hilaire (16300)" in text(response)
    response = client.post(reverse("places:help_request_create"), _form(commune="Trifouilly"))
    assert "Commune introuvable" in text(response)
    response = client.post(reverse("places:help_request_create"), _form(commune="st severin"))
    assert response.status_code == 302
    assert HelpRequest.objects.get().commune_id == "16350"


def test_a_request_moves_to_the_places_the_routing_rule_would_choose(
    client, login, member, organisation, other_organisation, charente
):
    """The transfer list follows `help_request_candidates`: every open place of an organisation
    taking call-backs that answers the need, not only the places with the box ticked."""
    taking = PlaceFactory(organisation=organisation, accepts_help_requests=True, name="Chalais")
    sister = PlaceFactory(organisation=organisation, name="Brossac")
    elsewhere = PlaceFactory(organisation=other_organisation, name="Mairie de Passirac")
    request = HelpRequestFactory(place=taking)
    login(member(Role.MEDIATOR))
    form = client.get(request.get_absolute_url()).context["form"]
    choices = set(form.fields["place"].queryset)
    assert {taking, sister} <= choices
    assert elsewhere not in choices


def test_help_request_export_keeps_its_old_parameter(client, login, member, organisation, charente):
    """`?format=csv` everywhere; `?export=csv` (the list's old name) still answers."""
    place = PlaceFactory(organisation=organisation, accepts_help_requests=True)
    HelpRequestFactory(place=place)
    login(member(Role.MEDIATOR))
    url = reverse("places:help_request_list")
    for query in ({"format": "csv"}, {"export": "csv"}):
        assert "Jeanne D." in client.get(url, query).content.decode("utf-8-sig")
    page = client.get(url).content.decode()
    assert "format=csv" in page and "export=" not in page
