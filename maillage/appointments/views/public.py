"""Public booking pages (no account): choose a service, see the slots nearest to one's commune,
keep one for 5 minutes while filling the form, get a confirmation with what to bring; cancel or
move it later through the signed link; register for a workshop; calendar feeds by token."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from maillage import clock, rate_limits
from maillage.client_address import client_address
from maillage.organisations import permissions

from .. import calendar_feeds, ics, labels, notifications, offers, services
from ..forms import HomeVisitPersonForm, PersonForm
from ..labels import BookedVia, BookingStatus, ServiceKind, SessionStatus
from ..locking import BookingError
from ..models import Booking, Service, Session
from ..slot_lists import (
    SEARCH_DAYS,
    move_choices,
    places_with_slots,
    public_service,
    service_setup,
)
from ..slots import parse_slot_key
from ..tokens import booking_from_token
from .common import commune_from_text, move_to_posted_slot, parse_date, parse_id, person_kwargs

MAX_NEAREST = 15
# The visitor's current hold, in a signed cookie rather than the session: a visitor without
# an account then never needs a session (creating one cost a hold four queries).
HELD_COOKIE = "creneau_retenu"
HELD_COOKIE_SALT = "maillage.appointments.held"


def _booking_or_404(token: str) -> Booking:
    booking = booking_from_token(token)
    if booking is None:
        raise Http404(labels.ERR_BAD_TOKEN)
    return booking


def home(request):
    services_qs = (
        Service.objects.public()
        .select_related("organisation")
        .order_by("kind", "organisation__name", "name")
    )
    commune_text = request.GET.get("commune", "")
    kind = request.GET.get("type", "")
    commune = commune_from_text(commune_text)
    nearest = []
    if commune is not None:
        wanted = services_qs.filter(kind=kind) if kind in ServiceKind.values else services_qs
        nearest = offers.first_free_times(
            wanted, origin=(commune.latitude, commune.longitude), days=SEARCH_DAYS
        )[:MAX_NEAREST]
    groups: dict[str, dict] = {}
    for service in services_qs:
        group = groups.setdefault(
            service.kind, {"label": service.get_kind_display(), "services": []}
        )
        group["services"].append(service)
    return render(
        request,
        "appointments/home.html",
        {
            "groups": list(groups.values()),
            "commune_text": commune_text,
            "commune": commune,
            "commune_not_found": bool(commune_text and commune is None),
            "kind": kind,
            "kinds": ServiceKind.choices,
            "nearest": nearest,
        },
    )


def service_detail(request, pk: int):
    service = public_service(pk)
    if service is None or not permissions.can_book_service(request.user, service):
        raise Http404
    commune_text = request.GET.get("commune", "")
    commune = commune_from_text(commune_text)
    start = max(parse_date(request.GET.get("du"), clock.today()), clock.today())
    place_id = parse_id(request.GET.get("lieu"))
    places_page = parse_id(request.GET.get("lieux")) or 1
    place = (
        service_setup(service)[0].get(place_id)
        if place_id is not None and service.at_place
        else None
    )
    context = {
        "service": service,
        "place": place,
        "commune_text": commune_text,
        "commune": commune,
        "commune_not_found": bool(commune_text and commune is None),
        "start": start,
        "next_start": start + dt.timedelta(days=SEARCH_DAYS),
        "sessions": [],
        "groups": [],
        "places_page": places_page,
        # With several places, the start of each place's « more slots » link (same commune
        # and start, then `lieu=`).
        "more_days_query": None
        if place
        else urlencode({"commune": commune_text, "du": start.isoformat()}) + "&",
    }
    if service.kind == ServiceKind.WORKSHOP:
        sessions = (
            Session.objects.with_seats()
            .filter(
                service=service,
                status=SessionStatus.SCHEDULED,
                starts_at__gt=clock.now(),
            )
            .select_related("place")
        )
        if place is not None:
            sessions = sessions.filter(place=place)
        sessions = sessions[:20]
        context["sessions"] = [
            {"session": s, "left": max(0, s.capacity - s.seats_taken)} for s in sessions
        ]
    else:
        context["groups"] = places_with_slots(
            service, start, commune, place_ids=[place.pk] if place else None, page=places_page
        )
        # Days left out of the list come first on the next page.
        context["next_start"] = context["groups"].next_start
    return render(request, "appointments/service_detail.html", context)


def _too_many_holds(request) -> bool:
    """At most MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS holds per network address in a window of
    ten minutes: a visitor cannot block an agenda by holding slot after slot."""
    return rate_limits.hit(
        f"appointments:holds:{client_address(request)}",
        limit=settings.MAILLAGE_APPOINTMENTS_HOLDS_PER_ADDRESS,
        window_seconds=600,
    )


@require_POST
def hold(request, pk: int):
    service = public_service(pk)
    if service is None:
        raise Http404
    if _too_many_holds(request):
        messages.error(request, labels.ERR_TOO_MANY_HOLDS)
        return redirect("appointments:service_detail", pk=service.pk)
    # One slot held at a time per visitor: holding another gives the previous one back.
    if previous := request.get_signed_cookie(HELD_COOKIE, None, salt=HELD_COOKIE_SALT):
        services.booking_release_hold(booking_id=int(previous))
    try:
        place_id, agent_id, resource_id, starts_at = parse_slot_key(request.POST.get("slot", ""))
    except (ValueError, TypeError):
        messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        return redirect("appointments:service_detail", pk=service.pk)
    try:
        booking, token = services.booking_hold(
            service=service,
            starts_at=starts_at,
            place_id=place_id,
            agent_id=agent_id,
            resource_id=resource_id,
            by=request.user,
            via=BookedVia.SELF,
        )
    except BookingError as error:
        messages.error(request, error.message)
        return redirect("appointments:service_detail", pk=service.pk)
    response = redirect("appointments:book", token=token)
    response.set_signed_cookie(
        HELD_COOKIE,
        booking.pk,
        salt=HELD_COOKIE_SALT,
        max_age=int(services.hold_duration().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def book(request, token: str):
    booking = _booking_or_404(token)
    if booking.status == BookingStatus.BOOKED:
        return redirect("appointments:confirmation", token=token)
    if booking.status != BookingStatus.HELD or not booking.hold_is_live:
        messages.error(request, labels.ERR_HOLD_EXPIRED)
        return redirect("appointments:service_detail", pk=booking.service_id)
    form_class = (
        HomeVisitPersonForm if booking.service.kind == ServiceKind.HOME_VISIT else PersonForm
    )
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_confirm(
                booking=booking,
                address=form.cleaned_data.get("address", ""),
                by=request.user,
                **person_kwargs(form.cleaned_data),
            )
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("appointments:service_detail", pk=booking.service_id)
        response = redirect("appointments:confirmation", token=token)
        # Booked, no longer held: a next hold has nothing to give back (and no query to do).
        response.delete_cookie(HELD_COOKIE, samesite="Lax")
        return response
    return render(
        request,
        "appointments/book.html",
        {
            "booking": booking,
            "form": form,
            "token": token,
            "expires": timezone.localtime(booking.hold_expires_at),
        },
    )


def confirmation(request, token: str):
    booking = _booking_or_404(token)
    return render(
        request,
        "appointments/confirmation.html",
        {
            "booking": booking,
            "token": token,
            "how_to_come": notifications.how_to_come(booking),
            "ride_url": notifications.ride_offer_url(booking, token, absolute=False),
            "when": notifications.when_text(booking.starts_at),
        },
    )


@require_safe
def booking_ics_download(request, token: str):
    booking = _booking_or_404(token)
    response = HttpResponse(ics.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rendez-vous.ics"'
    return response


@require_safe
def manage(request, token: str):
    """The person's own page, reached by the link in their messages: cancel or move (with
    `?deplacer=1`, the free slots to move to, each posting to `manage_move`)."""
    booking = _booking_or_404(token)
    moving = request.GET.get("deplacer") == "1" and booking.can_be_moved
    return render(
        request,
        "appointments/manage.html",
        {
            "booking": booking,
            "token": token,
            "groups": move_choices(booking) if moving else [],
            "moving": moving,
            "when": notifications.when_text(booking.starts_at),
            "can_change": booking.can_be_cancelled,
        },
    )


@require_POST
def manage_move(request, token: str):
    """Moving through the person's link to the slot chosen on their page."""
    move_to_posted_slot(request, _booking_or_404(token), by=None)
    return redirect("appointments:manage", token=token)


