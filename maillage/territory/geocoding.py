"""From what a person types (a commune, a postcode, an address) to a position.

`geocode(text)` resolves a text to a commune of the referential — by name, postcode, or the
commune named at the end of an address ("2 place du Château 16300 Barbezieux") — and the
position is the commune's centroid, which the result says plainly (`approximate`, `note`).

`geocode_address(address, commune=…)` places a street address (riders' homes) through the Base
Adresse Nationale client (`territory/ban.py`) when `MAILLAGE_BAN_URL` is set; when the API is
down, slow, answers badly or finds nothing good enough (score under `MAILLAGE_BAN_MIN_SCORE`),
the commune's centroid is used, marked approximate, with the reason in `note`.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings

from .models import Commune
from .names import normalise
from .search import search_communes

logger = logging.getLogger(__name__)

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


def geocode_address(address: str, *, commune: Commune | None = None) -> Geocoded | None:
    """A street address placed by the BAN, or the commune's centroid marked approximate.

    `commune` narrows the search (and is the fallback); without it, the commune is read from
    the address as `geocode` does. None only when no commune can be found at all.
    """
    from .ban import BanClient, BanError

    address = (address or "").strip()
    if commune is None:
        found = geocode(address)
        commune = found.commune if found else None
    note = APPROXIMATE_NOTE
    if address and getattr(settings, "MAILLAGE_BAN_URL", ""):
        try:
            results = BanClient().search(
                address, citycode=commune.insee_code if commune else "", limit=1
            )
        except BanError as error:
            logger.warning("API Adresse indisponible, centre de la commune utilisé : %s", error)
            note = f"{APPROXIMATE_NOTE} (API Adresse : {error})"
        else:
            best = results[0] if results else None
            if best and best.score >= settings.MAILLAGE_BAN_MIN_SCORE:
                located = Commune.objects.filter(insee_code=best.citycode).first() or commune
                if located is not None:
                    return Geocoded(
                        latitude=best.latitude,
                        longitude=best.longitude,
                        commune=located,
                        label=best.label,
                        approximate=False,
                        note="",
                    )
            note = f"{APPROXIMATE_NOTE} (adresse non trouvée)"
    if commune is None:
        return None
    result = _result(commune, [])
    return Geocoded(
        latitude=result.latitude,
        longitude=result.longitude,
        commune=commune,
        label=address or result.label,
        approximate=True,
        note=note,
    )
