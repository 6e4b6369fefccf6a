from django import forms

from maillage.web.query_names import FrenchQueryNames

from .labels import OrganisationKind, Role
from .models import Organisation


class DsfrFieldsMixin:
    """Give each widget the DSFR class its kind of field needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class OrganisationForm(DsfrFieldsMixin, forms.ModelForm):
    """What an organisation's administrator may change on its page."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "description",
            "siren",
            "website",
            "email",
            "phone",
            "address",
            "commune_insee",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
        }


class MemberAddForm(DsfrFieldsMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne",
        help_text="Format attendu : nom@domaine.fr. La personne doit déjà avoir un compte.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Rôle",
        choices=Role.choices,
        initial=Role.VIEWER,
        help_text="Le rôle de chaque personne est décrit sous le formulaire.",
    )


class OrganisationFilterForm(FrenchQueryNames, DsfrFieldsMixin, forms.Form):
    query_names = {"kind": "type"}

    q = forms.CharField(
        label="Nom ou sigle",
        required=False,
        max_length=100,
        help_text="Sans tenir compte des accents ni des majuscules.",
    )
    kind = forms.ChoiceField(
        label="Type d'organisation",
        required=False,
        choices=[("", "Tous les types"), *OrganisationKind.choices],
    )


class CodeForm(DsfrFieldsMixin, forms.Form):
    """A second-factor code: six digits from the app, or a backup code."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Les 6 chiffres affichés par votre application d'authentification, "
        "ou l'un de vos codes de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class TotpConfirmForm(DsfrFieldsMixin, forms.Form):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=6,
        min_length=6,
        help_text="6 chiffres, par exemple 123456.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordResetRequestForm(DsfrFieldsMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de votre compte",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
