import pytest
from django.urls import reverse

from maillage.plan.models import Meeting

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_pilot_creates_edits_and_deletes_a_meeting(login, sheet08, pilot08):
    client = login(pilot08)
    plan = sheet08.plan
    response = client.post(
        reverse("plan:meeting_create", args=[plan.slug]),
        {
            "body": "cotech",
            "title": "Comité technique de mai",
            "starts_at": "2030-05-14T14:00",
            "ends_at": "2030-05-14T16:00",
            "location": "Angoulême",
            "agenda": "Bilan des indicateurs",
            "minutes": "",
            "decisions": "",
            "sheets": [sheet08.pk],
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert list(meeting.sheets.all()) == [sheet08]
    assert meeting.created_by == pilot08
    detail = client.get(response["Location"]).content.decode()
    assert "Bilan des indicateurs" in detail and "Num08" in detail
    client.post(reverse("plan:meeting_delete", args=[plan.slug, meeting.pk]))
    assert not Meeting.objects.exists()


def test_visitors_cannot_manage_meetings(client, login, user, plan):
    meeting = MeetingFactory(plan=plan)
    assert client.get(reverse("plan:meeting_create", args=[plan.slug])).status_code == 302
    assert login(user).get(reverse("plan:meeting_create", args=[plan.slug])).status_code == 403
    response = login(user).post(reverse("plan:meeting_delete", args=[plan.slug, meeting.pk]))
    assert response.status_code == 403
    assert client.get(reverse("plan:meeting_list", args=[plan.slug])).status_code == 200


def test_generate_meetings_from_sheet_rhythms(login, superuser, plan, sheet08):
    sheet08.governance_rhythm = [
        {"body": "copil", "months": [1, 6]},
        {"body": "Réseau Pdn", "months": ["février", "mai", "novembre"]},
    ]
    sheet08.save()
    response = login(superuser).post(
        reverse("plan:meetings_generate", args=[plan.slug]), {"year": 2031}
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(plan=plan).count() == 5
    assert all(list(m.sheets.all()) == [sheet08] for m in Meeting.objects.all())
