"""Which territory a text designates: the "Emprise géographique" of an action sheet ("La
Charente", "Pays Sud Charente", "Communes de Brossac et de Chalais") read as the département,
EPCIs or communes it names, among those of one département.

A name read after "hors" or "sauf" is left out ("Département hors Grand Angoulême" is the
département); groupings that are not EPCIs (a PETR, a "pays") stand for their EPCIs
(`EPCI_GROUPS`); a commune is found by its name or, when only one fits, by the start of a
compound name ("Barbezieux" → Barbezieux-Saint-Hilaire).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.conf import settings
from django.db import models

from .labels import ScopeLevel
from .models import Departement, Epci
from .names import normalise
from .search import search_communes

# Groupings of EPCIs that sheets name instead of the EPCIs themselves, by their folded name:
# the Pays Sud Charente (a PETR) is the CC des 4B Sud Charente and the CC Lavalette Tude Dronne.
# Values are the EPCIs' distinctive names (see `_epci_core`).
EPCI_GROUPS: dict[str, tuple[str, ...]] = {
    "pays sud charente": ("4b sud charente", "lavalette tude dronne"),
}


class Scope(NamedTuple):
    """What a text designates: a level, and the EPCIs' SIRENs or the communes' INSEE codes."""

    level: str
    epcis: list[str]
    communes: list[str]


_PREFIXES = re.compile(
    r"^(?:cc|ca|cu|communaute (?:de communes|d agglomeration|urbaine))"
    r"(?: (?:de la|de l|de|des|du|d))? "
)
_NUMBER_LETTER = re.compile(r"\b(\d+) ([a-z])\b")
_ARTICLE = r"(?:(?:le|la|les|l|tout le|toute la|l ensemble du|ensemble du) )?"
_DEPARTEMENT_WORDS = re.compile(
    rf"^{_ARTICLE}(?:departement|territoire departemental)"
    r"(?: (?:de la|de l|de|du|des|d) (?P<name>.+?))?(?: (?:hors|sauf) .+)?$"
)
_COMMUNE_PREFIX = re.compile(
    r"^\s*(?:(?:la|le|les|l['’])\s*)?(?:communes?|villes?|mairies?)\s+"
    r"(?:(?:de\s+la|de|des|du|d['’])\s*)?(?P<names>.+)$",
    re.IGNORECASE,
)
_SURROUNDINGS = re.compile(
    r"\s*(?:\bet\s+)?\b(?:ses|leurs?|les)\s+(?:alentours|environs)\b.*$", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;/]|\bet\b)\s*", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:de\s+la|de|du|d['’])\s*", re.IGNORECASE)
_EXCLUDING = {"hors", "sauf", "excepte"}


def _folded_name(text: str) -> str:
    return _NUMBER_LETTER.sub(r"\1\2", normalise(text))


def _epci_core(name: str) -> str:
    """The distinctive part of an EPCI's name: "CC des 4B Sud Charente" → "4b sud charente"."""
    return _PREFIXES.sub("", _folded_name(name)).strip()


class ScopeReader:
    """Reads the scope a text designates (département, EPCIs or communes) in one
    département, with the EPCIs loaded once for every text read (an import reads many).

    `epci_names` and `commune_names` give the names of what was found, for messages.
    """

    def __init__(self, departement_code: str) -> None:
        self.code = departement_code
        names = set()
        if departement := Departement.objects.filter(code=departement_code).first():
            names.add(normalise(departement.name))
        if departement_code == settings.MAILLAGE_DEPARTEMENT_CODE:
            names.add(normalise(settings.MAILLAGE_DEPARTEMENT_NAME))
        self.departement_names = names
        epcis = Epci.objects.filter(
            models.Q(departement_id=departement_code)
            | models.Q(communes__departement_id=departement_code)
        ).distinct()
        self.epcis = {_epci_core(epci.name): epci for epci in epcis}
        self.epci_names = {epci.pk: epci.name for epci in self.epcis.values()}
        self.commune_names: dict[str, str] = {}

    def infer(self, text: str) -> Scope:
        """The scope level, EPCI SIRENs and commune INSEE codes `text` designates."""
        communes = self._named_communes(text)
        if communes:
            return Scope(ScopeLevel.COMMUNES, [], communes)
        epcis = self._epcis(text)
        if epcis:
            return Scope(ScopeLevel.EPCI, epcis, [])
        if self._is_departement(text):
            return Scope(ScopeLevel.DEPARTEMENT, [], [])
        if commune := self._commune(normalise(text), exact=True):
            return Scope(ScopeLevel.COMMUNES, [], [commune])
        return Scope(ScopeLevel.OTHER, [], [])

    def _named_communes(self, text: str) -> list[str]:
        match = _COMMUNE_PREFIX.match(text.strip())
        if not match:
            return []
        names = _SURROUNDINGS.sub("", match["names"]).strip(" .")
        found = []
        for name in _NAME_SEPARATORS.split(names):
            name = _LEADING_PREPOSITION.sub("", name)
            commune = self._commune(normalise(name), exact=False)
            if commune and commune not in found:
                found.append(commune)
        return found

    def _commune(self, key: str, *, exact: bool) -> str | None:
        """The commune of the département called `key`, or whose compound name starts with it
        ("barbezieux" → Barbezieux-Saint-Hilaire) when only one does."""
        if not key:
            return None
        candidates = [c for c in search_communes(key, limit=10) if c.departement_id == self.code]
        chosen = [c for c in candidates if c.search_key == key]
        if not chosen and not exact:
            chosen = [c for c in candidates if c.search_key.startswith(f"{key} ")]
        if len(chosen) != 1:
            return None
        self.commune_names[chosen[0].pk] = chosen[0].name
        return chosen[0].pk

    def _epcis(self, text: str) -> list[str]:
        haystack = f" {_folded_name(text)} "
        cores = [core for core in self.epcis if self._names(haystack, core)]
        for group, members in EPCI_GROUPS.items():
            if self._names(haystack, group):
                cores.extend(core for core in members if core in self.epcis)
        sirens = []
        for core in cores:
            if self.epcis[core].pk not in sirens:
                sirens.append(self.epcis[core].pk)
        return sorted(sirens)

    @staticmethod
    def _names(haystack: str, name: str) -> bool:
        """Whether `haystack` names `name` as whole words, not after "hors" / "sauf"."""
        start = haystack.find(f" {name} ")
        while start != -1:
            before = haystack[:start].split()
            if not before or before[-1] not in _EXCLUDING:
                return True
            start = haystack.find(f" {name} ", start + 1)
        return False

    def _is_departement(self, text: str) -> bool:
        head = normalise(re.split(r"[,;(]", text, maxsplit=1)[0])
        if match := _DEPARTEMENT_WORDS.match(head):
            return match["name"] is None or match["name"] in self.departement_names
        without_article = re.sub(rf"^{_ARTICLE}", "", head)
        return without_article in self.departement_names


def infer_scope(text: str, departement_code: str | None = None) -> Scope:
    """The scope a sheet's "Emprise géographique" designates, as (level, EPCI SIRENs, commune
    INSEE codes): "La Charente" → département, "Pays Sud Charente" → its two EPCIs, "Commune
    de Barbezieux et ses alentours" → Barbezieux-Saint-Hilaire, "Internet…" → other."""
    return ScopeReader(departement_code or settings.MAILLAGE_DEPARTEMENT_CODE).infer(text)
