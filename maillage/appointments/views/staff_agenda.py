"""The staff agenda by day or week (filters by place, agent and status; CSV export) and the
appointment indicators (breakdowns by service, place, operator or commune; CSV export)."""

from django.shortcuts import render

from maillage import clock
from maillage.organisations import permissions
from maillage.spreadsheets import table_response

from .. import indicators
from ..agenda import (
    AGENDA_HEADER,
    Window,
    agenda_bookings,
    agenda_rows,
    agenda_sessions,
    filter_agents,
    filter_places,
    week_calendar,
)
from ..labels import BookingStatus
from ..models import Agent, Booking
from .common import parse_date, parse_id, staff_required


@staff_required
def agenda(request):
    user = request.user
    today = clock.today()
    window = Window(
        day=parse_date(request.GET.get("jour"), today), week=request.GET.get("vue") == "semaine"
    )
    place_id = request.GET.get("lieu") or ""
    agent_id = request.GET.get("agent") or ""
    status = request.GET.get("statut") or ""
    bookings = agenda_bookings(
        user, window, place_id=parse_id(place_id), agent_id=parse_id(agent_id), status=status
    )
    if request.GET.get("format") == "csv":
        return table_response(
            "csv",
            f"rendez-vous-{window.start_day.isoformat()}",
            AGENDA_HEADER,
            agenda_rows(bookings),
        )
    sessions = agenda_sessions(user, window)
    query = request.GET.copy()
    query["format"] = "csv"
    nav = request.GET.copy()
    for key in ("jour", "format"):
        nav.pop(key, None)
    nav["vue"] = "semaine" if window.week else "jour"
    return render(
        request,
        "appointments/agenda.html",
        {
            "calendar": week_calendar(window.start_day, bookings, sessions, today)
            if window.week
            else [],
            "nav_query": nav.urlencode(),
            "own_agents": list(Agent.objects.filter(user=user, is_active=True).order_by("name")),
            "sets_availability": permissions.can_anywhere(
                user,
                permissions.APPOINTMENTS_MANAGE_AGENDA,
                permissions.ORGANISATION_MANAGE_MEMBERS,
            ),
            "bookings": bookings,
            "sessions": sessions,
            "day": window.day,
            "week": window.week,
            "start_day": window.start_day,
            "end_day": window.last_day,
            "previous": window.previous,
            "next": window.next,
            "places": filter_places(user),
            "agents": filter_agents(user),
            "place_id": place_id,
            "agent_id": agent_id,
            "status": status,
            "statuses": BookingStatus.choices,
            "csv_query": query.urlencode(),
        },
    )


@staff_required
def indicators_view(request):
    dimension = request.GET.get("par", "service")
    if dimension not in indicators.DIMENSIONS:
        dimension = "service"
    year = request.GET.get("annee", "")
    start, end = indicators.year_bounds(int(year) if year.isdigit() else None)
    visible = Booking.objects.visible_to(request.user)
    rows = indicators.breakdown(dimension, start=start, end=end, bookings=visible)
    if request.GET.get("format") == "csv":
        return table_response(
            "csv",
            f"indicateurs-rendez-vous-{dimension}",
            indicators.breakdown_header(dimension),
            indicators.breakdown_rows(rows),
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
