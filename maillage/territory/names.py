"""Normalisation of commune names, shared by the search and by the stored `search_key`."""

import re

from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def normalise(text: str) -> str:
    """Return `text` as a search key: ASCII, lower case, words separated by single spaces.

    Accents are dropped (Angoulême → angouleme), hyphens, apostrophes and any other punctuation
    become spaces (L'Isle-d'Espagnac → l isle d espagnac), and the abbreviations "St" / "Ste"
    are expanded as whole words (St-Séverin → saint severin), so people may type a name the way
    they would write it on an envelope.
    """
    words = _NOT_ALNUM.sub(" ", unidecode(text or "").lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
