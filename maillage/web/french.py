"""French wording shared by every page, message and document.

Elision and contraction before a name (« d'Angoulême », « du Vieux-Cérier », « aux Adjots »,
« à La Rochefoucauld »), and the French display of numbers, amounts and times (« 352 683 »,
« 30,00 € », « 9 h 00 »). Templates use them through the `french` template library.
"""

import datetime as dt
from decimal import Decimal

from django.utils.formats import number_format

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
_VOWELS = set("aeiouyàâäéèêëîïôöûùüÿœæ")
# Names whose initial h is "aspiré": no elision (« de Hiesse »). The others elide (« d'Hiersac »).
_ASPIRATED_H = {"hiesse", "hanc", "hautefaye", "houlette", "hautes", "haute", "haut"}
# Article → (after « de », after « à »): « Le Lindois » → « du Lindois », « au Lindois ».
_ARTICLES = {"le": ("du", "au"), "les": ("des", "aux")}


def _elides(word: str) -> bool:
    """Does « de » lose its e before `word` (a vowel, or an h that is not aspirated)?"""
    if not word:
        return False
    first = word[0].casefold()
    if first in _VOWELS:
        return True
    return first == "h" and word.split("-")[0].split()[0].casefold() not in _ASPIRATED_H


def _split_article(name: str) -> tuple[str, str]:
    """(article, rest) when `name` starts with « Le » or « Les » as its own word."""
    head, _, rest = name.partition(" ")
    if rest and head.casefold() in _ARTICLES:
        return head.casefold(), rest
    return "", name


def de(name: str) -> str:
    """« de » before a name: « de Brossac », « d'Angoulême », « du Lindois », « des Adjots »."""
    name = (name or "").strip()
    article, rest = _split_article(name)
    if article:
        return f"{_ARTICLES[article][0]} {rest}"
    return f"d'{name}" if _elides(name) else f"de {name}"


def a(name: str) -> str:
    """« à » before a name: « à Brossac », « au Lindois », « aux Adjots », « à La Couronne »."""
    name = (name or "").strip()
    article, rest = _split_article(name)
    if article:
        return f"{_ARTICLES[article][1]} {rest}"
    return f"à {name}"


def number(value, decimals: int | None = None) -> str:
    """A number with thousands grouped by a narrow space and a decimal comma: « 352 683 »."""
    if value is None or value == "":
        return ""
    # Django's French format groups with a no-break space; typography wants the narrow one.
    return number_format(value, decimal_pos=decimals, force_grouping=True).replace(
        NBSP, NARROW_NBSP
    )


def euros(value, cents: bool | None = None) -> str:
    """An amount in euros: « 30,00 € », « 81 400 000 € ». Cents shown when there are any,
    or always with `cents=True`; an integer number of cents is not accepted here."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if cents is None:
        cents = amount != amount.to_integral_value()
    return f"{number(amount, 2 if cents else 0)}{NBSP}€"


def hour(value: dt.time | dt.datetime | None) -> str:
    """A time of day the French way: « 9 h 00 », « 14 h 30 »."""
    if value is None:
        return ""
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
