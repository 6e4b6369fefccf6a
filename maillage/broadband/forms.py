from __future__ import annotations

from django import forms

from maillage.organisations.forms import DsfrFieldsMixin
from maillage.web.validators import WebURLFormField

from .labels import Layout, MapMeasure, Technology
from .models import Work
from .quarters import Quarter
from .reading import max_upload_bytes

AUTO = ""


class FigureImportForm(DsfrFieldsMixin, forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="CSV ou XLSX : fichier « Ma connexion internet » de l'Arcep, classeur de "
        "l'observatoire des déploiements (onglet « Communes ») ou modèle Maillage.",
    )
    layout = forms.ChoiceField(
        label="Présentation du fichier",
        choices=[(AUTO, "Reconnaître d'après les colonnes et le nom du fichier"), *Layout.choices],
        required=False,
    )
    url = WebURLFormField(
        label="Adresse de téléchargement",
        required=False,
        help_text="Par exemple https://data.arcep.fr/fixe/maconnexioninternet/statistiques/"
        "2024_T3/commune/commune_debit_filaire.csv",
    )
    data_date = forms.DateField(
        label="Date des données",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Sans date, celle du dernier trimestre du fichier.",
    )
    note = forms.CharField(
        label="Note sur la source",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple « Fichier transmis par le délégataire le 12/10/2024 ».",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if file.size > limit:
            raise forms.ValidationError(
                f"Fichier trop volumineux ({file.size / 1024 / 1024:.1f} Mo, "
                f"{limit // 1024 // 1024} Mo au plus).".replace(".", ",", 1)
            )
        return file


class MapForm(DsfrFieldsMixin, forms.Form):
    """The map's pickers (GET): measure and quarter; `epci` filters the table and exports."""

    mesure = forms.ChoiceField(label="Indicateur", choices=MapMeasure.choices, required=False)
    trimestre = forms.ChoiceField(label="Trimestre", choices=(), required=False)
    epci = forms.ChoiceField(label="Intercommunalité", choices=(), required=False)

    def __init__(self, *args, quarters: list[Quarter], epcis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trimestre"].choices = [(q.slug, q.label) for q in reversed(quarters)]
        self.fields["epci"].choices = [("", "Toutes")] + [(e.siren, e.name) for e in epcis]
        self.quarters = quarters
        self.is_valid()  # invalid pickers fall back to their defaults

    @property
    def quarter(self) -> Quarter | None:
        chosen = self.cleaned_data.get("trimestre")
        if chosen:
            return Quarter.parse(chosen)
        return self.quarters[-1] if self.quarters else None

    @property
    def epci_code(self) -> str:
        return self.cleaned_data.get("epci") or ""


class QuarterField(forms.CharField):
    """A quarter written "T3 2024", "2024-T3" or as its last day."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Quarter.parse(value)
        except ValueError as error:
            raise forms.ValidationError(
                "Trimestre attendu, par exemple « T3 2024 » ou « 2024-T3 »."
            ) from error


class WorkForm(DsfrFieldsMixin, forms.ModelForm):
    planned = QuarterField(label="Trimestre prévu", help_text="Par exemple « T3 2024 ».")
    done = QuarterField(
        label="Trimestre de mise en service",
        required=False,
        help_text="Vide tant que les locaux ne sont pas mis en service.",
    )

    class Meta:
        model = Work
        fields = ["technology", "planned_premises", "done_premises", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technology"].choices = Technology.choices
        if self.instance.pk:
            self.fields["planned"].initial = self.instance.planned.label
            if self.instance.done:
                self.fields["done"].initial = self.instance.done.label

    def clean(self):
        data = super().clean()
        done, done_premises = data.get("done"), data.get("done_premises")
        if (done is None) != (done_premises is None):
            raise forms.ValidationError(
                "Renseignez ensemble le trimestre de mise en service et les locaux réalisés."
            )
        return data

    def save(self, commit: bool = True):
        work = super().save(commit=False)
        work.planned_quarter = self.cleaned_data["planned"].end
        done = self.cleaned_data.get("done")
        work.done_quarter = done.end if done else None
        if commit:
            work.save()
        return work


class WorksImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des chantiers",
        help_text="Colonnes : phase, code_insee, technologie, locaux_prevus, trimestre_prevu, "
        "locaux_realises, trimestre_realise (séparateur point-virgule, UTF-8).",
    )
