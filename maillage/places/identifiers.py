"""The standard's `pivot`: a SIRET, a SIREN, an RNA number or a RIDET, checked beyond its pattern.

The schema only asks for 9 to 14 letters or digits; a SIRET (14 digits) or SIREN (9 digits)
also carries a Luhn check digit, which catches most typing errors. La Poste's establishments
(SIREN 356000000) follow another rule: the sum of the SIRET's digits is a multiple of 5.
"""

import re

from django.core.exceptions import ValidationError

from . import labels

_RNA = re.compile(r"W\d{9}")
_PATTERN = re.compile(r"[a-zA-Z0-9]{9,14}")
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def pivot_valid(value: str) -> bool:
    value = (value or "").strip()
    if not _PATTERN.fullmatch(value):
        return False
    if value.isdigit() and len(value) == 14:
        if value.startswith(LA_POSTE_SIREN):
            return sum(int(c) for c in value) % 5 == 0
        return luhn_valid(value)
    if value.isdigit() and len(value) == 9:
        return value == LA_POSTE_SIREN or luhn_valid(value)
    if value.upper().startswith("W"):
        return bool(_RNA.fullmatch(value.upper()))
    return True  # RIDET (New Caledonia) and other registers: the schema's pattern only


def validate_pivot(value: str) -> None:
    if not pivot_valid(value):
        raise ValidationError(labels.ERR_PIVOT.format(value=value), code="invalid_pivot")
