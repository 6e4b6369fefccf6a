"""A viewer reads; they reach no edit page and no admin, even in the organisation that pilots a
sheet or runs a place."""

import pytest

from maillage.organisations.labels import Role
from tests.factories import MembershipFactory, UserFactory
from tests.plan.factories import MeetingFactory, PlanFactory, num08

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(organisation):
    plan = PlanFactory(slug="sdaasp-charente")
    sheet = num08(plan, organisation)
    viewer = UserFactory(email="lecteur@exemple.fr")
    MembershipFactory(user=viewer, organisation=organisation, role=Role.VIEWER)
    meeting = MeetingFactory(plan=plan)
    return plan, sheet, viewer, meeting


def test_viewer_reaches_no_edit_page(login, setting, organisation):
    plan, sheet, viewer, meeting = setting
    client = login(viewer)
    indicator = sheet.indicators.get()
    base = f"/schema/{plan.slug}"
    forbidden_get = [
        f"{base}/fiches/Num08/modifier/",
        f"{base}/mise-a-jour/",
        f"{base}/instances/nouvelle/",
        f"{base}/instances/{meeting.pk}/modifier/",
        f"/organisations/{organisation.slug}/modifier/",
        f"/organisations/{organisation.slug}/membres/",
    ]
    for url in forbidden_get:
        assert client.get(url).status_code == 403, url
    response = client.post(
        indicator.get_absolute_url(), {"value": "12", "date": "2020-01-01", "comment": ""}
    )
    assert response.status_code == 403
    assert not indicator.measurements.exists()
    # The public pages stay readable for them.
    assert client.get(f"{base}/fiches/Num08/").status_code == 200


def test_viewer_is_kept_out_of_the_admin(login, setting):
    _, _, viewer, _ = setting
    response = login(viewer).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
