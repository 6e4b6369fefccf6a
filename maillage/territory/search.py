"""Commune search by name, postcode or INSEE code, forgiving the way people type names.

Both the stored `Commune.search_key` and the query go through `normalise`, so accents, case,
hyphens, apostrophes and "St"/"Ste" do not matter. Matching and ranking happen in the
database, on the indexed `search_key` column, so the search stays cheap on all of France.
"""

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace

from .models import Commune
from .names import normalise

__all__ = ["normalise", "search_communes"]

MAX_QUERY_LENGTH = 100
# A number of 2 to 5 digits is a postcode (or its beginning) or an INSEE code; Corsican INSEE
# codes have a letter (2A004), which normalise() has lower-cased.
_NUMBER = re.compile(r"\d{2,5}")
_CORSICAN_INSEE_CODE = re.compile(r"2[ab]\d{3}")

# Ranks, best first.
_EXACT, _PREFIX, _WORD_PREFIX, _CONTAINS, _SCATTERED = range(5)


def search_communes(query: str, *, limit: int = 20) -> list[Commune]:
    """Communes matching `query`, best first, at most `limit` of them.

    Words are matched against the normalised name: the exact name first, then names starting
    with the query, then names with a word starting with it, then names containing it, then
    names containing every word of the query in any order (or the query with its spaces
    removed: "lisle d espagnac" finds L'Isle-d'Espagnac). Numbers filter by postcode (a
    5-digit code, or its first 2 to 4 digits) or INSEE code, and can be combined with words
    ("saint 16390"). An empty query returns no commune.
    """
    tokens = normalise(query[:MAX_QUERY_LENGTH]).split()
    codes = [t for t in tokens if _NUMBER.fullmatch(t) or _CORSICAN_INSEE_CODE.fullmatch(t)]
    words = [t for t in tokens if t not in codes]
    if not tokens or limit <= 0:
        return []
    communes = Commune.objects.select_related("epci").defer("contour")
    ordering = []
    if words:
        communes, rank = _match_words(communes, words)
        ordering.append(rank)
    if codes:
        communes, rank = _match_codes(communes, codes)
        if rank is not None:
            ordering.append(rank)
    ordering = [*ordering, "search_key", "insee_code"]
    return list(communes.order_by(*ordering)[:limit])


def _match_words(communes: QuerySet[Commune], words: list[str]) -> tuple[QuerySet, Case]:
    key = " ".join(words)
    every_word = Q(*(Q(search_key__contains=word) for word in words))
    compact = Q(compact_key__contains=key.replace(" ", ""))
    communes = communes.annotate(compact_key=Replace("search_key", Value(" "), Value(""))).filter(
        every_word | compact
    )
    rank = Case(
        When(search_key=key, then=Value(_EXACT)),
        When(search_key__startswith=key, then=Value(_PREFIX)),
        When(search_key__contains=f" {key}", then=Value(_WORD_PREFIX)),
        When(search_key__contains=key, then=Value(_CONTAINS)),
        default=Value(_SCATTERED),
        output_field=IntegerField(),
    )
    return communes, rank


def _match_codes(communes: QuerySet[Commune], codes: list[str]) -> tuple[QuerySet, Case | None]:
    """Every number must match; communes found by postcode rank before those by INSEE code.

    Postcodes are stored space-separated ("16240 16700") and always have 5 digits, so a
    prefix of the column or of one of its words is a prefix of one of the postcodes.
    """
    by_postcodes = Q()
    for code in codes:
        conditions = []
        if code.isdigit():
            by_postcode = Q(postcodes__startswith=code) | Q(postcodes__contains=f" {code}")
            by_postcodes &= by_postcode
            conditions.append(by_postcode)
        if len(code) == 5:
            conditions.append(Q(insee_code=code.upper()))
        communes = communes.filter(Q(*conditions, _connector=Q.OR))
    if not by_postcodes:
        return communes, None
    return communes, Case(When(by_postcodes, then=Value(0)), default=Value(1))
