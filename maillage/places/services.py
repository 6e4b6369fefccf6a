"""Writes on places and help requests; permissions are asked of `organisations.permissions`."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillage.organisations import permissions
from maillage.organisations.models import User

from . import labels
from .labels import HelpRequestStatus
from .models import HelpRequest, HelpRequestEvent, Place
from .search import nearest_place_for_help_request


@transaction.atomic
def place_save(*, place: Place, by, visio_operators=None) -> Place:
    """Save a place after checking `by` may edit it (in its organisation, old and new)."""
    if place.pk:
        previous = Place.objects.select_related("organisation").get(pk=place.pk)
        if not permissions.can_edit_place(by, previous):
            raise PermissionDenied
    if not permissions.can_edit_place(by, place):
        raise PermissionDenied
    if place.commune_id:
        place.insee_code = place.commune_id
    place.full_clean()
    place.save()
    if visio_operators is not None:
        place.visio_operators.set(visio_operators)
    return place


# --- Help requests -------------------------------------------------------------------------


@transaction.atomic
def help_request_create(
    *,
    name: str,
    phone: str,
    email: str,
    commune,
    need: str,
    preferred_times: list[str],
    message: str = "",
) -> HelpRequest:
    """Record a request from the public and route it to the nearest place taking requests."""
    place = nearest_place_for_help_request((commune.latitude, commune.longitude), need)
    request = HelpRequest(
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        commune=commune,
        need=need,
        preferred_times=preferred_times,
        message=message.strip(),
        consent_at=timezone.now(),
        place=place,
    )
    request.full_clean()
    request.save()
    HelpRequestEvent.objects.create(
        request=request,
        to_status=HelpRequestStatus.NEW,
        note=f"Confiée à « {place.name} »."
        if place
        else "Aucun lieu ne prend les demandes à proximité.",
    )
    return request


def assignable_people(place: Place | None):
    """People a help request routed to `place` can be assigned to: those who handle help
    requests in the organisation running it."""
    if place is None or place.organisation_id is None:
        return User.objects.none()
    return permissions.people_with(
        permissions.PLACES_HANDLE_HELP_REQUESTS, place.organisation
    ).order_by("first_name", "last_name", "email")


@transaction.atomic
def help_request_update(
    *,
    request: HelpRequest,
    by,
    status: str | None = None,
    assigned_to=None,
    unassign: bool = False,
    place: Place | None = None,
    redirected_to: str = "",
    note: str = "",
) -> HelpRequest:
    """Change a request's status, assignee or place and/or add a note; every change is logged.

    Moving the request to another place hands it to that place's organisation (it leaves the
    current queue); a status change must be one of `labels.HELP_REQUEST_TRANSITIONS`.
    """
    request = (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("place")
        .get(pk=request.pk)
    )
    if not permissions.can_handle_help_request(by, request):
        raise PermissionDenied
    notes = []
    previous_status = request.status
    if status and status != request.status:
        if not request.can_move_to(status):
            raise ValidationError(
                {
                    "status": labels.ERR_TRANSITION.format(
                        current=request.get_status_display(),
                        target=HelpRequestStatus(status).label,
                    )
                }
            )
        request.status = status
        request.closed_at = None if status in labels.OPEN_HELP_REQUEST_STATUSES else timezone.now()
        if status == HelpRequestStatus.REDIRECTED and redirected_to:
            request.redirected_to = redirected_to.strip()
            notes.append(f"Réorientée vers : {request.redirected_to}.")
    if place is not None and place.pk != request.place_id:
        notes.append(f"Transférée de « {request.place} » à « {place} ».")
        request.place = place
        request.assigned_to = None
    if unassign and request.assigned_to_id:
        request.assigned_to = None
        notes.append("Plus suivie par personne.")
    elif assigned_to is not None and assigned_to.pk != request.assigned_to_id:
        if not assignable_people(request.place).filter(pk=assigned_to.pk).exists():
            raise ValidationError({"assigned_to": labels.ERR_ASSIGNEE})
        request.assigned_to = assigned_to
        notes.append(f"Suivie par {assigned_to}.")
    if note.strip():
        notes.append(note.strip())
    request.full_clean()
    request.save()
    if notes or request.status != previous_status:
        HelpRequestEvent.objects.create(
            request=request,
            user=by,
            from_status=previous_status if request.status != previous_status else "",
            to_status=request.status if request.status != previous_status else "",
            note="\n".join(notes),
        )
    return request


def _months_ago(months: int, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=round(months * 30.44))


@transaction.atomic
def help_requests_anonymise_expired(now: dt.datetime | None = None) -> int:
    """Blank the personal data of requests closed more than the retention period ago."""
    now = now or timezone.now()
    limit = _months_ago(settings.MAILLAGE_HELP_REQUEST_RETENTION_MONTHS, now)
    expired = HelpRequest.objects.filter(closed_at__lt=limit, anonymised_at__isnull=True).exclude(
        status__in=labels.OPEN_HELP_REQUEST_STATUSES
    )
    count = expired.update(name="(effacé)", phone="", email="", message="", anonymised_at=now)
    expired_events = HelpRequestEvent.objects.filter(
        request__anonymised_at=now, request__closed_at__lt=limit
    )
    expired_events.erase("note")
    return count
