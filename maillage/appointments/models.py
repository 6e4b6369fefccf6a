"""Bookable services, agents' schedules, resources, workshop sessions, bookings.

Who is busy when lives in one table, `Occupation`: a booking (or a workshop session) writes
one row per party it needs — the agent, the Point Visio room, the home-visiting mediator —
covering the appointment plus its buffers. On PostgreSQL an exclusion constraint (btree_gist,
migration 0002) forbids two active rows of one party overlapping, unless one was forced by
an agent through the logged `booking_force` path. Seats of a workshop session are bookings
counted under the session's row lock (`locking.py`).
"""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from maillage import clock
from maillage.append_only import AppendOnlyModel

from .labels import (
    Attendance,
    BookableBy,
    BookedVia,
    BookingStatus,
    Channel,
    FeedKind,
    MessageKind,
    MessageStatus,
    PartyType,
    ResourceKind,
    ServiceKind,
    SessionStatus,
    Weekday,
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# The longest buffer before or after an appointment. A day's free slots then depend only on
# what is busy within this reach of that day (`slots.REACH`), which is what lets the slot
# cache forget just the day a booking falls on (`slot_cache.touch`).
MAX_BUFFER_MINUTES = 180


class Agent(models.Model):
    """A person whose time can be booked: a partner's adviser, a mediator, an animator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.PROTECT,
        related_name="agent_profiles",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="agents",
    )
    name = models.CharField("nom affiché", max_length=150)
    is_active = models.BooleanField("actif", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "agent"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    """Something booked along with an agent: a Point Visio room, a kit, later a vehicle."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name="organisation", on_delete=models.PROTECT
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name="lieu",
        on_delete=models.CASCADE,
        related_name="resources",
        null=True,
        blank=True,
    )
    kind = models.CharField("type", max_length=20, choices=ResourceKind.choices)
    name = models.CharField("nom", max_length=150)
    is_active = models.BooleanField("active", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "ressource"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceQuerySet(models.QuerySet):
    def public(self) -> "ServiceQuerySet":
        return self.filter(is_active=True, bookable_by=BookableBy.PUBLIC)


class Service(models.Model):
    """A "motif": what can be booked, for how long, by whom, and what to bring."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="appointment_services",
    )
    name = models.CharField("nom", max_length=150)
    description = models.TextField("présentation", blank=True)
    kind = models.CharField("type", max_length=20, choices=ServiceKind.choices)
    bookable_by = models.CharField(
        "qui réserve", max_length=10, choices=BookableBy.choices, default=BookableBy.PUBLIC
    )
    duration_minutes = models.PositiveIntegerField(
        "durée (minutes)", validators=[MinValueValidator(5)]
    )
    buffer_before_minutes = models.PositiveIntegerField(
        "battement avant (minutes)",
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=f"{MAX_BUFFER_MINUTES} minutes au plus.",
    )
    buffer_after_minutes = models.PositiveIntegerField(
        "battement après (minutes)",
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text=f"{MAX_BUFFER_MINUTES} minutes au plus.",
    )
    min_delay_hours = models.PositiveIntegerField(
        "délai minimal de réservation (heures)", default=2
    )
    max_delay_days = models.PositiveIntegerField(
        "réservable jusqu'à (jours)", default=60, validators=[MinValueValidator(1)]
    )
    price_cents = models.PositiveIntegerField(
        "prix (centimes)", default=0, help_text="0 : gratuit."
    )
    documents = models.TextField(
        "pièces à fournir",
        blank=True,
        help_text="Une pièce par ligne ; rappelées dans la confirmation et les rappels.",
    )
    reminder_offsets_minutes = models.JSONField(
        "rappels (minutes avant)",
        default=list,
        blank=True,
        help_text="Ex. : [2880, 120] pour 2 jours et 2 heures avant.",
    )
    resource_kind = models.CharField(
        "ressource nécessaire",
        max_length=20,
        choices=ResourceKind.choices,
        blank=True,
        help_text="Point Visio : la salle du lieu choisi doit aussi être libre.",
    )
    agents = models.ManyToManyField(Agent, verbose_name="agents", related_name="services")
    places = models.ManyToManyField(
        "places.Place", verbose_name="lieux", related_name="appointment_services", blank=True
    )
    is_active = models.BooleanField("actif", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "motif de rendez-vous"
        verbose_name_plural = "motifs de rendez-vous"
        ordering = ["organisation__name", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(buffer_before_minutes__lte=MAX_BUFFER_MINUTES)
                & Q(buffer_after_minutes__lte=MAX_BUFFER_MINUTES),
                name="service_buffers_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.buffer_after_minutes)

    @property
    def price_text(self) -> str:
        if not self.price_cents:
            return "Gratuit"
        euros, cents = divmod(self.price_cents, 100)
        return f"{euros} €" if not cents else f"{euros},{cents:02d} €"

    @property
    def is_public(self) -> bool:
        """Anyone books it online, without an account."""
        return self.bookable_by == BookableBy.PUBLIC

    @property
    def is_partner_only(self) -> bool:
        """Only the agents of the service's organisation book it."""
        return self.bookable_by == BookableBy.PARTNER

    @property
    def at_place(self) -> bool:
        return self.kind in {ServiceKind.INDIVIDUAL, ServiceKind.WORKSHOP, ServiceKind.VISIO}

    @property
    def is_visio(self) -> bool:
        return self.kind == ServiceKind.VISIO

    @property
    def is_workshop(self) -> bool:
        """Booked seat by seat in the sessions of a workshop, not slot by slot."""
        return self.kind == ServiceKind.WORKSHOP

    @property
    def needed_resource_kind(self) -> str:
        if self.resource_kind:
            return self.resource_kind
        return ResourceKind.VISIO_ROOM if self.is_visio else ""


class WeeklyRule(models.Model):
    """A recurring opening window of an agent (at a place, or remote) or of a resource."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="rules", null=True, blank=True
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="rules", null=True, blank=True
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name="lieu",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="Vide : à distance (visio, téléphone) ou à domicile.",
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start_time = models.TimeField("de")
    end_time = models.TimeField("à")
    valid_from = models.DateField("à partir du", null=True, blank=True)
    valid_until = models.DateField("jusqu'au", null=True, blank=True)
    every_weeks = models.PositiveSmallIntegerField("toutes les … semaines", default=1)

    class Meta:
        verbose_name = "plage d'ouverture"
        verbose_name_plural = "plages d'ouverture"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="rule_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(agent__isnull=False, resource__isnull=True)
                | Q(agent__isnull=True, resource__isnull=False),
                name="rule_one_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{Weekday(self.weekday).label} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def applies_on(self, day: dt.date) -> bool:
        if day.weekday() != self.weekday:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        if self.every_weeks > 1:
            origin = self.valid_from or dt.date(2024, 1, 1)
            weeks = (day - origin).days // 7
            return weeks % self.every_weeks == 0
        return True


class Absence(models.Model):
    """An exception to the weekly rules: leave, training, a closed room."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="absences", null=True, blank=True
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="absences", null=True, blank=True
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    reason = models.CharField("motif", max_length=200, blank=True)

    class Meta:
        verbose_name = "absence"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason or 'Absence'} ({self.starts_at:%d/%m/%Y})"


