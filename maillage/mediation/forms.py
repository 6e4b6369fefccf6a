"""Forms of the mediation app: short, phone-first (radios and checkboxes, sensible defaults)."""

from __future__ import annotations

import datetime as dt

from django import forms

from maillage import clock
from maillage.organisations.forms import DsfrFieldsMixin
from maillage.organisations.models import Organisation
from maillage.places.forms import CommuneField, MultipleCheckboxes
from maillage.places.models import Place
from maillage.web.query_names import FrenchQueryNames

from . import labels
from .labels import (
    AccompanimentKind,
    Autonomy,
    Connection,
    EquipmentMeans,
    EquipmentUsed,
    HomeEquipment,
    LocationKind,
    OnlineAccount,
    OutcomeKind,
    PaymentMethod,
    RevenueBand,
    Situation,
    SubscriptionKind,
    Theme,
)
from .models import Beneficiary

DURATIONS = [
    (15, "15 min"),
    (30, "30 min"),
    (45, "45 min"),
    (60, "1 h"),
    (90, "1 h 30"),
    (120, "2 h"),
]


def _radio(label, choices, **kwargs):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _checks(label, choices, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=MultipleCheckboxes, required=False, **kwargs
    )


class BeneficiaryFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label="Prénom ou pseudonyme",
        required=False,
        max_length=100,
        help_text="Facultatif : un code est créé pour chaque personne.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    commune = CommuneField(label="Commune de la personne", required=False, max_length=100)
    birth_year = forms.IntegerField(
        label="Année de naissance",
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Seule la tranche d'âge sert aux statistiques.",
    )
    situation = forms.ChoiceField(label="Situation", choices=Situation.choices, required=False)


class BeneficiaryForm(DsfrFieldsMixin, BeneficiaryFieldsMixin):
    receives_rsa = forms.BooleanField(label="Allocataire du rSa", required=False)
    home_equipment = _checks("Équipement à domicile", HomeEquipment.choices)
    connection = forms.ChoiceField(
        label="Connexion à domicile", choices=Connection.choices, required=False
    )
    autonomy = forms.ChoiceField(label="Autonomie", choices=Autonomy.choices, required=False)
    revenue_band = forms.ChoiceField(
        label="Tranche de chiffre d'affaires (indépendants)",
        choices=RevenueBand.choices,
        required=False,
    )
    consent = forms.BooleanField(
        label="La personne accepte que l'on garde son nom et ses coordonnées",
        required=False,
        help_text="Sans son accord, seuls le code, la commune et la situation sont gardés.",
    )
    last_name = forms.CharField(label="Nom", required=False, max_length=100)
    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=25,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label="Courriel", required=False)

    def __init__(self, *args, instance: Beneficiary | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "first_name": instance.first_name,
                "last_name": instance.last_name,
                "phone": instance.phone,
                "email": instance.email,
                "commune": instance.commune.name if instance.commune_id else "",
                "birth_year": instance.birth_year,
                "situation": instance.situation,
                "receives_rsa": instance.receives_rsa,
                "home_equipment": instance.home_equipment,
                "connection": instance.connection,
                "autonomy": instance.autonomy,
                "revenue_band": instance.revenue_band,
                "consent": bool(instance.consent_at),
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(n) for n in ("last_name", "phone", "email")) and not cleaned.get(
            "consent"
        ):
            raise forms.ValidationError(labels.ERR_CONTACT_WITHOUT_CONSENT)
        return cleaned

    def model_data(self) -> dict:
        data = self.cleaned_data
        commune = data.get("commune")
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "phone": data["phone"],
            "email": data["email"],
            "commune_id": commune.pk if commune else None,
            "birth_year": data["birth_year"],
            "situation": data["situation"],
            "receives_rsa": data["receives_rsa"],
            "home_equipment": data["home_equipment"],
            "connection": data["connection"],
            "autonomy": data["autonomy"],
            "revenue_band": data["revenue_band"],
        }


