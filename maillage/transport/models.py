"""On-demand transport: the fleet (vehicles, drivers, shifts), ride requests and planned tours.

A `RideRequest` is one person's trip to a workshop, an appointment or a place and/or back home;
each leg (outbound, return) becomes one pickup-and-delivery request of the planner. Its status
changes only through `transition()`, and every change is logged in `RideRequestEvent`.

A `PlanningRun` is one run of the planner for an operator's day (or half-day); the latest
finished run of a day is *the* plan: its `Tour`s and their `TourStop`s, in order, with times.
Riders' addresses and phone numbers are personal data: shown only to the operator and admins,
erased after `MAILLAGE_TRANSPORT_RETENTION_MONTHS` (`services.ride_requests_anonymise`).
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maillage.append_only import AppendOnlyModel
from maillage.appointments.labels import Weekday

from .labels import (
    ACTIVE_STATUSES,
    ERR_TRANSITION,
    HOME_STOPS,
    RIDE_STATUS_BADGE,
    RIDE_TRANSITIONS,
    HalfDay,
    Leg,
    RideStatus,
    RunKind,
    RunStatus,
    StopKind,
)


def all_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class Vehicle(models.Model):
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="transporteur",
        on_delete=models.PROTECT,
        related_name="vehicles",
    )
    label = models.CharField("nom du véhicule", max_length=100)
    seats = models.PositiveSmallIntegerField(
        "places assises (passagers)", validators=[MinValueValidator(1)]
    )
    wheelchair_places = models.PositiveSmallIntegerField("places fauteuil roulant", default=0)
    depot_address = models.CharField("adresse du dépôt", max_length=250)
    depot_latitude = models.FloatField("latitude du dépôt")
    depot_longitude = models.FloatField("longitude du dépôt")
    weekdays = models.JSONField(
        "jours de disponibilité",
        default=all_weekdays,
        help_text="Numéros des jours : 0 = lundi … 6 = dimanche.",
    )
    available_from = models.TimeField("disponible à partir de", default="08:00")
    available_until = models.TimeField("disponible jusqu'à", default="18:00")
    is_active = models.BooleanField("en service", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "véhicule"
        ordering = ["operator", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__gt=models.F("available_from")),
                name="vehicle_availability_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def weekday_labels(self) -> str:
        return ", ".join(Weekday(day).label for day in sorted(self.weekdays))

    def available_on(self, date) -> bool:
        return self.is_active and date.weekday() in self.weekdays


class Driver(models.Model):
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="transporteur",
        on_delete=models.PROTECT,
        related_name="drivers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "chauffeur"
        ordering = ["operator", "name"]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A driver at the wheel of a vehicle on a day, from `start` to `end`."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="shifts")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="shifts")
    date = models.DateField("jour", db_index=True)
    start = models.TimeField("début")
    end = models.TimeField("fin")

    class Meta:
        verbose_name = "service de chauffeur"
        verbose_name_plural = "services de chauffeurs"
        ordering = ["date", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="shift_ordered"),
            models.UniqueConstraint(
                fields=["vehicle", "date", "start"], name="one_shift_per_vehicle_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.driver} — {self.vehicle}, {self.date:%d/%m/%Y} {self.start:%H:%M}"

    def clean(self) -> None:
        if (
            self.driver_id
            and self.vehicle_id
            and self.driver.operator_id != (self.vehicle.operator_id)
        ):
            raise ValidationError("Le chauffeur et le véhicule doivent être du même transporteur.")


class RideRequestQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def on(self, date):
        return self.filter(date=date)


class RideRequest(models.Model):
    uid = models.UUIDField("identifiant du lien", default=uuid.uuid4, unique=True)
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="transporteur",
        on_delete=models.PROTECT,
        related_name="ride_requests",
    )
    booking = models.ForeignKey(
        "appointments.Booking",
        verbose_name="rendez-vous ou atelier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ride_requests",
    )
    status = models.CharField(
        "statut", max_length=12, choices=RideStatus.choices, default=RideStatus.REQUESTED
    )
    date = models.DateField("jour", db_index=True)
    # The person (minimal; erased after the retention period).
    name = models.CharField("nom ou pseudonyme", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("courriel", blank=True)
    # Home: where the driver picks the person up (outbound) and drops them (return).
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", on_delete=models.PROTECT
    )
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    approximate = models.BooleanField("position approximative", default=False)
    position_note = models.CharField("précision de la position", max_length=250, blank=True)
    # Destination: a place of help (or the booking's place).
    place = models.ForeignKey(
        "places.Place", verbose_name="lieu", on_delete=models.PROTECT, related_name="ride_requests"
    )
    # Legs and their times: arrive before `arrive_by` (outbound), leave after `leave_after`.
    outbound = models.BooleanField("aller", default=True)
    return_trip = models.BooleanField("retour", default=True)
    arrive_by = models.DateTimeField("arrivée au plus tard", null=True, blank=True)
    leave_after = models.DateTimeField("départ au plus tôt", null=True, blank=True)
    wheelchair = models.BooleanField("en fauteuil roulant", default=False)
    companion = models.BooleanField("accompagnée d'une personne", default=False)
    note = models.TextField("note pour le transporteur", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = RideRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de transport"
        verbose_name_plural = "demandes de transport"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outbound=True) | Q(return_trip=True), name="ride_has_a_leg"
            ),
            models.CheckConstraint(
                condition=Q(outbound=False) | Q(arrive_by__isnull=False),
                name="ride_outbound_has_arrival",
            ),
            models.CheckConstraint(
                condition=Q(return_trip=False) | Q(leave_after__isnull=False),
                name="ride_return_has_departure",
            ),
            # One live ride per booking and direction: asking again from the link, or twice
            # at once, cannot multiply rides (and planning runs).
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False, outbound=True, status__in=ACTIVE_STATUSES),
                name="one_live_outbound_ride_per_booking",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False, return_trip=True, status__in=ACTIVE_STATUSES),
                name="one_live_return_ride_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"Transport n° {self.pk} — {self.date:%d/%m/%Y}"

    @property
    def links_expire_at(self) -> dt.datetime:
        """When the rider's link stops working: the end of the booking it serves, or else the
        end of the ride's day, plus `MAILLAGE_LINK_GRACE_HOURS`."""
        if self.booking is not None:
            return self.booking.links_expire_at
        end_of_day = timezone.make_aware(
            dt.datetime.combine(self.date + dt.timedelta(days=1), dt.time())
        )
        return end_of_day + dt.timedelta(hours=settings.MAILLAGE_LINK_GRACE_HOURS)

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    @property
    def legs(self) -> list[str]:
        return [
            leg
            for leg, asked in ((Leg.OUTBOUND, self.outbound), (Leg.RETURN, self.return_trip))
            if asked
        ]

    @property
    def legs_label(self) -> str:
        """ "aller et retour", "aller" or "retour"."""
        return " et ".join(Leg(leg).label for leg in self.legs)

    @property
    def seats_needed(self) -> int:
        """Seats taken besides a wheelchair place: the companion, and the rider if seated."""
        return (0 if self.wheelchair else 1) + (1 if self.companion else 0)

    @property
    def needs_label(self) -> str:
        needs = []
        if self.wheelchair:
            needs.append("fauteuil roulant")
        if self.companion:
            needs.append("accompagnateur")
        return ", ".join(needs) or "aucun"

    def may_become(self, status: str) -> bool:
        return status in RIDE_TRANSITIONS[self.status]

    @property
    def may_be_cancelled(self) -> bool:
        """The transition table lets it be cancelled (it is not over yet)."""
        return self.may_become(RideStatus.CANCELLED)

    @property
    def may_be_marked(self) -> bool:
        """The operator may mark it done or the rider absent (the table allows both)."""
        return self.may_become(RideStatus.DONE) and self.may_become(RideStatus.NO_SHOW)

    @property
    def is_cancelled(self) -> bool:
        return self.status == RideStatus.CANCELLED

    @property
    def status_badge(self) -> str:
        return RIDE_STATUS_BADGE.get(self.status, "new")

    def transition(self, to_status: str, *, by=None, note: str = "", action: str = "") -> None:
        """Change the status if the transition is declared, and log it."""
        if not self.may_become(to_status):
            raise ValidationError(
                ERR_TRANSITION.format(
                    from_status=self.get_status_display(),
                    to_status=RideStatus(to_status).label,
                )
            )
        before = self.status
        self.status = to_status
        self.save(update_fields=["status", "modified_at"])
        RideRequestEvent.objects.create(
            request=self,
            action=action or to_status,
            from_status=before,
            to_status=to_status,
            user=by if by is not None and getattr(by, "is_authenticated", False) else None,
            note=note,
        )

    def log(self, action: str, *, by=None, note: str = "") -> None:
        RideRequestEvent.objects.create(
            request=self,
            action=action,
            from_status=self.status,
            to_status=self.status,
            user=by if by is not None and getattr(by, "is_authenticated", False) else None,
            note=note,
        )