class WorkshopSeries(models.Model):
    """A recurring workshop: e.g. every Tuesday 14:00–15:30 at Chalais."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="series")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT)
    agent = models.ForeignKey(
        Agent, verbose_name="animateur", on_delete=models.PROTECT, null=True, blank=True
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start_time = models.TimeField("heure")
    capacity = models.PositiveIntegerField("places", validators=[MinValueValidator(1)])
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au")

    class Meta:
        verbose_name = "série d'ateliers"
        verbose_name_plural = "séries d'ateliers"

    def __str__(self) -> str:
        return f"{self.service.name} — {Weekday(self.weekday).label} {self.start_time:%H:%M}"


class SessionQuerySet(models.QuerySet):
    def with_seats(self) -> "SessionQuerySet":
        return self.annotate(
            seats_taken=models.Count(
                "bookings",
                filter=Q(bookings__status__in=[BookingStatus.HELD, BookingStatus.BOOKED]),
            )
        )


class Session(models.Model):
    """One workshop session with a seat count."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="sessions")
    series = models.ForeignKey(
        WorkshopSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="sessions")
    agent = models.ForeignKey(
        Agent, verbose_name="animateur", on_delete=models.PROTECT, null=True, blank=True
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    capacity = models.PositiveIntegerField("places", validators=[MinValueValidator(1)])
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance d'atelier"
        verbose_name_plural = "séances d'ateliers"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.UniqueConstraint(fields=["series", "starts_at"], name="session_once_per_series"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.service.name} — {local:%d/%m/%Y %H:%M}"

    @property
    def has_started(self) -> bool:
        """Attendance is noted once a session has started, never before."""
        return self.starts_at <= clock.now()

    def seats_taken_now(self) -> int:
        return self.bookings.filter(status__in=[BookingStatus.HELD, BookingStatus.BOOKED]).count()


class BookingQuerySet(models.QuerySet):
    def active(self) -> "BookingQuerySet":
        return self.filter(status__in=[BookingStatus.HELD, BookingStatus.BOOKED])

    def visible_to(self, user) -> "BookingQuerySet":
        """Bookings `user` sees (`permissions.visible_bookings_q`)."""
        from maillage.organisations import permissions

        return self.filter(permissions.visible_bookings_q(user))


class Booking(models.Model):
    """A rendez-vous (or a seat in a workshop session, or a waitlist entry)."""

    uid = models.UUIDField("identifiant calendrier", default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    status = models.CharField(
        "statut", max_length=12, choices=BookingStatus.choices, default=BookingStatus.HELD
    )
    hold_expires_at = models.DateTimeField("retenu jusqu'à", null=True, blank=True)
    attendance = models.CharField(
        "présence", max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    forced = models.BooleanField("chevauchement forcé", default=False)
    sequence = models.PositiveIntegerField("version (calendrier)", default=0)
    # The person: a name or pseudonym, a way to reach them.
    name = models.CharField("nom ou pseudonyme", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("courriel", blank=True)
    address = models.CharField("adresse (visite à domicile)", max_length=250, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune de la personne",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    consent_reminders = models.BooleanField("accepte les rappels", default=False)
    note = models.TextField("note de l'agent", blank=True)
    booked_via = models.CharField(max_length=10, choices=BookedVia.choices, default=BookedVia.SELF)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visio_room = models.CharField("salle de visio", max_length=100, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    anonymised_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                name="booking_hold_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "hold_expires_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.service.name} — {local:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in (BookingStatus.HELD, BookingStatus.BOOKED)

    @property
    def is_confirmed(self) -> bool:
        """Booked for good: not held, waitlisted, cancelled nor expired."""
        return self.status == BookingStatus.BOOKED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == BookingStatus.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == BookingStatus.CANCELLED

    @property
    def is_upcoming(self) -> bool:
        """Confirmed and not started: the person is expected (and attendance not yet due)."""
        return self.is_confirmed and not self.has_started

    @property
    def can_be_moved(self) -> bool:
        """An upcoming appointment (not a workshop seat) may move: what `booking_move` checks."""
        return self.is_upcoming and not self.session_id

    @property
    def offers_calendar_file(self) -> bool:
        """Only a confirmed appointment is offered as an .ics file for the person's calendar."""
        return self.is_confirmed

    @property
    def status_badge(self) -> str:
        """The DSFR badge colour of the status, or "" (grey)."""
        from .labels import BOOKING_STATUS_BADGE

        return BOOKING_STATUS_BADGE.get(self.status, "")

    @property
    def hold_is_live(self) -> bool:
        return (
            self.status == BookingStatus.HELD
            and self.hold_expires_at is not None
            and self.hold_expires_at > clock.now()
        )

    @property
    def has_started(self) -> bool:
        return self.starts_at <= clock.now()

    @property
    def can_be_cancelled(self) -> bool:
        """Booked or waiting for a seat, and not started: what the cancel pages check."""
        return (
            self.status in (BookingStatus.BOOKED, BookingStatus.WAITLISTED) and not self.has_started
        )

    @property
    def can_leave_waitlist(self) -> bool:
        """Waiting for a seat of a session not started: what the staff's removal checks."""
        return self.status == BookingStatus.WAITLISTED and not self.has_started

    @property
    def person_label(self) -> str:
        return self.name or "(effacé)"

    @property
    def links_expire_at(self) -> dt.datetime:
        """When the person's links (page, cancel, move, ride request) stop working."""
        return self.ends_at + dt.timedelta(hours=settings.MAILLAGE_LINK_GRACE_HOURS)


class Occupation(models.Model):
    """One party (agent or resource) busy over [starts_at, ends_at), buffers included."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="occupations"
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="occupations"
    )
    party_type = models.CharField(max_length=10, choices=PartyType.choices)
    party_id = models.BigIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    forced = models.BooleanField(default=False)
    hold_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "occupation"
        indexes = [models.Index(fields=["party_type", "party_id", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="occupation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False) | Q(session__isnull=False),
                name="occupation_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_type} {self.party_id} {self.starts_at:%d/%m/%Y %H:%M}"


class BookingEvent(AppendOnlyModel):
    """The log of every status transition, move, attendance mark and forced overlap."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "historique de rendez-vous"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def action_label(self) -> str:
        from .labels import EVENT_LABELS

        return EVENT_LABELS.get(self.action, self.action)

    @property
    def status_label(self) -> str:
        return BookingStatus(self.to_status).label if self.to_status else ""


class MessageTemplate(models.Model):
    """An admin-edited text for one kind of message on one channel (Django template syntax)."""

    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField("objet (courriel)", max_length=200, blank=True)
    body = models.TextField(
        "texte",
        help_text="Variables : {{ booking }}, {{ when }}, {{ place }}, {{ documents }}, "
        "{{ manage_url }}, {{ service }}.",
    )

    class Meta:
        verbose_name = "modèle de message"
        verbose_name_plural = "modèles de messages"
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel"], name="one_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_channel_display()}"

    def clean(self) -> None:
        """Refuse a text that would fail at sending time (syntax or unknown variable)."""
        from django.template import Template, TemplateSyntaxError

        for field in ("subject", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as error:
                raise ValidationError({field: f"Modèle invalide : {error}"}) from error


class MessageLog(models.Model):
    """Every send attempt of an email or SMS, successful or not."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="messages", null=True
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    reminder_offset = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "envoi de message"
        verbose_name_plural = "envois de messages"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.get_channel_display()} : {self.get_status_display()}"
        )


class CalendarFeed(models.Model):
    """A private ICS feed of an agent or a place, reached by a secret, revocable URL."""

    kind = models.CharField(max_length=10, choices=FeedKind.choices)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, null=True, blank=True)
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "flux d'agenda"
        verbose_name_plural = "flux d'agenda"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.agent or self.place}"

    def clean(self) -> None:
        if (self.kind == FeedKind.AGENT) != bool(self.agent_id):
            raise ValidationError("Un flux d'agent désigne un agent, un flux de lieu un lieu.")