class AccompanimentForm(DsfrFieldsMixin, BeneficiaryFieldsMixin):
    """One screen on a phone: who, what kind, where, about what, how it went."""

    organisation = forms.ModelChoiceField(label="Organisation", queryset=None, empty_label=None)
    beneficiary = forms.ModelChoiceField(
        label="Personne déjà suivie",
        queryset=Beneficiary.objects.none(),
        required=False,
        empty_label="— Nouvelle personne —",
        help_text="Sinon, laissez « Nouvelle personne » et remplissez au besoin ce qui suit.",
    )
    kind = _radio(
        "Type d'accompagnement", AccompanimentKind.choices, initial=AccompanimentKind.INDIVIDUAL
    )
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_minutes = forms.TypedChoiceField(
        label="Durée", choices=DURATIONS, coerce=int, initial=60
    )
    location_kind = _radio("Où", LocationKind.choices, initial=LocationKind.PLACE)
    place = forms.ModelChoiceField(
        label="Lieu d'accueil", queryset=Place.objects.none(), required=False
    )
    title = forms.CharField(label="Intitulé de l'atelier", required=False, max_length=200)
    anonymous_participants = forms.IntegerField(
        label="Participants non nommés (atelier)", required=False, min_value=0, initial=0
    )
    themes = _checks("Thématiques", Theme.choices)
    equipment_used = _checks("Matériel utilisé", EquipmentUsed.choices)
    autonomy = _radio(
        "Niveau d'autonomie atteint", Autonomy.choices, required=False, initial=Autonomy.UNKNOWN
    )
    oriented_to = forms.CharField(
        label="Orientée vers", required=False, max_length=200, help_text="Autre structure."
    )
    note = forms.CharField(
        label="Note libre",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=labels.NOTE_HINT,
    )

    def __init__(self, *args, organisations, beneficiaries, places, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", clock.today())
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["beneficiary"].queryset = beneficiaries
        self.fields["beneficiary"].label_from_instance = lambda b: b.picker_label
        self.fields["beneficiary"].widget.attrs["data-picker"] = "beneficiaires"
        # No place chosen for the mediator: a wrong default would be recorded unseen.
        self.fields["place"].queryset = places
        self.fields["place"].empty_label = "— Choisissez le lieu —"
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first().pk
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > clock.today():
            raise forms.ValidationError(labels.ERR_FUTURE_DATE)
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("location_kind") == LocationKind.PLACE and not cleaned.get("place"):
            self.add_error("place", labels.ERR_PLACE_REQUIRED)
        beneficiary, organisation = cleaned.get("beneficiary"), cleaned.get("organisation")
        if beneficiary and organisation and beneficiary.organisation_id != organisation.pk:
            self.add_error("beneficiary", labels.ERR_OTHER_ORGANISATION)
        return cleaned

    def new_beneficiary_data(self) -> dict:
        data = self.cleaned_data
        commune = data.get("commune")
        return {
            "first_name": data.get("first_name", ""),
            "commune_id": commune.pk if commune else None,
            "birth_year": data.get("birth_year"),
            "situation": data.get("situation", ""),
        }

    def accompaniment_data(self) -> dict:
        data = self.cleaned_data
        place = data.get("place") if data["location_kind"] == LocationKind.PLACE else None
        return {
            "kind": data["kind"],
            "date": data["date"],
            "duration_minutes": data["duration_minutes"],
            "location_kind": data["location_kind"],
            "place": place,
            "title": data.get("title", ""),
            "themes": data["themes"],
            "equipment_used": data["equipment_used"],
            "autonomy": data.get("autonomy") or "",
            "oriented_to": data.get("oriented_to", ""),
            "note": data.get("note", ""),
            "anonymous_participants": data.get("anonymous_participants") or 0,
        }


class AccompanimentEditForm(AccompanimentForm):
    """Correct what was recorded (not who took part: that is on the record's page)."""

    PERSON_FIELDS = ("organisation", "beneficiary", "first_name", "commune", "birth_year")

    def __init__(self, *args, accompaniment, places, **kwargs):
        a = accompaniment
        kwargs["initial"] = {
            "kind": a.kind,
            "date": a.date,
            "duration_minutes": a.duration_minutes,
            "location_kind": a.location_kind,
            "place": a.place_id,
            "title": a.title,
            "anonymous_participants": a.anonymous_participants,
            "themes": a.themes,
            "equipment_used": a.equipment_used,
            "autonomy": a.autonomy,
            "oriented_to": a.oriented_to,
            "note": a.note,
        }
        super().__init__(
            *args,
            organisations=Organisation.objects.filter(pk=a.organisation_id),
            beneficiaries=Beneficiary.objects.none(),
            places=places,
            **kwargs,
        )
        for name in (*self.PERSON_FIELDS, "situation"):
            self.fields.pop(name, None)


class ParticipantsForm(DsfrFieldsMixin, forms.Form):
    beneficiaries = forms.ModelMultipleChoiceField(
        label="Participants", queryset=Beneficiary.objects.none(), widget=MultipleCheckboxes
    )

    def __init__(self, *args, beneficiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["beneficiaries"].queryset = beneficiaries
        self.fields["beneficiaries"].label_from_instance = lambda b: b.display_name


class OutcomeForm(DsfrFieldsMixin, forms.Form):
    kind = _radio("Suivi", OutcomeKind.choices)
    date = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    equipment_means = forms.ChoiceField(
        label="Équipement", choices=EquipmentMeans.choices, required=False
    )
    account = forms.ChoiceField(label="Compte créé", choices=OnlineAccount.choices, required=False)
    autonomy = forms.ChoiceField(
        label="Niveau d'autonomie", choices=Autonomy.choices, required=False
    )
    revenue_band_before = forms.ChoiceField(
        label="Tranche avant", choices=RevenueBand.choices, required=False
    )
    revenue_band_after = forms.ChoiceField(
        label="Tranche après", choices=RevenueBand.choices, required=False
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", clock.today())
        super().__init__(*args, **kwargs)


class SubscriptionForm(DsfrFieldsMixin, forms.Form):
    kind = _radio("Formule", SubscriptionKind.choices, initial=SubscriptionKind.MEMBERSHIP)
    on = forms.DateField(
        label="À partir du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    payment_method = forms.ChoiceField(
        label="Règlement", choices=PaymentMethod.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", clock.today())
        super().__init__(*args, **kwargs)


class MergeForm(DsfrFieldsMixin, forms.Form):
    duplicate = forms.CharField(label="Code de la fiche en double", max_length=20)


class StatsFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {
        "organisation": "organisme",
        "start": "du",
        "end": "au",
        "kind": "type",
        "territory": "territoire",
    }

    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=None, required=False, empty_label="Toutes"
    )
    start = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Tous"), *AccompanimentKind.choices], required=False
    )
    theme = forms.ChoiceField(
        label="Thématique", choices=[("", "Toutes"), *Theme.choices], required=False
    )
    situation = forms.ChoiceField(
        label="Situation", choices=[("", "Toutes"), *Situation.choices[1:]], required=False
    )
    territory = forms.CharField(
        label="Commune ou EPCI (code)",
        required=False,
        max_length=9,
        help_text="Code INSEE (5 chiffres) ou SIREN de l'EPCI (9 chiffres).",
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def source_filters(self) -> tuple[dict, dt.date | None, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        filters: dict = {}
        if data.get("organisation"):
            filters["organisation_ids"] = [data["organisation"].pk]
        for name in ("kind", "situation", "territory"):
            if data.get(name):
                filters[name] = data[name]
        if data.get("theme"):
            filters["themes"] = [data["theme"]]
        return filters, data.get("start"), data.get("end") or clock.today()
