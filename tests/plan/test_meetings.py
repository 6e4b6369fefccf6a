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
    delete_url = reverse("plan:meeting_delete", args=[plan.slug, meeting.pk])
    confirmation = client.get(delete_url).content.decode()
    assert "Cette suppression est définitive" in confirmation and "Num08" in confirmation
    assert Meeting.objects.exists()  # asking is not deleting
    client.post(delete_url)
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


def test_a_pilot_manages_only_the_meetings_of_the_sheets_they_pilot(
    login, plan, sheet08, pilot08, other_sheet, pilot_other
):
    """A Num08 pilot cannot edit or delete Num02's steering committee (here Num01's), nor
    a meeting of the whole plan, nor attach a meeting to a sheet they do not pilot."""
    from maillage.organisations import permissions

    copil = MeetingFactory(plan=plan, title="Copil de la fiche Num01")
    copil.sheets.set([other_sheet])
    whole_plan = MeetingFactory(plan=plan, title="Copil du schéma")
    own = MeetingFactory(plan=plan, title="Cotech Num08")
    own.sheets.set([sheet08])
    client = login(pilot08)
    for meeting in (copil, whole_plan):
        assert not permissions.can_manage_meeting(pilot08, meeting)
        for name in ("plan:meeting_delete", "plan:meeting_edit"):
            url = reverse(name, args=[plan.slug, meeting.pk])
            assert client.get(url).status_code == 403
            assert client.post(url, {"title": "pris"}).status_code == 403
        detail = client.get(reverse("plan:meeting_detail", args=[plan.slug, meeting.pk]))
        assert "Supprimer" not in detail.content.decode()
    assert Meeting.objects.filter(pk__in=[copil.pk, whole_plan.pk]).count() == 2
    assert permissions.can_manage_meeting(pilot08, own)
    assert permissions.can_manage_meeting(pilot_other, copil)
    form = {
        "body": "cotech",
        "title": "Réunion",
        "starts_at": "2030-05-14T14:00",
        "sheets": [other_sheet.pk],
    }
    create = client.post(reverse("plan:meeting_create", args=[plan.slug]), form)
    assert create.status_code == 200 and Meeting.objects.count() == 3  # not a choice offered
    create = client.post(reverse("plan:meeting_create", args=[plan.slug]), {**form, "sheets": []})
    assert create.status_code == 200 and Meeting.objects.count() == 3  # one sheet at least
