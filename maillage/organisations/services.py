"""Writes touching memberships, with the rules that keep an organisation manageable."""

from django.core.exceptions import ValidationError
from django.db import transaction

from . import labels
from .labels import Role
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
    """Remove one role; an organisation keeps at least one administrator once it has one."""
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            admins = (
                Membership.objects.select_for_update()
                .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
                .values_list("pk", flat=True)
            )
            if list(admins) == [membership.pk]:
                raise ValidationError(labels.ERR_LAST_ADMIN)
        membership.delete()
