"""Computed access times, kept so pages and indicators read figures instead of recomputing.

An `AccessRun` is one computation (nightly `maillage compute-access`, or on demand): its
parameters, status and progress. For each kind it stores the places considered
(`PlaceOpening`: waiting for opening, half-days, next free slot) and one `CommuneTime` per
commune: the nearest place, the best place by the documented rule, and the candidate places
with their travel times, so the figures filtered by opening or appointment delay are read
without recomputing. Runs are kept: the indicator sources read the latest run at a date.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .labels import (
    SITING_NOT_PROVEN,
    SITING_SOLVED_OPTIMAL,
    CandidateSource,
    RunStatus,
    SitingObjective,
)


class AccessRunQuerySet(models.QuerySet):
    def done(self) -> "AccessRunQuerySet":
        return self.filter(status=RunStatus.DONE)


class AccessRun(models.Model):
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    computed_on = models.DateField("date de référence")
    status = models.CharField(
        "état", max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape en cours", max_length=200, blank=True)
    parameters = models.JSONField(
        "paramètres",
        default=dict,
        blank=True,
        help_text="Types d'aide, plage horaire d'arrivée, horizon, fournisseur des temps.",
    )
    kinds = models.JSONField("types d'aide calculés", default=list, blank=True)
    error = models.TextField("erreur", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AccessRunQuerySet.as_manager()

    class Meta:
        verbose_name = "calcul des temps d'accès"
        verbose_name_plural = "calculs des temps d'accès"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="access_run_progress")
        ]

    def __str__(self) -> str:
        return f"Calcul du {self.computed_on:%d/%m/%Y} ({self.get_status_display()})"


class PlaceOpening(models.Model):
    """A place considered for a kind in a run: what its hours and slots give."""

    run = models.ForeignKey(AccessRun, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField("type d'aide", max_length=120)
    place = models.ForeignKey(
        "places.Place", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    place_name = models.CharField("lieu", max_length=250)
    latitude = models.FloatField()
    longitude = models.FloatField()
    hours_known = models.BooleanField("horaires connus", default=False)
    waiting_minutes = models.FloatField(
        "attente moyenne avant ouverture (minutes)",
        null=True,
        blank=True,
        help_text="Vide : jamais ouvert (« aucun créneau ») si les horaires sont connus.",
    )
    half_days_per_week = models.FloatField("demi-journées d'ouverture par semaine", null=True)
    appointment_days = models.FloatField(
        "délai du premier rendez-vous libre (jours)", null=True, blank=True
    )
    next_slot_at = models.DateTimeField("premier créneau libre", null=True, blank=True)

    class Meta:
        verbose_name = "lieu pris en compte"
        verbose_name_plural = "lieux pris en compte"
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "place"], name="access_place_once")
        ]

    def __str__(self) -> str:
        return f"{self.place_name} ({self.kind})"


class CommuneTime(models.Model):
    """The access of one commune to one kind of help in a run."""

    run = models.ForeignKey(AccessRun, on_delete=models.CASCADE, related_name="communes")
    kind = models.CharField("type d'aide", max_length=120)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.CASCADE, related_name="+", db_constraint=True
    )
    population = models.PositiveIntegerField("population")
    epci_id = models.CharField("EPCI (SIREN)", max_length=9, blank=True)
    # the nearest place by travel time
    place = models.ForeignKey(
        PlaceOpening, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    travel_minutes = models.FloatField("trajet (minutes)", null=True, blank=True)
    km = models.FloatField("distance par la route (km)", null=True, blank=True)
    waiting_minutes = models.FloatField("attente avant ouverture (minutes)", null=True, blank=True)
    appointment_days = models.FloatField("délai de rendez-vous (jours)", null=True, blank=True)
    # the best place by the combined rule (docs/access.md)
    best_place = models.ForeignKey(
        PlaceOpening, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    best_travel_minutes = models.FloatField(null=True, blank=True)
    best_waiting_minutes = models.FloatField(null=True, blank=True)
    best_appointment_days = models.FloatField(null=True, blank=True)
    best_score_minutes = models.FloatField("trajet + attente (minutes)", null=True, blank=True)
    candidates = models.JSONField(
        "lieux proches",
        default=list,
        blank=True,
        help_text="[[id de PlaceOpening, minutes, km, estimé], …] du plus proche au plus lointain.",
    )

    class Meta:
        verbose_name = "temps d'accès d'une commune"
        verbose_name_plural = "temps d'accès des communes"
        constraints = [
            models.UniqueConstraint(fields=["run", "kind", "commune"], name="access_commune_once")
        ]
        indexes = [models.Index(fields=["run", "kind", "travel_minutes"])]

    def __str__(self) -> str:
        return f"{self.commune_id} → {self.kind}"


class SitingScenarioQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SitingScenarioQuerySet":
        from maillage.organisations import permissions

        return self.filter(permissions.siting_scenarios_q(user))


class SitingScenario(models.Model):
    """Where k new points of a kind of help would serve most people: the pilot's question, the
    solver's answer (`result`, see `scenarios.py`), and the background computation's state."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="siting_scenarios",
    )
    name = models.CharField("nom du scénario", max_length=200)
    kind = models.CharField("type de point", max_length=80)
    kind_label = models.CharField("type de point (libellé)", max_length=250, blank=True)
    candidates = models.CharField("lieux candidats", max_length=10, choices=CandidateSource.choices)
    candidate_rows = models.JSONField(
        "liste importée", default=list, blank=True, help_text="Les lieux candidats du fichier."
    )
    candidate_filename = models.CharField("fichier importé", max_length=200, blank=True)
    k = models.PositiveSmallIntegerField("nombre de nouveaux points")
    minutes = models.PositiveSmallIntegerField("seuil de trajet (minutes)", default=15)
    objective = models.CharField("objectif", max_length=10, choices=SitingObjective.choices)
    from_scratch = models.BooleanField(
        "sans les lieux existants",
        default=False,
        help_text="Ne compter que les lieux candidats, comme si aucun lieu n'existait.",
    )
    opening_hours = models.CharField("horaires des nouveaux points", max_length=500, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    step = models.CharField("étape en cours", max_length=200, blank=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SitingScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = "scénario d'implantation"
        verbose_name_plural = "scénarios d'implantation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="siting_progress"),
            models.CheckConstraint(condition=Q(k__gte=1), name="siting_k_positive"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=120), name="siting_minutes_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("access:siting_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE

    @property
    def is_waiting(self) -> bool:
        return self.status in (RunStatus.PENDING, RunStatus.RUNNING)

    @property
    def has_failed(self) -> bool:
        return self.status == RunStatus.FAILED

    @property
    def maximises_coverage(self) -> bool:
        """Counts the people brought within the threshold (else: lowers the mean travel time)."""
        return self.objective == SitingObjective.COVERAGE

    @property
    def proof_text(self) -> str:
        """« optimum prouvé », or how far the best bound is from the solution found."""
        if self.result.get("proven_optimal"):
            return SITING_SOLVED_OPTIMAL
        gap = self.result.get("gap")
        shown = "inconnu" if gap is None else f"{100 * gap:.2f} %".replace(".", ",")
        return SITING_NOT_PROVEN.format(gap=shown)
