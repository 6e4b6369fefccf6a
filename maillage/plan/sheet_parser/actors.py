"""The pilots and partners fields: organisations named in lists, "Name : mission" pairs
and governance sentences.
"""

from __future__ import annotations

import re

from ..amounts import fold
from .lines import Line, logical_entries
from .results import Actor
from .words import strip_punctuation

# Only a lower-case article is dropped ("…, l'ATLEB, la Mission locale"): a capitalised one
# may belong to the name ("La Poste"); organisation matching ignores articles anyway.
_ARTICLE_RE = re.compile(r"^(?:(?:le|la|les)\s+|l['’]\s*)")
_QUALIFIER_START = re.compile(
    r"^(?:en|notamment|avec|via|dont|pour|dans|soit|y compris|ainsi que|sous)\b"
)
_PROSE_VERBS = re.compile(
    r"\b(?:est|sont|sera|seront|ont|permet|permettent|doit|doivent|peut|peuvent|fait|font"
    r"|assurer|restent|reste|va|vont)\b"
)
_ROLE_VERB_RE = re.compile(
    r"^(?P<subject>.{2,100}?)\s+(?P<verb>assurent|assure|pilotent|pilote|coordonnent|coordonne"
    r"|animent|anime|portent|porte|organisent|organise|financent|finance|g[èe]rent|g[èe]re"
    r"|prennent en charge|prend en charge)\s+(?P<mission>.+)$",
    re.IGNORECASE,
)
_COLON_RE = re.compile(r"^(?P<names>[^:]{2,120}?)\s*:\s*(?P<mission>.*)$")
_SHORT_SENTENCE_RE = re.compile(r"^(?P<name>[^.,:;()]{2,60}?)\.\s+(?P<mission>[A-ZÉÈÀ].+)$")


def split_top_level(text: str, separators: re.Pattern[str]) -> list[str]:
    """Split on `separators` outside parentheses and quotes."""
    if not any(bracket in text for bracket in "(«["):
        return [part.strip() for part in separators.split(text) if part.strip()]
    parts: list[str] = []
    depth = 0
    start = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char in "(«[":
            depth += 1
        elif char in ")»]":
            depth = max(0, depth - 1)
        elif depth == 0 and (match := separators.match(text, position)):
            parts.append(text[start:position])
            start = position = match.end()
            continue
        position += 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


# Lists of names: commas, semicolons, "+", " / ", and "et" before a capitalised name ("Etat et
# Département") — "Ministère de la Culture et de la Communication" stays one name.
_NAME_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+/\s+|\s+et\s+(?=[A-ZÉÈÀÂÎÔÛ])")
_LIST_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+/\s+")  # items, before "et" is looked at
_SUBJECT_SEPARATORS = re.compile(r"\s*[,;+]\s*|\s+et\s+", re.IGNORECASE)  # "La Caf et L'État"
SEMICOLON = re.compile(r"\s*;\s*")


def clean_name(name: str) -> tuple[str, str]:
    """An organisation's name without lower-case article or trailing punctuation, and the
    mission hidden in a long lower-case parenthesis ("Etat (mission THD via …)")."""
    name = strip_punctuation(name)
    name = _ARTICLE_RE.sub("", name).strip()
    mission = ""
    m = re.match(r"^(?P<name>.+?)\s*\((?P<inside>[a-zà-ÿ][^()]*)\)$", name)
    if m and len(m["inside"].split()) > 3:
        name, mission = m["name"], m["inside"]
    return name, mission


def _names(text: str) -> list[tuple[str, str]]:
    return [
        cleaned
        for part in split_top_level(text, _NAME_SEPARATORS)
        if (cleaned := clean_name(part))[0]
    ]


def _actors_from_entry(text: str) -> list[Actor]:
    text = strip_punctuation(text)
    if not text or text in {"-", "–"}:
        return []
    if text.count(":") > 1 and ";" in text:  # "A : mission ; B : mission" on one line
        parts = split_top_level(text, SEMICOLON)
        return [actor for part in parts for actor in _actors_from_entry(part)]
    if m := _ROLE_VERB_RE.match(text):
        subject = m["subject"]
        if len(subject.split()) <= 8 and not _PROSE_VERBS.search(fold(subject)):
            names = split_top_level(subject, _SUBJECT_SEPARATORS)
            mission = strip_punctuation(m["mission"])
            return [Actor(n, mission) for name in names if (n := clean_name(name)[0])]
    if ":" in text:
        m = _COLON_RE.match(text)
        if not m or len(m["names"].split()) > 8 or _PROSE_VERBS.search(fold(m["names"])):
            return []  # a sentence introducing a list of domains, not organisations
        mission = strip_punctuation(m["mission"])
        return [Actor(name, mission or own) for name, own in _names(m["names"])]
    if _PROSE_VERBS.search(fold(text)):
        return []
    if (m := _SHORT_SENTENCE_RE.match(text)) and len(m["name"].split()) <= 4:
        name, own = clean_name(m["name"])
        return [Actor(name, strip_punctuation(m["mission"]) or own)]
    actors: list[Actor] = []
    for part in split_top_level(text, _LIST_SEPARATORS):
        if actors and _QUALIFIER_START.match(fold(part)):
            previous = actors[-1]
            mission = f"{previous.mission}, {part}" if previous.mission else part
            actors[-1] = Actor(previous.name, strip_punctuation(mission))
            continue
        for name, mission in _names(part):
            actors.append(Actor(name, mission))
    return actors


def parse_actors(lines: list[Line]) -> tuple[Actor, ...]:
    """Organisations named in a pilots/partners field.

    Handles "Name : mission", lists ("Ddcspp, Conseil départemental, …"), one name per line
    ("Les EPN" / "Les MFR") and governance sentences ("La Caf et L'État assurent le pilotage
    du Copil"). An entry ending with a colon introduces details ("->Composition : …") that
    describe it rather than name organisations.
    """
    actors: list[Actor] = []
    introducing = False
    for entry in logical_entries(lines):
        if entry.bullet and introducing:
            continue
        introducing = entry.text.rstrip().endswith(":")
        if introducing:
            continue
        for actor in _actors_from_entry(entry.text):
            if actor.name and actor not in actors:
                actors.append(actor)
    return tuple(actors)
