"""Physical and logical lines: a document's lines cleaned of layout noise, bullet items
and wrapped lines joined into entries, a field's prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..amounts import fold


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    folded: str = ""  # fold(text), computed once for the whole document when labels are read

    def fold(self) -> str:
        return self.folded or fold(self.text)


@dataclass(frozen=True)
class Entry:
    """A logical line: a bullet item or a line with the lines that wrap it, joined."""

    text: str
    line: int
    bullet: bool


GLYPHS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0e0": "→"})
_HSPACE_RUN = re.compile(r"[ \t\f\v\x85\u2028\u2029]+")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\x00]")


def clean_line(raw: str) -> str:
    """One physical line without layout noise: runs of spaces become one space, and leading
    and trailing spaces (page-break artefacts) go. Symbol-font bullets are mapped to "•"
    beforehand (`GLYPHS`), for the whole document at once."""
    return _HSPACE_RUN.sub(" ", _INVISIBLE.sub("", raw)).strip()


BULLET_RE = re.compile(r"^(?:->|=>|→|[-–—•▪◦●➢►*])\s*")
_CONNECTIVES_TEXT = (
    "de du des la le les et ou en a au aux avec pour par sur dans un une leur leurs "
    "son sa ses via entre vers notamment"
)
_CONNECTIVES = frozenset(_CONNECTIVES_TEXT.split())


def _continues(previous: str, following: str) -> bool:
    """Is `following` the wrapped end of `previous` rather than a new item?

    Exports drop the difference between a wrapped line and a new line, so this reads the text:
    a line ending on a comma, an open parenthesis or a small word ("de", "et", "l'") goes on;
    so does a line starting in lower case; and a comma-separated list goes on until it ends
    with a full stop. A short line like "Les EPN" followed by "Les MFR" is two items.
    """
    if not previous or not following or BULLET_RE.match(following):
        return False
    if previous.endswith((",", "(", "/", "+", "&", "'", "’")):
        return True
    if previous.count("(") > previous.count(")"):
        return True
    last = fold(previous).split()[-1]
    if last in _CONNECTIVES or last.endswith("'"):
        return True
    if following[0].islower():
        return True
    return "," in previous and not previous.endswith((".", ";", ":", "!", "?", "…"))


def logical_entries(lines: list[Line]) -> list[Entry]:
    """Group lines into logical entries (bullet items, wrapped lines joined by a space)."""
    entries: list[Entry] = []
    current: list[str] = []
    start = 0
    is_bullet = False
    for line in lines:
        text = line.text
        if not text:
            continue
        if current and _continues(current[-1], text):
            current.append(text)
            continue
        if current:
            entries.append(Entry(" ".join(current), start, is_bullet))
        bullet = BULLET_RE.match(text)
        is_bullet = bool(bullet)
        current = [text[bullet.end() :] if bullet else text]
        start = line.number
    if current:
        entries.append(Entry(" ".join(current), start, is_bullet))
    return [e for e in entries if e.text]


def block_text(lines: list[Line]) -> str:
    """Prose of a field: its lines as written, one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if line.text or (out and out[-1]):
            out.append(line.text)
    return "\n".join(out).strip()


def inline_text(lines: list[Line]) -> str:
    return " ".join(line.text for line in lines if line.text)


def trim(lines: list[Line]) -> list[Line]:
    start, end = 0, len(lines)
    while start < end and not lines[start].text:
        start += 1
    while end > start and not lines[end - 1].text:
        end -= 1
    return lines[start:end]
