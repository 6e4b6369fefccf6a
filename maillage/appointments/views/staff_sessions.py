"""A workshop session for staff: its attendance list (GET), each action at its own URL —
note attendance of everyone seated, register a person (on the waitlist when full) — and the
printable attendance sheet (PDF)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from maillage.organisations import permissions

from .. import labels, notifications, services
from ..forms import PersonForm
from ..labels import Attendance, BookedVia, BookingStatus
from ..locking import BookingError
from ..models import Session
from .common import parse_id, person_kwargs, staff_required

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
