"""Appointments: public services and their free slots (no login), and the indicators
(logged-in staff with an appointments role). Booking itself goes through the web pages,
which hold a slot while the person fills the form."""

import datetime as dt
from enum import Enum
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from maillage import clock
from maillage.appointments import indicators
from maillage.appointments.models import Booking, Service
from maillage.appointments.slots import service_slots
from maillage.organisations import permissions

from .errors import Id, errors

router = Router(tags=["Rendez-vous"])
MAX_DAYS = 31


IndicatorDimension = Enum(
    "IndicatorDimension", {key.upper(): key for key in indicators.DIMENSIONS}, type=str
)


class ServiceOut(Schema):
    id: int
    name: str
    organisation: str
    kind: str
    duration_minutes: int
    price_cents: int
    documents: list[str]
    place_ids: list[int]

    @staticmethod
    def resolve_organisation(obj: Service) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_documents(obj: Service) -> list[str]:
        return obj.document_list

    @staticmethod
    def resolve_place_ids(obj: Service) -> list[int]:
        return [p.pk for p in obj.places.all()]


class SlotOut(Schema):
    place_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime


class IndicatorRow(Schema):
    label: str
    booked: int
    cancelled: int
    waitlisted: int
    present: int
    absent: int
    excused: int
    no_show_rate: int | None


class AppointmentPlanIndicatorsOut(Schema):
    visio_users: int
    visio_appointments_held: int
    visio_operators: int
    workshops_held: int
    workshop_participants: int


class IndicatorsOut(Schema):
    rows: list[IndicatorRow]
    plan: AppointmentPlanIndicatorsOut


@router.get("/appointments/services", response=list[ServiceOut], summary="Motifs réservables")
def list_services(request):
    return Service.objects.public().select_related("organisation").prefetch_related("places")


@router.get(
    "/appointments/services/{service_id}/slots",
    response={200: list[SlotOut], **errors(404, 422)},
    summary="Créneaux libres d'un motif",
)
def list_slots(
    request,
    service_id: Id,
    start: dt.date | None = None,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 14,
):
    service = get_object_or_404(Service.objects.public(), pk=service_id)
    start = max(start or clock.today(), clock.today())
    found = service_slots(service, start=start, end=start + dt.timedelta(days=days - 1))
    return [
        {"place_id": place_id, "starts_at": s.starts_at, "ends_at": s.ends_at}
        for place_id, slots in found.items()
        for s in slots
    ]


@router.get(
    "/appointments/indicators",
    response={200: IndicatorsOut, **errors(401, 403, 422)},
    summary="Indicateurs des rendez-vous",
)
def list_indicators(request, by: IndicatorDimension = IndicatorDimension.SERVICE):
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "Connexion requise.")
    if not permissions.is_appointments_staff(user):
        raise HttpError(403, "Accès réservé.")
    rows = indicators.breakdown(by.value, bookings=Booking.objects.visible_to(user))
    return {"rows": rows, "plan": indicators.plan_indicators().__dict__}
