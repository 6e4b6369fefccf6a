from __future__ import annotations

from django import forms
from django.utils import timezone

from .labels import SheetStatus
from .models import ActionSheet, Meeting
from .services import SHEET_EDITABLE_FIELDS, parse_decimal


class SheetForm(forms.ModelForm):
    status = forms.ChoiceField(label="Statut", choices=())
    status_comment = forms.CharField(
        label="Commentaire sur le changement de statut",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = ActionSheet
        fields = SHEET_EDITABLE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "action",
                "sub_action",
                "scope_text",
                "calendar_text",
                "cost_text",
                "cost_notes",
                "funding_text",
            ]
        } | {"description": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        allowed = [current, *self.instance.allowed_transitions()]
        self.fields["status"].choices = [(s, SheetStatus(s).label) for s in allowed]
        self.fields["status"].initial = current


class MeasurementForm(forms.Form):
    """Few fields, large inputs: recording a value takes seconds on a phone."""

    value = forms.CharField(
        label="Valeur",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "fr-input"}
        ),
    )
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d"),
    )
    comment = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_value(self):
        return parse_decimal(self.cleaned_data["value"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("La date ne peut pas être dans le futur.")
        return date


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "starts_at",
            "ends_at",
            "location",
            "agenda",
            "minutes",
            "decisions",
            "sheets",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "sheets": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheets"].queryset = plan.sheets.order_by("order", "ref")
        self.fields["sheets"].label_from_instance = lambda s: f"{s.ref} — {s.title}"


class MeetingsGenerateForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)


class BulkUpdateForm(forms.Form):
    file = forms.FileField(
        label="Classeur XLSX modifié",
        help_text="Le classeur exporté depuis cette page, modifié puis enregistré au format XLSX.",
    )
