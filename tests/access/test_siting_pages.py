"""A pilot's siting pages: create a scenario (computed at once in tests), read its result with
the before/after maps, compare, export the PDF; CSV lists with errors keep nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.access.models import SitingScenario
from maillage.organisations.labels import Role
from tests.conftest import logged_in
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(client, demo):
    membership = MembershipFactory(organisation=OrganisationFactory(), role=Role.PILOT)
    logged_in(client, membership.user)
    return membership


def _create(client, django_capture_on_commit_callbacks, **fields):
    data = {
        "name": "Visio, 4 points",
        "kind": "visio",
        "objective": "coverage",
        "k": 4,
        "minutes": 15,
        "candidates": "communes",
        "opening_hours": "",
        **fields,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("access:siting_create"), data)


def test_pilot_builds_reads_compares_and_exports_a_scenario(
    client, pilot, django_capture_on_commit_callbacks
):
    data = {"organisation": pilot.organisation.pk}
    response = _create(client, django_capture_on_commit_callbacks, **data)
    scenario = SitingScenario.objects.get()
    assert response.status_code == 302 and response.url == scenario.get_absolute_url()
    assert scenario.organisation == pilot.organisation and scenario.created_by == pilot.user
    assert scenario.is_done and scenario.result["proven_optimal"]

    page = client.get(scenario.get_absolute_url()).content.decode()
    assert "Avant / après" in page and page.count("<svg") >= 2
    assert "optimum prouvé" in page
    assert "Communes encore à plus de 15 min" in page
    for site in scenario.result["new_sites"]:
        assert site["name"] in page

    _create(
        client,
        django_capture_on_commit_callbacks,
        name="Visio p-médiane",
        objective="median",
        **data,
    )
    ids = list(SitingScenario.objects.values_list("pk", flat=True))
    compared = client.get(reverse("access:siting_compare"), {"s": ids}).content.decode()
    assert "Visio, 4 points" in compared and "Visio p-médiane" in compared
    assert "Nouvellement couverts" in compared

    pdf = client.get(reverse("access:siting_pdf", args=[scenario.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    listing = client.get(reverse("access:siting_list")).content.decode()
    assert "Visio, 4 points" in listing


def test_a_csv_list_with_errors_keeps_nothing_and_says_each_line(
    client, pilot, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("sites.csv", b"nom;code_insee\nMairie;16066\n;16999\n", "text/csv")
    response = _create(
        client,
        django_capture_on_commit_callbacks,
        organisation=pilot.organisation.pk,
        candidates="file",
        candidate_file=upload,
    )
    assert response.status_code == 200 and not SitingScenario.objects.exists()
    page = response.content.decode()
    assert "Ligne 3 : le nom est vide ; code INSEE inconnu « 16999 »." in page
    assert "rien n&#x27;a été gardé" in page or "rien n'a été gardé" in page


def test_another_organisation_cannot_see_the_scenario(
    client, pilot, django_capture_on_commit_callbacks
):
    _create(client, django_capture_on_commit_callbacks, organisation=pilot.organisation.pk)
    scenario = SitingScenario.objects.get()
    outsider = MembershipFactory(organisation=OrganisationFactory(), role=Role.PILOT)
    logged_in(client, outsider.user)
    assert client.get(scenario.get_absolute_url()).status_code == 404
    assert client.get(reverse("access:siting_compare"), {"s": [scenario.pk]}).status_code == 200
    assert scenario.name not in client.get(reverse("access:siting_list")).content.decode()
