"""Public booking pages (no account) and staff agenda pages.

Public: choose a service, see the slots nearest to one's commune, keep one for 5 minutes
while filling the form, get a confirmation with what to bring; cancel or move it later
through the signed link. Staff: book for the person in front of them, see the agenda by day
or week (filters, CSV), move, cancel, mark attendance, print a workshop's attendance list,
manage private calendar feeds, read the indicators.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from maillage import clock, rate_limits
from maillage.client_address import client_address
from maillage.organisations import permissions
from maillage.places.models import Place
from maillage.spreadsheets import table_response
from maillage.territory import travel
from maillage.territory.search import search_communes

from . import ics, indicators, labels, notifications, offers, services, visio
from .forms import CancelForm, ForceForm, HomeVisitPersonForm, PersonForm
from .labels import (
    Attendance,
    BookedVia,
    BookingStatus,
    FeedKind,
    ServiceKind,
    SessionStatus,
)
from .locking import BookingError
from .models import Agent, Booking, CalendarFeed, Resource, Service, Session
from .slots import parse_slot_key, service_slots
from .tokens import booking_from_token

SEARCH_DAYS = 14
MAX_PLACES = 6
MAX_DAYS_SHOWN = 5
MAX_NEAREST = 15


# --- Helpers -------------------------------------------------------------------------------


def _person_kwargs(data: dict) -> dict:
    return {
        "name": data["name"],
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
        "consent_reminders": data.get("consent_reminders", False),
        "commune": data.get("commune"),
    }


def _parse_date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _commune(text: str):
    text = (text or "").strip()
    if not text:
        return None
    found = search_communes(text, limit=1)
    return found[0] if found else None


def _group_by_day(slots) -> list[dict]:
    """Slots by local day, with the day's label and each time's text formatted once here:
    a page shows hundreds of slot buttons, and French date formatting in the template was
    most of its rendering time."""
    days: dict[dt.date, list] = {}
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        days.setdefault(local.date(), []).append(
            {"slot": slot, "time": local, "key": slot.key, "hour": f"{local:%H}h{local:%M}"}
        )
    return [
        {"date": day, "label": date_format(day, "l j F"), "slots": items}
        for day, items in days.items()
    ]


def _places_with_slots(service: Service, start: dt.date, commune, place_ids=None) -> list[dict]:
    end = start + dt.timedelta(days=SEARCH_DAYS - 1)
    by_place = service_slots(
        service, start=start, end=end, place_ids=place_ids, days_with_slots=MAX_DAYS_SHOWN
    )
    places = {p.pk: p for p in Place.objects.filter(pk__in=[k for k in by_place if k])}
    minutes: dict[int, int] = {}
    if commune is not None:
        located = [p for p in places.values() if p.position]
        # One request for every place: trips() takes many destinations.
        trips = travel.trips((commune.latitude, commune.longitude), [p.position for p in located])
        minutes = {p.pk: trip.rounded_minutes for p, trip in zip(located, trips, strict=True)}
    groups = [
        {
            "place": places.get(place_id),
            "minutes": minutes.get(place_id),
            "days": _group_by_day(slots),
        }
        for place_id, slots in by_place.items()
    ]
    groups.sort(
        key=lambda g: (
            not g["days"],
            g["minutes"] if g["minutes"] is not None else 10**6,
            g["place"].name if g["place"] else "",
        )
    )
    return groups[:MAX_PLACES]


def _booking_or_404(token: str) -> Booking:
    booking = booking_from_token(token)
    if booking is None:
        raise Http404(labels.ERR_BAD_TOKEN)
    return booking


# Logged in, and managing an agenda or booking for people somewhere.
staff_required = permissions.permission_required_anywhere(
    permissions.APPOINTMENTS_MANAGE_AGENDA, permissions.APPOINTMENTS_BOOK_FOR_USER
)


def _bookable_services_for_staff(user):
    services_qs = Service.objects.filter(is_active=True).exclude(kind=ServiceKind.WORKSHOP)
    return services_qs.filter(permissions.staff_bookable_services_q(user)).distinct()


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    return table_response("csv", filename.removesuffix(".csv"), header, rows)


# --- Public pages ---------------------------------------------------------------------------


def home(request):
    services_qs = (
        Service.objects.public()
        .select_related("organisation")
        .order_by("kind", "organisation__name", "name")
    )
    commune_text = request.GET.get("commune", "")
    kind = request.GET.get("type", "")
    commune = _commune(commune_text)
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
    service = get_object_or_404(
        Service.objects.select_related("organisation"), pk=pk, is_active=True
    )
    if not permissions.can_book_service(request.user, service):
        raise Http404
    commune_text = request.GET.get("commune", "")
    commune = _commune(commune_text)
    start = max(_parse_date(request.GET.get("du"), clock.today()), clock.today())
    place_text = request.GET.get("lieu") or ""
    place = (
        service.places.filter(pk=int(place_text)).first()
        if place_text.isdigit() and service.at_place
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
        context["groups"] = _places_with_slots(
            service, start, commune, place_ids=[place.pk] if place else None
        )
    return render(request, "appointments/service_detail.html", context)


HELD_IN_SESSION = "appointments_held_booking"


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
    service = get_object_or_404(Service, pk=pk, is_active=True)
    if _too_many_holds(request):
        messages.error(request, labels.ERR_TOO_MANY_HOLDS)
        return redirect("appointments:service_detail", pk=service.pk)
    # One slot held at a time per visitor: holding another gives the previous one back.
    if previous := request.session.pop(HELD_IN_SESSION, None):
        services.booking_release_hold(booking_id=previous)
    try:
        place_id, agent_id, resource_id, starts_at = parse_slot_key(request.POST.get("slot", ""))
    except (ValueError, TypeError):
        messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        return redirect("appointments:service_detail", pk=service.pk)
    try:
        booking, token = services.booking_hold(
            service=service,
            starts_at=starts_at,
            place=Place.objects.filter(pk=place_id).first() if place_id else None,
            agent=Agent.objects.filter(pk=agent_id).first(),
            resource=Resource.objects.filter(pk=resource_id).first() if resource_id else None,
            by=request.user,
            via=BookedVia.SELF,
        )
    except BookingError as error:
        messages.error(request, error.message)
        return redirect("appointments:service_detail", pk=service.pk)
    request.session[HELD_IN_SESSION] = booking.pk
    return redirect("appointments:book", token=token)


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
                **_person_kwargs(form.cleaned_data),
            )
        except BookingError as error:
            messages.error(request, error.message)
            return redirect("appointments:service_detail", pk=booking.service_id)
        return redirect("appointments:confirmation", token=token)
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


def manage(request, token: str):
    """The person's own page, reached by the link in their messages: cancel or move."""
    booking = _booking_or_404(token)
    groups = []
    moving = request.GET.get("deplacer") == "1" and booking.status == BookingStatus.BOOKED
    if request.method == "POST":
        try:
            _place, agent_id, _res, starts_at = parse_slot_key(request.POST.get("slot", ""))
            services.booking_move(
                booking=booking,
                starts_at=starts_at,
                agent=Agent.objects.filter(pk=agent_id).first(),
            )
            messages.success(request, labels.MSG_MOVED)
        except BookingError as error:
            messages.error(request, error.message)
        except ValueError:
            messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        return redirect("appointments:manage", token=token)
    if moving and not booking.session_id:
        groups = _places_with_slots(
            booking.service,
            clock.today(),
            None,
            place_ids=[booking.place_id] if booking.place_id else None,
        )
    return render(
        request,
        "appointments/manage.html",
        {
            "booking": booking,
            "token": token,
            "groups": groups,
            "moving": moving,
            "when": notifications.when_text(booking.starts_at),
            "can_change": booking.can_be_cancelled,
        },
    )


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
                session=session, by=request.user, **_person_kwargs(form.cleaned_data)
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
    calendar_feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).first()
    if calendar_feed is None:
        raise Http404
    low, high = ics.feed_window()
    bookings = Booking.objects.filter(
        starts_at__gte=low, starts_at__lt=high, session__isnull=True
    ).exclude(status__in=[BookingStatus.EXPIRED, BookingStatus.WAITLISTED])
    bookings = bookings.select_related("service__organisation", "place")
    sessions = Session.objects.none()
    if calendar_feed.kind == FeedKind.AGENT:
        bookings = bookings.filter(agent=calendar_feed.agent)
        sessions = Session.objects.filter(agent=calendar_feed.agent)
        name = f"Rendez-vous — {calendar_feed.agent.name}"
    else:
        bookings = bookings.filter(place=calendar_feed.place)
        sessions = Session.objects.filter(place=calendar_feed.place)
        name = f"Rendez-vous — {calendar_feed.place.name}"
    sessions = sessions.filter(starts_at__gte=low, starts_at__lt=high).select_related(
        "service", "place"
    )
    return HttpResponse(
        ics.feed_ics(bookings, sessions, name=name), content_type="text/calendar; charset=utf-8"
    )


