"""Validators of the multi-valued fields (serialisable in migrations)."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from . import standard


@deconstructible
class StandardValuesValidator:
    """Each value of the list belongs to the national standard's enumeration for `field`."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, values) -> None:
        if not isinstance(values, list):
            raise ValidationError("Une liste de valeurs est attendue.", code="invalid_list")
        allowed = set(standard.enumerations()[self.field])
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValidationError(
                "Valeur(s) inconnue(s) du standard : %(values)s",
                params={"values": ", ".join(map(str, unknown))},
                code="unknown_value",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, StandardValuesValidator) and other.field == self.field


@deconstructible
class ChoicesListValidator:
    """Each value of the list is one of `values` (a Maillage TextChoices' values)."""

    def __init__(self, values) -> None:
        self.values = sorted(values)

    def __call__(self, values) -> None:
        if not isinstance(values, list) or set(values) - set(self.values):
            raise ValidationError("Valeur inconnue.", code="unknown_value")

    def __eq__(self, other) -> bool:
        return isinstance(other, ChoicesListValidator) and other.values == self.values
