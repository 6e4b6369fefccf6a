from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def num(value) -> str:
    """A number as French readers write it: 1 234,5 (no exponent, no trailing zeros)."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    text = f"{value.normalize():f}"
    integer, _, fraction = text.partition(".")
    sign = "-" if integer.startswith("-") else ""
    integer = integer.lstrip("-")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = sign + "\u202f".join(groups)
    return f"{result},{fraction}" if fraction else result
