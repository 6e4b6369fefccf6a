"""Forms of the networks app. The monthly return form is also the validator of each line of
an imported CSV (`returns_csv`), so both paths accept and refuse exactly the same things."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db.models import Q

from maillage import clock
from maillage.organisations.forms import DsfrFieldsMixin
from maillage.organisations.labels import OrganisationKind
from maillage.organisations.models import Organisation
from maillage.places.forms import CommuneField, MultipleCheckboxes
from maillage.territory.models import Epci
from maillage.territory.names import normalise
from maillage.territory.search import search_communes
from maillage.web.query_names import FrenchQueryNames

from . import labels
from .labels import (
    CONSENT_FIELDS,
    COUNT_CHOICES,
    Audience,
    Job,
    MemberStatus,
    Platform,
    Presence,
)
from .models import (
    Member,
    Network,
    OnlinePresence,
    TrainingSession,
    month_label,
    month_start,
    previous_month,
)
from .returns import SCALAR_FIELDS, ReturnData
from .services import MEMBER_FIELDS

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
STRUCTURE_KINDS = [
    (OrganisationKind.ASSOCIATION, "Association (MJC, centre social, information jeunesse…)"),
    (OrganisationKind.COMMUNE, "Commune"),
    (OrganisationKind.EPCI, "Intercommunalité"),
    (OrganisationKind.PUBLIC_OPERATOR, "Opérateur public (mission locale…)"),
    (OrganisationKind.OTHER, "Autre"),
]


def parse_month(text: str) -> dt.date | None:
    """ "2026-03", "2026-03-01", "03/2026" or "3/2026" → 1 March 2026; None if not a month."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-01)?", text) or re.fullmatch(
        r"(\d{1,2})/(\d{4})", text
    )
    if not match:
        return None
    first, second = match.groups()
    year, month = (int(first), int(second)) if len(first) == 4 else (int(second), int(first))
    if not 1 <= month <= 12 or year < 2000:
        return None
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    """A month typed "AAAA-MM" (or chosen in a list): the first day of that month."""

    def to_python(self, value):
        if isinstance(value, dt.date):
            return month_start(value)
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(labels.ERR_MONTH)
        return month

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


def recent_months(count: int = 13) -> list[tuple[str, str]]:
    """Choices of the `count` months up to this one, the most recent first."""
    month, choices = month_start(clock.today()), []
    for _ in range(count):
        choices.append((f"{month:%Y-%m}", month_label(month).capitalize()))
        month = previous_month(month)
    return choices


