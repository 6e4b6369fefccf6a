"""The pilot's form for a siting scenario."""

from __future__ import annotations

from django import forms

from maillage.organisations import permissions
from maillage.organisations.forms import DsfrFieldsMixin
from maillage.places.hours import validate_opening_hours

from . import kinds
from .candidates import CandidateFileError, parse_candidates_csv
from .labels import CandidateSource, SitingObjective
from .models import SitingScenario


class SitingScenarioForm(DsfrFieldsMixin, forms.ModelForm):
    kind = forms.ChoiceField(label="Type de point")
    candidate_file = forms.FileField(
        label="Liste des lieux candidats (CSV)",
        required=False,
        help_text=(
            "Colonnes : nom ; code_insee, ou latitude et longitude ; identifiant (facultatif). "
            "Obligatoire quand les candidats viennent d'une liste importée."
        ),
    )

    class Meta:
        model = SitingScenario
        fields = [
            "name",
            "organisation",
            "kind",
            "objective",
            "k",
            "minutes",
            "candidates",
            "candidate_file",
            "from_scratch",
            "opening_hours",
        ]
        widgets = {
            "objective": forms.RadioSelect,
            "candidates": forms.RadioSelect,
        }
        help_texts = {
            "k": "Entre 1 et 500.",
            "minutes": "Population « couverte » : à moins de ce temps de trajet (1 à 120 min).",
            "opening_hours": (
                "Facultatif, format OpenStreetMap, ex. : « Tu,Th 14:00-18:00; Sa 09:00-12:00 » : "
                "l'attente moyenne avant l'ouverture des nouveaux points est indiquée."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = permissions.organisations_where(
            user, permissions.ACCESS_PLAN_SITING
        ).order_by("name")
        self.fields["organisation"].empty_label = None
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds.all_kinds()]
        self.fields["minutes"].initial = 15
        # Radio buttons without the empty "---------" choice; the usual answers preselected.
        self.fields["objective"].choices = SitingObjective.choices
        self.fields["objective"].initial = SitingObjective.COVERAGE
        self.fields["candidates"].choices = CandidateSource.choices
        self.fields["candidates"].initial = CandidateSource.COMMUNES
        self.fields["opening_hours"].validators.append(validate_opening_hours)
        self.candidate_rows: list[dict] = []
        self.file_errors: list[str] = []

    def clean_k(self) -> int:
        k = self.cleaned_data["k"]
        if not 1 <= k <= 500:
            raise forms.ValidationError("Entre 1 et 500 nouveaux points.")
        return k

    def clean_minutes(self) -> int:
        minutes = self.cleaned_data["minutes"]
        if not 1 <= minutes <= 120:
            raise forms.ValidationError("Entre 1 et 120 minutes.")
        return minutes

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("candidate_file")
        if cleaned.get("candidates") == CandidateSource.FILE:
            if not upload:
                self.add_error("candidate_file", "Joignez la liste des lieux candidats.")
            else:
                try:
                    rows = parse_candidates_csv(upload.read())
                except CandidateFileError as error:
                    self.file_errors = error.errors
                    self.add_error(
                        "candidate_file",
                        f"{len(error.errors)} erreur(s) dans le fichier : rien n'a été gardé.",
                    )
                else:
                    self.candidate_rows = [row.as_json() for row in rows]
                    cleaned["candidate_filename"] = upload.name[:200]
        return cleaned
