from __future__ import annotations

import json

from django import forms

from maillage import clock

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
    replace = forms.BooleanField(
        label="Remplacer la valeur de cette date",
        help_text="Si une valeur existe déjà à cette date, elle est corrigée ; "
        "l'ancienne reste dans l'historique.",
        required=False,
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        """`correcting`: the form corrects one measurement (no "replace" box)."""
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = clock.today()
        if correcting:
            del self.fields["replace"]

    def clean_value(self):
        return parse_decimal(self.cleaned_data["value"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > clock.today():
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

    def __init__(self, *args, plan, editable_sheet_ids=None, **kwargs):
        """`editable_sheet_ids`: the sheets a pilot may attach (None: every sheet, for plan
        administrators); a pilot's meeting needs one of them at least."""
        super().__init__(*args, **kwargs)
        sheets = plan.sheets.order_by("order", "ref")
        if editable_sheet_ids is not None:
            sheets = sheets.filter(pk__in=editable_sheet_ids)
            self.fields["sheets"].required = True
            self.fields["sheets"].help_text = "Les fiches que vous pilotez."
        self.fields["sheets"].queryset = sheets
        self.fields["sheets"].label_from_instance = lambda s: f"{s.ref} — {s.title}"


class MeetingsGenerateForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)


class BulkUpdateForm(forms.Form):
    file = forms.FileField(
        label="Classeur XLSX modifié",
        help_text="Le classeur exporté depuis cette page, modifié puis enregistré au format XLSX.",
    )


class SeriesImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier des séries (CSV ou XLSX)",
        help_text="Par exemple l'export mensuel du site des Archives : une colonne « période », "
        "une colonne par indicateur (son numéro ou son libellé).",
    )


class IndicatorBindingForm(forms.Form):
    """Bind an indicator to a registered source (or back to manual entry)."""

    source_key = forms.ChoiceField(label="Source du calcul", required=False)
    counting = forms.ChoiceField(label="Décompte", required=False)
    period = forms.ChoiceField(label="Période", required=False)
    filters = forms.CharField(
        label="Autres filtres (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "fr-input"}),
        help_text='Par exemple {"organisation": "pilots", "themes": ["msa"]} ; '
        "« pilots » désigne les organisations pilotes de la fiche.",
    )

    def __init__(self, *args, indicator=None, **kwargs):
        from . import computed, sources
        from .labels import Counting

        if indicator is not None and "initial" not in kwargs:
            filters = dict(indicator.source_filters or {})
            period = filters.pop("period", "cumulative")
            kwargs["initial"] = {
                "source_key": indicator.source_key,
                "counting": indicator.counting,
                "period": period,
                "filters": json.dumps(filters, ensure_ascii=False) if filters else "",
            }
        super().__init__(*args, **kwargs)
        self.fields["source_key"].choices = [("", "Aucune : saisie manuelle"), *sources.choices()]
        self.fields["counting"].choices = [("", "Selon la source"), *Counting.choices]
        self.fields["period"].choices = list(computed.PERIODS.items())
        for name in ("source_key", "counting", "period"):
            self.fields[name].widget.attrs["class"] = "fr-select"

    def clean_filters(self):
        text = self.cleaned_data["filters"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError("Filtres : JSON invalide.") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("Filtres : un objet JSON, entre accolades.")
        return value

    def binding(self) -> tuple[str, dict, str]:
        data = self.cleaned_data
        filters = dict(data["filters"])
        if data.get("period") and data["period"] != "cumulative":
            filters["period"] = data["period"]
        return data["source_key"], filters, data.get("counting") or ""