class CommuneListField(forms.CharField):
    """Communes typed one per line (name, postcode or INSEE code), each resolved like
    `CommuneField`; the error names every line that matched no commune or several."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(c) for c in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        communes, problems = [], []
        for line in [part.strip() for part in re.split(r"[\n;]", text) if part.strip()]:
            found = search_communes(line, limit=6)
            exact = [c for c in found if c.search_key == normalise(line) or c.pk == line]
            if len(exact) == 1 or len(found) == 1:
                communes.append((exact or found)[0])
            else:
                problems.append(line)
        if problems:
            raise forms.ValidationError(
                "Commune introuvable ou ambiguë : "
                + ", ".join(f"« {p} »" for p in problems)
                + " (précisez le code postal)."
            )
        return list(dict.fromkeys(communes))


def _territory_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    epcis = Epci.objects.filter(
        communes__departement_id=settings.MAILLAGE_DEPARTEMENT_CODE
    ).distinct()
    return [("", "Tout le département"), *((e.pk, e.name) for e in epcis.order_by("name"))]


class MemberForm(DsfrFieldsMixin, forms.ModelForm):
    """Registering (or changing) a professional: who, where, which charter, whom they serve."""

    new_structure = forms.CharField(
        label="Ou nouvelle structure : nom",
        required=False,
        max_length=200,
        help_text="Si la structure n'est pas dans la liste (ex. : MJC de Ruelle).",
    )
    new_structure_kind = forms.ChoiceField(
        label="Type de la nouvelle structure", choices=STRUCTURE_KINDS, required=False
    )
    new_structure_commune = CommuneField(
        label="Commune de la nouvelle structure", required=False, max_length=100
    )
    audiences = forms.MultipleChoiceField(
        label="Publics", choices=Audience.choices, required=False, widget=MultipleCheckboxes
    )
    communes = CommuneListField(
        label="Communes couvertes",
        required=False,
        help_text="Une commune par ligne (nom ou code postal).",
    )
    status = forms.ChoiceField(
        label="Statut à l'inscription",
        choices=[
            (MemberStatus.IN_TRAINING, MemberStatus.IN_TRAINING.label),
            (MemberStatus.ACTIVE, MemberStatus.ACTIVE.label),
        ],
        initial=MemberStatus.IN_TRAINING,
        widget=forms.RadioSelect,
    )
    status_on = forms.DateField(label="Membre depuis le", **DATE_WIDGET)

    class Meta:
        model = Member
        fields = [name for name in MEMBER_FIELDS if name != "audiences"]  # checkboxes below
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "agreement_signed_on": DATE_WIDGET["widget"],
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = "Choisir une structure"
        self.fields["organisation"].help_text = "Dans la liste, ou nommez-la ci-dessous."
        self.fields["job"].choices = [("", "Choisir un métier"), *Job.choices]
        if self.instance.pk:
            del self.fields["status"], self.fields["status_on"]
            self.initial.setdefault("audiences", self.instance.audiences)
            self.initial.setdefault(
                "communes", [c.name for c in self.instance.communes.order_by("name")]
            )
        else:
            self.fields["status_on"].initial = clock.today()

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("new_structure"):
            self.add_error("organisation", "Choisissez la structure ou nommez-en une nouvelle.")
        if data.get("new_structure") and not data.get("new_structure_kind"):
            self.add_error("new_structure_kind", "Indiquez le type de la nouvelle structure.")
        return data

    def member_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["audiences"] = list(self.cleaned_data["audiences"])
        return data

    def new_structure_data(self) -> dict | None:
        if self.cleaned_data.get("organisation") or not self.cleaned_data.get("new_structure"):
            return None
        commune = self.cleaned_data.get("new_structure_commune")
        return {
            "name": self.cleaned_data["new_structure"],
            "kind": self.cleaned_data["new_structure_kind"],
            "commune_insee": commune.pk if commune else "",
        }


class NetworkSettingsForm(DsfrFieldsMixin, forms.ModelForm):
    """What the coordination sets for its network: its public text and its rules."""

    class Meta:
        model = Network
        fields = [
            "description",
            "active_requires_initial_training",
            "network_meetings_per_year",
            "reminder_day",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class StatusForm(DsfrFieldsMixin, forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=())
    effective_on = forms.DateField(label="À compter du", **DATE_WIDGET)
    comment = forms.CharField(label="Commentaire", required=False, max_length=300)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (status, MemberStatus(status).label) for status in member.allowed_transitions()
        ]
        self.fields["effective_on"].initial = clock.today()


class ConsentForm(DsfrFieldsMixin, forms.Form):
    """What the member agrees to show in the public directory (nothing by default)."""

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CONSENT_FIELDS.items():
            self.fields[name] = forms.BooleanField(
                label=label, required=False, initial=getattr(member, name)
            )


class PresenceForm(DsfrFieldsMixin, forms.ModelForm):
    class Meta:
        model = OnlinePresence
        fields = ["platform", "handle", "url", "public"]
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", "Choisir un réseau"), *Platform.choices]


PresenceFormSet = forms.formset_factory(PresenceForm, extra=2, can_delete=True, max_num=12)


class TrainingForm(DsfrFieldsMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["kind", "title", "starts_on", "ends_on", "location", "trainer"]
        widgets = {"starts_on": DATE_WIDGET["widget"], "ends_on": DATE_WIDGET["widget"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = "Pour une formation sur plusieurs jours."


PRESENCE_CHOICES = [("", "Non renseigné"), *Presence.choices]


class AttendanceForm(forms.Form):
    """One presence choice per member (radio buttons in a table)."""

    def __init__(self, *args, members, current: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.full_name,
                choices=PRESENCE_CHOICES,
                required=False,
                initial=current.get(member.pk, ""),
                widget=forms.RadioSelect,
            )

    def presences(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data.get(f"member_{m.pk}") or "" for m in self.members}

    def rows(self):
        return [(member, self[f"member_{member.pk}"]) for member in self.members]

    def recorded(self) -> list[tuple[Member, str]]:
        """(member, presence label) for the members whose presence was recorded."""
        labels_by_value = dict(Presence.choices)
        return [
            (member, labels_by_value[self.fields[f"member_{member.pk}"].initial])
            for member in self.members
            if self.fields[f"member_{member.pk}"].initial
        ]


class MeetingRecordForm(AttendanceForm):
    """A meeting's attendance (members, organisations represented) and its minutes."""

    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "fr-input"}),
    )
    decisions = forms.CharField(
        label="Décisions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}),
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations représentées",
        queryset=Organisation.objects.none(),
        required=False,
        widget=MultipleCheckboxes,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations


def count_field_name(kind: str, code: str) -> str:
    return f"{kind}_{code}"


class MonthlyReturnForm(DsfrFieldsMixin, forms.Form):
    """The short monthly form: a month, then numbers only (empty means 0)."""

    month = MonthField(label="Mois du bilan")
    follow_ups = forms.IntegerField(
        label="Jeunes suivis individuellement",
        min_value=0,
        required=False,
        help_text="Accompagnés sur plusieurs échanges dans le mois.",
    )
    physical_meetings = forms.IntegerField(
        label="Rencontres physiques",
        min_value=0,
        required=False,
        help_text="Jeunes rencontrés en personne à la suite d'un contact en ligne.",
    )

    def __init__(self, *args, months: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if months is not None:
            self.fields["month"].widget = forms.Select(choices=months, attrs={"class": "fr-select"})
        for kind, choices in COUNT_CHOICES.items():
            for code, label in choices.choices:
                self.fields[count_field_name(kind, code)] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(
                        attrs={"class": "fr-input", "inputmode": "numeric", "min": "0"}
                    ),
                )
        for name in SCALAR_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": "0"})

    def grid(self, kind: str) -> list:
        return [self[count_field_name(kind, code)] for code in COUNT_CHOICES[kind].values]

    def return_data(self) -> ReturnData:
        data = self.cleaned_data
        return ReturnData(
            follow_ups=data.get("follow_ups") or 0,
            physical_meetings=data.get("physical_meetings") or 0,
            counts={
                kind: {code: data.get(count_field_name(kind, code)) or 0 for code in choices.values}
                for kind, choices in COUNT_CHOICES.items()
            },
        )


class ReturnImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des bilans",
        help_text="Une ligne par membre et par mois, colonnes du modèle ; séparateur ; ou ,.",
        widget=forms.ClearableFileInput(attrs={"class": "fr-upload", "accept": ".csv,text/csv"}),
    )