# --- Staff pages ----------------------------------------------------------------------------


@staff_required
def agenda(request):
    user = request.user
    today = clock.today()
    day = _parse_date(request.GET.get("jour"), today)
    week = request.GET.get("vue") == "semaine"
    start_day = day - dt.timedelta(days=day.weekday()) if week else day
    end_day = start_day + dt.timedelta(days=7 if week else 1)
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start_day, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end_day, dt.time.min, tzinfo=zone)
    bookings = (
        Booking.objects.visible_to(user)
        .filter(starts_at__gte=low, starts_at__lt=high)
        .exclude(status__in=[BookingStatus.HELD, BookingStatus.EXPIRED])
        .select_related("service__organisation", "place", "agent", "session")
    )
    place_id = request.GET.get("lieu") or ""
    agent_id = request.GET.get("agent") or ""
    status = request.GET.get("statut") or ""
    if place_id.isdigit():
        bookings = bookings.filter(place_id=int(place_id))
    if agent_id.isdigit():
        bookings = bookings.filter(agent_id=int(agent_id))
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    bookings = bookings.order_by("starts_at", "pk")
    if request.GET.get("format") == "csv":
        return _csv_response(
            f"rendez-vous-{start_day.isoformat()}.csv",
            [
                "début",
                "fin",
                "motif",
                "organisme",
                "lieu",
                "agent",
                "personne",
                "téléphone",
                "courriel",
                "statut",
                "présence",
            ],
            (
                [
                    timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(b.ends_at).strftime("%Y-%m-%d %H:%M"),
                    b.service.name,
                    b.service.organisation.name,
                    b.place.name if b.place else "",
                    b.agent.name if b.agent else "",
                    b.name,
                    b.phone,
                    b.email,
                    b.get_status_display(),
                    b.get_attendance_display(),
                ]
                for b in bookings
            ),
        )
    visible_ids = Booking.objects.visible_to(user).values("pk")
    places = Place.objects.filter(bookings__in=visible_ids).distinct().order_by("name")
    agents = (
        Agent.objects.filter(Q(bookings__in=visible_ids) | permissions.availability_agents_q(user))
        .distinct()
        .order_by("name")
    )
    sessions = (
        Session.objects.with_seats()
        .filter(permissions.visible_sessions_q(user))
        .filter(starts_at__gte=low, starts_at__lt=high)
        .select_related("service", "place")
    )
    query = request.GET.copy()
    query["format"] = "csv"
    nav = request.GET.copy()
    for key in ("jour", "format"):
        nav.pop(key, None)
    nav["vue"] = "semaine" if week else "jour"
    own_agents = list(Agent.objects.filter(user=user, is_active=True).order_by("name"))
    return render(
        request,
        "appointments/agenda.html",
        {
            "calendar": _week_calendar(start_day, bookings, sessions, today) if week else [],
            "nav_query": nav.urlencode(),
            "own_agents": own_agents,
            "sets_availability": permissions.can_anywhere(
                user,
                permissions.APPOINTMENTS_MANAGE_AGENDA,
                permissions.ORGANISATION_MANAGE_MEMBERS,
            ),
            "bookings": bookings,
            "sessions": sessions,
            "day": day,
            "week": week,
            "start_day": start_day,
            "end_day": end_day - dt.timedelta(days=1),
            "previous": start_day - dt.timedelta(days=7 if week else 1),
            "next": end_day if not week else start_day + dt.timedelta(days=7),
            "places": places,
            "agents": agents,
            "place_id": place_id,
            "agent_id": agent_id,
            "status": status,
            "statuses": BookingStatus.choices,
            "csv_query": query.urlencode(),
        },
    )


