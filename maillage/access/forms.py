"""The public access page's pickers: a GET form, so every filter works without JavaScript and
every view has its own address (to share, bookmark, or download with the same filters)."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from maillage.organisations.forms import DsfrFieldsMixin

from .kinds import DIGITAL, AccessKind
from .measures import BY_KEY, MEASURES, Measure

HALF_DAYS = (2, 4, 6, 8, 10)
APPOINTMENT_DAYS = (2, 7, 14, 30)


class AccessMapForm(DsfrFieldsMixin, forms.Form):
    aide = forms.ChoiceField(label="Type d'aide", choices=(), required=False)
    mesure = forms.ChoiceField(
        label="Carte",
        choices=[(m.key, m.label) for m in MEASURES],
        required=False,
    )
    ouverture = forms.TypedChoiceField(
        label="Lieux ouverts au moins",
        choices=[
            ("", "Tous les lieux"),
            *((n, f"{n} demi-journées par semaine") for n in HALF_DAYS),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    delai = forms.TypedChoiceField(
        label="Rendez-vous libre sous",
        choices=[("", "Sans condition"), *((d, f"{d} jours") for d in APPOINTMENT_DAYS)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Pour les aides sur rendez-vous (Points Visio, motifs).",
    )
    epci = forms.ChoiceField(label="Intercommunalité (tableau)", choices=(), required=False)

    def __init__(self, *args, kinds: list[AccessKind], epcis, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.key: kind for kind in kinds}
        self.fields["aide"].choices = [(kind.key, kind.label) for kind in kinds]
        self.fields["epci"].choices = [("", "Toutes")] + [(e.siren, e.name) for e in epcis]
        self.is_valid()  # a wrong value falls back to the field's default, never to an error page

    def _value(self, name: str):
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def kind(self) -> AccessKind:
        return (
            self.kinds.get(self._value("aide") or "", None)
            or self.kinds.get(DIGITAL)
            or next(iter(self.kinds.values()))
        )

    @property
    def measure(self) -> Measure:
        measure = BY_KEY.get(self._value("mesure") or "", MEASURES[0])
        if measure.needs_appointment and not self.kind.needs_appointment:
            return MEASURES[0]
        return measure

    @property
    def min_half_days(self) -> int | None:
        return self._value("ouverture")

    @property
    def max_appointment_days(self) -> int | None:
        return self._value("delai") if self.kind.needs_appointment else None

    @property
    def epci_code(self) -> str:
        return self._value("epci") or ""

    def query(self, **changes) -> str:
        """The query string of the current choices, with `changes` (for links and downloads)."""
        values = {
            "aide": self.kind.key,
            "mesure": self.measure.key,
            "ouverture": self.min_half_days or "",
            "delai": self.max_appointment_days or "",
            "epci": self.epci_code,
            **changes,
        }
        query = QueryDict(mutable=True)
        for key, value in values.items():
            if value not in ("", None):
                query[key] = str(value)
        return query.urlencode()
