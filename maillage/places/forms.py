from django import forms
from django.conf import settings

from maillage.organisations.forms import DsfrFieldsMixin
from maillage.organisations.labels import OrganisationKind
from maillage.organisations.models import Organisation
from maillage.territory.models import Commune
from maillage.territory.names import normalise
from maillage.territory.search import search_communes
from maillage.web.query_names import FrenchQueryNames

from . import labels, standard
from .labels import (
    Equipment,
    HelpNeed,
    HelpRequestStatus,
    Need,
    PlaceKind,
    PreferredTime,
)
from .models import Place


def visio_operator_choices():
    return Organisation.objects.filter(kind=OrganisationKind.PUBLIC_OPERATOR, is_active=True)


class FindHelpForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"need": "besoin", "operator": "operateur"}

    q = forms.CharField(
        label=labels.FIND_QUERY_LABEL,
        help_text=labels.FIND_QUERY_HINT,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    need = forms.ChoiceField(
        label=labels.FIND_NEED_LABEL,
        choices=Need.choices,
        widget=forms.RadioSelect,
        initial=Need.PROCEDURE,
    )
    operator = forms.ModelChoiceField(
        label=labels.FIND_OPERATOR_LABEL,
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=labels.FIND_OPERATOR_ANY,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = visio_operator_choices()


class MultipleCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes rendered one by one by `places/includes/field.html` (DSFR markup)."""


def _multi(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=MultipleCheckboxes,
        help_text=help_text,
    )


class ListField(forms.CharField):
    """A list typed one value per line (emails, websites)."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.replace("|", "\n").splitlines() if line.strip()]


class PlaceForm(DsfrFieldsMixin, forms.ModelForm):
    """Every field a running organisation maintains about its place."""

    typologies = _multi("Typologie (standard national)", standard.choices("typologie"))
    services = _multi("Services proposés", standard.choices("services"))
    publics = _multi(
        "Publics spécifiquement adressés",
        standard.choices("publics_specifiquement_adresses"),
        "Ne rien cocher si le lieu accueille tout public.",
    )
    specific_support = _multi(
        "Prise en charge spécifique", standard.choices("prise_en_charge_specifique")
    )
    fees = _multi("Frais à charge", standard.choices("frais_a_charge"))
    national_programmes = _multi(
        "Dispositifs et programmes nationaux", standard.choices("dispositif_programmes_nationaux")
    )
    training_labels = _multi("Formations et labels", standard.choices("formations_labels"))
    access_modes = _multi("Modalités d'accès", standard.choices("modalites_acces"))
    support_modes = _multi(
        "Modalités d'accompagnement", standard.choices("modalites_accompagnement")
    )
    mobility = _multi("Itinérance", standard.choices("itinerance"))
    equipment = _multi("Équipement à disposition", Equipment.choices)
    emails = ListField(
        label="Courriels",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Un par ligne.",
    )
    websites = ListField(
        label="Sites web",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Une adresse par ligne, ex. : https://www.exemple.fr/",
    )
    visio_operators = forms.ModelMultipleChoiceField(
        label="Organismes joignables en visio",
        queryset=Organisation.objects.none(),
        required=False,
        widget=MultipleCheckboxes,
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "organisation",
            "pivot",
            "address",
            "address_complement",
            "postcode",
            "commune",
            "latitude",
            "longitude",
            "phone",
            "emails",
            "websites",
            "booking_url",
            "acceslibre_url",
            "opening_hours",
            "summary",
            "description",
            "typologies",
            "services",
            "publics",
            "specific_support",
            "fees",
            "access_modes",
            "support_modes",
            "national_programmes",
            "training_labels",
            "other_labels",
            "mobility",
            "parent_structure",
            "source",
            "equipment",
            "wheelchair_accessible",
            "mobility_help",
            "accepts_help_requests",
            "opened_on",
            "closed_on",
            "visio_closed_room",
            "visio_equipment_quality",
            "visio_trained_receptionist",
            "visio_operators",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "wheelchair_accessible": forms.NullBooleanSelect,
            "visio_closed_room": forms.NullBooleanSelect,
            "visio_trained_receptionist": forms.NullBooleanSelect,
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = True
        self.fields["commune"].queryset = Commune.objects.filter(
            departement_id=settings.MAILLAGE_DEPARTEMENT_CODE
        ).defer("contour")
        self.fields["commune"].required = True
        self.fields["visio_operators"].queryset = visio_operator_choices()
        self.fields["opening_hours"].widget.attrs["spellcheck"] = "false"
        for name in ("wheelchair_accessible", "visio_closed_room", "visio_trained_receptionist"):
            self.fields[name].widget.attrs["class"] = "fr-select"

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        if commune:
            self.instance.commune_name = commune.name
            self.instance.insee_code = commune.insee_code
        return cleaned


class CommuneField(forms.CharField):
    """A commune typed by name or postcode, resolved with the territory search.

    An exact name, or the only match, is taken; otherwise the person is asked to choose,
    with the matching names listed (a postcode often covers several communes).
    """

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        communes = search_communes(text, limit=8)
        if not communes:
            raise forms.ValidationError(labels.ERR_COMMUNE_UNKNOWN)
        exact = [c for c in communes if c.search_key == normalise(text)]
        if len(exact) == 1:
            return exact[0]
        if len(communes) == 1:
            return communes[0]
        names = ", ".join(f"{c.name} ({c.postcode_list[0]})" for c in communes[:6])
        raise forms.ValidationError(
            labels.ERR_COMMUNE_AMBIGUOUS.format(names=names), code="ambiguous"
        )


class HelpRequestForm(DsfrFieldsMixin, forms.Form):
    name = forms.CharField(
        label="Votre nom ou un pseudonyme",
        max_length=100,
        help_text="Pour que le médiateur sache à qui il parle. Un prénom suffit.",
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label="Numéro de téléphone",
        max_length=25,
        required=False,
        help_text="Format attendu : 06 12 34 56 78",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        required=False,
        help_text="Si vous préférez être contacté par courriel. Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    commune = CommuneField(
        label="Votre commune",
        max_length=100,
        help_text="Nom ou code postal, par exemple : Chalais ou 16210",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    need = forms.ChoiceField(
        label="Votre besoin", choices=HelpNeed.choices, widget=forms.RadioSelect
    )
    preferred_times = forms.MultipleChoiceField(
        label="Quand préférez-vous être rappelé ?",
        choices=PreferredTime.choices,
        required=False,
        widget=MultipleCheckboxes,
    )
    message = forms.CharField(
        label="Précisions",
        required=False,
        max_length=500,
        help_text="En quelques mots (500 caractères au plus). N'indiquez pas d'information "
        "sur votre santé ni de numéro de dossier.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=labels.HELP_CONSENT_LABEL,
        error_messages={"required": labels.ERR_CONSENT},
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("email"):
            self.add_error("phone", labels.ERR_CONTACT_REQUIRED)
        return cleaned


class HelpRequestUpdateForm(DsfrFieldsMixin, forms.Form):
    status = forms.ChoiceField(label="Statut", choices=HelpRequestStatus.choices)
    assigned_to = forms.ChoiceField(label="Suivie par", required=False)
    place = forms.ModelChoiceField(
        label="Lieu chargé de la demande",
        queryset=Place.objects.none(),
        help_text="Changer de lieu transfère la demande à l'organisation de ce lieu.",
    )
    redirected_to = forms.CharField(
        label="Réorientée vers",
        required=False,
        max_length=250,
        help_text="Si la demande est réorientée : le service ou l'organisme conseillé.",
    )
    note = forms.CharField(
        label="Note de suivi",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible des médiateurs de l'organisation du lieu.",
    )

    def __init__(self, *args, people=(), places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [("", "Personne"), *((p.pk, str(p)) for p in people)]
        if places is not None:
            self.fields["place"].queryset = places


class PlaceFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"kind": "type", "state": "statut"}

    q = forms.CharField(label="Nom ou commune", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Type de lieu", required=False, choices=[("", "Tous les types"), *PlaceKind.choices]
    )
    state = forms.ChoiceField(
        label="Situation",
        required=False,
        choices=[
            ("", "Tous"),
            ("open", "Ouverts aujourd'hui"),
            ("closed", "Fermés ou pas encore ouverts"),
        ],
    )


class HelpRequestFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"status": "statut", "need": "besoin", "place": "lieu", "mine": "les_miennes"}

    status = forms.ChoiceField(
        label="Statut",
        required=False,
        choices=[
            ("", "Tous les statuts"),
            ("open", "À traiter (nouvelles et rappelées)"),
            *HelpRequestStatus.choices,
        ],
    )
    need = forms.ChoiceField(
        label="Besoin", required=False, choices=[("", "Tous les besoins"), *HelpNeed.choices]
    )
    place = forms.ModelChoiceField(
        label="Lieu", required=False, queryset=Place.objects.none(), empty_label="Tous les lieux"
    )
    mine = forms.BooleanField(label="Seulement celles que je suis", required=False)

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        if places is not None:
            self.fields["place"].queryset = places
