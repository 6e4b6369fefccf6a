from django import forms

from maillage.organisations.forms import DsfrFieldsMixin
from maillage.places.forms import CommuneField

from . import labels
from .labels import Attendance, Weekday


class PersonForm(DsfrFieldsMixin, forms.Form):
    """Who the appointment is for: a name or pseudonym and a way to reach them."""

    # Blank, it is always the same markup (`web/templatetags/form_markup.py`).
    static_blank_markup = True

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


class WaitlistRemovalForm(CancelForm):
    """Why a person is taken off a waitlist (said to her, kept in the booking's history)."""

    reason = forms.CharField(label="Motif du retrait", max_length=300, required=False)


class WeeklyRuleForm(DsfrFieldsMixin, forms.Form):
    """A recurring window: a weekday, from/to, at a place or remote, optionally dated."""

    weekday = forms.TypedChoiceField(label="Jour", choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label="De", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="À", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.ModelChoiceField(
        label="Lieu",
        queryset=None,
        required=False,
        empty_label="À distance (visio, téléphone) ou à domicile",
    )
    valid_from = forms.DateField(
        label="À partir du",
        required=False,
        help_text="Facultatif.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label="Jusqu'au",
        required=False,
        help_text="Facultatif.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", labels.ERR_RULE_ORDER)
        first, last = cleaned.get("valid_from"), cleaned.get("valid_until")
        if first and last and last < first:
            self.add_error("valid_until", labels.ERR_DATES_ORDER)
        return cleaned


class AbsenceForm(DsfrFieldsMixin, forms.Form):
    """Leave, training, any absence: whole days, or from a time to a time."""

    first_day = forms.DateField(
        label="Du", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label="Au (inclus)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label="À partir de",
        required=False,
        help_text="Vide : dès le début de la journée.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_time = forms.TimeField(
        label="Jusqu'à",
        required=False,
        help_text="Vide : jusqu'à la fin de la journée.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    reason = forms.CharField(
        label="Motif",
        max_length=200,
        required=False,
        help_text="Par exemple : congés, formation. Visible de vos collègues seulement.",
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        same_day_backwards = (
            first == last
            and cleaned.get("start_time")
            and cleaned.get("end_time")
            and cleaned["end_time"] <= cleaned["start_time"]
        )
        if first and last and (last < first or same_day_backwards):
            self.add_error("last_day", labels.ERR_DATES_ORDER)
        return cleaned