class RideRequestEvent(AppendOnlyModel):
    """Every status change of a ride request (and every message sent about it)."""

    request = models.ForeignKey(RideRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "historique de demande de transport"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action_label} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def action_label(self) -> str:
        from .labels import RIDE_EVENT_LABELS

        return RIDE_EVENT_LABELS.get(self.action, self.action)

    @property
    def status_change(self) -> str:
        """« demandé → planifié » when the status changed, else ""."""
        if not self.to_status or self.to_status == self.from_status:
            return ""
        before = RideStatus(self.from_status).label if self.from_status else ""
        return f"{before} → {RideStatus(self.to_status).label}".strip(" →")


class PlanningRun(models.Model):
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="transporteur",
        on_delete=models.CASCADE,
        related_name="planning_runs",
    )
    date = models.DateField("jour")
    half_day = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices, blank=True)
    kind = models.CharField(max_length=8, choices=RunKind.choices, default=RunKind.PLAN)
    status = models.CharField(
        "état", max_length=8, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField("résumé", default=dict, blank=True)
    unserved = models.JSONField(
        "demandes non servies",
        default=list,
        blank=True,
        help_text="[{request, leg, reason, message}]",
    )
    error = models.TextField(blank=True)
    # The "Planifier" form's one-time id: a second click (or a resent form) finds this run.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "planification"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A run still waiting for the worker absorbs every later request of its day: it
            # reads the requests when it starts.
            models.UniqueConstraint(
                fields=["operator", "date", "half_day"],
                condition=Q(status=RunStatus.PENDING),
                name="one_pending_run_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def has_failed(self) -> bool:
        return self.status == RunStatus.FAILED

    @property
    def unserved_rows(self) -> list[dict]:
        """The legs left unserved as the day's page lists them, each with its leg in words."""
        return [item | {"leg_label": Leg(item["leg"]).label} for item in self.unserved]


class Tour(models.Model):
    run = models.ForeignKey(PlanningRun, on_delete=models.CASCADE, related_name="tours")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="tours")
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="tours"
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.SET_NULL, null=True, blank=True, related_name="tours"
    )
    starts_at = models.DateTimeField("départ")
    ends_at = models.DateTimeField("retour")
    minutes = models.FloatField("temps de conduite (min)")
    km = models.FloatField("distance (km)", default=0)
    geometry = models.JSONField(
        "tracé (GeoJSON, OSRM)",
        null=True,
        blank=True,
        help_text="Le tracé routier de la tournée quand un serveur OSRM est configuré.",
    )

    class Meta:
        verbose_name = "tournée"
        ordering = ["run", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.vehicle} — {self.starts_at:%d/%m/%Y}"


