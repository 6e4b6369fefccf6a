from django import forms

from maillage.organisations.forms import DsfrFieldsMixin
from maillage.places.forms import CommuneField

from . import labels
from .labels import Attendance


class PersonForm(DsfrFieldsMixin, forms.Form):
    """Who the appointment is for: a name or pseudonym and a way to reach them."""

    name = forms.CharField(
        label="Nom ou pseudonyme",
        max_length=150,
        help_text="Un prénom suffit.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="Téléphone portable",
        max_length=20,
        required=False,
        help_text="Pour recevoir la confirmation et les rappels par SMS. Format : 06 12 34 56 78",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        help_text="Pour recevoir la confirmation et le fichier agenda. Format : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    commune = CommuneField(
        label="Votre commune",
        max_length=100,
        required=False,
        help_text="Nom ou code postal, par exemple : Chalais ou 16210",
    )
    consent_reminders = forms.BooleanField(
        label="J'accepte de recevoir des rappels avant le rendez-vous",
        required=False,
    )

    def __init__(self, *args, contact_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_required = contact_required

    def clean(self):
        data = super().clean()
        if self.contact_required and not (data.get("phone") or data.get("email")):
            raise forms.ValidationError(labels.ERR_CONTACT_REQUIRED)
        return data


class HomeVisitPersonForm(PersonForm):
    address = forms.CharField(
        label="Adresse de la visite",
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class ForceForm(DsfrFieldsMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="Début",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    reason = forms.CharField(
        label="Pourquoi forcer le chevauchement ?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(choices=Attendance.choices, required=False)


class CancelForm(DsfrFieldsMixin, forms.Form):
    reason = forms.CharField(label="Motif de l'annulation", max_length=300, required=False)
