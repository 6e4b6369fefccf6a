"""Find organisations from the names people write ("La Caf", "Msa des Charentes", "4B").

Names are compared once normalised: accents, case, punctuation, apostrophes and leading
articles do not matter ("L'État" = "etat"). An organisation answers to its name, its short
name and each of its aliases. The action-sheet importer uses these functions to link a
sheet's pilots and partners to organisations.
"""

import re
from dataclasses import dataclass

from unidecode import unidecode

from .models import Organisation

_ARTICLES = {"le", "la", "les", "l", "un", "une", "des", "du", "de", "d"}


def normalize_name(text: str) -> str:
    """Lower-case ASCII words separated by one space, without leading articles."""
    text = unidecode(text or "").lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = re.sub(r"\b(\d+) ([a-z])\b", r"\1\2", text)  # "4 B Sud Charente" = "4B Sud Charente"
    words = text.split()
    while words and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class NameIndex:
    """Normalised names → organisation ids; names shared by several are ambiguous."""

    names: dict[str, int]
    ambiguous: frozenset[str]
    organisations: dict[int, Organisation]

    @classmethod
    def build(cls, organisations=None) -> "NameIndex":
        if organisations is None:
            organisations = Organisation.objects.filter(is_active=True)
        owners: dict[str, set[int]] = {}
        by_id = {}
        for organisation in organisations:
            by_id[organisation.pk] = organisation
            for name in names_of(organisation):
                owners.setdefault(name, set()).add(organisation.pk)
        names = {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}
        ambiguous = frozenset(name for name, ids in owners.items() if len(ids) > 1)
        return cls(names=names, ambiguous=ambiguous, organisations=by_id)

    def exact(self, text: str) -> Organisation | None:
        organisation_id = self.names.get(normalize_name(text))
        return None if organisation_id is None else self.organisations[organisation_id]

    def occurrences(self, text: str) -> list[tuple[int, int, Organisation]]:
        """Every (start, end, organisation) whose name appears as whole words in `text`,
        longest names first, without overlaps."""
        haystack = f" {normalize_name(text)} "
        found: list[tuple[int, int, Organisation]] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(self.names, key=len, reverse=True):
            start = haystack.find(f" {name} ")
            while start != -1:
                span = (start + 1, start + 1 + len(name))
                if not any(span[0] < end and begin < span[1] for begin, end in taken):
                    taken.append(span)
                    found.append((*span, self.organisations[self.names[name]]))
                start = haystack.find(f" {name} ", start + 1)
        return sorted(found, key=lambda item: item[0])


def names_of(organisation: Organisation) -> set[str]:
    """The normalised names an organisation answers to."""
    candidates = [organisation.name, organisation.short_name, *organisation.alias_list]
    return {name for name in map(normalize_name, candidates) if name}


def find_organisation_by_name(text: str, index: NameIndex | None = None) -> Organisation | None:
    """The organisation `text` names, or None when unknown or ambiguous.

    An exact match on a name, short name or alias wins; otherwise the longest name found
    as whole words inside `text` ("Service proximité de la MSA" → MSA des Charentes).
    """
    index = index or NameIndex.build()
    organisation = index.exact(text)
    if organisation is not None:
        return organisation
    if normalize_name(text) in index.ambiguous:
        return None
    occurrences = index.occurrences(text)
    if not occurrences:
        return None
    return max(occurrences, key=lambda item: item[1] - item[0])[2]


def find_organisations_in_text(text: str, index: NameIndex | None = None) -> list[Organisation]:
    """Every organisation named in a free text such as a sheet's "Partenaires" field,
    in reading order, each once ("Ddcspp, Conseil départemental, Msa des Charentes")."""
    index = index or NameIndex.build()
    result: list[Organisation] = []
    for _start, _end, organisation in index.occurrences(text):
        if organisation not in result:
            result.append(organisation)
    return result
