"""Field labels ("Thème", "Emprise géographique", …) in their many wordings, wrapped over
two lines or not; when a label word occurs twice, which occurrence is the field's label; the
check boxes of the accessibility dimensions.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..amounts import fold
from .lines import Line

# (field, rank, folded pattern). Rank 0 is the form's own wording, rank 1 a synonym: when a
# field's label occurs twice, the form's wording wins.
_LABELS: list[tuple[str, int, str]] = [
    ("theme", 0, r"themes?|thematiques?"),
    ("action", 0, r"actions?"),
    ("action", 1, r"intitule(?: de l'action)?"),
    ("sub_action", 0, r"sous[- ]?actions?(?: eventuelles?)?"),
    (
        "description",
        0,
        r"description(?: synthetique)?"
        r"(?: \(?(?:de l'action|de l'operation|du projet|de la sous[- ]action)\)?)?",
    ),
    ("scope", 0, r"emprises?(?: geographiques?)?"),
    (
        "scope",
        1,
        r"perimetre(?: geographique| d'intervention)?|territoires? concernes?"
        r"|zones? geographiques?",
    ),
    ("pilots", 0, r"pilotes?(?: et missions?)?"),
    ("pilots", 1, r"porteurs?(?: de l'action| du projet| de projet)?(?: et missions?)?"),
    ("partners", 0, r"partenaires?(?: associes)?(?: et missions?)?"),
    (
        "calendar",
        0,
        r"calendrier(?: (?:de |de la )?mise en oeuvre| previsionnel| de realisation)?",
    ),
    ("calendar", 1, r"echeanciers?|planning"),
    (
        "indicators",
        0,
        r"indicateurs?(?: de (?:suivi|resultats?|realisation|performance)| d'evaluation)?",
    ),
    (
        "cost",
        0,
        r"couts? (?:de l'action|du projet|de l'operation)"
        r"(?: (?:annuels?|\(annuel\)|(?:en|pour) (?:19|20)\d\d|par an))*",
    ),
    (
        "cost",
        1,
        r"(?:couts?(?: total| global| previsionnel| estime)?|budget(?: previsionnel)?"
        r"|montant(?: de l'action| total| previsionnel))"
        r"(?: (?:annuels?|\(annuel\)|(?:en|pour) (?:19|20)\d\d|par an))*",
    ),
    (
        "funding",
        0,
        r"financements?(?: (?:prevus?|sollicites?|envisages?|previsionnels?))?"
        r"|plan de financement|financeurs?",
    ),
    ("dimensions", 0, r"amelioration de l'accessibilite(?: des services(?: au public)?)?"),
]
#: The form's order, used to tell a real label from a label word starting a line of prose.
FIELD_ORDER = (
    "theme",
    "action",
    "sub_action",
    "description",
    "scope",
    "pilots",
    "partners",
    "calendar",
    "indicators",
    "cost",
    "funding",
    "dimensions",
)
MANDATORY_FIELDS = {"theme": "Thème", "action": "Action"}
_LABEL_RE = re.compile(
    "^(?:"
    + "|".join(f"(?P<{name}__{rank}>{pattern})" for name, rank, pattern in _LABELS)
    + r")(?=$|[\s:])"
)
_AFTER_LABEL_RE = re.compile(r"(?P<colon>\s*:)?\s*")
#: Words that labels are made of: a line ending with only such words may wrap a label.
_LABEL_WORDS = frozenset(
    form
    for word in re.findall(r"[a-z']+", " ".join(pattern for _, _, pattern in _LABELS))
    for form in (word, word.removesuffix("s"))
)
REF_RE = re.compile(r"^ref(?:erence)?\s*(?:\.\s*:?|:)\s*(?P<rest>.*)$")

TICKED = "þ\uf0fe\uf0fd\uf0fc☑☒✔✓✅■ý"
_UNTICKED = "□☐❑❒❏◻◽▢\uf06f\uf0a8\uf071¨"
_BOX = rf"[{TICKED}{_UNTICKED}]|\[\s*[xX✓✔]?\s*\]"
CHECKBOX_LINE = re.compile(rf"^(?:{_BOX})")
CHECKBOX_ITEM = re.compile(rf"(?P<box>{_BOX})\s*(?P<label>[^{TICKED}{_UNTICKED}\[]*)")


def original_offset(text: str, folded_offset: int) -> int:
    """Position in `text` of the character at `folded_offset` in `fold(text)`."""
    if len(fold(text)) == len(text):
        return folded_offset
    low, high = 0, len(text)
    while low < high:
        middle = (low + high) // 2
        if len(fold(text[:middle])) < folded_offset:
            low = middle + 1
        else:
            high = middle
    return low


@dataclass(frozen=True)
class Label:
    field: str
    rank: int
    index: int  # index of the label's first line in the sheet's lines
    value_index: int  # index of the line where the value starts
    value_offset: int  # where the value starts on that line
    colon: bool
    text: str  # the label as folded text, qualifiers included ("cout de l'action en 2017")


def _read_label(folded: str) -> tuple[str, int, int, bool, str] | None:
    """Field, rank, end of the label (colon and spaces included), colon, label text."""
    match = _LABEL_RE.match(folded)
    if not match:
        return None
    name, rank = (match.lastgroup or "").split("__")
    after = _AFTER_LABEL_RE.match(folded, match.end())
    assert after is not None  # the pattern matches the empty string
    return name, int(rank), after.end(), bool(after["colon"]), match.group()


def match_label(lines: list[Line], index: int) -> Label | None:
    text = lines[index].text
    folded = lines[index].fold()
    found = _read_label(folded)
    if found is None:
        return None
    field_name, rank, end, colon, label_text = found
    label = Label(field_name, rank, index, index, original_offset(text, end), colon, label_text)
    # A label may wrap: "Description synthétique de" / "l'action". Only worth a look when what
    # follows the label on its line could itself be the start of a longer label.
    if not set(folded[end:].split()) <= _LABEL_WORDS:
        return label
    following = next((i for i in range(index + 1, len(lines)) if lines[i].text), None)
    if following is None:
        return label
    joined = f"{folded} {lines[following].fold()}"
    longer = _read_label(joined)
    if longer and longer[0] == field_name and len(longer[4]) > len(folded):
        next_text = lines[following].text
        return dataclasses.replace(
            label,
            value_index=following,
            value_offset=original_offset(next_text, longer[2] - len(folded) - 1),
            colon=longer[3],
            text=longer[4],
        )
    return label


def choose_labels(candidates: list[Label]) -> list[Label]:
    """Keep one label per field.

    A label word may start a line of prose ("Financement : Département et Etat." inside a
    description, "Périmètre :" inside a description). When a field has several candidates, the
    one that fits between the fields around it in the form's order wins, then the one written
    like the sheet's other labels (with or without a colon), then the form's own wording, then
    the first.
    """
    by_field: dict[str, list[Label]] = {}
    for candidate in candidates:
        by_field.setdefault(candidate.field, []).append(candidate)
    chosen = {name: found[0] for name, found in by_field.items() if len(found) == 1}
    colons = sum(label.colon for label in chosen.values())
    colon_style = colons * 2 > len(chosen)
    for name in FIELD_ORDER:
        found = by_field.get(name, [])
        if len(found) < 2:
            continue
        position = FIELD_ORDER.index(name)
        before = [chosen[f].index for f in FIELD_ORDER[:position] if f in chosen]
        after = [chosen[f].index for f in FIELD_ORDER[position + 1 :] if f in chosen]
        low, high = max(before, default=-1), min(after, default=10**9)

        def score(label: Label, low: int = low, high: int = high) -> tuple[int, int, int, int]:
            fits = low < label.index < high
            return (-int(fits), -int(label.colon == colon_style), label.rank, label.index)

        chosen[name] = min(found, key=score)
    return sorted(chosen.values(), key=lambda label: label.index)