def _week_calendar(start_day: dt.date, bookings, sessions, today: dt.date) -> list[dict]:
    """Seven columns, Monday first: each day's appointments and workshop sessions by time."""
    days = [{"date": start_day + dt.timedelta(days=n), "items": []} for n in range(7)]
    for booking in bookings:
        local = timezone.localtime(booking.starts_at)
        days[(local.date() - start_day).days]["items"].append(
            {
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "title": booking.service.name,
                "who": booking.person_label,
                "where": booking.place.name
                if booking.place
                else booking.service.get_kind_display(),
                "url": reverse("appointments:staff_booking", args=[booking.pk]),
                "cancelled": booking.status == BookingStatus.CANCELLED,
                "status": booking.get_status_display(),
            }
        )
    for session in sessions:
        local = timezone.localtime(session.starts_at)
        days[(local.date() - start_day).days]["items"].append(
            {
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "title": session.service.name,
                "who": f"{session.seats_taken}/{session.capacity} inscrits",
                "where": session.place.name,
                "url": reverse("appointments:session_attendance", args=[session.pk]),
                "cancelled": False,
                "status": "Atelier",
            }
        )
    for day in days:
        day["items"].sort(key=lambda item: item["starts_at"])
        day["is_today"] = day["date"] == today
    return days


