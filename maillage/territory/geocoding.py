"""From what a person types (a commune, a postcode, an address) to a position.

Full address geocoding (Base Adresse Nationale) comes later, behind the same `geocode`
function. For now a text is resolved to a commune of the referential — by name, postcode, or
the commune named at the end of an address ("2 place du Château 16300 Barbezieux") — and the
position is the commune's centroid, which the result says plainly (`approximate`, `note`).
"""

import re
from dataclasses import dataclass

from .models import Commune
from .names import normalise
from .search import search_communes

APPROXIMATE_NOTE = "position approximative : centre de la commune"
_POSTCODE = re.compile(r"\b(\d{5})\b")


@dataclass(frozen=True)
class Geocoded:
    latitude: float
    longitude: float
    commune: Commune
    label: str
    approximate: bool
    note: str
    alternatives: tuple[Commune, ...] = ()

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


def _result(commune: Commune, alternatives: list[Commune]) -> Geocoded:
    postcodes = " ".join(commune.postcode_list)
    return Geocoded(
        latitude=commune.latitude,
        longitude=commune.longitude,
        commune=commune,
        label=f"{commune.name} ({postcodes})" if postcodes else commune.name,
        approximate=True,
        note=APPROXIMATE_NOTE,
        alternatives=tuple(c for c in alternatives if c.pk != commune.pk),
    )


def _best(candidates: list[Commune], words: str) -> Commune | None:
    """Among candidates, the one whose normalised name is written in `words`."""
    key = f" {normalise(words)} "
    named = [c for c in candidates if f" {c.search_key} " in key]
    if named:
        return max(named, key=lambda c: len(c.search_key))
    return None


def geocode(text: str) -> Geocoded | None:
    """The position for `text`, or None when no commune of the referential matches.

    An exact commune name wins, then for a postcode alone its most populous commune. In an
    address, the postcode is used and, when it covers several communes, the one whose name
    appears in the text; otherwise the last words are tried as a commune name.
    `alternatives` lists the other communes that also matched.
    """
    text = (text or "").strip()
    if not text:
        return None
    matches = search_communes(text, limit=30)
    if matches:
        exact = [c for c in matches if c.search_key == normalise(text)]
        if exact:
            return _result(exact[0], matches)
        if _POSTCODE.fullmatch(text):
            # A postcode alone: the main commune of the postcode (the most populous).
            return _result(max(matches, key=lambda c: c.population), matches)
        return _result(matches[0], matches)
    postcode = _POSTCODE.search(text)
    if postcode:
        candidates = search_communes(postcode[1], limit=20)
        if candidates:
            rest = text.replace(postcode[1], " ")
            main = max(candidates, key=lambda c: c.population)
            return _result(_best(candidates, rest) or main, candidates)
    words = normalise(text).split()
    for size in range(min(len(words), 5), 0, -1):
        tail = " ".join(words[-size:])
        candidates = [c for c in search_communes(tail, limit=5) if c.search_key == tail]
        if candidates:
            return _result(candidates[0], candidates)
    return None