@require_safe
def manage_cancel(request, token: str):
    """Cancelling through the person's link, step 1: say what will happen, ask to confirm."""
    booking = _booking_or_404(token)
    if not booking.can_be_cancelled:
        messages.error(request, labels.ERR_CANNOT_CANCEL)
        return redirect("appointments:manage", token=token)
    return render(
        request,
        "appointments/cancel_confirm.html",
        {
            "booking": booking,
            "token": token,
            "when": notifications.when_text(booking.starts_at),
            "effects": notifications.cancellation_effects(booking, by_person=True),
            "action_url": reverse("appointments:manage_cancel_do", args=[token]),
            "back_url": reverse("appointments:manage", args=[token]),
            "form": None,
            "staff": False,
        },
    )


@require_POST
def manage_cancel_do(request, token: str):
    """Cancelling through the person's link, step 2: cancel (the person is notified)."""
    booking = _booking_or_404(token)
    try:
        services.booking_cancel(booking=booking, reason="annulé par la personne")
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_CANCELLED)
    return redirect("appointments:manage", token=token)


def session_register(request, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("service__organisation", "place"),
        pk=pk,
        status=SessionStatus.SCHEDULED,
    )
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking, token = services.session_register(
                session=session, by=request.user, **person_kwargs(form.cleaned_data)
            )
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("appointments:service_detail", pk=session.service_id)
        if booking.status == BookingStatus.WAITLISTED:
            messages.info(request, labels.MSG_WAITLISTED)
        return redirect("appointments:confirmation", token=token)
    left = max(0, session.capacity - session.seats_taken_now())
    return render(
        request,
        "appointments/session_register.html",
        {"session": session, "form": form, "left": left},
    )


@require_safe
def feed(request, token: str):
    calendar_feed = calendar_feeds.live_feed(token)
    if calendar_feed is None:
        raise Http404
    return HttpResponse(
        calendar_feeds.feed_calendar(calendar_feed), content_type="text/calendar; charset=utf-8"
    )
