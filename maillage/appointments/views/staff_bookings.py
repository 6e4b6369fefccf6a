"""Staff and one appointment: book for the person in front of you (service, place, slot and
name on one page), book over an occupied time on purpose, see an appointment and do one thing
to it per view — note attendance, move it, cancel it (a page that says what will happen, then
the POST that cancels)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maillage import clock
from maillage.organisations import permissions

from .. import labels, notifications, services, visio
from ..forms import CancelForm, ForceForm, HomeVisitPersonForm, PersonForm
from ..labels import Attendance, BookedVia, ServiceKind
from ..locking import BookingError
from ..models import Agent, Booking, Service
from ..slot_lists import move_choices, places_with_slots
from ..slots import parse_slot_key
from .common import (
    managed_booking,
    move_to_posted_slot,
    parse_id,
    person_kwargs,
    staff_required,
    visible_booking,
)


def _bookable_services_for_staff(user):
    services_qs = Service.objects.filter(is_active=True).exclude(kind=ServiceKind.WORKSHOP)
    return services_qs.filter(permissions.staff_bookable_services_q(user)).distinct()


@staff_required
def staff_book(request):
    """Book for the person in front of you: service, place, slot and name on one page."""
    user = request.user
    services_qs = _bookable_services_for_staff(user).select_related("organisation")
    service = None
    initial = {}
    previous_id = parse_id(request.GET.get("suivi"))
    previous = (
        Booking.objects.visible_to(user).filter(pk=previous_id).first()
        if previous_id is not None
        else None
    )
    if previous is not None:
        # A follow-up: the same person, by default the same service and place.
        initial = {
            "name": previous.name,
            "phone": previous.phone,
            "email": previous.email,
            "commune": previous.commune.name if previous.commune else "",
            "consent_reminders": previous.consent_reminders,
            "address": previous.address,
        }
    service_id = parse_id(
        request.GET.get("motif")
        or request.POST.get("motif")
        or (str(previous.service_id) if previous else "")
    )
    if service_id is not None:
        service = services_qs.filter(pk=service_id).first()
    places = []
    place = None
    groups = []
    form_class = (
        HomeVisitPersonForm
        if service is not None and service.kind == ServiceKind.HOME_VISIT
        else PersonForm
    )
    form = form_class(request.POST or None, initial=initial, contact_required=False)
    if service is not None:
        places = [
            p
            for p in service.places.select_related("organisation").order_by("name")
            if permissions.can_book_service(user, service, p)
        ]
        place_id = parse_id(
            request.GET.get("lieu")
            or request.POST.get("lieu")
            or (str(previous.place_id) if previous and previous.place_id else "")
        )
        if place_id is not None:
            place = next((p for p in places if p.pk == place_id), None)
        if place is None and places:
            place = places[0]
        if request.method == "POST" and form.is_valid():
            try:
                _place_key, agent_id, _resource_id, starts_at = parse_slot_key(
                    request.POST.get("slot", "")
                )
                via = (
                    BookedVia.PARTNER
                    if permissions.can_manage_agenda_of(user, service)
                    else BookedVia.STAFF
                )
                booking, _token = services.booking_create(
                    service=service,
                    starts_at=starts_at,
                    place=place if service.at_place else None,
                    agent=Agent.objects.filter(pk=agent_id).first(),
                    by=user,
                    via=via,
                    address=form.cleaned_data.get("address", ""),
                    **person_kwargs(form.cleaned_data),
                )
            except (ValueError, TypeError):
                messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, labels.MSG_BOOKED)
                return redirect("appointments:staff_booking", pk=booking.pk)
        if service.at_place and place is None:
            groups = []
        else:
            groups = places_with_slots(
                service,
                clock.today(),
                place_ids=[place.pk] if service.at_place and place else None,
            )
    return render(
        request,
        "appointments/staff_book.html",
        {
            "services": services_qs,
            "service": service,
            "places": places,
            "place": place,
            "groups": groups,
            "form": form,
            "previous": previous,
            "can_force": service is not None and permissions.can_manage_agenda_of(user, service),
        },
    )


@staff_required
def staff_force(request, pk: int):
    """An agent books over an occupied time on purpose: explicit and logged."""
    service = get_object_or_404(Service, pk=pk)
    if not permissions.can_manage_agenda_of(request.user, service):
        raise PermissionDenied
    agents = service.agents.filter(is_active=True)
    places = service.places.order_by("name")
    force_form = ForceForm(request.POST or None)
    person_form = PersonForm(request.POST or None, contact_required=False)
    if request.method == "POST" and force_form.is_valid() and person_form.is_valid():
        agent = agents.filter(pk=parse_id(request.POST.get("agent")) or 0).first()
        place = places.filter(pk=parse_id(request.POST.get("lieu")) or 0).first()
        if agent is None or (service.at_place and place is None):
            messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        else:
            try:
                booking = services.booking_force(
                    service=service,
                    starts_at=force_form.cleaned_data["starts_at"],
                    agent=agent,
                    place=place if service.at_place else None,
                    by=request.user,
                    reason=force_form.cleaned_data["reason"],
                    **person_kwargs(person_form.cleaned_data),
                )
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.warning(request, labels.MSG_FORCED)
                return redirect("appointments:staff_booking", pk=booking.pk)
    return render(
        request,
        "appointments/staff_force.html",
        {
            "service": service,
            "agents": agents,
            "places": places,
            "force_form": force_form,
            "form": person_form,
        },
    )


@require_safe
@staff_required
def staff_booking(request, pk: int):
    """One appointment: its details, history and messages; for those who manage it, the
    attendance form (posting to `staff_booking_attendance`), and with `?deplacer=1` the free
    slots to move it to (each posting to `staff_booking_move`)."""
    booking = visible_booking(request, pk)
    moving = request.GET.get("deplacer") == "1" and booking.can_be_moved
    return render(
        request,
        "appointments/staff_booking.html",
        {
            "booking": booking,
            "can_manage": permissions.can_manage_booking(request.user, booking),
            "visio_url": visio.room_url(booking, user_name=request.user.get_full_name()),
            "events": booking.events.select_related("user"),
            "message_logs": booking.messages.all()[:20],
            "attendances": Attendance.choices,
            "when": notifications.when_text(booking.starts_at),
            "moving": moving,
            "groups": move_choices(booking) if moving and not booking.session_id else [],
        },
    )


@require_POST
@staff_required
def staff_booking_attendance(request, pk: int):
    """Note whether the person came."""
    booking = managed_booking(request, pk)
    try:
        services.booking_mark_attendance(
            booking=booking, attendance=request.POST.get("attendance", ""), by=request.user
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_ATTENDANCE)
    return redirect("appointments:staff_booking", pk=booking.pk)


@require_POST
@staff_required
def staff_booking_move(request, pk: int):
    """Move the appointment to the slot chosen on its page; the person is notified."""
    booking = managed_booking(request, pk)
    move_to_posted_slot(request, booking, by=request.user)
    return redirect("appointments:staff_booking", pk=booking.pk)


@require_safe
@staff_required
def staff_cancel(request, pk: int):
    """An agent cancels an appointment, step 1: say what will happen, ask for a reason."""
    booking = managed_booking(request, pk)
    if booking.is_waitlisted:  # a waitlist entry has its own page (what happens differs)
        return redirect("appointments:waitlist_remove", pk=booking.pk)
    if not booking.can_be_cancelled:
        messages.error(request, labels.ERR_CANNOT_CANCEL)
        return redirect("appointments:staff_booking", pk=booking.pk)
    return render(
        request,
        "appointments/cancel_confirm.html",
        {
            "booking": booking,
            "when": notifications.when_text(booking.starts_at),
            "effects": notifications.cancellation_effects(booking, by_person=False),
            "action_url": reverse("appointments:staff_cancel_do", args=[booking.pk]),
            "back_url": reverse("appointments:staff_booking", args=[booking.pk]),
            "form": CancelForm(),
            "staff": True,
        },
    )


@require_POST
@staff_required
def staff_cancel_do(request, pk: int):
    """An agent cancels an appointment, step 2: cancel; the person is notified."""
    booking = managed_booking(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    # A waitlist entry is taken off the list as on its own page (logged and told as such).
    cancel = services.waitlist_remove if booking.is_waitlisted else services.booking_cancel
    try:
        cancel(booking=booking, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_CANCELLED)
    return redirect("appointments:staff_booking", pk=booking.pk)