@staff_required
def staff_book(request):
    """Book for the person in front of you: service, place, slot and name on one page."""
    user = request.user
    services_qs = _bookable_services_for_staff(user).select_related("organisation")
    service = None
    initial = {}
    previous_id = request.GET.get("suivi") or ""
    previous = (
        Booking.objects.visible_to(user).filter(pk=int(previous_id)).first()
        if previous_id.isdigit()
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
    service_id = (
        request.GET.get("motif")
        or request.POST.get("motif")
        or (str(previous.service_id) if previous else "")
    )
    if service_id.isdigit():
        service = services_qs.filter(pk=int(service_id)).first()
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
        place_id = (
            request.GET.get("lieu")
            or request.POST.get("lieu")
            or (str(previous.place_id) if previous and previous.place_id else "")
        )
        if place_id.isdigit():
            place = next((p for p in places if p.pk == int(place_id)), None)
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
                    **_person_kwargs(form.cleaned_data),
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
            groups = _places_with_slots(
                service,
                clock.today(),
                None,
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
        agent = agents.filter(pk=request.POST.get("agent") or 0).first()
        place = places.filter(pk=request.POST.get("lieu") or 0).first()
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
                    **_person_kwargs(person_form.cleaned_data),
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


@staff_required
def staff_booking(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "service__organisation", "place", "agent", "session"
        ),
        pk=pk,
    )
    can_manage = permissions.can_manage_booking(request.user, booking)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "attendance":
                services.booking_mark_attendance(
                    booking=booking, attendance=request.POST.get("attendance", ""), by=request.user
                )
                messages.success(request, labels.MSG_ATTENDANCE)
            elif action == "move":
                _place, agent_id, _res, starts_at = parse_slot_key(request.POST.get("slot", ""))
                services.booking_move(
                    booking=booking,
                    starts_at=starts_at,
                    agent=Agent.objects.filter(pk=agent_id).first(),
                    by=request.user,
                )
                messages.success(request, labels.MSG_MOVED)
        except BookingError as error:
            messages.error(request, error.message)
        except ValueError:
            messages.error(request, labels.ERR_SLOT_UNAVAILABLE)
        return redirect("appointments:staff_booking", pk=booking.pk)
    moving = request.GET.get("deplacer") == "1" and booking.status == BookingStatus.BOOKED
    groups = []
    if moving and not booking.session_id:
        groups = _places_with_slots(
            booking.service,
            clock.today(),
            None,
            place_ids=[booking.place_id] if booking.place_id else None,
        )
    return render(
        request,
        "appointments/staff_booking.html",
        {
            "booking": booking,
            "can_manage": can_manage,
            "visio_url": visio.room_url(booking, user_name=request.user.get_full_name()),
            "events": booking.events.select_related("user"),
            "message_logs": booking.messages.all()[:20],
            "attendances": Attendance.choices,
            "when": notifications.when_text(booking.starts_at),
            "moving": moving,
            "groups": groups,
        },
    )


def _managed_booking(request, pk: int) -> Booking:
    """A booking the person sees (404 otherwise) and manages (403 otherwise)."""
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "service__organisation", "place", "agent", "session"
        ),
        pk=pk,
    )
    if not permissions.can_manage_booking(request.user, booking):
        raise PermissionDenied
    return booking


