"""Beneficiaries (pseudonymous), accompaniments in the national shape, outcomes, fees, logs.

A beneficiary belongs to one organisation (the one that met them): mediators see their own
organisation's people only. Personal fields (names, phone, email, year of birth) are kept
only with consent and erased on request or after inactivity; what statistics need (commune,
age band, situation, the accompaniments themselves) stays, unlinked from any person.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from maillage import clock
from maillage.append_only import AppendOnlyModel, PersonalDataLog

from . import labels
from .labels import (
    AGE_BANDS,
    AccompanimentKind,
    AgeBand,
    Autonomy,
    Connection,
    EquipmentMeans,
    LocationKind,
    LogAction,
    OnlineAccount,
    OutcomeKind,
    PaymentMethod,
    RevenueBand,
    Situation,
    SubscriptionKind,
)

# No 0/O, 1/I/L: codes are read aloud and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"B-{body[:4]}-{body[4:]}"


def age_band_for(birth_year: int | None, on: dt.date | None = None) -> str:
    if not birth_year:
        return AgeBand.UNKNOWN
    age = (on or clock.today()).year - birth_year
    return next(band for limit, band in AGE_BANDS if age < limit)


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, user) -> BeneficiaryQuerySet:
        """Beneficiaries of the organisations where `user` records accompaniments."""
        from maillage.organisations import permissions

        return self.filter(permissions.visible_mediation_records_q(user))

    def active(self) -> BeneficiaryQuerySet:
        """Not merged into another record (erased ones stay, as anonymous rows)."""
        return self.filter(merged_into__isnull=True)


class Beneficiary(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="beneficiaries",
    )
    code = models.CharField("code", max_length=20, unique=True, default=new_code, editable=False)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField(
        "nom", max_length=100, blank=True, help_text="Seulement avec l'accord de la personne."
    )
    phone = models.CharField("téléphone", max_length=25, blank=True)
    email = models.EmailField("courriel", blank=True)
    consent_at = models.DateTimeField("accord recueilli le", null=True, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    age_band = models.CharField(
        "tranche d'âge", max_length=6, choices=AgeBand.choices, blank=True, editable=False
    )
    situation = models.CharField("situation", max_length=20, choices=Situation.choices, blank=True)
    receives_rsa = models.BooleanField(
        "allocataire du rSa",
        default=False,
        help_text="Aussi pour un travailleur indépendant au rSa (fiche Num09).",
    )
    home_equipment = models.JSONField("équipement à domicile", default=list, blank=True)
    connection = models.CharField(
        "connexion à domicile", max_length=12, choices=Connection.choices, blank=True
    )
    autonomy = models.CharField("autonomie", max_length=12, choices=Autonomy.choices, blank=True)
    revenue_band = models.CharField(
        "tranche de chiffre d'affaires",
        max_length=10,
        choices=RevenueBand.choices,
        blank=True,
        help_text="Travailleurs indépendants (fiche Num09).",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="fusionnée dans",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
    )
    merged_at = models.DateTimeField("fusionnée le", null=True, blank=True)
    erased_at = models.DateTimeField("données effacées le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "bénéficiaire"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "birth_year", "commune"], name="benef_dup_key")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_at__isnull=False) | Q(last_name="", phone="", email=""),
                name="beneficiary_contact_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="beneficiary_not_merged_in_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.first_name}".strip() if not self.erased_at else self.code

    def save(self, *args, **kwargs) -> None:
        if self.birth_year or not self.erased_at:
            self.age_band = age_band_for(self.birth_year)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("mediation:beneficiary_detail", args=[self.code])

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.code})" if name else self.code

    @property
    def picker_label(self) -> str:
        """What tells three "André" apart in a list: name and code, commune, year of birth."""
        details = [self.commune.name] if self.commune_id else []
        if self.birth_year:
            details.append(f"né(e) en {self.birth_year}")
        return " — ".join([self.display_name, ", ".join(details)]) if details else self.display_name

    def clean(self) -> None:
        super().clean()
        if (self.last_name or self.phone or self.email) and not self.consent_at:
            raise ValidationError(labels.ERR_CONTACT_WITHOUT_CONSENT)
        this_year = clock.today().year
        if self.birth_year and not this_year - 120 <= self.birth_year <= this_year:
            raise ValidationError({"birth_year": labels.ERR_BIRTH_YEAR})

    @property
    def home_equipment_labels(self) -> list[str]:
        from .labels import HomeEquipment

        return [HomeEquipment(v).label for v in self.home_equipment if v in HomeEquipment.values]


class AccompanimentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AccompanimentQuerySet:
        from maillage.organisations import permissions

        return self.filter(permissions.visible_mediation_records_q(user))


class Accompaniment(models.Model):
    """One activity (La Coop's "activité"): an individual accompaniment, a workshop or help
    with an online procedure; its participants are `Participation` rows (named people) plus
    `anonymous_participants` (counted, not named)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="accompaniments",
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="médiateur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("type", max_length=12, choices=AccompanimentKind.choices)
    date = models.DateField("date")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=60)
    location_kind = models.CharField(
        "lieu", max_length=8, choices=LocationKind.choices, default=LocationKind.PLACE
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name="lieu d'accueil",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Où l'accompagnement a eu lieu (commune du lieu, ou de la personne).",
    )
    title = models.CharField("intitulé de l'atelier", max_length=200, blank=True)
    themes = models.JSONField("thématiques", default=list, blank=True)
    equipment_used = models.JSONField("matériel utilisé", default=list, blank=True)
    autonomy = models.CharField(
        "niveau d'autonomie atteint", max_length=12, choices=Autonomy.choices, blank=True
    )
    oriented_to = models.CharField(
        "orientation vers une autre structure", max_length=200, blank=True
    )
    note = models.TextField("note libre", blank=True)
    anonymous_participants = models.PositiveIntegerField(
        "participants non nommés", default=0, help_text="Ateliers : personnes comptées."
    )
    source_model = models.CharField("origine (modèle)", max_length=60, blank=True)
    source_id = models.CharField("origine (identifiant)", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisi par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("saisi le", auto_now_add=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)

    beneficiaries = models.ManyToManyField(
        Beneficiary, through="Participation", related_name="accompaniments", blank=True
    )

    objects = AccompanimentQuerySet.as_manager()
    # Corrections and deletions keep the record as it was, and who changed it.
    history = HistoricalRecords(bases=[AppendOnlyModel])

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date", "organisation"], name="accompaniment_date_org")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_model", "source_id"],
                condition=~Q(source_model=""),
                name="accompaniment_source_unique",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60), name="accompaniment_duration_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:accompaniment_detail", args=[self.pk])

    @property
    def theme_labels(self) -> list[str]:
        return [labels.Theme(v).label for v in self.themes if v in labels.Theme.values]

    @property
    def equipment_labels(self) -> list[str]:
        return [
            labels.EquipmentUsed(v).label
            for v in self.equipment_used
            if v in labels.EquipmentUsed.values
        ]

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > clock.today():
            raise ValidationError({"date": labels.ERR_FUTURE_DATE})
        if self.location_kind == LocationKind.PLACE and not self.place_id:
            raise ValidationError({"place": labels.ERR_PLACE_REQUIRED})


