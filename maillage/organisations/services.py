"""Writes touching memberships, with the rules that keep an organisation manageable."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from . import labels, permissions
from .models import Membership, Organisation, User


def membership_add(*, organisation: Organisation, email: str, role: str) -> Membership:
    """Give the account using `email` the `role` in `organisation`."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError({"email": labels.ERR_UNKNOWN_ACCOUNT})
    if not user.is_active:
        raise ValidationError({"email": labels.ERR_INACTIVE_ACCOUNT})
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ValidationError({"role": labels.ERR_ALREADY_MEMBER})
    return Membership.objects.create(user=user, organisation=organisation, role=role)


def membership_remove(*, membership: Membership) -> None:
    """Remove one role; an organisation keeps at least one member who manages its members
    (an administrator) once it has one."""
    managing = permissions.roles_granting(permissions.ORGANISATION_MANAGE_MEMBERS)
    with transaction.atomic():
        if membership.role in managing:
            managers = (
                Membership.objects.select_for_update()
                .filter(organisation_id=membership.organisation_id, role__in=managing)
                .values_list("pk", flat=True)
            )
            if list(managers) == [membership.pk]:
                raise ValidationError(labels.ERR_LAST_ADMIN)
        membership.delete()


def organisation_create(*, name: str, kind: str, commune_insee: str = "") -> Organisation:
    """A new organisation (e.g. the youth centre employing a network member), with a free
    address slug; the callers decide who may create one."""
    base = slugify(name)[:90] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    organisation = Organisation(
        name=name.strip(), slug=slug, kind=kind, commune_insee=commune_insee
    )
    organisation.full_clean()
    organisation.save()
    return organisation