class TourStopQuerySet(models.QuerySet):
    def at_home(self) -> TourStopQuerySet:
        """The stops at riders' homes (see `TourStop.at_home`)."""
        return self.filter(
            reduce(operator.or_, (Q(kind=kind, leg=leg) for kind, leg in HOME_STOPS))
        )


class TourStop(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField("ordre")
    kind = models.CharField(max_length=8, choices=StopKind.choices)
    request = models.ForeignKey(
        RideRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="stops"
    )
    leg = models.CharField(max_length=8, choices=Leg.choices, blank=True)
    arrival_at = models.DateTimeField("arrivée")
    service_at = models.DateTimeField("heure de passage")
    latitude = models.FloatField()
    longitude = models.FloatField()
    label = models.CharField("lieu", max_length=250)

    objects = TourStopQuerySet.as_manager()

    class Meta:
        verbose_name = "arrêt"
        ordering = ["tour", "order"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "order"], name="one_stop_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.service_at:%H:%M}"

    @property
    def at_home(self) -> bool:
        """At the rider's home: picked up there on the way out, dropped there on the way back.
        Its label is the rider's address, which only those who see riders' details read."""
        return (self.kind, self.leg) in HOME_STOPS

    @property
    def rider_cancelled(self) -> bool:
        """The rider's ride was cancelled after this plan was made: until the re-plan replaces
        the tour, its pages and the driver's sheet say not to go."""
        return self.request is not None and self.request.is_cancelled

    @property
    def position_is_approximate(self) -> bool:
        """At a home whose position is only the commune's: the driver calls the rider."""
        return self.at_home and self.request is not None and self.request.approximate