class Participation(models.Model):
    """A named person at an accompaniment (one for an individual one, many for a workshop)."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="participations"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="participations"
    )

    class Meta:
        verbose_name = "participation"
        constraints = [
            models.UniqueConstraint(
                fields=["accompaniment", "beneficiary"], name="participation_unique"
            )
        ]
        indexes = [models.Index(fields=["beneficiary", "accompaniment"], name="participation_b_a")]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.accompaniment}"


class Outcome(models.Model):
    """A follow-up of a person over time: joined the group courses, got equipped, created an
    online account, progressed in autonomy, changed revenue band (self-employed, Num09)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="outcomes")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("suivi", max_length=20, choices=OutcomeKind.choices)
    date = models.DateField("date")
    accompaniment = models.ForeignKey(
        Accompaniment,
        verbose_name="accompagnement lié",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
    )
    equipment_means = models.CharField(
        "équipement", max_length=10, choices=EquipmentMeans.choices, blank=True
    )
    account = models.CharField(
        "compte créé", max_length=20, choices=OnlineAccount.choices, blank=True
    )
    autonomy = models.CharField(
        "niveau d'autonomie", max_length=12, choices=Autonomy.choices, blank=True
    )
    revenue_band_before = models.CharField(
        "tranche avant", max_length=10, choices=RevenueBand.choices, blank=True
    )
    revenue_band_after = models.CharField(
        "tranche après", max_length=10, choices=RevenueBand.choices, blank=True
    )
    note = models.TextField("note", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "suivi"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="outcome_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > clock.today():
            raise ValidationError({"date": labels.ERR_FUTURE_DATE})
        if self.kind == OutcomeKind.REVENUE_BAND and not (
            self.revenue_band_before and self.revenue_band_after
        ):
            raise ValidationError(labels.ERR_REVENUE_BANDS)
        if self.kind == OutcomeKind.ONLINE_ACCOUNT and not self.account:
            raise ValidationError({"account": labels.ERR_ACCOUNT})


class Subscription(models.Model):
    """A membership or semester fee paid to an association, or the free extended track."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="subscriptions"
    )
    kind = models.CharField("formule", max_length=12, choices=SubscriptionKind.choices)
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    amount = models.DecimalField("montant (€)", max_digits=8, decimal_places=2)
    payment_method = models.CharField(
        "règlement", max_length=10, choices=PaymentMethod.choices, blank=True
    )
    paid_on = models.DateField("réglé le", null=True, blank=True)
    receipt_number = models.CharField("n° de reçu", max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "adhésion ou cotisation"
        verbose_name_plural = "adhésions et cotisations"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="subscription_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="subscription_period"
            ),
            models.UniqueConstraint(
                fields=["organisation", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="subscription_receipt_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class BeneficiaryLog(PersonalDataLog):
    """Who did what to a beneficiary's record, when: access log and history (RGPD)."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="logs")
    action = models.CharField("action", max_length=12, choices=LogAction.choices)

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.at:%d/%m/%Y %H:%M}"


