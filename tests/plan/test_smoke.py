import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_public_pages_render(client, sheet08, other_sheet):
    plan = sheet08.plan
    indicator = sheet08.indicators.get()
    for url in [
        reverse("plan:plan_list"),
        reverse("plan:plan_detail", args=[plan.slug]),
        reverse("plan:dashboard", args=[plan.slug]),
        reverse("plan:sheet_detail", args=[plan.slug, "Num08"]),
        reverse("plan:indicator_detail", args=[plan.slug, "Num08", indicator.pk]),
        reverse("plan:meeting_list", args=[plan.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
