"""Pages about organisations and people. Every page here requires login; rights are
decided by `permissions`, never here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from unidecode import unidecode

from maillage import clock
from maillage.spreadsheets import table_response

from . import labels, permissions, space
from .forms import MemberAddForm, OrganisationFilterForm, OrganisationForm
from .labels import ROLE_HELP, Role
from .models import Membership, Organisation
from .name_matching import names_of, normalize_name
from .services import membership_add, membership_remove
from .two_factor import has_two_factor


def _role_labels(roles) -> list[str]:
    """Role labels in the order of `Role` (admin first)."""
    return [role.label for role in Role if role in roles]


@login_required
def my_space(request):
    """What the person has to do today (one panel per kind of work, see `space.py`), then
    their organisations, with their roles and what they can do there."""
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    by_organisation: dict[int, dict] = {}
    for membership in memberships:
        entry = by_organisation.setdefault(
            membership.organisation_id,
            {"organisation": membership.organisation, "roles": set()},
        )
        entry["roles"].add(membership.role)
    entries = []
    for entry in sorted(by_organisation.values(), key=lambda e: e["organisation"].name):
        organisation = entry["organisation"]
        entries.append(
            {
                "organisation": organisation,
                "role_labels": _role_labels(entry["roles"]),
                "can_edit": permissions.can_edit_organisation(user, organisation),
                "can_manage_members": permissions.can_manage_members(user, organisation),
            }
        )
    return render(
        request,
        "organisations/my_space.html",
        {
            "today": clock.today(),
            "panels": [
                {"title": panel.title, "body": panel.html(user), "links": panel.links}
                for panel in space.panels_for(user, today=clock.today())
            ],
            "entries": entries,
            "is_platform_admin": permissions.is_platform_admin(user),
            "can_use_admin": permissions.can_use_admin(user),
            "no_organisation_message": labels.MSG_NO_ORGANISATION,
            "two_factor_offered": permissions.two_factor_offered(user),
            "two_factor_enabled": has_two_factor(user),
            # A Promeneur du Net's own record (networks app), reached through its account.
            "is_network_member": user.network_members.filter(erased_at__isnull=True).exists(),
        },
    )


def _filtered_organisations(request):
    form = OrganisationFilterForm(request.GET or None)
    organisations = permissions.visible_organisations(request.user).select_related("parent")
    query = ""
    if form.is_valid():
        query = normalize_name(form.cleaned_data["q"])
        if kind := form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=kind)
    # Filtered and sorted in Python (a few hundred rows at most): the search ignores accents
    # and case and looks at aliases too ("etat" finds "État", "caf" the Caf), and "État"
    # sorts among the E whatever the database collation.
    if query:
        organisations = [o for o in organisations if any(query in n for n in names_of(o))]
    return form, sorted(organisations, key=lambda o: unidecode(o.name).lower())


@login_required
def organisation_list(request):
    form, organisations = _filtered_organisations(request)
    roles = permissions.roles_by_organisation(request.user)
    rows = [
        {"organisation": o, "role_labels": _role_labels(roles.get(o.pk, set()))}
        for o in organisations
    ]
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "form": form,
            "rows": rows,
            "export_query": request.GET.urlencode(),
            "sees_all": permissions.sees_all_organisations(request.user),
        },
    )


@require_safe
@login_required
def organisation_export(request, fmt: str):
    if fmt not in {"csv", "xlsx"}:
        raise Http404(labels.ERR_EXPORT_FORMAT)
    _form, organisations = _filtered_organisations(request)
    roles = permissions.roles_by_organisation(request.user)
    rows = (
        [
            o.name,
            o.short_name,
            o.get_kind_display(),
            o.parent.name if o.parent else "",
            o.siren,
            o.commune_insee,
            o.address,
            o.email,
            o.phone,
            o.website,
            labels.YES if o.is_active else labels.NO,
            ", ".join(_role_labels(roles.get(o.pk, set()))),
            request.build_absolute_uri(o.get_absolute_url()),
        ]
        for o in organisations
    )
    filename = f"organisations-{timezone.localdate():%Y-%m-%d}"
    return table_response(fmt, filename, list(labels.EXPORT_HEADERS.values()), rows)


@permissions.organisation_permission_required(permissions.ORGANISATION_VIEW)
def organisation_detail(request, organisation: Organisation):
    user = request.user
    can_manage = permissions.can_manage_members(user, organisation)
    children = permissions.visible_organisations(user).filter(parent=organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "parent_visible": organisation.parent_id
            and permissions.can_view_organisation(user, organisation.parent),
            "children": children,
            "my_roles": _role_labels(permissions.user_roles(user, organisation)),
            "members": _members(organisation),
            "can_edit": permissions.can_edit_organisation(user, organisation),
            "can_manage_members": can_manage,
        },
    )


def _members(organisation: Organisation) -> list[dict]:
    """The organisation's members, one entry per person with all their roles."""
    people: dict[int, dict] = {}
    memberships = organisation.memberships.select_related("user").order_by(
        "user__last_name", "user__first_name", "user__email"
    )
    for membership in memberships:
        entry = people.setdefault(
            membership.user_id, {"user": membership.user, "roles": set(), "memberships": []}
        )
        entry["roles"].add(membership.role)
        entry["memberships"].append(membership)
    for entry in people.values():
        entry["role_labels"] = _role_labels(entry["roles"])
    return list(people.values())


@permissions.organisation_permission_required(permissions.ORGANISATION_EDIT)
def organisation_edit(request, organisation: Organisation):
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, labels.MSG_ORGANISATION_SAVED)
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"organisation": organisation, "form": form},
    )


@permissions.organisation_permission_required(permissions.ORGANISATION_MANAGE_MEMBERS)
def organisation_members(request, organisation: Organisation):
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_add(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                for message in field_errors:
                    form.add_error(field, message)
        else:
            messages.success(
                request,
                labels.MSG_MEMBER_ADDED.format(
                    person=membership.user, role=membership.get_role_display()
                ),
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/organisation_members.html",
        {
            "organisation": organisation,
            "form": form,
            "members": _members(organisation),
            "role_help": [(Role(role).label, text) for role, text in ROLE_HELP.items()],
        },
    )


@require_http_methods(["GET", "POST"])
@permissions.organisation_permission_required(permissions.ORGANISATION_MANAGE_MEMBERS)
def membership_delete(request, organisation: Organisation, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organisation=organisation
    )
    if request.method == "POST":
        try:
            membership_remove(membership=membership)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                labels.MSG_MEMBER_REMOVED.format(
                    person=membership.user, role=membership.get_role_display()
                ),
            )
            if not permissions.can_manage_members(request.user, organisation):
                return redirect("organisations:my_space")  # they removed their own admin role
        return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/membership_confirm_delete.html",
        {"organisation": organisation, "membership": membership},
    )