@require_safe
@staff_required
def staff_cancel(request, pk: int):
    """An agent cancels an appointment, step 1: say what will happen, ask for a reason."""
    booking = _managed_booking(request, pk)
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
    booking = _managed_booking(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.booking_cancel(
            booking=booking, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, labels.MSG_CANCELLED)
    return redirect("appointments:staff_booking", pk=booking.pk)


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


@staff_required
def session_attendance(request, pk: int):
    session = _session_for_staff(request, pk)
    seats, waitlist = _session_lists(session)
    register_form = PersonForm(
        request.POST if request.POST.get("action") == "register" else None,
        contact_required=False,
        prefix="inscription",
    )
    if request.method == "POST" and request.POST.get("action") == "register":
        if register_form.is_valid():
            try:
                booking, _token = services.session_register(
                    session=session,
                    by=request.user,
                    via=BookedVia.STAFF,
                    **_person_kwargs(register_form.cleaned_data),
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
    elif request.method == "POST":
        if not permissions.can_manage_session(request.user, session):
            raise PermissionDenied
        try:
            for booking in seats:
                value = request.POST.get(f"presence-{booking.pk}")
                if value is not None and value in Attendance.values and value != booking.attendance:
                    services.booking_mark_attendance(
                        booking=booking, attendance=value, by=request.user
                    )
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, labels.MSG_ATTENDANCE)
        return redirect("appointments:session_attendance", pk=session.pk)
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


@staff_required
def feeds(request):
    user = request.user
    my_agents = Agent.objects.filter(user=user, is_active=True)
    my_places = Place.objects.filter(permissions.feed_places_q(user)).order_by("name")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create_agent":
            agent = get_object_or_404(my_agents, pk=request.POST.get("agent") or 0)
            CalendarFeed.objects.create(kind=FeedKind.AGENT, agent=agent, created_by=user)
        elif action == "create_place":
            place = get_object_or_404(my_places, pk=request.POST.get("place") or 0)
            CalendarFeed.objects.create(kind=FeedKind.PLACE, place=place, created_by=user)
        elif action == "revoke":
            feed_obj = get_object_or_404(
                CalendarFeed, pk=request.POST.get("feed") or 0, created_by=user
            )
            feed_obj.revoked_at = clock.now()
            feed_obj.save(update_fields=["revoked_at"])
        return redirect("appointments:feeds")
    my_feeds = CalendarFeed.objects.filter(created_by=user, revoked_at__isnull=True).select_related(
        "agent", "place"
    )
    return render(
        request,
        "appointments/feeds.html",
        {
            "feeds": [
                {
                    "feed": f,
                    "url": request.build_absolute_uri(reverse("appointments:feed", args=[f.token])),
                }
                for f in my_feeds
            ],
            "my_agents": my_agents,
            "my_places": my_places,
        },
    )


@staff_required
def indicators_view(request):
    dimension = request.GET.get("par", "service")
    if dimension not in indicators.DIMENSIONS:
        dimension = "service"
    year = request.GET.get("annee", "")
    start = end = None
    if year.isdigit():
        zone = timezone.get_current_timezone()
        start = dt.datetime(int(year), 1, 1, tzinfo=zone)
        end = dt.datetime(int(year) + 1, 1, 1, tzinfo=zone)
    visible = Booking.objects.visible_to(request.user)
    rows = indicators.breakdown(dimension, start=start, end=end, bookings=visible)
    if request.GET.get("format") == "csv":
        return _csv_response(
            f"indicateurs-rendez-vous-{dimension}.csv",
            [
                indicators.DIMENSIONS[dimension][1],
                "confirmés",
                "annulés",
                "en attente",
                "présents",
                "absents",
                "excusés",
                "taux d'absence (%)",
            ],
            (
                [
                    r["label"],
                    r["booked"],
                    r["cancelled"],
                    r["waitlisted"],
                    r["present"],
                    r["absent"],
                    r["excused"],
                    "" if r["no_show_rate"] is None else r["no_show_rate"],
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "appointments/indicators.html",
        {
            "rows": rows,
            "dimension": dimension,
            "dimensions": [(k, v[1]) for k, v in indicators.DIMENSIONS.items()],
            "plan": indicators.plan_indicators(start=start, end=end),
            "year": year,
            "csv_query": f"par={dimension}&annee={year}&format=csv",
        },
    )
