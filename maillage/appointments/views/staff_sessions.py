"""A workshop session for staff: its attendance list (GET), each action at its own URL —
note attendance of everyone seated, register a person (on the waitlist when full), take a
person off the waitlist (a page that says what will happen, then the POST that does it) — and
the printable attendance sheet (PDF)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maillage.organisations import permissions

from .. import labels, notifications, services
from ..forms import PersonForm, WaitlistRemovalForm
from ..labels import Attendance, BookedVia, BookingStatus
from ..locking import BookingError
from ..models import Session
from .common import managed_booking, parse_id, person_kwargs, staff_required

REGISTER_PREFIX = "inscription"


def _session_for_staff(request, pk: int) -> Session:
    """A session the person sees (404 otherwise: its existence is not revealed)."""
    return get_object_or_404(
        Session.objects.filter(permissions.visible_sessions_q(request.user)).select_related(
            "service__organisation", "place", "agent"
        ),
        pk=pk,
    )


def _session_lists(session: Session):
    seats = session.bookings.filter(status=BookingStatus.BOOKED).order_by("name", "pk")
    waitlist = session.bookings.filter(status=BookingStatus.WAITLISTED).order_by(
        "waitlist_position", "pk"
    )
    return seats, waitlist


def _attendance_page(request, session: Session, register_form: PersonForm):
    seats, waitlist = _session_lists(session)
    return render(
        request,
        "appointments/session_attendance.html",
        {
            "session": session,
            "seats": seats,
            "waitlist": waitlist,
            "register_form": register_form,
            "can_manage": permissions.can_manage_session(request.user, session),
            "attendances": Attendance.choices,
            "when": notifications.when_text(session.starts_at),
        },
    )


@require_safe
@staff_required
def session_attendance(request, pk: int):
    """The list of seated and waitlisted people, with the forms of the two actions below."""
    session = _session_for_staff(request, pk)
    form = PersonForm(contact_required=False, prefix=REGISTER_PREFIX)
    return _attendance_page(request, session, form)


@require_POST
@staff_required
def session_attendance_save(request, pk: int):
    """Note the attendance of everyone seated (fields `presence-<booking id>`)."""
    session = _session_for_staff(request, pk)
    if not permissions.can_manage_session(request.user, session):
        raise PermissionDenied
    marks = {}
    for key, value in request.POST.items():
        booking_id = (
            parse_id(key.removeprefix("presence-")) if key.startswith("presence-") else None
        )
        if booking_id is not None:
            marks[booking_id] = value
    try:
        services.session_mark_attendance(session=session, marks=marks, by=request.user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_ATTENDANCE)
    return redirect("appointments:session_attendance", pk=session.pk)


@require_POST
@staff_required
def session_enrol(request, pk: int):
    """Register the person in front of you (on the waitlist when the session is full); an
    invalid form shows the list again with the form's errors."""
    session = _session_for_staff(request, pk)
    form = PersonForm(request.POST, contact_required=False, prefix=REGISTER_PREFIX)
    if not form.is_valid():
        return _attendance_page(request, session, form)
    try:
        booking, _token = services.session_register(
            session=session,
            by=request.user,
            via=BookedVia.STAFF,
            **person_kwargs(form.cleaned_data),
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            labels.MSG_WAITLISTED
            if booking.status == BookingStatus.WAITLISTED
            else labels.MSG_BOOKED,
        )
    return redirect("appointments:session_attendance", pk=session.pk)


def _back_url(booking) -> str:
    """The session's list for a seat or a waitlist entry, else the booking's own page."""
    if booking.session_id is None:
        return reverse("appointments:staff_booking", args=[booking.pk])
    return reverse("appointments:session_attendance", args=[booking.session_id])


@require_safe
@staff_required
def waitlist_remove(request, pk: int):
    """Take a person off a session's waitlist, step 1: say what will happen, ask why."""
    booking = managed_booking(request, pk)
    if not booking.can_leave_waitlist:
        messages.error(request, labels.ERR_NOT_WAITLISTED)
        return redirect(_back_url(booking))
    return render(
        request,
        "appointments/waitlist_remove.html",
        {
            "booking": booking,
            "when": notifications.when_text(booking.starts_at),
            "effects": notifications.waitlist_removal_effects(booking),
            "action_url": reverse("appointments:waitlist_remove_do", args=[booking.pk]),
            "back_url": _back_url(booking),
            "form": WaitlistRemovalForm(),
        },
    )


@require_POST
@staff_required
def waitlist_remove_do(request, pk: int):
    """Take a person off a session's waitlist, step 2: do it; the person is told."""
    booking = managed_booking(request, pk)
    form = WaitlistRemovalForm(request.POST)
    form.is_valid()
    try:
        services.waitlist_remove(
            booking=booking, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_WAITLIST_REMOVED)
    return redirect(_back_url(booking))


@require_safe
@staff_required
def session_attendance_pdf(request, pk: int):
    from weasyprint import HTML

    session = _session_for_staff(request, pk)
    seats, _ = _session_lists(session)
    html = render_to_string(
        "appointments/attendance_pdf.html",
        {
            "session": session,
            "seats": seats,
            "when": notifications.when_text(session.starts_at),
            "empty_rows": range(max(0, session.capacity - len(seats))),
        },
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="presences-atelier-{session.pk}.pdf"'
    return response
