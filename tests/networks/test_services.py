"""Registering and following members: accounts, statuses, consents, online presence, trainings,
erasure and retention, and who may do each."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage import clock
from maillage.networks import services
from maillage.networks.labels import Job, LogAction, MemberStatus, Presence, TrainingKind
from maillage.networks.models import Member, MemberLog, OnlinePresence
from maillage.organisations import permissions
from maillage.organisations.labels import OrganisationKind, Role
from maillage.organisations.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

from .factories import MemberFactory, MonthlyReturnFactory, NetworkFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)


def _data(organisation, **extra):
    return {
        "first_name": "Camille",
        "last_name": "Delorme",
        "job": Job.YOUTH_WORKER,
        "email": "Camille.Delorme@MJC.fr ",
        "organisation": organisation,
        **extra,
    }


def test_register_starts_the_history_and_links_the_account(network, coordinator, communes):
    account = UserFactory(email="camille.delorme@mjc.fr")
    structure = OrganisationFactory(name="MJC")
    with clock.travel(NOW):
        member = services.member_register(
            network=network,
            data=_data(structure),
            communes=[communes["soyaux"]],
            by=coordinator,
        )
    assert member.email == "camille.delorme@mjc.fr"
    assert member.user == account
    assert (member.status, member.status_since) == (MemberStatus.IN_TRAINING, dt.date(2026, 3, 10))
    assert list(member.communes.all()) == [communes["soyaux"]]
    assert MemberLog.objects.filter(
        member=member, action=LogAction.CREATED, user=coordinator
    ).exists()


def test_register_refuses_a_second_member_with_the_same_email(network, coordinator):
    structure = OrganisationFactory()
    services.member_register(network=network, data=_data(structure), by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.member_register(network=network, data=_data(structure), by=coordinator)
    assert "email" in error.value.message_dict
    assert Member.objects.count() == 1


def test_a_new_structure_is_created_with_the_member(network, coordinator):
    member = services.member_register(
        network=network,
        data=_data(None),
        new_structure={
            "name": "MJC de Ruelle",
            "kind": OrganisationKind.ASSOCIATION,
            "commune_insee": "16291",
        },
        by=coordinator,
    )
    structure = Organisation.objects.get(name="MJC de Ruelle")
    assert member.organisation == structure and structure.slug == "mjc-de-ruelle"
    again = services.member_register(
        network=network,
        data=_data(None, email="autre@mjc.fr"),
        new_structure={"name": "MJC de Ruelle", "kind": OrganisationKind.ASSOCIATION},
        by=coordinator,
    )
    assert again.organisation.slug == "mjc-de-ruelle-2"


def test_only_coordinators_of_the_coordinating_organisation_write(network, member):
    pilot = member(Role.PILOT, organisation=network.organisation)
    outsider = member(Role.NETWORK_COORDINATOR, organisation=OrganisationFactory())
    for person in (pilot, outsider):
        with pytest.raises(PermissionDenied):
            services.member_register(network=network, data=_data(OrganisationFactory()), by=person)
    assert permissions.can_view_network(pilot, network) and not permissions.can_coordinate_network(
        pilot, network
    )
    assert not permissions.can_view_network(outsider, network)


def test_steering_organisations_follow_without_coordinating(network, member):
    caf = OrganisationFactory(name="Caf")
    network.steering_organisations.add(caf)
    caf_pilot = member(Role.PILOT, organisation=caf)
    caf_agent = member(Role.PARTNER_AGENT, organisation=caf)
    assert permissions.can_view_network(
        caf_pilot, network
    ) and not permissions.can_coordinate_network(caf_pilot, network)
    assert not permissions.can_view_network(caf_agent, network)


def test_status_change_is_logged_and_refuses_going_back(network, coordinator):
    member = MemberFactory(
        network=network, history=[(MemberStatus.IN_TRAINING, dt.date(2026, 1, 5))]
    )
    with clock.travel(NOW):
        services.member_change_status(
            member=member, status=MemberStatus.ACTIVE, on=dt.date(2026, 2, 1), by=coordinator
        )
        with pytest.raises(ValidationError, match="postérieure"):
            services.member_change_status(
                member=member, status=MemberStatus.PAUSED, on=dt.date(2026, 1, 20), by=coordinator
            )
        with pytest.raises(ValidationError, match="futur"):
            services.member_change_status(
                member=member, status=MemberStatus.PAUSED, on=dt.date(2026, 4, 1), by=coordinator
            )
        with pytest.raises(ValidationError, match="impossible"):
            services.member_change_status(
                member=member,
                status=MemberStatus.IN_TRAINING,
                on=dt.date(2026, 3, 1),
                by=coordinator,
            )
    member.refresh_from_db()
    assert (member.status, member.status_since) == (MemberStatus.ACTIVE, dt.date(2026, 2, 1))
    assert MemberLog.objects.filter(member=member, action=LogAction.STATUS).count() == 1


def test_a_mistaken_status_change_is_undone_but_not_the_first(network, coordinator):
    member = MemberFactory(
        network=network,
        history=[
            (MemberStatus.IN_TRAINING, dt.date(2026, 1, 5)),
            (MemberStatus.ACTIVE, dt.date(2026, 3, 1)),
        ],
        trained_on=dt.date(2026, 2, 1),
    )
    assert member.counts_as_active_on(dt.date(2026, 3, 5))
    member = services.member_undo_last_status(member=member, by=coordinator)
    assert (member.status, member.status_since) == (MemberStatus.IN_TRAINING, dt.date(2026, 1, 5))
    assert not member.counts_as_active_on(dt.date(2026, 3, 5))
    with pytest.raises(ValidationError, match="premier statut"):
        services.member_undo_last_status(member=member, by=coordinator)
    assert member.status_changes.count() == 1


def test_the_member_sets_their_own_consents_and_presence(network, user):
    member = MemberFactory(network=network, user=user)
    stranger = UserFactory()
    services.member_set_consents(
        member=member, consents={"publish_name": True, "publish_contact": False}, by=user
    )
    member.refresh_from_db()
    assert member.publish_name and not member.publish_contact and member.consents_updated_at
    services.presences_set(
        member=member,
        presences=[{"platform": "instagram", "handle": "@pdn", "url": "", "public": True}],
        by=user,
    )
    assert member.presences.get().handle == "@pdn"
    with pytest.raises(PermissionDenied):
        services.member_set_consents(member=member, consents={"publish_name": False}, by=stranger)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://exemple.fr/page",
        "//exemple.fr",
    ],
)
def test_presence_urls_must_be_http_or_https(network, coordinator, url):
    member = MemberFactory(network=network)
    with pytest.raises(ValidationError) as error:
        services.presences_set(
            member=member, presences=[{"platform": "instagram", "url": url}], by=coordinator
        )
    assert "url" in error.value.message_dict
    assert not OnlinePresence.objects.exists()


def test_a_presence_needs_a_handle_or_an_address(network, coordinator):
    with pytest.raises(ValidationError):
        services.presences_set(
            member=MemberFactory(network=network),
            presences=[{"platform": "snapchat", "handle": " ", "url": ""}],
            by=coordinator,
        )


def test_training_attendance_makes_a_member_active_from_its_end(network, coordinator):
    member = MemberFactory(network=network, history=[(MemberStatus.ACTIVE, dt.date(2026, 1, 5))])
    session = services.training_save(
        network=network,
        data={
            "kind": TrainingKind.INITIAL,
            "title": "Formation initiale",
            "starts_on": dt.date(2026, 2, 2),
            "ends_on": dt.date(2026, 2, 3),
        },
        by=coordinator,
    )
    assert not member.counts_as_active_on(dt.date(2026, 2, 10))
    present = services.training_record_attendance(
        session=session, presences={member.pk: Presence.PRESENT}, by=coordinator
    )
    assert present == 1
    assert not member.counts_as_active_on(dt.date(2026, 2, 2))
    assert member.counts_as_active_on(dt.date(2026, 2, 3))
    other = MemberFactory()
    with pytest.raises(ValidationError):
        services.training_record_attendance(
            session=session, presences={other.pk: Presence.PRESENT}, by=coordinator
        )
    services.training_record_attendance(session=session, presences={member.pk: ""}, by=coordinator)
    assert not session.attendances.exists()


def test_training_dates_in_order(network, coordinator):
    with pytest.raises(ValidationError):
        services.training_save(
            network=network,
            data={
                "kind": TrainingKind.PRACTICE_ANALYSIS,
                "title": "Analyse",
                "starts_on": dt.date(2026, 2, 3),
                "ends_on": dt.date(2026, 2, 1),
            },
            by=coordinator,
        )


def test_erasure_keeps_history_and_counts(network, coordinator, user):
    member = MemberFactory(
        network=network,
        user=user,
        phone="05 45 00 00 00",
        publish_name=True,
        history=[(MemberStatus.ACTIVE, dt.date(2024, 1, 1))],
        trained_on=dt.date(2024, 1, 10),
    )
    OnlinePresence.objects.create(member=member, platform="instagram", handle="@x", public=True)
    MonthlyReturnFactory(member=member, contacts={"instagram": 5})
    services.member_erase(member=member, by=coordinator)
    member.refresh_from_db()
    assert (member.first_name, member.last_name, member.email, member.phone) == ("", "", "", "")
    assert member.user is None and not member.publish_name and not member.presences.exists()
    assert member.returns.count() == 1 and member.status_changes.count() == 1
    assert Member.objects.active_on(dt.date(2025, 1, 1)).filter(pk=member.pk).exists()
    with pytest.raises(ValidationError):
        services.member_update(member=member, data={"first_name": "X"}, by=coordinator)


def test_retention_erases_members_gone_long_ago_only(network):
    gone = MemberFactory(
        network=network,
        history=[
            (MemberStatus.ACTIVE, dt.date(2022, 1, 1)),
            (MemberStatus.LEFT, dt.date(2023, 12, 1)),
        ],
    )
    recent = MemberFactory(
        network=network,
        history=[
            (MemberStatus.ACTIVE, dt.date(2022, 1, 1)),
            (MemberStatus.LEFT, dt.date(2025, 6, 1)),
        ],
    )
    active = MemberFactory(network=network)
    assert services.erase_departed(24, today=dt.date(2026, 3, 1)) == 1
    for m in (gone, recent, active):
        m.refresh_from_db()
    assert gone.erased_at and not recent.erased_at and not active.erased_at
    assert services.erase_departed(24, today=dt.date(2026, 3, 1)) == 0


def test_export_and_view_are_logged(login, network, coordinator):
    from django.urls import reverse

    member = MemberFactory(network=network)
    client = login(coordinator)
    client.get(reverse("networks:member_detail", args=[network.slug, member.pk]))
    client.get(reverse("networks:member_list", args=[network.slug]), {"format": "csv"})
    assert set(MemberLog.objects.filter(member=member).values_list("action", "user")) == {
        (LogAction.VIEWED, coordinator.pk),
        (LogAction.EXPORTED, coordinator.pk),
    }


def test_other_network_members_are_out_of_reach(login, coordinator, network):
    from django.urls import reverse

    elsewhere = MemberFactory(network=NetworkFactory())
    client = login(coordinator)
    url = reverse("networks:member_detail", args=[network.slug, elsewhere.pk])
    assert client.get(url).status_code == 404
