"""Places of help (the national standard's "lieux de médiation numérique") and help requests.

A `Place` holds every field of the national standard (v1.0.2), named in English, with the
standard's name in `STANDARD_FIELDS` (`exchange.py` maps them both ways). Multi-valued fields
are JSON lists of the standard's own values, so that an import followed by an export gives
back the same file. What the plan needs on top — kind, running organisation, equipment,
opening and closing dates, the Point Visio room — is not part of the standard and is never
exported in it.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maillage import clock
from maillage.append_only import AppendOnlyModel
from maillage.web.validators import WebURLField, validate_http_url_list

from . import hours, labels
from .identifiers import validate_pivot
from .labels import (
    Equipment,
    HelpNeed,
    HelpRequestStatus,
    PlaceKind,
    PreferredTime,
    VisioEquipmentQuality,
)
from .validators import ChoicesListValidator, StandardValuesValidator

validate_postcode = RegexValidator(r"^\d{5}$", "5 chiffres (ex. : 16300).")
validate_insee = RegexValidator(
    r"^([013-9]\d|2[AB1-9])\d{3}$", "5 caractères (ex. : 16028 pour Barbezieux-Saint-Hilaire)."
)
validate_phone = RegexValidator(
    r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$",
    "Format international sans espace, le 0 initial retiré : +33545000000.",
)


def new_standard_id() -> str:
    return f"maillage-{uuid.uuid4()}"


class PlaceQuerySet(models.QuerySet):
    def open_on(self, day: dt.date | None = None) -> "PlaceQuerySet":
        """Places serving on `day` (today by default): opened on or before it, not yet closed.

        A place without opening date counts as always having been open; one closing on a day
        is no longer open that day.
        """
        day = day or clock.today()
        return self.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day)).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def editable_by(self, user) -> "PlaceQuerySet":
        from maillage.organisations import permissions

        return self.filter(permissions.editable_places_q(user))


class Place(models.Model):
    # --- The national standard (field names in STANDARD_FIELDS) ---------------------------
    standard_id = models.CharField(
        "identifiant (id)",
        max_length=200,
        unique=True,
        default=new_standard_id,
        help_text="Identifiant unique du lieu dans le standard national ; ne change pas.",
    )
    pivot = models.CharField(
        "SIRET, SIREN, RNA ou RIDET",
        max_length=14,
        validators=[validate_pivot],
        help_text="SIRET de la structure (14 chiffres), ou RNA d'une association sans SIRET.",
    )
    name = models.CharField("nom", max_length=250)
    commune_name = models.CharField("commune", max_length=200)
    postcode = models.CharField("code postal", max_length=5, validators=[validate_postcode])
    insee_code = models.CharField(
        "code INSEE", max_length=5, blank=True, validators=[validate_insee], db_index=True
    )
    address = models.CharField(
        "adresse", max_length=250, help_text="Numéro et voie, ex. : 2 place du Château."
    )
    address_complement = models.CharField("complément d'adresse", max_length=250, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True, help_text="WGS84, en degrés.")
    longitude = models.FloatField("longitude", null=True, blank=True, help_text="WGS84, en degrés.")
    typologies = models.JSONField(
        "typologie", default=list, blank=True, validators=[StandardValuesValidator("typologie")]
    )
    phone = models.CharField("téléphone", max_length=15, blank=True, validators=[validate_phone])
    emails = models.JSONField("courriels", default=list, blank=True)
    websites = models.JSONField(
        "sites web", default=list, blank=True, validators=[validate_http_url_list]
    )
    opening_hours = models.CharField(
        "horaires",
        max_length=500,
        blank=True,
        validators=[hours.validate_opening_hours],
        help_text=(
            "Format OpenStreetMap, ex. : « Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00 ». "
            "Sans mention « PH », le lieu est réputé fermé les jours fériés."
        ),
    )
    summary = models.TextField(
        "présentation résumée", blank=True, validators=[MaxLengthValidator(280)]
    )
    description = models.TextField("présentation détaillée", blank=True)
    source = models.CharField("structure collectant la donnée", max_length=200, blank=True)
    mobility = models.JSONField(
        "itinérance", default=list, blank=True, validators=[StandardValuesValidator("itinerance")]
    )
    parent_structure = models.CharField("structure parente", max_length=250, blank=True)
    updated_on = models.DateField("date de mise à jour", default=timezone.localdate)
    services = models.JSONField(
        "services", default=list, blank=True, validators=[StandardValuesValidator("services")]
    )
    publics = models.JSONField(
        "publics spécifiquement adressés",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("publics_specifiquement_adresses")],
    )
    specific_support = models.JSONField(
        "prise en charge spécifique",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("prise_en_charge_specifique")],
    )
    fees = models.JSONField(
        "frais à charge",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("frais_a_charge")],
    )
    national_programmes = models.JSONField(
        "dispositifs et programmes nationaux",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("dispositif_programmes_nationaux")],
    )
    training_labels = models.JSONField(
        "formations et labels",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("formations_labels")],
    )
    other_labels = models.CharField("autres formations et labels", max_length=500, blank=True)
    access_modes = models.JSONField(
        "modalités d'accès",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("modalites_acces")],
    )
    support_modes = models.JSONField(
        "modalités d'accompagnement",
        default=list,
        blank=True,
        validators=[StandardValuesValidator("modalites_accompagnement")],
    )
    acceslibre_url = WebURLField("fiche Accès libre", max_length=500, blank=True)
    booking_url = WebURLField("prise de rendez-vous en ligne", max_length=500, blank=True)

    # --- What the plan needs -------------------------------------------------------------
    kind = models.CharField(
        "type de lieu", max_length=20, choices=PlaceKind.choices, default=PlaceKind.OTHER
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisation qui le fait fonctionner",
        on_delete=models.PROTECT,
        related_name="places",
        null=True,
        blank=True,
    )
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune (référentiel)",
        on_delete=models.PROTECT,
        related_name="places",
        null=True,
        blank=True,
        help_text="Renseignée d'après le code INSEE quand la commune est dans le référentiel.",
    )
    equipment = models.JSONField(
        "équipement", default=list, blank=True, validators=[ChoicesListValidator(Equipment.values)]
    )
    opened_on = models.DateField(
        "ouvert le",
        null=True,
        blank=True,
        help_text="Date depuis laquelle le lieu accueille le public pour de l'aide (pour les "
        "bibliothèques : depuis laquelle elles sont point de médiation).",
    )
    closed_on = models.DateField(
        "fermé le", null=True, blank=True, help_text="Premier jour où le lieu n'accueille plus."
    )
    mobility_help = models.BooleanField(
        "aide à la mobilité",
        default=False,
        help_text="Le lieu accompagne aussi les questions de déplacement (fiche Num05).",
    )
    accepts_help_requests = models.BooleanField(
        "reçoit les demandes de rappel",
        default=False,
        help_text="Les demandes « être rappelé » des communes proches sont confiées à ce lieu.",
    )
    wheelchair_accessible = models.BooleanField(
        "accessible en fauteuil roulant", null=True, blank=True
    )
    visio_operators = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name="organismes joignables en visio",
        related_name="visio_places",
        blank=True,
    )
    visio_closed_room = models.BooleanField(
        "salle fermée (confidentialité)",
        null=True,
        blank=True,
        help_text="Point Visio : l'entretien se tient dans une pièce fermée.",
    )
    visio_equipment_quality = models.CharField(
        "qualité de l'équipement visio",
        max_length=10,
        choices=VisioEquipmentQuality.choices,
        blank=True,
    )
    visio_trained_receptionist = models.BooleanField(
        "personnel d'accueil formé",
        null=True,
        blank=True,
        help_text="Point Visio : une personne formée accueille l'usager et l'aide à se connecter.",
    )
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    modified_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu d'aide"
        verbose_name_plural = "lieux d'aide"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["kind", "opened_on", "closed_on"])]
        constraints = [
            # The national standard's required fields: a row without them made the open data
            # invalid (the export now leaves such a place out, the database refuses it).
            *[
                models.CheckConstraint(
                    condition=~Q(**{name: ""}),
                    name=f"place_{name}_required",
                    violation_error_message=f"Le champ « {label} » est obligatoire.",
                )
                for name, label in [
                    ("standard_id", "identifiant"),
                    ("pivot", "SIRET, SIREN, RNA ou RIDET"),
                    ("name", "nom"),
                    ("commune_name", "commune"),
                    ("postcode", "code postal"),
                    ("address", "adresse"),
                ]
            ],
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gt=models.F("opened_on")),
                name="place_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:place_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.opened_on and self.closed_on and self.closed_on <= self.opened_on:
            raise ValidationError({"closed_on": labels.ERR_PLACE_CLOSING})

    def is_open_on(self, day: dt.date | None = None) -> bool:
        day = day or clock.today()
        return (self.opened_on is None or self.opened_on <= day) and (
            self.closed_on is None or self.closed_on > day
        )

    @property
    def position(self) -> tuple[float, float] | None:
        """(latitude, longitude): the place's own, else its commune's centroid."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune_id and self.commune is not None:
            return (self.commune.latitude, self.commune.longitude)
        return None

    @property
    def receives_public(self) -> bool:
        return "Ce lieu n'accueille pas de public" not in self.access_modes

    def offers_visio(self) -> bool:
        return self.kind == PlaceKind.POINT_VISIO or Equipment.VIDEOCONFERENCE in self.equipment

    def open_state(self, at: dt.datetime | None = None) -> hours.OpenState:
        return hours.open_state(self.opening_hours, at)

    def week(self, start: dt.date | None = None):
        return hours.week(self.opening_hours, start)

    @property
    def equipment_labels(self) -> list[str]:
        return [Equipment(value).label for value in self.equipment if value in Equipment.values]

    @property
    def display_phone(self) -> str:
        """+33545000000 → 05 45 00 00 00 (metropolitan numbers); others as stored."""
        if self.phone.startswith("+33") and len(self.phone) == 12:
            digits = "0" + self.phone[3:]
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return self.phone

    @property
    def fees_text(self) -> str:
        return ", ".join(self.fees) if self.fees else "Non précisé"


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HelpRequestQuerySet":
        """Requests of the places run by organisations where `user` handles help requests.

        Requests no place could take (none accepts requests nearby) are seen only by platform
        administrators, who pass them on.
        """
        from maillage.organisations import permissions

        return self.filter(permissions.visible_help_requests_q(user))


