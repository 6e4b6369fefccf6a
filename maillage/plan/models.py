"""The plan (SDAASP) as live data: sheets, actors, budget, indicators, targets, measurements.

Field names follow what the sheet parser yields, so the importer maps one to one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from maillage import clock
from maillage.append_only import AppendOnlyModel
from maillage.territory.labels import ScopeLevel

from . import labels
from .labels import (
    COUNT_LABEL_STARTS,
    COUNT_UNITS,
    ActorRole,
    BudgetKind,
    BudgetNature,
    BulkUpdateKind,
    Comparator,
    Counting,
    Direction,
    MeasurementMethod,
    MeasurementSource,
    MeetingBody,
    Periodicity,
    PlanStatus,
    SheetStatus,
    TargetKind,
)

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}
MONEY_DIGITS = {"max_digits": 14, "decimal_places": 2}


class PlanQuerySet(models.QuerySet):
    def public(self) -> PlanQuerySet:
        """Plans anyone may read: everything but drafts."""
        return self.exclude(status=PlanStatus.DRAFT)

    def visible_to(self, user) -> PlanQuerySet:
        from maillage.organisations import permissions

        return self.filter(permissions.visible_plans_q(user))


class Plan(models.Model):
    name = models.CharField("nom", max_length=255)
    slug = models.SlugField("identifiant d'adresse", max_length=80, unique=True)
    departement_code = models.CharField("code du département", max_length=3, default="16")
    period_start = models.PositiveSmallIntegerField("début (année)", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("fin (année)", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    description = models.TextField("présentation", blank=True)
    created = models.DateTimeField("créé le", auto_now_add=True)
    updated = models.DateTimeField("modifié le", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "schéma"
        verbose_name_plural = "schémas"
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plan:plan_detail", args=[self.slug])

    def status_on(self, day: dt.date) -> tuple[str, str]:
        """The plan's state on `day`, in words, and its DSFR badge: a plan marked in force is
        "en vigueur" only within its period (a 2018–2023 plan is over in 2026)."""
        if self.status != PlanStatus.ACTIVE:
            return self.get_status_display(), "" if self.status == PlanStatus.DRAFT else "info"
        if self.period_end and day.year > self.period_end:
            return f"Période achevée fin {self.period_end}", "warning"
        if self.period_start and day.year < self.period_start:
            return f"À venir (à partir de {self.period_start})", "info"
        return self.get_status_display(), "success"

    @property
    def current_status(self) -> tuple[str, str]:
        return self.status_on(clock.today())

    @property
    def period_label(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")


class ActionSheetQuerySet(models.QuerySet):
    def public(self) -> ActionSheetQuerySet:
        """Sheets anyone may read: not confidential, in a public plan."""
        return self.filter(confidential=False).exclude(plan__status=PlanStatus.DRAFT)

    def visible_to(self, user) -> ActionSheetQuerySet:
        from maillage.organisations import permissions

        return self.filter(permissions.visible_sheets_q(user))


class ActionSheet(models.Model):
    """A "fiche action" of the plan (its "Réf", e.g. Num08, is `ref`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sheets")
    ref = models.CharField("réf.", max_length=20)
    date = models.DateField("date de la fiche", null=True, blank=True)
    theme = models.CharField("thème", max_length=255, blank=True)
    action = models.TextField("action", blank=True)
    sub_action = models.TextField("sous-action", blank=True)
    description = models.TextField("description", blank=True)
    scope_text = models.TextField("emprise géographique (texte d'origine)", blank=True)
    scope_level = models.CharField(
        "niveau d'emprise", max_length=20, choices=ScopeLevel.choices, default=ScopeLevel.OTHER
    )
    departement_code = models.CharField("département", max_length=3, blank=True)
    epcis = models.ManyToManyField(
        "territory.Epci", verbose_name="intercommunalités", blank=True, related_name="+"
    )
    communes = models.ManyToManyField(
        "territory.Commune", verbose_name="communes", blank=True, related_name="+"
    )
    pilots_text = models.TextField("pilotes et missions (texte d'origine)", blank=True)
    partners_text = models.TextField("partenaires et missions (texte d'origine)", blank=True)
    calendar_text = models.TextField("calendrier de mise en œuvre (texte d'origine)", blank=True)
    indicators_text = models.TextField("indicateurs de suivi (texte d'origine)", blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=SheetStatus.choices, default=SheetStatus.NOT_STARTED
    )
    physical = models.BooleanField("Physique", default=False)
    digital = models.BooleanField("Numérique", default=False)
    schedule = models.BooleanField("Horaire", default=False)
    pooling = models.BooleanField("Mutualisation", default=False)
    cost_text = models.TextField("coût de l'action (texte d'origine)", blank=True)
    cost_total = models.DecimalField("coût total (€)", null=True, blank=True, **MONEY_DIGITS)
    cost_notes = models.TextField(
        "remarques sur le coût", blank=True, help_text="Par exemple « gratuit pour l'usager »."
    )
    funding_text = models.TextField("financement (texte d'origine)", blank=True)
    governance_rhythm = models.JSONField(
        "rythme des instances",
        default=list,
        blank=True,
        help_text='Liste de {"body": "copil", "months": [1, 6]}.',
    )
    weight = models.DecimalField(
        "poids dans le schéma", max_digits=6, decimal_places=2, default=Decimal(1)
    )
    confidential = models.BooleanField(
        "confidentielle", default=False, help_text="Masquée sur les pages publiques."
    )
    source_line_start = models.PositiveIntegerField(
        "ligne de début dans le document", null=True, blank=True
    )
    source_line_end = models.PositiveIntegerField(
        "ligne de fin dans le document", null=True, blank=True
    )
    order = models.PositiveIntegerField("ordre", default=0)
    import_snapshot = models.JSONField(
        "valeurs du dernier import",
        default=dict,
        blank=True,
        editable=False,
        help_text="Ce que le dernier import du document a écrit : un nouvel import n'applique "
        "que ce que le document a changé depuis (voir plan.importer).",
    )
    created = models.DateTimeField("créée le", auto_now_add=True)
    updated = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["created", "updated", "import_snapshot"], bases=[AppendOnlyModel]
    )
    objects = ActionSheetQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["plan", "order", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="sheet_ref_unique_per_plan"),
            models.CheckConstraint(
                condition=Q(status__in=SheetStatus.values), name="sheet_status_valid"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="sheet_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} — {self.sub_action or self.action}".strip(" —")

    def get_absolute_url(self) -> str:
        return reverse("plan:sheet_detail", args=[self.plan.slug, self.ref])

    @property
    def title(self) -> str:
        return self.sub_action or self.action or self.ref

    @property
    def dimensions(self) -> list[str]:
        """Labels of the accessibility dimensions this sheet improves."""
        return [label for field, label in labels.DIMENSIONS.items() if getattr(self, field)]

    @property
    def status_badge(self) -> str:
        return labels.SHEET_STATUS_BADGE.get(self.status, "new")

    def allowed_transitions(self) -> list[str]:
        return sorted(labels.SHEET_TRANSITIONS.get(self.status, set()))

    def change_status(self, new_status: str, *, by=None, comment: str = "") -> SheetStatusChange:
        """Move to `new_status` if the transition is declared, and log it."""
        old = self.status
        if new_status not in labels.SHEET_TRANSITIONS.get(old, set()):
            raise ValidationError(
                labels.MSG_TRANSITION_FORBIDDEN.format(
                    old=SheetStatus(old).label, new=SheetStatus(new_status).label
                )
            )
        self.status = new_status
        if by is not None:
            self._history_user = by
        self.save(update_fields=["status", "updated"])
        return SheetStatusChange.objects.create(
            sheet=self, from_status=old, to_status=new_status, user=by, comment=comment
        )


class SheetStatusChange(models.Model):
    """The log of a sheet's status transitions (audit and indicators)."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("ancien statut", max_length=20, choices=SheetStatus.choices)
    to_status = models.CharField("nouveau statut", max_length=20, choices=SheetStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "changements de statut"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.sheet.ref} : {self.get_from_status_display()} → {self.get_to_status_display()}"
        )


class SheetActorQuerySet(models.QuerySet):
    def pilots(self) -> SheetActorQuerySet:
        return self.filter(role=ActorRole.PILOT)

    def partners(self) -> SheetActorQuerySet:
        return self.filter(role=ActorRole.PARTNER)


class SheetActor(models.Model):
    """A pilot or partner of a sheet, with its mission as written."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sheet_roles",
    )
    name = models.CharField("nom (tel qu'écrit)", max_length=255)
    role = models.CharField("rôle", max_length=10, choices=ActorRole.choices)
    mission = models.TextField("mission", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    objects = SheetActorQuerySet.as_manager()

    class Meta:
        verbose_name = "acteur de la fiche"
        verbose_name_plural = "acteurs de la fiche"
        ordering = ["sheet", "role", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        return str(self.organisation) if self.organisation_id else self.name


class Milestone(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="milestones")
    label = models.TextField("jalon")
    when_text = models.CharField("échéance (texte d'origine)", max_length=100, blank=True)
    date = models.DateField("date", null=True, blank=True)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    month = models.PositiveSmallIntegerField("mois", null=True, blank=True)
    done = models.BooleanField("réalisé", default=False)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "jalon"
        ordering = ["sheet", "order", "date", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def when(self) -> dt.date | int | None:
        return self.date or self.year

    @property
    def when_label(self) -> str:
        """ "10/03/2017", "mai 2017", "2017" or "" — as precise as the calendar was."""
        if self.date:
            return f"{self.date:%d/%m/%Y}"
        if self.month and self.year:
            return date_format(dt.date(self.year, self.month, 1), "F Y")
        return str(self.year or "")


class BudgetLine(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="budget_lines")
    label = models.CharField("poste", max_length=255)
    amount = models.DecimalField("montant (€)", **MONEY_DIGITS)
    periodicity = models.CharField(
        "périodicité", max_length=12, choices=Periodicity.choices, default=Periodicity.ONE_OFF
    )
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    kind = models.CharField(
        "prévu ou réalisé", max_length=10, choices=BudgetKind.choices, default=BudgetKind.PLANNED
    )
    nature = models.CharField(
        "nature", max_length=12, choices=BudgetNature.choices, default=BudgetNature.UNKNOWN
    )
    note = models.TextField(
        "précision", blank=True, help_text="Par exemple « depuis 2009 (au 31/12/2016) »."
    )
    order = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(bases=[AppendOnlyModel])

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.label} : {self.amount} €"


class Funding(models.Model):
    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="financeur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fundings",
    )
    funder_name = models.CharField("financeur (tel qu'écrit)", max_length=255)
    amount = models.DecimalField("montant (€)", null=True, blank=True, **MONEY_DIGITS)
    wording = models.TextField("libellé d'origine", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "financement"
        ordering = ["sheet", "order", "id"]

    def __str__(self) -> str:
        return self.funder_name


class IndicatorQuerySet(models.QuerySet):
    def public(self) -> IndicatorQuerySet:
        return self.filter(confidential=False, sheet__in=ActionSheet.objects.public())

    def visible_to(self, user) -> IndicatorQuerySet:
        from maillage.organisations import permissions

        return self.filter(permissions.visible_indicators_q(user))

    def with_latest(self) -> IndicatorQuerySet:
        """Annotate the latest measurement (value, date) without one query per row."""
        latest = Measurement.objects.filter(indicator=models.OuterRef("pk")).order_by(
            "-date", "-id"
        )
        return self.annotate(
            latest_value=models.Subquery(latest.values("value")[:1]),
            latest_date=models.Subquery(latest.values("date")[:1]),
        )


class Indicator(models.Model):
    """An "indicateur de suivi" of a sheet."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="indicators")
    label = models.TextField("libellé")
    unit = models.CharField("unité", max_length=60, blank=True)
    direction = models.CharField(
        "sens", max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    measurement_method = models.CharField(
        "mode de mesure",
        max_length=10,
        choices=MeasurementMethod.choices,
        default=MeasurementMethod.MANUAL,
    )
    source_key = models.CharField(
        "source du calcul",
        max_length=120,
        blank=True,
        help_text="Pour un indicateur calculé : clé de la source (ex. mediation.beneficiaries).",
    )
    source_filters = models.JSONField(
        "filtres du calcul",
        default=dict,
        blank=True,
        help_text='Par exemple {"organisation": "pilots", "period": "year", "themes": ["msa"]}.',
    )
    counting = models.CharField(
        "décompte",
        max_length=10,
        choices=Counting.choices,
        blank=True,
        help_text="Séances ou personnes distinctes, quand la source propose les deux.",
    )
    weight = models.DecimalField("poids", max_digits=6, decimal_places=2, default=Decimal(1))
    confidential = models.BooleanField("confidentiel", default=False)
    note = models.TextField("remarque", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(bases=[AppendOnlyModel])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "indicateur"
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=Q(measurement_method=MeasurementMethod.MANUAL) | ~Q(source_key=""),
                name="computed_indicator_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse(
            "plan:indicator_detail", args=[self.sheet.plan.slug, self.sheet.ref, self.pk]
        )

    @property
    def is_count(self) -> bool:
        """Counts people, places, lines…: its values are whole numbers. Read from the wording
        the sheets use ("Nombre de …", or a unit such as "personnes")."""
        label = self.label.strip().lower()
        return label.startswith(COUNT_LABEL_STARTS) or self.unit.strip().lower() in COUNT_UNITS

    def targets_by_kind(self) -> dict[str, Target]:
        """Targets keyed by kind (None for a missing kind); uses prefetched targets."""
        targets: dict[str, Target | None] = dict.fromkeys(TargetKind.values)
        targets.update({t.kind: t for t in self.targets.all()})
        return targets


class Target(models.Model):
    """Initial, intermediate or final value of an indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField("type", max_length=12, choices=TargetKind.choices)
    value = models.DecimalField("valeur", null=True, blank=True, **VALUE_DIGITS)
    comparator = models.CharField(
        "qualificatif", max_length=2, choices=Comparator.choices, blank=True
    )
    value_text = models.TextField("valeur (texte d'origine)", blank=True)
    date = models.DateField("date", null=True, blank=True)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        "jusqu'à (année)",
        null=True,
        blank=True,
        help_text="Pour une valeur donnée sur plusieurs années (« 2016/2017 »).",
    )
    note = models.TextField("remarque", blank=True)

    history = HistoricalRecords(bases=[AppendOnlyModel])

    class Meta:
        verbose_name = "valeur cible"
        verbose_name_plural = "valeurs cibles"
        ordering = ["indicator", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "kind"], name="target_kind_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(value_text=""),
                name="target_has_value_or_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value is not None:
            return f"{self.value.normalize():f}"
        return self.value_text

    @property
    def effective_date(self) -> dt.date | None:
        """The date the value refers to; a bare year (or span of years) means the end of it."""
        if self.date:
            return self.date
        if self.end_year or self.year:
            return dt.date(self.end_year or self.year, 12, 31)
        return None


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField("valeur", **VALUE_DIGITS)
    date = models.DateField("date")
    source = models.CharField(
        "origine",
        max_length=10,
        choices=MeasurementSource.choices,
        default=MeasurementSource.MANUAL,
    )
    comment = models.TextField("commentaire", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provenance = models.JSONField("provenance", default=dict, blank=True)
    created = models.DateTimeField("enregistrée le", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created"], bases=[AppendOnlyModel])

    class Meta:
        verbose_name = "mesure"
        ordering = ["indicator", "date", "id"]
        indexes = [models.Index(fields=["indicator", "date"], name="measurement_indicator_date")]

    def __str__(self) -> str:
        return f"{self.value.normalize():f} au {self.date:%d/%m/%Y}"

    @property
    def is_computed(self) -> bool:
        """Computed from the data by the indicator's source: corrected by computing again, never
        by hand."""
        return self.source == MeasurementSource.COMPUTED


class KeyFigure(models.Model):
    """A figure quoted by a sheet ("59 bibliothèques", "4 300 lignes inéligibles")."""

    sheet = models.ForeignKey(ActionSheet, on_delete=models.CASCADE, related_name="key_figures")
    value = models.DecimalField("valeur", null=True, blank=True, **VALUE_DIGITS)
    comparator = models.CharField(
        "qualificatif", max_length=2, choices=Comparator.choices, blank=True
    )
    unit = models.CharField("unité", max_length=120, blank=True)
    per_year = models.BooleanField("par an", default=False)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    context = models.TextField("contexte", blank=True)
    raw = models.TextField("texte d'origine", blank=True)
    source_field = models.CharField("rubrique de la fiche", max_length=20, blank=True)
    source_line = models.PositiveIntegerField("ligne dans le document", null=True, blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "chiffre clé"
        verbose_name_plural = "chiffres clés"
        ordering = ["sheet", "order", "id"]

    def __str__(self) -> str:
        value = f"{self.value.normalize():f}" if self.value is not None else "?"
        qualifier = self.get_comparator_display() if self.comparator else ""
        per_year = " par an" if self.per_year else ""
        return f"{qualifier} {value} {self.unit}{per_year}".strip()


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> MeetingQuerySet:

        return self.filter(starts_at__gte=now or clock.now()).order_by("starts_at")


class Meeting(models.Model):
    """A meeting of one of the plan's bodies (copil, cotech, network…)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meetings")
    body = models.CharField("instance", max_length=10, choices=MeetingBody.choices)
    title = models.CharField("intitulé", max_length=255)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin", null=True, blank=True)
    location = models.CharField("lieu", max_length=255, blank=True)
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions", blank=True)
    sheets = models.ManyToManyField(
        ActionSheet, verbose_name="fiches concernées", blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d/%m/%Y})"


class BulkUpdate(models.Model):
    """An uploaded file's changes — the plan's XLSX edited, or series of values from another
    system (`series.py`) —: read, previewed, then applied."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="bulk_updates")
    kind = models.CharField(
        "type", max_length=10, choices=BulkUpdateKind.choices, default=BulkUpdateKind.WORKBOOK
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("fichier", max_length=255, blank=True)
    created = models.DateTimeField("déposé le", auto_now_add=True)
    changes = models.JSONField("modifications", default=list)
    errors = models.JSONField("erreurs", default=list)
    unchanged = models.PositiveIntegerField("valeurs inchangées", default=0)
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)

    class Meta:
        verbose_name = "mise à jour par tableur"
        verbose_name_plural = "mises à jour par tableur"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created:%d/%m/%Y %H:%M})"

    @property
    def is_series(self) -> bool:
        return self.kind == BulkUpdateKind.SERIES

    @property
    def change_rows(self) -> list[dict]:
        """The changes as the preview lists them, each naming what it changes (`element`): the
        sheet itself, or one of its indicators."""
        return [
            change
            | {
                "element": labels.BULK_SHEET_ELEMENT
                if change["kind"] == "sheet"
                else change["indicator"]
            }
            for change in self.changes
        ]
