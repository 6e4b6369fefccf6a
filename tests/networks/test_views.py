"""The network's pages: who reaches what, the forms end to end, exports and query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from maillage import clock
from maillage.networks.labels import MemberStatus, Presence
from maillage.networks.models import Member, MonthlyReturn, OnlinePresence, TrainingAttendance
from maillage.organisations.labels import Role
from tests.factories import OrganisationFactory
from tests.plan.factories import ActionSheetFactory, MeetingFactory

from .factories import MemberFactory, MonthlyReturnFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)


def url(name, network, *args):
    return reverse(f"networks:{name}", args=[network.slug, *args])


@pytest.fixture
def steering_pilot(member, network):
    caf = OrganisationFactory(name="Caf de test")
    network.steering_organisations.add(caf)
    return member(Role.PILOT, organisation=caf)


def test_coordinator_registers_a_member_with_a_new_structure(login, network, coordinator, communes):
    client = login(coordinator)
    with clock.travel(NOW):
        response = client.post(
            url("member_create", network),
            {
                "first_name": "Léa",
                "last_name": "Vasseur",
                "job": "youth_worker",
                "email": "lea@csc.fr",
                "new_structure": "Centre social de Soyaux",
                "new_structure_kind": "association",
                "new_structure_commune": "Soyaux",
                "communes": "Soyaux\nAngoulême",
                "audiences": ["11_14", "15_17"],
                "status": "in_training",
                "status_on": "2026-03-02",
            },
        )
    member = Member.objects.get()
    assert response.status_code == 302 and response.url == member.get_absolute_url()
    assert member.organisation.name == "Centre social de Soyaux"
    assert member.organisation.commune_insee == "16374"
    assert set(member.communes.values_list("name", flat=True)) == {"Soyaux", "Angoulême"}
    assert member.audiences == ["11_14", "15_17"] and member.status_since == dt.date(2026, 3, 2)


def test_editing_a_member_logs_what_changed_and_unlinks_the_old_account(
    login, network, coordinator, user
):
    member = MemberFactory(network=network, user=user, email=user.email, job_title="Animatrice")
    response = login(coordinator).post(
        url("member_edit", network, member.pk),
        {
            "first_name": member.first_name,
            "last_name": member.last_name,
            "job": member.job,
            "job_title": "Coordinatrice jeunesse",
            "email": "nouvelle@mjc.fr",
            "organisation": member.organisation.pk,
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.job_title == "Coordinatrice jeunesse" and member.user is None
    log = member.logs.get(action="updated")
    assert log.detail == {"fields": ["email", "job_title"]}


def test_a_bad_form_is_shown_again_with_the_data_and_french_errors(login, network, coordinator):
    response = login(coordinator).post(
        url("member_create", network),
        {
            "first_name": "Léa",
            "email": "pas-une-adresse",
            "communes": "Atlantide",
            "status": "active",
        },
    )
    assert response.status_code == 200 and not Member.objects.exists()
    html = response.content.decode()
    assert 'value="Léa"' in html
    assert "Choisissez la structure ou nommez-en une nouvelle." in html
    assert "Commune introuvable ou ambiguë : « Atlantide »" in html
    assert "Saisissez une adresse de courriel valide." in html


def test_steering_pilots_read_but_never_write(login, network, steering_pilot):
    member = MemberFactory(network=network)
    session = TrainingSessionFactory(network=network)
    client = login(steering_pilot)
    for name, args in [
        ("home", []),
        ("member_list", []),
        ("member_detail", [member.pk]),
        ("training_list", []),
        ("training_detail", [session.pk]),
        ("return_list", []),
        ("meeting_list", []),
    ]:
        assert client.get(url(name, network, *args)).status_code == 200, name
    for name, args in [
        ("member_create", []),
        ("network_settings", []),
        ("member_edit", [member.pk]),
        ("member_publication", [member.pk]),
        ("member_return", [member.pk]),
        ("member_erase", [member.pk]),
        ("training_create", []),
        ("return_import", []),
        ("return_template", []),
    ]:
        assert client.get(url(name, network, *args)).status_code == 403, name
    for name, args in [
        ("member_status", [member.pk]),
        ("member_status_undo", [member.pk]),
        ("reminders_send", []),
        ("training_detail", [session.pk]),
    ]:
        assert client.post(url(name, network, *args), {}).status_code == 403, name
    assert b"Inscrire un membre" not in client.get(url("home", network)).content


def test_people_outside_the_network_get_404(login, network, member):
    for role in (Role.PILOT, Role.NETWORK_COORDINATOR, Role.VIEWER):
        client = login(member(role, organisation=OrganisationFactory()))
        assert client.get(url("home", network)).status_code == 404
        assert client.get(url("member_list", network)).status_code == 404


def test_the_member_sends_their_return_from_their_space(client, login, network, user):
    MemberFactory(network=network, user=user, history=[(MemberStatus.ACTIVE, dt.date(2025, 1, 1))])
    member_client = login(user)
    with clock.travel(NOW):
        space = member_client.get(reverse("networks:my_space"))
        assert "Envoyer mon bilan de février 2026" in space.content.decode()
        form = member_client.get(reverse("networks:my_return"), {"mois": "2026-02"})
        assert form.status_code == 200
        response = member_client.post(
            reverse("networks:my_return"),
            {"month": "2026-02", "channel_instagram": "6", "subject_school": "2", "follow_ups": ""},
        )
    assert response.status_code == 302 and response.url == reverse("networks:my_space")
    sent = MonthlyReturn.objects.get()
    assert (sent.month, sent.follow_ups, sent.submitted_by) == (dt.date(2026, 2, 1), 0, user)
    with clock.travel(NOW):
        bad = member_client.post(
            reverse("networks:my_return"), {"month": "2026-02", "channel_instagram": "-2"}
        )
    assert bad.status_code == 200 and 'value="-2"' in bad.content.decode()
    assert MonthlyReturn.objects.get().counts.get(code="instagram").count == 6


def test_the_coordinator_sets_the_counting_rule(
    login, network, coordinator, django_capture_on_commit_callbacks
):
    from maillage.plan.computed import bind_seed_indicators
    from maillage.plan.models import Measurement
    from tests.plan.factories import IndicatorFactory

    sheet = ActionSheetFactory(ref="Num02")
    pnd = IndicatorFactory(sheet=sheet, label="Nombre de Pnd")
    bind_seed_indicators(sheet.plan)
    MemberFactory(network=network)  # active, not trained
    client = login(coordinator)
    assert Member.objects.active_on(dt.date(2026, 1, 1)).count() == 0
    response = client.post(
        url("network_settings", network),
        {"description": "Le réseau", "network_meetings_per_year": "3", "reminder_day": "40"},
    )
    assert response.status_code == 200 and "inférieure ou égale à 28" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("network_settings", network),
            {"description": "Le réseau", "network_meetings_per_year": "4", "reminder_day": "10"},
        )
    assert response.status_code == 302
    network.refresh_from_db()
    assert not network.active_requires_initial_training and network.reminder_day == 10
    assert Member.objects.active_on(dt.date(2026, 1, 1)).count() == 1
    assert Measurement.objects.get(indicator=pnd).value == 1  # recomputed with the new rule


def test_a_person_without_a_member_record_has_no_member_space(login, user):
    assert login(user).get(reverse("networks:my_space")).status_code == 404


def test_the_member_chooses_what_to_publish(login, network, user):
    member = MemberFactory(network=network, user=user)
    client = login(user)
    form = {
        "accord-publish_name": "on",
        "presence-TOTAL_FORMS": "2",
        "presence-INITIAL_FORMS": "0",
        "presence-0-platform": "instagram",
        "presence-0-handle": "@pdn.lea",
        "presence-0-url": "javascript:alert(1)",
        "presence-0-public": "on",
        "presence-1-platform": "",
    }
    refused = client.post(reverse("networks:my_publication"), form)
    assert refused.status_code == 200 and not OnlinePresence.objects.exists()
    assert "Saisissez une URL valide." in refused.content.decode()
    form["presence-0-url"] = "ftp://exemple.fr/page"
    refused = client.post(reverse("networks:my_publication"), form)
    assert "Saisissez une URL valide." in refused.content.decode()
    assert 'value="@pdn.lea"' in refused.content.decode()  # the data stays
    assert not OnlinePresence.objects.exists()
    form["presence-0-url"] = "instagram.com/pdn.lea"
    assert client.post(reverse("networks:my_publication"), form).status_code == 302
    member.refresh_from_db()
    presence = member.presences.get()
    assert member.publish_name and not member.publish_contact
    assert (presence.url, presence.public) == ("https://instagram.com/pdn.lea", True)


def test_coordinator_records_status_training_and_meeting(login, network, coordinator):
    member = MemberFactory(
        network=network, history=[(MemberStatus.IN_TRAINING, dt.date(2026, 1, 5))]
    )
    session = TrainingSessionFactory(network=network, starts_on=dt.date(2026, 2, 2))
    sheet = ActionSheetFactory(ref="Num02")
    network.sheet = sheet
    network.save()
    meeting = MeetingFactory(
        plan=sheet.plan, body="network", starts_at=dt.datetime(2026, 2, 10, 13, tzinfo=dt.UTC)
    )
    meeting.sheets.set([sheet])
    client = login(coordinator)
    with clock.travel(NOW):
        client.post(
            url("training_detail", network, session.pk),
            {f"member_{member.pk}": Presence.PRESENT},
        )
        client.post(
            url("member_status", network, member.pk),
            {"status": "active", "effective_on": "2026-02-04"},
        )
        client.post(
            reverse("networks:meeting_detail", args=[meeting.pk]),
            {f"member_{member.pk}": Presence.PRESENT, "minutes": "Tour de table", "decisions": ""},
        )
        member.refresh_from_db()
        assert member.counts_as_active_on(clock.today())
        assert TrainingAttendance.objects.get().presence == Presence.PRESENT
        meeting.refresh_from_db()
        assert meeting.minutes == "Tour de table"
        page = client.get(url("meeting_list", network)).content.decode()
        assert "1 / 3" in page


def test_import_page_refuses_a_bad_file_and_accepts_a_good_one(login, network, coordinator):
    MemberFactory(network=network, email="lea@csc.fr")
    client = login(coordinator)
    bad = SimpleUploadedFile(
        "bilans.csv", b"courriel;mois;contacts_instagram\nlea@csc.fr;2026-02;beaucoup\n"
    )
    with clock.travel(NOW):
        response = client.post(url("return_import", network), {"file": bad})
    text = response.content.decode()
    assert "rien n'a été enregistré" in text and "ligne 2, champ contacts_instagram" in text
    assert not MonthlyReturn.objects.exists()
    good = SimpleUploadedFile(
        "bilans.csv", b"courriel;mois;contacts_instagram\nlea@csc.fr;2026-02;8\n"
    )
    with clock.travel(NOW):
        response = client.post(url("return_import", network), {"file": good})
    assert response.status_code == 302 and MonthlyReturn.objects.count() == 1


@pytest.mark.parametrize("name", ["member_list", "return_list", "training_list", "meeting_list"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_list_exports(login, network, coordinator, name, fmt):
    member = MemberFactory(network=network, last_name="=HYPERLINK(1)")
    MonthlyReturnFactory(member=member, contacts={"instagram": 3})
    TrainingSessionFactory(network=network)
    response = login(coordinator).get(url(name, network), {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "xlsx":
        import io

        # The text is kept as typed, in a text cell: never a formula.
        cells = [c for row in load_workbook(io.BytesIO(response.content)).active for c in row]
        if name == "member_list":
            assert "=HYPERLINK(1)" in [c.value for c in cells]
        assert not any(c.data_type == "f" for c in cells)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "name,params", [("member_list", {}), ("member_list", {"format": "csv"}), ("return_list", {})]
)
def test_list_queries_do_not_grow_with_rows(login, network, coordinator, name, params):
    client = login(coordinator)
    path = url(name, network) + ("?format=csv" if params else "")

    def add(count):
        for _ in range(count):
            member = MemberFactory(network=network)
            OnlinePresence.objects.create(member=member, platform="instagram", handle="@x")
            MonthlyReturnFactory(member=member, contacts={"instagram": 2, "snapchat": 1})

    add(2)
    few = _queries(client, path)
    add(6)
    many = _queries(client, path)
    assert many == few


def test_directory_queries_do_not_grow_with_members(client, network, communes):
    org = OrganisationFactory(commune_insee="16015")

    def add(count):
        for _ in range(count):
            member = MemberFactory(
                network=network, organisation=org, publish_name=True, publish_territory=True
            )
            member.communes.set([communes["soyaux"]])
            OnlinePresence.objects.create(
                member=member, platform="tiktok", handle="@x", public=True
            )

    network.active_requires_initial_training = False
    network.save()
    add(2)
    few = _queries(client, url("directory", network))
    add(6)
    assert _queries(client, url("directory", network)) == few


def test_yearly_report_pdf(login, network, coordinator):
    MonthlyReturnFactory(member=MemberFactory(network=network), month=dt.date(2026, 1, 1))
    with clock.travel(NOW):
        response = login(coordinator).get(url("report_pdf", network, 2026))
        assert login(coordinator).get(url("report_pdf", network, 2027)).status_code == 404
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_my_space_of_organisations_points_members_to_their_returns(login, network, user):
    MemberFactory(network=network, user=user)
    page = login(user).get(reverse("organisations:my_space")).content.decode()
    assert reverse("networks:my_space") in page