# --- Filters --------------------------------------------------------------------------------


class MemberFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {
        "status": "statut",
        "organisation": "organisme",
        "territory": "territoire",
        "platform": "plateforme",
        "audience": "public",
        "trained": "formation",
    }

    q = forms.CharField(label="Nom ou courriel", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous"), *MemberStatus.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label="Structure",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Toutes",
    )
    territory = forms.ChoiceField(label="Intercommunalité", choices=(), required=False)
    platform = forms.ChoiceField(
        label="Réseau social", choices=[("", "Tous"), *Platform.choices], required=False
    )
    audience = forms.ChoiceField(
        label="Public", choices=[("", "Tous"), *Audience.choices], required=False
    )
    trained = forms.ChoiceField(
        label="Formation initiale",
        choices=[("", "Indifférent"), ("yes", "Suivie"), ("no", "À suivre")],
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["territory"].choices = _territory_choices()

    def apply(self, members):
        """`members` narrowed by the valid filters."""
        data = self.cleaned_data if self.is_valid() else {}
        if q := data.get("q"):
            members = members.filter(
                Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
            )
        if data.get("status"):
            members = members.filter(status=data["status"])
        if data.get("organisation"):
            members = members.filter(organisation=data["organisation"])
        if data.get("territory"):
            members = members.in_territory(data["territory"])
        if data.get("platform"):
            members = members.filter(presences__platform=data["platform"]).distinct()
        if data.get("audience"):
            members = members.filter(audiences__icontains=f'"{data["audience"]}"')
        if data.get("trained") == "yes":
            members = members.filter(initial_training_on__isnull=False)
        elif data.get("trained") == "no":
            members = members.filter(initial_training_on__isnull=True)
        return members


class ReturnFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"start": "du", "end": "au", "member": "membre", "territory": "territoire"}

    start = MonthField(label="Du mois (AAAA-MM)", required=False)
    end = MonthField(label="Au mois (AAAA-MM)", required=False)
    member = forms.ModelChoiceField(
        label="Membre", queryset=Member.objects.none(), required=False, empty_label="Tous"
    )
    territory = forms.ChoiceField(label="Intercommunalité", choices=(), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["territory"].choices = _territory_choices()

    def apply(self, returns):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start"):
            returns = returns.filter(month__gte=data["start"])
        if data.get("end"):
            returns = returns.filter(month__lte=data["end"])
        if data.get("member"):
            returns = returns.filter(member=data["member"])
        if data.get("territory"):
            returns = returns.filter(
                member__in=Member.objects.in_territory(data["territory"]).values("pk")
            )
        return returns


class DirectoryFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"territory": "territoire", "platform": "plateforme", "audience": "public"}

    territory = forms.ChoiceField(label="Intercommunalité", choices=(), required=False)
    platform = forms.ChoiceField(
        label="Réseau social", choices=[("", "Tous"), *Platform.choices], required=False
    )
    audience = forms.ChoiceField(
        label="Public", choices=[("", "Tous"), *Audience.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = _territory_choices()


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
