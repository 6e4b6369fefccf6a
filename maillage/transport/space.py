"""The transport panel of "Mon espace": for a carrier, today's ride requests and the tours
of the day's current plan."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse

from maillage.organisations import permissions
from maillage.organisations.space import Panel, register_panel

from .labels import RideStatus, RunStatus, StopKind
from .models import PlanningRun, RideRequest, Tour

# Requests still to carry out.
WAITING = [RideStatus.REQUESTED, RideStatus.PLANNED, RideStatus.CONFIRMED]


def tours_panel(user, *, today: dt.date) -> Panel | None:
    """Per carrier the person plans for: today's requests by state, the tours of the latest
    finished planning of each half-day, and the next day with requests (five queries,
    whatever the fleet)."""
    if not permissions.can_anywhere(user, permissions.TRANSPORT_MANAGE_RIDES):
        return None
    operators = list(
        permissions.organisations_where(user, permissions.TRANSPORT_MANAGE_RIDES)
        .filter(Q(ride_requests__date=today) | Q(vehicles__isnull=False))
        .distinct()
        .order_by("name")
    )
    counts = {
        row["operator_id"]: row
        for row in RideRequest.objects.filter(operator__in=operators, date=today)
        .values("operator_id")
        .annotate(
            to_plan=Count("pk", filter=Q(status=RideStatus.REQUESTED)),
            planned=Count("pk", filter=Q(status__in=[RideStatus.PLANNED, RideStatus.CONFIRMED])),
        )
    }
    # The next day with requests, so a quiet day still says what comes.
    next_days = {
        row["operator_id"]: row["day"]
        for row in RideRequest.objects.filter(
            operator__in=operators, date__gt=today, status__in=WAITING
        )
        .values("operator_id")
        .annotate(day=Min("date"))
    }
    # The current plan of each (carrier, half-day): its latest finished run.
    current: dict[tuple[int, str], int] = {}
    for run in PlanningRun.objects.filter(
        operator__in=operators, date=today, status=RunStatus.DONE
    ).order_by("finished_at", "pk"):
        current[(run.operator_id, run.half_day)] = run.pk
    tours_by_operator: dict[int, list] = {}
    for tour in (
        Tour.objects.filter(run_id__in=current.values())
        .select_related("vehicle", "driver", "run")
        .annotate(pickups=Count("stops", filter=Q(stops__kind=StopKind.PICKUP)))
        .order_by("starts_at", "pk")
    ):
        tours_by_operator.setdefault(tour.run.operator_id, []).append(tour)
    day = today.isoformat()
    entries = [
        {
            "operator": operator,
            "to_plan": counts.get(operator.pk, {}).get("to_plan", 0),
            "planned": counts.get(operator.pk, {}).get("planned", 0),
            "tours": tours_by_operator.get(operator.pk, []),
            "url": reverse("transport:day", args=[operator.slug, day]),
            "next_day": next_days.get(operator.pk),
            "next_url": reverse("transport:day", args=[operator.slug, next_days[operator.pk]])
            if operator.pk in next_days
            else "",
        }
        for operator in operators
    ]
    return Panel(
        title="Tournées du jour",
        template="transport/space/tours.html",
        context={"entries": entries},
    )


def register() -> None:
    register_panel("transport.tours", 50, tours_panel)
