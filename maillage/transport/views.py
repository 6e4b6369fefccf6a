"""Pages of the transport app: ride requests (staff form, a person's booking link, a rider's
own page to cancel), the operator's day (tours on a map and as a timeline, planning with
progress, confirmation with messages to riders) and the drivers' sheets (PDF)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from maillage import clock, rate_limits
from maillage.appointments.tokens import booking_from_token
from maillage.client_address import client_address
from maillage.organisations import permissions
from maillage.organisations.models import Organisation
from maillage.spreadsheets import table_response
from maillage.territory.travel import great_circle_km

from . import labels, services
from .current_plan import current_run, ride_stops
from .day_tours import run_tours, tour_records
from .forms import BookingRideForm, DayForm, StaffRideForm
from .labels import HalfDay, RideStatus, RunStatus, StopKind
from .models import PlanningRun, RideRequest, Tour, TourStop
from .tokens import make_ride_token, ride_from_token


def _managed(user):
    if permissions.is_platform_admin(user):
        return Organisation.objects.filter(vehicles__isnull=False).distinct()
    return permissions.organisations_where(user, permissions.TRANSPORT_MANAGE_RIDES)


def _require_manage(user, operator) -> None:
    if not permissions.can_manage_rides(user, operator):
        raise PermissionDenied


@login_required
def home(request):
    """Ride requests one may see, filterable by day and status, exportable as CSV."""
    user = request.user
    if not (permissions.can_request_rides(user) or _managed(user).exists()):
        raise PermissionDenied
    rides = services.visible_requests(user).select_related("commune", "place", "operator")
    day = request.GET.get("jour", "")
    status = request.GET.get("statut", "")
    if day:
        try:
            rides = rides.filter(date=dt.date.fromisoformat(day))
        except ValueError:
            day = ""
    if status in RideStatus.values:
        rides = rides.filter(status=status)
    rides = rides.order_by("-date", "pk")
    if request.GET.get("format") == "csv":
        return _csv(user, rides)
    tomorrow = clock.today() + dt.timedelta(days=1)
    return render(
        request,
        "transport/home.html",
        {
            "rides": rides[:200],
            "operators": _managed(user),
            "can_request": permissions.can_request_rides(user),
            "tomorrow": tomorrow,
            "statuses": RideStatus.choices,
            "day": day,
            "status": status,
        },
    )


def _csv(user, rides) -> HttpResponse:
    headers = [
        "n°",
        "jour",
        "statut",
        "personne",
        "adresse",
        "commune",
        "lieu",
        "aller",
        "retour",
        "besoins",
        "transporteur",
    ]
    sees_by_operator: dict[int, bool] = {}  # one permission check per carrier, not per ride

    def sees(ride) -> bool:
        if ride.operator_id not in sees_by_operator:
            sees_by_operator[ride.operator_id] = permissions.sees_rider_details(user, ride)
        return sees_by_operator[ride.operator_id]

    rows = (
        [
            ride.pk,
            ride.date.isoformat(),
            ride.get_status_display(),
            ride.name,
            ride.address if sees(ride) else "",
            ride.commune.name,
            ride.place.name,
            f"{timezone.localtime(ride.arrive_by):%H:%M}" if ride.arrive_by else "",
            f"{timezone.localtime(ride.leave_after):%H:%M}" if ride.leave_after else "",
            ride.needs_label,
            ride.operator.name,
        ]
        for ride in rides
    )
    return table_response("csv", "demandes-transport", headers, rows)


@login_required
def request_create(request):
    """A mediator or receptionist asks for a ride on someone's behalf."""
    if not permissions.can_request_rides(request.user):
        raise PermissionDenied
    form = StaffRideForm(request.POST or None, operators=services.operators())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ride = services.ride_request_create(
                operator=data["operator"],
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                address=data["address"],
                commune=data["commune"],
                place=data["place"],
                date=data["date"],
                arrive_by=data["arrive_by"],
                leave_after=data["leave_after"],
                outbound=data["outbound"],
                return_trip=data["return_trip"],
                wheelchair=data["wheelchair"],
                companion=data["companion"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, labels.MSG_REQUESTED)
            return redirect("transport:request_detail", pk=ride.pk)
    return render(request, "transport/request_form.html", {"form": form})


@require_safe
@login_required
def request_detail(request, pk: int):
    ride = get_object_or_404(
        services.visible_requests(request.user).select_related("commune", "place", "operator"),
        pk=pk,
    )
    manages = permissions.can_manage_rides(request.user, ride.operator)
    return render(
        request,
        "transport/request_detail.html",
        {
            "ride": ride,
            "sees_address": permissions.sees_rider_details(request.user, ride),
            "manages": manages,
            "events": ride.events.select_related("user"),
            "pickups": _pickups(ride),
        },
    )


def _visible_ride(request, pk: int) -> RideRequest:
    return get_object_or_404(
        services.visible_requests(request.user).select_related("operator"), pk=pk
    )


@require_POST
@login_required
def request_cancel(request, pk: int):
    """Whoever sees a ride may cancel it (the day is re-planned without it)."""
    ride = _visible_ride(request, pk)
    try:
        services.ride_request_cancel(ride=ride, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("transport:request_detail", pk=ride.pk)


@require_POST
@login_required
def request_mark(request, pk: int, status: str):
    """The operator marks a confirmed ride done or the rider absent (`status` from the URL)."""
    ride = _visible_ride(request, pk)
    if not permissions.can_manage_rides(request.user, ride.operator):
        raise PermissionDenied
    try:
        services.ride_request_mark(ride=ride, status=status, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("transport:request_detail", pk=ride.pk)


def _pickups(ride: RideRequest) -> list[TourStop]:
    return ride_stops(ride)


def _nearest_operator(place):
    """For a person asking from her booking: the operator with a depot nearest the place."""
    candidates = [
        (
            great_circle_km(
                (v.depot_latitude, v.depot_longitude), (place.latitude, place.longitude)
            ),
            v.operator,
        )
        for operator in services.operators()
        for v in operator.vehicles.filter(is_active=True)[:1]
    ]
    return min(candidates, key=lambda pair: pair[0])[1] if candidates else None


def booking_ride(request, token: str):
    """A person asks for a ride to her workshop or appointment, from her booking's link.

    Only for a confirmed booking still to come, once per direction (the rides already asked
    are shown with their own links), and a few attempts an hour per booking and per address.
    """
    booking = booking_from_token(token)
    if booking is None or booking.place is None or booking.place.latitude is None:
        raise Http404
    operator = _nearest_operator(booking.place)
    rides = [
        (ride, make_ride_token(ride))
        for ride in RideRequest.objects.active().filter(booking=booking).order_by("pk")
    ]
    open_to_rides = (
        operator is not None
        and booking.is_confirmed
        and not booking.has_started
        and not services.rides_cover_booking(booking)
    )
    form = None
    if open_to_rides:
        initial = {
            "phone": booking.phone,
            "commune": booking.commune.name if booking.commune else "",
        }
        form = BookingRideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form is not None:
        limit = settings.MAILLAGE_TRANSPORT_LINK_REQUESTS_PER_HOUR
        throttled = [
            rate_limits.hit(key, limit=limit, window_seconds=3600)
            for key in (
                f"transport:ride-link:booking:{booking.pk}",
                f"transport:ride-link:address:{client_address(request)}",
            )
        ]
        if any(throttled):
            form.add_error(None, labels.ERR_TOO_MANY_RIDE_REQUESTS)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                ride = services.ride_request_create(
                    operator=operator,
                    booking=booking,
                    name=booking.name,
                    phone=data["phone"] or booking.phone,
                    email=booking.email,
                    address=data["address"],
                    commune=data["commune"],
                    outbound=data["outbound"],
                    return_trip=data["return_trip"],
                    wheelchair=data["wheelchair"],
                    companion=data["companion"],
                    via_link=True,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, labels.MSG_REQUESTED)
                return redirect("transport:rider_ride", token=make_ride_token(ride))
    return render(
        request,
        "transport/booking_ride.html",
        {"booking": booking, "form": form, "operator": operator, "rides": rides},
    )


def rider_ride(request, token: str):
    """The rider's own page (from her SMS or email): pickup times, and cancel."""
    ride = ride_from_token(token)
    if ride is None:
        raise Http404
    may_cancel = services.rider_may_cancel(ride)
    if request.method == "POST":
        if not may_cancel:
            messages.error(request, labels.ERR_TOO_LATE)
        else:
            services.ride_request_cancel(ride=ride, note="annulé par l'usager (lien)")
            messages.success(request, labels.MSG_CANCELLED)
        return redirect("transport:rider_ride", token=token)
    return render(
        request,
        "transport/rider_ride.html",
        {"ride": ride, "pickups": _pickups(ride), "may_cancel": may_cancel, "token": token},
    )


# --- the operator's day --------------------------------------------------------------------


def _operator(user, slug: str) -> Organisation:
    """The carrier named in the URL: 404 if `user` may not even see it, 403 if they may not
    plan its rides."""
    operator = get_object_or_404(permissions.visible_organisations(user), slug=slug)
    _require_manage(user, operator)
    return operator


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise Http404 from error


@login_required
def day(request, slug: str, date: str):
    operator = _operator(request.user, slug)
    day = _day(date)
    half_day = request.GET.get("demi_journee", "")
    if half_day not in HalfDay.values:
        half_day = ""
    run = current_run(operator, day, half_day)
    pending = (
        PlanningRun.objects.filter(
            operator=operator,
            date=day,
            half_day=half_day,
            status__in=[RunStatus.PENDING, RunStatus.RUNNING],
        )
        .order_by("-pk")
        .first()
    )
    tours = run_tours(run)
    rides = (
        RideRequest.objects.filter(operator=operator, date=day)
        .select_related("commune", "place")
        .order_by("status", "pk")
    )
    map_data = {
        "tileUrl": settings.MAILLAGE_MAP_TILE_URL,
        "tileAttribution": settings.MAILLAGE_MAP_TILE_ATTRIBUTION,
        "contoursUrl": reverse("places:communes_geojson"),
        "tours": tour_records(tours),
    }
    unserved_ids = {item["request"] for item in run.unserved} if run else set()
    return render(
        request,
        "transport/day.html",
        {
            "operator": operator,
            "day": day,
            "half_day": half_day,
            "half_days": HalfDay.choices,
            "run": run,
            "pending": pending,
            "tours": tours,
            "rides": rides,
            "unserved_ids": unserved_ids,
            "map_data": map_data,
            "stop_cancelled": labels.STOP_CANCELLED,
            "form": DayForm(initial={"date": day, "half_day": half_day}),
            "submission": uuid.uuid4(),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "to_confirm": bool(run)
            and RideRequest.objects.filter(
                stops__tour__run=run, status=RideStatus.PLANNED
            ).exists(),
        },
    )


@login_required
def day_choose(request, slug: str):
    operator = _operator(request.user, slug)
    form = DayForm(request.GET or None)
    if form.is_valid():
        url = reverse("transport:day", args=[operator.slug, form.cleaned_data["date"].isoformat()])
        if form.cleaned_data["half_day"]:
            url += f"?demi_journee={form.cleaned_data['half_day']}"
        return redirect(url)
    tomorrow = clock.today() + dt.timedelta(days=1)
    return redirect("transport:day", slug=operator.slug, date=tomorrow.isoformat())


@require_POST
@login_required
def plan(request, slug: str, date: str):
    operator = _operator(request.user, slug)
    day = _day(date)
    half_day = request.POST.get("half_day", "")
    if half_day not in HalfDay.values:
        half_day = ""
    try:
        submission = uuid.UUID(request.POST.get("submission", ""))
    except ValueError:
        submission = None
    run = services.planning_run_start(
        operator=operator, date=day, half_day=half_day, by=request.user, submission=submission
    )
    messages.info(request, labels.MSG_PLAN_STARTED)
    return redirect("transport:run", pk=run.pk)


@login_required
def run_status(request, pk: int):
    run = get_object_or_404(PlanningRun.objects.select_related("operator"), pk=pk)
    _require_manage(request.user, run.operator)
    day_url = reverse("transport:day", args=[run.operator.slug, run.date.isoformat()])
    if run.half_day:
        day_url += f"?demi_journee={run.half_day}"
    return render(request, "transport/run.html", {"run": run, "day_url": day_url})


@login_required
def confirm(request, pk: int):
    """GET says who will get which message; POST confirms the rides and sends them."""
    run = get_object_or_404(PlanningRun.objects.select_related("operator"), pk=pk)
    _require_manage(request.user, run.operator)
    url = reverse("transport:day", args=[run.operator.slug, run.date.isoformat()])
    day_url = url + (f"?demi_journee={run.half_day}" if run.half_day else "")
    if request.method == "POST":
        count = services.plan_confirm(run=run, by=request.user)
        messages.success(request, labels.MSG_CONFIRMED.format(count=count))
        return redirect(day_url)
    rides = list(services.rides_to_confirm(run))
    return render(
        request,
        "transport/confirm.html",
        {
            "run": run,
            "rides": rides,
            "day_url": day_url,
        },
    )


@require_safe
@login_required
def driver_sheet(request, pk: int):
    """The driver's sheet for one tour, as a PDF: stops, times, names, phone numbers."""
    from weasyprint import HTML

    tour = get_object_or_404(
        Tour.objects.select_related("vehicle", "driver", "run__operator"), pk=pk
    )
    _require_manage(request.user, tour.run.operator)
    stops = tour.stops.select_related("request__commune", "request__place")
    run = tour.run
    superseded = current_run(run.operator, run.date, run.half_day) != run
    html = render_to_string(
        "transport/driver_sheet.html",
        {
            "tour": tour,
            "stops": stops,
            "operator": run.operator,
            "StopKind": StopKind,
            "stop_cancelled": labels.STOP_CANCELLED,
            "superseded": labels.SHEET_SUPERSEDED if superseded else "",
        },
        request=request,
    )
    if request.GET.get("format") == "html":
        return HttpResponse(html)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"feuille-de-route-{tour.run.date.isoformat()}-{tour.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def home_visits(request):
    """A mediator's round of home visits, planned from her base (`home_visits.py`)."""
    from maillage.territory.geocoding import geocode_address

    from .forms import HomeVisitsForm
    from .home_visits import Visit, plan_home_visits

    if not permissions.can_request_rides(request.user):
        raise PermissionDenied
    # Addresses are personal data: sent by POST, never in the URL or the server's log.
    form = HomeVisitsForm(request.POST or None)
    result = None
    positions = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base = geocode_address(data["base"])
        if base is None:
            form.add_error("base", labels.ERR_NO_POSITION)
        visits = []
        for number, (address, duration, windows) in enumerate(data["visits"], start=1):
            found = geocode_address(address)
            if found is None:
                form.add_error("visits", f"Ligne {number} : {labels.ERR_NO_POSITION}")
                continue
            positions.append(found)
            visits.append(
                Visit(
                    label=address,
                    latitude=found.latitude,
                    longitude=found.longitude,
                    duration=duration,
                    windows=windows or ((data["start"], data["end"]),),
                    key=number,
                )
            )
        if not form.errors:
            result = plan_home_visits(
                mediator=request.user,
                date=data["date"],
                visits=visits,
                base=base.point,
                start=data["start"],
                end=data["end"],
            )
    approximate = {position.label for position in positions if position.approximate}
    return render(
        request,
        "transport/home_visits.html",
        {"form": form, "result": result, "approximate": approximate},
    )