class ActivityKey(models.Model):
    """What the pre-aggregated tables group accompaniments by: day, organisation, kind, place,
    commune and themes (see `ActivityDay`)."""

    date = models.DateField()
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    kind = models.CharField(max_length=12)
    location_kind = models.CharField(max_length=8)
    place_ref = models.IntegerField(default=0)
    commune_code = models.CharField(max_length=5, default="")
    themes = models.TextField(default="[]")

    class Meta:
        abstract = True


class ActivityDay(ActivityKey):
    """Accompaniments of one day and organisation with the same kind, place, commune and themes:
    how many, their named participants and their counted ones (a pre-aggregated table).

    Kept exact by PostgreSQL triggers on accompaniments and participations (migration 0004,
    see `activity_totals`); read by the indicator sources instead of the records. No place is
    `place_ref` 0 and no commune `commune_code` "" (a unique key cannot hold NULLs as equal
    on SQLite); `themes` is the accompaniment's JSON list as upper-case text, as the records'
    themes filter (`icontains`) compares it. A place's kind or a commune's EPCI are read
    from their tables when counting.
    """

    accompaniments = models.IntegerField(default=0)
    anonymous_participants = models.IntegerField(default=0)
    participations = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "date",
                    "kind",
                    "location_kind",
                    "place_ref",
                    "commune_code",
                    "themes",
                ],
                name="activityday_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["accompaniments"], condition=Q(accompaniments=0), name="activityday_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.organisation_id} {self.kind}: {self.accompaniments}"


class PersonDay(ActivityKey):
    """The accompaniments one named person attended on one day, with the same organisation,
    kind, place, commune and themes (a pre-aggregated table, kept like `ActivityDay`): distinct
    people are distinct `beneficiary` here, sessions the sum of `sessions`."""

    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    sessions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "beneficiary",
                    "date",
                    "organisation",
                    "kind",
                    "location_kind",
                    "place_ref",
                    "commune_code",
                    "themes",
                ],
                name="personday_key",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "date"], name="personday_org_date"),
            models.Index(fields=["sessions"], condition=Q(sessions=0), name="personday_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.beneficiary_id}: {self.sessions}"


class PersonYear(models.Model):
    """The first day a named person came to an organisation's accompaniments in `year`, and
    since the beginning (`year` 0): distinct people of organisations over a period without the
    person-day rows (a pre-aggregated table kept from `PersonDay` by triggers, migration 0005).
    Serves the "people" indicators filtered only on organisations, the period and the person."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField()
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    first_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "beneficiary"], name="personyear_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_id} {self.year}: {self.first_date}"
