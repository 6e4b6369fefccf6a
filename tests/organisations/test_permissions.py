import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from maillage.organisations import permissions
from maillage.organisations.labels import Role
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
    for action in permissions.ACTIONS:
        assert permissions.can(viewer, action, organisation) is (
            action == permissions.ORGANISATION_VIEW
        )


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
    assert permissions.has_role(person, Role.PILOT)
    assert permissions.has_role(person, Role.PILOT, organisation)
    assert not permissions.has_role(person, Role.PILOT, other_organisation)
    assert not permissions.has_role(person, Role.ADMIN)
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
        permissions.role_required("boss")


def _view(request, *args, **kwargs):
    return HttpResponse("ok")


def test_role_required_decorator(member):
    from django.contrib.auth.models import AnonymousUser

    guarded = permissions.role_required(Role.TRANSPORT_OPERATOR)(_view)
    request = RequestFactory().get("/tournees/")

    request.user = AnonymousUser()
    response = guarded(request)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/tournees/")

    request.user = member(Role.TRANSPORT_OPERATOR)
    assert guarded(request).status_code == 200

    request.user = member(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        guarded(request)

    request.user = UserFactory(superuser=True)
    assert guarded(request).status_code == 200


def test_role_required_mixin(member):
    from django.views import View

    class ToursView(permissions.RoleRequiredMixin, View):
        required_roles = (Role.TRANSPORT_OPERATOR,)

        def get(self, request):
            return HttpResponse("ok")

    request = RequestFactory().get("/tournees/")
    request.user = member(Role.TRANSPORT_OPERATOR)
    assert ToursView.as_view()(request).status_code == 200
    request.user = member(Role.MEDIATOR)
    with pytest.raises(PermissionDenied):
        ToursView.as_view()(request)


def test_documentation_matches_the_rule_table():
    """docs/permissions.md shows the same role × action matrix as ROLE_ACTIONS."""
    text = DOCS.read_text(encoding="utf-8")
    roles = list(Role)
    for action in permissions.ACTIONS:
        line = next(line for line in text.splitlines() if f"(`{action}`)" in line)
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")][1:]
        documented = {role for role, cell in zip(roles, cells, strict=True) if cell == "yes"}
        assert documented == {r for r in roles if action in permissions.ROLE_ACTIONS[r]}, action
    module_table = permissions.__doc__
    for action in permissions.ACTIONS:
        assert re.search(rf"^\s*{re.escape(action)}\s", module_table, re.MULTILINE), action
