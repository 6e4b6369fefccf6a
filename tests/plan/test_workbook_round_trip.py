"""The plan's workbook, exported then uploaded unchanged, changes nothing and reports no error
(the shipped Charente plan, with its text targets such as Num10's, and the demo values)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from maillage.plan.models import BulkUpdate, Plan

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def seed_plan(settings):
    from maillage.plan.demo import load_demo_measurements

    settings.MAILLAGE_DEMO_ACCOUNTS = True
    call_command("load_referential", verbosity=0)
    list(load_demo_measurements())
    return Plan.objects.get(slug="sdaasp-charente")


def _upload(client, plan, content: bytes):
    return client.post(
        reverse("plan:bulk_update_upload", args=[plan.slug]),
        {"file": SimpleUploadedFile("schema.xlsx", content, content_type=XLSX)},
    )


def test_exported_workbook_uploaded_unchanged_says_no_change(login, superuser, seed_plan):
    client = login(superuser)
    exported = client.get(reverse("plan:plan_export", args=[seed_plan.slug, "schema", "xlsx"]))
    assert exported.status_code == 200
    # As downloaded, and as a spreadsheet program saves it back without an edit.
    workbook = load_workbook(io.BytesIO(exported.content))
    resaved = io.BytesIO()
    workbook.save(resaved)
    for content in (exported.content, resaved.getvalue()):
        response = _upload(client, seed_plan, content)
        assert response.status_code == 302
        update = BulkUpdate.objects.latest("pk")
        assert update.errors == []
        assert update.changes == []
        preview = client.get(response["Location"]).content.decode()
        assert "Aucun changement" in preview and "rien à appliquer" in preview
