"""Broadband figures by commune and quarter, where they came from, and the roll-out programme.

Counts are kept long: one row per (commune, quarter, dataset, category), e.g. (Barbezieux,
T3 2024, wired speeds, 0.5–3 Mbit/s) = 212. Every file the regulator publishes fills some
categories of some datasets, so imports, aggregates and exports share one shape; the
datasets that partition the premises (best access, speed classes) are checked whole when
imported. A quarter is stored as its last day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from maillage import clock
from maillage.web.validators import WebURLField

from .labels import Category, Dataset, ImportStatus, Layout, Technology
from .quarters import Quarter


def _quarter_end_q(field: str) -> Q:
    """A check that `field` (a date) is the last day of a quarter."""
    return (Q(**{f"{field}__month__in": (3, 12)}) & Q(**{f"{field}__day": 31})) | (
        Q(**{f"{field}__month__in": (6, 9)}) & Q(**{f"{field}__day": 30})
    )


class FigureImport(models.Model):
    """One file of figures: read (validated, previewed), then applied — and its source note.

    The note says where the figures come from: the file as received, its address when it was
    downloaded, the date of the data, when and by whom it was imported. Demonstration data
    are an import too (`is_demo`), so every page can say which figures are fictitious.
    """

    layout = models.CharField("présentation", max_length=30, choices=Layout.choices, blank=True)
    file = models.FileField("fichier", upload_to="broadband/imports/%Y/", blank=True)
    filename = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    url = WebURLField("adresse de téléchargement", max_length=500, blank=True)
    data_date = models.DateField(
        "date des données",
        null=True,
        blank=True,
        help_text="La date à laquelle les chiffres se rapportent (ex. 30/09/2024).",
    )
    note = models.TextField("note sur la source", blank=True)
    is_demo = models.BooleanField("données de démonstration", default=False)
    status = models.CharField(
        "état", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    errors = models.JSONField("erreurs", default=list, blank=True)
    records = models.JSONField(
        "valeurs lues",
        default=list,
        blank=True,
        help_text="[[code INSEE, fin de trimestre, jeu, {catégorie: valeur}], …]",
    )
    summary = models.JSONField("résumé", default=dict, blank=True)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="appliqué par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "import de chiffres du haut débit"
        verbose_name_plural = "imports de chiffres du haut débit"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="broadband_import_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d/%m/%Y})" if self.created_at else self.filename

    def get_absolute_url(self) -> str:
        return reverse("broadband:import_detail", args=[self.pk])

    @property
    def is_reading(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.READING)

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.READY

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    @property
    def status_badge(self) -> str:
        from .labels import IMPORT_STATUS_BADGE

        return IMPORT_STATUS_BADGE.get(self.status, "new")

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter.parse(day) for day in self.summary.get("quarters", [])]


class PremisesCountQuerySet(models.QuerySet):
    def latest_at(self, day: dt.date) -> PremisesCountQuerySet:
        """For each commune (and dataset, category) the count of the latest quarter ≤ `day`."""
        latest = (
            PremisesCount.objects.filter(
                commune=models.OuterRef("commune"),
                dataset=models.OuterRef("dataset"),
                category=models.OuterRef("category"),
                quarter_end__lte=day,
            )
            .order_by("-quarter_end")
            .values("quarter_end")[:1]
        )
        return self.filter(quarter_end=models.Subquery(latest))

    def in_territory(self, code: str | list[str] | None) -> PremisesCountQuerySet:
        """Restrict to a commune (INSEE code), an EPCI (SIREN), or a list of either."""
        if not code:
            return self
        codes = code if isinstance(code, list | tuple) else [code]
        q = Q(pk__in=[])
        for item in codes:
            item = str(item)
            q |= Q(commune__epci_id=item) if len(item) == 9 else Q(commune_id=item)
        return self.filter(q)


class PremisesCount(models.Model):
    """How many premises of a commune, at the end of a quarter, fall in one category."""

    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune",
        on_delete=models.PROTECT,
        related_name="premises_counts",
    )
    quarter_end = models.DateField("fin du trimestre")
    dataset = models.CharField("jeu de chiffres", max_length=20, choices=Dataset.choices)
    category = models.CharField("catégorie", max_length=20, choices=Category.choices)
    value = models.PositiveIntegerField("nombre de locaux")
    source = models.ForeignKey(
        FigureImport,
        verbose_name="import",
        on_delete=models.PROTECT,
        related_name="counts",
    )

    objects = PremisesCountQuerySet.as_manager()

    class Meta:
        verbose_name = "nombre de locaux"
        verbose_name_plural = "nombres de locaux"
        ordering = ["commune", "quarter_end", "dataset", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "quarter_end", "dataset", "category"],
                name="broadband_count_unique",
            ),
            models.CheckConstraint(
                condition=_quarter_end_q("quarter_end"), name="broadband_count_quarter_end"
            ),
            models.CheckConstraint(
                condition=Q(dataset__in=Dataset.values), name="broadband_count_dataset_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="broadband_count_category_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["dataset", "category", "quarter_end"], name="broadband_count_lookup"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.commune_id} {Quarter.parse(self.quarter_end)} "
            f"{self.get_category_display()} : {self.value}"
        )

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.quarter_end)


class Programme(models.Model):
    """A public-initiative network's roll-out programme (Num10: 81,4 M€, 2016–2021)."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=80, unique=True)
    sheet = models.ForeignKey(
        "plan.ActionSheet",
        verbose_name="fiche action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadband_programmes",
        help_text="Sa fiche porte le budget, les financements et les jalons du programme.",
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="maître d'ouvrage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField("présentation", blank=True)
    start_year = models.PositiveSmallIntegerField("début (année)", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("fin (année)", null=True, blank=True)
    target_premises = models.PositiveIntegerField("prises FttH visées", null=True, blank=True)
    target_communes = models.PositiveIntegerField("communes visées", null=True, blank=True)

    class Meta:
        verbose_name = "programme de déploiement"
        verbose_name_plural = "programmes de déploiement"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="broadband_programme_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("broadband:programme_detail", args=[self.slug])


class Phase(models.Model):
    """A phase or operation of a programme: what it deploys, where, with which budget.

    Its budget is either a sheet's budget line (Num11's 3 374 200 € is the CC des 4B Sud
    Charente's share, carried by Num11) or an amount within the programme's budget (the
    SDEG's 7,3 M€ within Num10's 81,4 M€): never both, so nothing is counted twice.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField("nom", max_length=200)
    technology = models.CharField(
        "technologie", max_length=20, choices=Technology.choices, default=Technology.FTTH
    )
    sheet = models.ForeignKey(
        "plan.ActionSheet",
        verbose_name="fiche action qui en rend compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadband_phases",
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="porteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    epcis = models.ManyToManyField(
        "territory.Epci", verbose_name="intercommunalités", blank=True, related_name="+"
    )
    territory_text = models.TextField(
        "territoire (tel qu'écrit)",
        blank=True,
        help_text="Par exemple « EPCI de la 2e couronne d'Angoulême (Braconne Charente…) ».",
    )
    budget_line = models.ForeignKey(
        "plan.BudgetLine",
        verbose_name="ligne budgétaire de la fiche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadband_phases",
    )
    amount = models.DecimalField(
        "montant dans le budget du programme (€)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    target_premises = models.PositiveIntegerField("locaux visés", null=True, blank=True)
    start_year = models.PositiveSmallIntegerField("début (année)", null=True, blank=True)
    end_year = models.PositiveSmallIntegerField("fin (année)", null=True, blank=True)
    description = models.TextField("présentation", blank=True)
    order = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "phase ou opération"
        verbose_name_plural = "phases et opérations"
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_line__isnull=True) | Q(amount__isnull=True),
                name="broadband_phase_one_budget",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="broadband_phase_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def budget(self) -> Decimal | None:
        return self.budget_line.amount if self.budget_line_id else self.amount


class WorkQuerySet(models.QuerySet):
    def done_by(self, day: dt.date) -> WorkQuerySet:
        return self.filter(done_quarter__isnull=False, done_quarter__lte=day)


class Work(models.Model):
    """The works of a phase in one commune: planned premises and quarter, then what was done."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="works")
    commune = models.ForeignKey(
        "territory.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    technology = models.CharField(
        "technologie", max_length=20, choices=Technology.choices, default=Technology.FTTH
    )
    planned_premises = models.PositiveIntegerField("locaux prévus")
    planned_quarter = models.DateField("trimestre prévu (fin)")
    done_premises = models.PositiveIntegerField("locaux réalisés", null=True, blank=True)
    done_quarter = models.DateField("trimestre de mise en service (fin)", null=True, blank=True)
    note = models.TextField("remarque", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = "chantier"
        ordering = ["phase", "planned_quarter", "commune"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "commune", "technology"], name="broadband_work_unique"
            ),
            models.CheckConstraint(
                condition=_quarter_end_q("planned_quarter"), name="broadband_work_planned_quarter"
            ),
            models.CheckConstraint(
                condition=Q(done_quarter__isnull=True) | _quarter_end_q("done_quarter"),
                name="broadband_work_done_quarter",
            ),
            models.CheckConstraint(
                condition=Q(done_quarter__isnull=True, done_premises__isnull=True)
                | Q(done_quarter__isnull=False, done_premises__isnull=False),
                name="broadband_work_done_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase} — {self.commune}"

    @property
    def planned(self) -> Quarter:
        return Quarter.parse(self.planned_quarter)

    @property
    def done(self) -> Quarter | None:
        return Quarter.parse(self.done_quarter) if self.done_quarter else None

    @property
    def is_done(self) -> bool:
        return self.done_quarter is not None

    @property
    def is_late(self) -> bool:
        """Not put into service although its planned quarter is over."""
        return self.done_quarter is None and self.planned_quarter < clock.today()
