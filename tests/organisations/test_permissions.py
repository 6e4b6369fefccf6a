from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory

from maillage.organisations import permissions
from maillage.organisations.labels import Role
from maillage.organisations.permissions import document, routes
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_each_role_may_view_only_its_organisation(
    member, organisation, other_organisation, any_role
):
    person = member(any_role)
    assert permissions.can_view_organisation(person, organisation)
    assert not permissions.can_view_organisation(person, other_organisation)
    assert list(permissions.visible_organisations(person)) == [organisation]


def test_only_admins_edit_and_manage_members(member, organisation, any_role):
    person = member(any_role)
    expected = any_role == Role.ADMIN
    assert permissions.can_edit_organisation(person, organisation) is expected
    assert permissions.can_manage_members(person, organisation) is expected


def test_viewer_can_do_nothing_but_view(member, organisation):
    viewer = member(Role.VIEWER)
    assert {
        permissions.ORGANISATION_VIEW,
        permissions.NETWORKS_VIEW,
    } == permissions.READ_ACTIONS
    for action in permissions.ACTIONS:
        assert permissions.can(viewer, action, organisation) is (action in permissions.READ_ACTIONS)


def test_roles_do_not_flow_to_child_organisations(member, organisation):
    child = OrganisationFactory(parent=organisation)
    admin = member(Role.ADMIN)
    assert not permissions.can_view_organisation(admin, child)


def test_superuser_may_do_everything(superuser, organisation):
    for action in permissions.ACTIONS:
        assert permissions.can(superuser, action, organisation)
    assert permissions.visible_organisations(superuser).count() == 1


def test_staff_see_every_organisation_but_edit_none(organisation):
    staff = UserFactory(staff=True)
    assert permissions.can_view_organisation(staff, organisation)
    assert not permissions.can_edit_organisation(staff, organisation)
    assert permissions.can_use_admin(staff)


def test_anonymous_and_inactive_people_have_no_right(organisation):
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(inactive=True)
    MembershipFactory(user=inactive, organisation=organisation, admin=True)
    for person in (AnonymousUser(), inactive, None):
        assert not permissions.can_view_organisation(person, organisation)
        assert not permissions.visible_organisations(person).exists()
        assert permissions.user_roles(person, organisation) == set()


def test_roles_helpers(member, organisation, other_organisation):
    person = member(Role.MEDIATOR)
    MembershipFactory(user=person, organisation=organisation, pilot=True)
    assert permissions.user_roles(person, organisation) == {Role.MEDIATOR, Role.PILOT}
    assert permissions.roles_by_organisation(person) == {
        organisation.pk: {Role.MEDIATOR, Role.PILOT}
    }


def test_organisations_where_filters_by_action(organisation, other_organisation):
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, mediator=True)
    MembershipFactory(user=person, organisation=other_organisation, viewer=True)
    where = permissions.organisations_where
    assert set(where(person, permissions.ORGANISATION_VIEW)) == {organisation, other_organisation}
    assert list(where(person, permissions.MEDIATION_RECORD_ACCOMPANIMENT)) == [organisation]
    assert not where(person, permissions.TRANSPORT_MANAGE_RIDES).exists()


def test_unknown_action_or_role_is_a_programming_error(organisation, user):
    with pytest.raises(ValueError):
        permissions.can(user, "organisation.delete", organisation)
    with pytest.raises(ValueError):
        permissions.permission_required_anywhere("transport.drive")


def _view(request, *args, **kwargs):
    return HttpResponse("ok")


def test_permission_required_anywhere_decorator(member, organisation, other_organisation):
    from django.contrib.auth.models import AnonymousUser

    guarded = permissions.permission_required_anywhere(permissions.TRANSPORT_MANAGE_RIDES)(_view)
    request = RequestFactory().get("/tournees/")

    request.user = AnonymousUser()
    response = guarded(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/tournees/")

    # Held in any organisation.
    request.user = member(Role.TRANSPORT_OPERATOR, organisation=other_organisation)
    assert guarded(request).status_code == 200

    request.user = member(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        guarded(request)

    request.user = UserFactory(superuser=True)
    assert guarded(request).status_code == 200


def test_the_committed_document_is_the_generated_one():
    """docs/permissions.md is generated from the package: edit the package, then run
    `maillage permissions-doc`."""
    assert DOCS.read_text(encoding="utf-8") == document.render(), (
        "docs/permissions.md differs from the permissions package: run `maillage permissions-doc`"
    )


def test_the_document_shows_every_action_every_rule_and_every_route():
    text = document.render()
    for action, description in permissions.ACTION_DESCRIPTIONS.items():
        line = next(line for line in text.splitlines() if f"(`{action}`)" in line)
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")][1:]
        assert {r for r, c in zip(Role, cells, strict=True) if c == "yes"} == set(
            permissions.roles_granting(action)
        ), action
        assert description in line
    documented = [f for _, _, functions in document.rule_sections() for f in functions]
    for function in documented:
        assert function.__doc__, f"{function.__name__} needs a docstring: it is the document"
        assert f"`{function.__name__}(" in text
    assert {"can_edit_sheet", "can_manage_booking", "visible_rides_q"} <= {
        f.__name__ for f in documented
    }
    for name in routes.ROUTES:
        assert f"| `{name}` |" in text, name


def test_permissions_doc_command_writes_and_checks(tmp_path, monkeypatch):
    target = tmp_path / "permissions.md"
    monkeypatch.setattr(document, "PATH", target)
    with pytest.raises(CommandError):
        call_command("permissions_doc", "--check", stdout=StringIO())
    call_command("permissions_doc", stdout=StringIO())
    assert target.read_text(encoding="utf-8") == document.render()
    call_command("permissions_doc", "--check", stdout=StringIO())
