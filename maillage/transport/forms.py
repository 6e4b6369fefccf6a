"""Forms of the transport app: a ride request by a mediator or receptionist, by a person from
her booking's link, and the operator's day choice."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from maillage.organisations.forms import DsfrFieldsMixin
from maillage.places.models import Place
from maillage.territory.geocoding import geocode
from maillage.web.query_names import FrenchQueryNames

from .labels import ERR_NO_LEG, ERR_NO_POSITION, ERR_NO_TIME, HalfDay


class NeedsMixin(forms.Form):
    address = forms.CharField(
        label="Adresse (numéro et rue)",
        max_length=250,
        required=False,
        help_text="Sans adresse précise, le chauffeur est envoyé au centre de la commune.",
    )
    commune = forms.CharField(label="Commune ou code postal", max_length=100)
    outbound = forms.BooleanField(label="Aller : du domicile au lieu", required=False, initial=True)
    return_trip = forms.BooleanField(
        label="Retour : du lieu au domicile", required=False, initial=True
    )
    wheelchair = forms.BooleanField(label="Se déplace en fauteuil roulant", required=False)
    companion = forms.BooleanField(label="Vient avec une personne accompagnatrice", required=False)

    def clean_commune(self):
        found = geocode(self.cleaned_data["commune"])
        if found is None:
            raise forms.ValidationError(ERR_NO_POSITION)
        return found.commune

    def clean(self):
        data = super().clean()
        if not (data.get("outbound") or data.get("return_trip")):
            raise forms.ValidationError(ERR_NO_LEG)
        return data


class StaffRideForm(DsfrFieldsMixin, NeedsMixin):
    operator = forms.ModelChoiceField(label="Transporteur", queryset=None, empty_label=None)
    name = forms.CharField(label="Nom ou pseudonyme de la personne", max_length=150)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    place = forms.ModelChoiceField(label="Lieu de destination", queryset=None)
    date = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    arrive_by = forms.TimeField(
        label="Arrivée au plus tard (aller)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Heure de début de l'atelier ou du rendez-vous.",
    )
    leave_after = forms.TimeField(
        label="Départ au plus tôt (retour)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Heure de fin de l'atelier ou du rendez-vous.",
    )
    note = forms.CharField(
        label="Note pour le transporteur", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = [
        "operator",
        "name",
        "phone",
        "email",
        "address",
        "commune",
        "place",
        "date",
        "arrive_by",
        "leave_after",
        "outbound",
        "return_trip",
        "wheelchair",
        "companion",
        "note",
    ]

    def __init__(self, *args, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators
        self.fields["place"].queryset = Place.objects.filter(
            latitude__isnull=False, longitude__isnull=False, closed_on__isnull=True
        ).order_by("commune_name", "name")

    def clean(self):
        data = super().clean()
        day = data.get("date")
        if day is None:
            return data
        zone = timezone.get_current_timezone()
        for field, leg in (("arrive_by", "outbound"), ("leave_after", "return_trip")):
            value = data.get(field)
            if data.get(leg) and value is None:
                self.add_error(field, ERR_NO_TIME)
            data[field] = dt.datetime.combine(day, value, tzinfo=zone) if value else None
        return data


class BookingRideForm(DsfrFieldsMixin, NeedsMixin):
    phone = forms.CharField(
        label="Téléphone (pour l'heure de passage)", max_length=20, required=False
    )
    field_order = [
        "address",
        "commune",
        "phone",
        "outbound",
        "return_trip",
        "wheelchair",
        "companion",
    ]


class DayForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"date": "jour", "half_day": "demi_journee"}

    date = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    half_day = forms.ChoiceField(
        label="Demi-journée",
        choices=[("", "Toute la journée"), *HalfDay.choices],
        required=False,
    )


class HomeVisitsForm(DsfrFieldsMixin, forms.Form):
    """A mediator's day: her base and one visit per line."""

    date = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    base = forms.CharField(
        label="Point de départ (adresse et commune)",
        max_length=250,
        help_text="Par exemple : 1 place de l'Église 16210 Chalais.",
    )
    start = forms.TimeField(
        label="Départ au plus tôt", initial="09:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label="Retour au plus tard", initial="17:30", widget=forms.TimeInput(attrs={"type": "time"})
    )
    visits = forms.CharField(
        label="Visites, une par ligne",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "Adresse et commune ; durée en minutes ; disponibilités. Par exemple : "
            "« 12 rue des Lilas 16480 Brossac ; 60 ; 9:00-11:00 14:00-16:00 »."
        ),
    )

    def clean_visits(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["visits"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            try:
                address, duration = parts[0], int(parts[1])
                windows = []
                for chunk in (parts[2] if len(parts) > 2 else "").split():
                    a, b = chunk.split("-")
                    windows.append((_time(a), _time(b)))
            except (IndexError, ValueError) as error:
                raise forms.ValidationError(
                    f"Ligne {number} : écrivez « adresse ; durée ; disponibilités »."
                ) from error
            rows.append((address, duration, tuple(windows)))
        if not rows:
            raise forms.ValidationError("Indiquez au moins une visite.")
        return rows


def _time(text: str) -> dt.time:
    hours, _, minutes = text.replace("h", ":").partition(":")
    return dt.time(int(hours), int(minutes or 0))
