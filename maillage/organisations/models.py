import re

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from maillage.web.validators import WebURLField

from . import labels


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their email address."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def save(self, *args, **kwargs) -> None:
        # Emails are stored lower-case: the login backend looks them up lower-cased.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


def validate_siren(value: str) -> None:
    """A SIREN is 9 digits with a Luhn check digit (La Poste's historical one excepted)."""
    digits = value.replace(" ", "")
    if not re.fullmatch(r"\d{9}", digits):
        raise ValidationError(labels.ERR_SIREN, code="invalid_siren")
    if digits == "356000000":  # La Poste, the one SIREN outside the Luhn rule
        return
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    if total % 10:
        raise ValidationError(labels.ERR_SIREN, code="invalid_siren")


validate_insee = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", labels.ERR_INSEE, code="invalid_insee")
validate_phone = RegexValidator(r"^\+?[\d .\-()]{6,25}$", labels.ERR_PHONE, code="invalid_phone")


class Organisation(models.Model):
    """A body taking part in the plan: Département, State service, EPCI, association…

    `aliases` holds the other names people write (acronyms, spellings) so that texts such
    as the action sheets can be linked to the organisation (see `name_matching`).
    """

    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("sigle ou nom court", max_length=60, blank=True)
    slug = models.SlugField(
        "identifiant dans les adresses",
        max_length=100,
        unique=True,
        help_text="Lettres minuscules, chiffres et tirets ; ne change pas.",
    )
    kind = models.CharField(
        "type", max_length=20, choices=labels.OrganisationKind.choices, db_index=True
    )
    siren = models.CharField(
        "SIREN", max_length=11, blank=True, validators=[validate_siren], help_text="9 chiffres."
    )
    website = WebURLField("site internet", blank=True)
    email = models.EmailField("courriel de contact", blank=True)
    phone = models.CharField("téléphone", max_length=25, blank=True, validators=[validate_phone])
    address = models.TextField("adresse postale", blank=True)
    commune_insee = models.CharField(
        "commune du siège (code INSEE)",
        max_length=5,
        blank=True,
        db_index=True,
        validators=[validate_insee],
        help_text="5 caractères, par exemple 16015 pour Angoulême.",
    )
    description = models.TextField("présentation et missions", blank=True)
    aliases = models.TextField(
        "autres noms",
        blank=True,
        help_text="Un nom par ligne : sigles et variantes d'écriture (ex. : « La Caf »).",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="dépend de",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        self.siren = self.siren.replace(" ", "")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": labels.ERR_PARENT_CYCLE})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Membership(models.Model):
    """A person's role in an organisation; one row per role (a person may hold several)."""

    user = models.ForeignKey(
        User, verbose_name="personne", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("rôle", max_length=20, choices=labels.Role.choices)
    created_at = models.DateTimeField("depuis le", auto_now_add=True)

    class Meta:
        verbose_name = "rôle dans une organisation"
        verbose_name_plural = "rôles dans les organisations"
        ordering = ["organisation__name", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"