class HelpRequest(models.Model):
    """A "call me back / I need help" request from the public (sheet Num05's phone line).

    Personal data kept to the minimum: a name or pseudonym, one way to call back, the commune.
    `anonymise()` blanks them once the retention period has passed (`purge_help_requests`);
    the rest stays for the counts of people helped.
    """

    name = models.CharField("nom ou pseudonyme", max_length=100)
    phone = models.CharField("téléphone", max_length=25, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        verbose_name="commune",
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    need = models.CharField("besoin", max_length=10, choices=HelpNeed.choices)
    preferred_times = models.JSONField(
        "moments préférés pour être rappelé",
        default=list,
        blank=True,
        validators=[ChoicesListValidator(PreferredTime.values)],
    )
    message = models.TextField("précisions", blank=True, validators=[MaxLengthValidator(500)])
    consent_at = models.DateTimeField("consentement donné le")
    place = models.ForeignKey(
        Place,
        verbose_name="lieu chargé de la demande",
        on_delete=models.PROTECT,
        related_name="help_requests",
        null=True,
        blank=True,
    )
    status = models.CharField(
        "statut",
        max_length=12,
        choices=HelpRequestStatus.choices,
        default=HelpRequestStatus.NEW,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivie par",
        on_delete=models.SET_NULL,
        related_name="assigned_help_requests",
        null=True,
        blank=True,
    )
    redirected_to = models.CharField("réorientée vers", max_length=250, blank=True)
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("traitée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de rappel"
        verbose_name_plural = "demandes de rappel"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="", email="") | Q(anonymised_at__isnull=False),
                name="help_request_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} — {self.get_need_display()}"

    def get_absolute_url(self) -> str:
        return reverse("places:help_request_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in labels.OPEN_HELP_REQUEST_STATUSES

    @property
    def status_badge(self) -> str:
        """The DSFR badge colour of the status, or "" (grey)."""
        return labels.HELP_REQUEST_STATUS_BADGE.get(self.status, "")

    @property
    def preferred_time_labels(self) -> list[str]:
        return [PreferredTime(v).label for v in self.preferred_times if v in PreferredTime.values]

    def can_move_to(self, status: str) -> bool:
        return status in labels.HELP_REQUEST_TRANSITIONS.get(self.status, set())


class HelpRequestEvent(AppendOnlyModel):
    """The log of a help request: status changes, assignments, transfers and notes."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("le", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(
        "ancien statut", max_length=12, choices=HelpRequestStatus.choices, blank=True
    )
    to_status = models.CharField(
        "nouveau statut", max_length=12, choices=HelpRequestStatus.choices, blank=True
    )
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "suivi d'une demande"
        verbose_name_plural = "suivis des demandes"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} — {self.at:%Y-%m-%d %H:%M}"
