"""Professional networks (the Promeneurs du Net of sheet Num02): members and their dated
status history, online presence, trainings and attendance, monthly returns of counts, and
attendance at the plan's governance meetings.

A member's status is a log (`MemberStatusChange`), so the number of active members can be
counted at any date, in the database: the status on a day is the last change dated on or
before it. A member counts as active on a day when that status is "active" and, if the
network's rule says so, the initial training was attended by then.

Monthly returns hold counts only (contacts by channel, subjects, redirections, follow-ups,
physical meetings): nothing about a young person is ever recorded.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from maillage import clock
from maillage.append_only import PersonalDataLog
from maillage.organisations.models import validate_phone
from maillage.web.validators import WebURLField

from . import labels
from .labels import (
    CONSENT_FIELDS,
    MEMBER_STATUS_BADGE,
    MEMBER_TRANSITIONS,
    REPORTING_STATUSES,
    Audience,
    CountKind,
    Job,
    LogAction,
    MemberStatus,
    Platform,
    Presence,
    ReturnSource,
    TrainingKind,
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def month_label(month: dt.date) -> str:
    """ "février 2026"."""
    return date_format(month, "F Y")


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> NetworkQuerySet:
        """Networks `user` follows (`permissions.visible_networks_q`)."""
        from maillage.organisations import permissions

        return self.filter(permissions.visible_networks_q(user))


class Network(models.Model):
    """A network of professionals under a charter, e.g. the Promeneurs du Net of a département."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant dans les adresses", max_length=80, unique=True)
    description = models.TextField("présentation publique", blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation coordinatrice",
        on_delete=models.PROTECT,
        related_name="coordinated_networks",
    )
    steering_organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name="organisations du comité de pilotage",
        blank=True,
        related_name="steered_networks",
        help_text="Leurs pilotes et lecteurs suivent le réseau (sans le modifier).",
    )
    sheet = models.ForeignKey(
        "plan.ActionSheet",
        verbose_name="fiche action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="networks",
        help_text="Ses réunions (copil, cotech, réseau) sont celles du réseau.",
    )
    active_requires_initial_training = models.BooleanField(
        "actif seulement après la formation initiale",
        default=True,
        help_text="Un membre ne compte comme actif qu'une fois sa formation initiale suivie.",
    )
    network_meetings_per_year = models.PositiveSmallIntegerField(
        "réunions de réseau par an", default=3, validators=[MaxValueValidator(12)]
    )
    reminder_day = models.PositiveSmallIntegerField(
        "jour de relance des bilans",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Jour du mois où les membres sans bilan du mois précédent sont relancés.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = "réseau"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:home", args=[self.slug])

    def get_directory_url(self) -> str:
        return reverse("networks:directory", args=[self.slug])


def _status_on(day: dt.date) -> Subquery:
    changes = MemberStatusChange.objects.filter(
        member=OuterRef("pk"), effective_on__lte=day
    ).order_by("-effective_on", "-id")
    return Subquery(changes.values("status")[:1])


def _trained_by(day: dt.date) -> Exists:
    return Exists(
        TrainingAttendance.objects.filter(
            member=OuterRef("pk"),
            presence=Presence.PRESENT,
            session__kind=TrainingKind.INITIAL,
            session__ends_on__lte=day,
        )
    )


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberQuerySet:
        return self.filter(network__in=Network.objects.visible_to(user))

    def with_status_on(self, day: dt.date) -> MemberQuerySet:
        """Annotate `status_on` (None before the first change) and `trained_on` (bool)."""
        return self.annotate(status_on=_status_on(day), trained_on=_trained_by(day))

    def active_on(self, day: dt.date) -> MemberQuerySet:
        """Members counting as active on `day` (status active, trained if the rule says so)."""
        return self.with_status_on(day).filter(
            Q(status_on=MemberStatus.ACTIVE)
            & (Q(network__active_requires_initial_training=False) | Q(trained_on=True))
        )

    def with_overview(self) -> MemberQuerySet:
        """Annotate `initial_training_on` and `last_return` (one query for a whole list)."""
        trainings = TrainingAttendance.objects.filter(
            member=OuterRef("pk"), presence=Presence.PRESENT, session__kind=TrainingKind.INITIAL
        ).order_by("session__ends_on")
        returns = MonthlyReturn.objects.filter(member=OuterRef("pk")).order_by("-month")
        return self.annotate(
            initial_training_on=Subquery(trainings.values("session__ends_on")[:1]),
            last_return=Subquery(returns.values("month")[:1]),
        )

    def reporting_for(self, month: dt.date) -> MemberQuerySet:
        """Members who owe a return for `month`: in training or active on its last day."""
        return self.with_status_on(month_end(month)).filter(status_on__in=REPORTING_STATUSES)

    def in_territory(self, code: str) -> MemberQuerySet:
        """Members whose structure is in a commune (INSEE code) or an EPCI (SIREN)."""
        from maillage.territory.models import Commune

        code = str(code)
        if len(code) == 9:
            communes = Commune.objects.filter(epci_id=code).values("pk")
            return self.filter(organisation__commune_insee__in=communes)
        return self.filter(organisation__commune_insee=code)


class Member(models.Model):
    """A professional of the network (a Promeneur du Net)."""

    network = models.ForeignKey(
        Network, verbose_name="réseau", on_delete=models.PROTECT, related_name="members"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    job = models.CharField("métier", max_length=20, choices=Job.choices)
    job_title = models.CharField(
        "intitulé du poste", max_length=150, blank=True, help_text="Ex. : animatrice 11-17 ans."
    )
    email = models.EmailField(
        "courriel professionnel",
        blank=True,
        help_text="Pour les relances ; le compte de connexion de cette adresse est lié à la fiche.",
    )
    phone = models.CharField(
        "téléphone professionnel", max_length=25, blank=True, validators=[validate_phone]
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="structure employeuse",
        on_delete=models.PROTECT,
        related_name="network_members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte de connexion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_members",
    )
    agreement_signed_on = models.DateField("charte signée le", null=True, blank=True)
    agreement_signatory = models.CharField(
        "signataire de la charte",
        max_length=200,
        blank=True,
        help_text="Nom et qualité (ex. : Claire Dumas, directrice de la structure).",
    )
    status = models.CharField("statut", max_length=12, choices=MemberStatus.choices, editable=False)
    status_since = models.DateField("depuis le", null=True, editable=False)
    communes = models.ManyToManyField(
        "territory.Commune", verbose_name="communes couvertes", blank=True, related_name="+"
    )
    audiences = models.JSONField("publics", default=list, blank=True)
    publish_name = models.BooleanField(CONSENT_FIELDS["publish_name"], default=False)
    publish_job = models.BooleanField(CONSENT_FIELDS["publish_job"], default=False)
    publish_structure = models.BooleanField(CONSENT_FIELDS["publish_structure"], default=False)
    publish_territory = models.BooleanField(CONSENT_FIELDS["publish_territory"], default=False)
    publish_contact = models.BooleanField(CONSENT_FIELDS["publish_contact"], default=False)
    consents_updated_at = models.DateTimeField("accord de publication du", null=True, blank=True)
    created_at = models.DateTimeField("inscrit le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inscrit par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField("données effacées le", null=True, blank=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"],
                condition=~Q(email=""),
                name="network_member_email_unique",
                violation_error_message=labels.ERR_DUPLICATE_EMAIL,
            ),
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(user__isnull=False),
                name="network_member_user_unique",
                violation_error_message=labels.ERR_ACCOUNT_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("networks:member_detail", args=[self.network.slug, self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or f"Membre n° {self.pk}"

    @property
    def status_badge(self) -> str:
        return MEMBER_STATUS_BADGE.get(self.status, "new")

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(code).label for code in self.audiences if code in Audience.values]

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def has_left(self) -> bool:
        return self.status == MemberStatus.LEFT

    def allowed_transitions(self) -> list[str]:
        return sorted(MEMBER_TRANSITIONS.get(self.status, set()))

    def status_on(self, day: dt.date) -> str | None:
        change = (
            self.status_changes.filter(effective_on__lte=day)
            .order_by("-effective_on", "-id")
            .first()
        )
        return change.status if change else None

    def initial_training_done_on(self) -> dt.date | None:
        """The end date of the first initial training the member attended."""
        attendance = (
            self.training_attendances.filter(
                presence=Presence.PRESENT, session__kind=TrainingKind.INITIAL
            )
            .order_by("session__ends_on")
            .values_list("session__ends_on", flat=True)
            .first()
        )
        return attendance

    def counts_as_active_on(self, day: dt.date) -> bool:
        if self.status_on(day) != MemberStatus.ACTIVE:
            return False
        if not self.network.active_requires_initial_training:
            return True
        trained = self.initial_training_done_on()
        return trained is not None and trained <= day

    def change_status(
        self, status: str, *, on: dt.date, by=None, comment: str = ""
    ) -> MemberStatusChange:
        """Log a move to `status` effective `on` (not before the last change, not in the
        future), along a declared transition; the first status is "in training" or "active"."""
        if status not in MemberStatus.values:
            raise ValidationError(labels.ERR_TRANSITION.format(old="—", new=status))
        if on > clock.today():
            raise ValidationError({"effective_on": labels.ERR_FUTURE_DATE})
        last = self.status_changes.order_by("-effective_on", "-id").first()
        if last is None:
            allowed = {MemberStatus.IN_TRAINING, MemberStatus.ACTIVE}
        else:
            allowed = MEMBER_TRANSITIONS.get(last.status, set())
            if on < last.effective_on:
                raise ValidationError(
                    {
                        "effective_on": labels.ERR_STATUS_BEFORE_LAST.format(
                            date=f"{last.effective_on:%d/%m/%Y}"
                        )
                    }
                )
        if status not in allowed:
            old = MemberStatus(last.status).label if last else "—"
            raise ValidationError(
                labels.ERR_TRANSITION.format(old=old, new=MemberStatus(status).label)
            )
        change = MemberStatusChange.objects.create(
            member=self, status=status, effective_on=on, user=by, comment=comment
        )
        self.status, self.status_since = status, on
        self.save(update_fields=["status", "status_since", "updated_at"])
        return change


class MemberStatusChange(models.Model):
    """One dated status of a member: the log counts at any date are computed from."""

    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField("statut", max_length=12, choices=MemberStatus.choices)
    effective_on = models.DateField("à compter du")
    comment = models.CharField("commentaire", max_length=300, blank=True)
    at = models.DateTimeField("enregistré le", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"
        ordering = ["member", "effective_on", "id"]
        # The status on a day: the last (effective_on, id) of a member, read backwards.
        indexes = [models.Index(fields=["member", "effective_on", "id"], name="member_status_date")]

    def __str__(self) -> str:
        return f"{self.member} : {self.get_status_display()} au {self.effective_on:%d/%m/%Y}"


class OnlinePresence(models.Model):
    """Where a member meets young people online: one platform, a public handle or page."""

    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="presences"
    )
    platform = models.CharField("réseau", max_length=12, choices=Platform.choices)
    handle = models.CharField("pseudonyme public", max_length=100, blank=True)
    url = WebURLField("adresse de la page", max_length=300, blank=True)
    public = models.BooleanField(
        "publier dans l'annuaire",
        default=False,
        help_text="Seulement avec l'accord du membre.",
    )

    class Meta:
        verbose_name = "présence en ligne"
        verbose_name_plural = "présences en ligne"
        ordering = ["member", "platform", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(handle="") | ~Q(url=""), name="presence_has_handle_or_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} : {self.handle or self.url}"

    def clean(self) -> None:
        super().clean()
        if not self.handle and not self.url:
            raise ValidationError(labels.ERR_PRESENCE_EMPTY)


class TrainingSession(models.Model):
    """A training day (or days): initial training, "analyse de pratique", network day."""

    network = models.ForeignKey(
        Network, verbose_name="réseau", on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField("type", max_length=20, choices=TrainingKind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_on = models.DateField("date de début")
    ends_on = models.DateField("date de fin")
    location = models.CharField("lieu", max_length=200, blank=True)
    trainer = models.CharField("animée par", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("networks:training_detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": labels.ERR_ENDS_BEFORE})

    @property
    def is_initial(self) -> bool:
        return self.kind == TrainingKind.INITIAL

    @property
    def spans_several_days(self) -> bool:
        return self.ends_on != self.starts_on


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name="session",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="training_attendances"
    )
    presence = models.CharField("présence", max_length=10, choices=Presence.choices)

    class Meta:
        verbose_name = "présence en formation"
        verbose_name_plural = "présences en formation"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.session} : {self.get_presence_display()}"


class MonthlyReturnQuerySet(models.QuerySet):
    def visible_to(self, user) -> MonthlyReturnQuerySet:
        return self.filter(member__network__in=Network.objects.visible_to(user))

    def with_totals(self) -> MonthlyReturnQuerySet:
        """Annotate `contacts`, `redirections` and `subjects` (sums of the counts)."""
        totals = {
            "contacts": CountKind.CHANNEL,
            "redirections": CountKind.PARTNER,
            "subjects": CountKind.SUBJECT,
        }
        return self.annotate(
            **{
                name: Coalesce(Sum("counts__count", filter=Q(counts__kind=kind)), 0)
                for name, kind in totals.items()
            }
        )


class MonthlyReturn(models.Model):
    """What a member did online in one month, as counts only."""

    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="returns"
    )
    month = models.DateField("mois", help_text="Premier jour du mois.")
    follow_ups = models.PositiveIntegerField(
        "jeunes suivis individuellement",
        default=0,
        help_text="Jeunes accompagnés sur plusieurs échanges dans le mois.",
    )
    physical_meetings = models.PositiveIntegerField(
        "rencontres physiques",
        default=0,
        help_text="Jeunes rencontrés en personne à la suite d'un contact en ligne.",
    )
    source = models.CharField(
        "saisie", max_length=10, choices=ReturnSource.choices, default=ReturnSource.FORM
    )
    submitted_at = models.DateTimeField("envoyé le", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MonthlyReturnQuerySet.as_manager()

    class Meta:
        verbose_name = "bilan mensuel"
        verbose_name_plural = "bilans mensuels"
        ordering = ["-month", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="monthly_return_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_return_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.month:%m/%Y}"

    def counts_by_kind(self) -> dict[str, dict[str, int]]:
        """{kind: {code: count}} from the (prefetched) counts."""
        result: dict[str, dict[str, int]] = {kind: {} for kind in CountKind.values}
        for count in self.counts.all():
            result[count.kind][count.code] = count.count
        return result


class ReturnCount(models.Model):
    """One number of a monthly return: contacts on a channel, a subject, a redirection."""

    monthly_return = models.ForeignKey(
        MonthlyReturn, verbose_name="bilan", on_delete=models.CASCADE, related_name="counts"
    )
    kind = models.CharField("grille", max_length=10, choices=CountKind.choices)
    code = models.CharField("rubrique", max_length=20)
    count = models.PositiveIntegerField("nombre")

    class Meta:
        verbose_name = "nombre d'un bilan"
        verbose_name_plural = "nombres des bilans"
        constraints = [
            models.UniqueConstraint(
                fields=["monthly_return", "kind", "code"], name="return_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} / {self.code} : {self.count}"


class ReturnReminder(models.Model):
    """A reminder email sent for a missing monthly return."""

    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="reminders"
    )
    month = models.DateField("mois du bilan")
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "relance"
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["member", "month"], name="return_reminder_month")]

    def __str__(self) -> str:
        return f"{self.member} — {self.month:%m/%Y}"


class MeetingParticipant(models.Model):
    """Who attended a governance meeting of the plan: a member, or an organisation."""

    meeting = models.ForeignKey(
        "plan.Meeting",
        verbose_name="réunion",
        on_delete=models.CASCADE,
        related_name="network_participants",
    )
    member = models.ForeignKey(
        Member,
        verbose_name="membre",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_participations",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation représentée",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    presence = models.CharField("présence", max_length=10, choices=Presence.choices)

    class Meta:
        verbose_name = "participation à une réunion"
        verbose_name_plural = "participations aux réunions"
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, organisation__isnull=True)
                | Q(member__isnull=True, organisation__isnull=False),
                name="meeting_participant_member_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="meeting_member_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(organisation__isnull=False),
                name="meeting_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member or self.organisation} — {self.get_presence_display()}"


class MemberLog(PersonalDataLog):
    """Who read, exported, changed or erased a member's personal data, and when (append-only:
    written once, never edited nor deleted)."""

    member = models.ForeignKey(
        Member, verbose_name="membre", on_delete=models.CASCADE, related_name="logs"
    )
    action = models.CharField("action", max_length=10, choices=LogAction.choices)

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} — {self.member_id}"
