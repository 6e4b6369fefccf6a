"""Properties of the sheet parser that must hold for any document of the family.

- A sheet reads the same wherever it sits in the document.
- Extra blank lines between fields or paragraphs, and stray spaces or tabs at either end of a
  line (page-break and export artefacts), change nothing but line numbers.
- Whatever the text, the parser answers with sheets or with a `SheetDocumentError`, never
  with another exception.
"""

import contextlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.plan.sheet_parser import (
    MAX_DOCUMENT_CHARS,
    SheetDocumentError,
    parse_document,
    sheets_to_json,
)

DOCUMENTS = Path(__file__).parent / "documents"
SEED = (DOCUMENTS / "charente_numerique_2017.txt").read_text(encoding="utf-8")
FAMILY = [
    (DOCUMENTS / name).read_text(encoding="utf-8")
    for name in (
        "charente_numerique_2017.txt",
        "deux_sevres_sante_2018.txt",
        "haute_vienne_mobilite_2019.txt",
        "loire_atlantique_services_publics_2018.txt",
    )
]
REF_LINE = re.compile(r"^\s*Réf\s*:")


def shifted(value, offset: int):
    """A sheet's data with line numbers counted from the sheet's own first line."""
    if isinstance(value, dict):
        return {
            key: (
                {name: line - offset for name, line in item.items()}
                if key == "field_lines"
                else item - offset
                if key == "line"
                else shifted(item, offset)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [shifted(item, offset) for item in value]
    return value


def without_lines(value):
    if isinstance(value, dict):
        return {
            key: without_lines(item)
            for key, item in value.items()
            if key not in {"line", "field_lines"}
        }
    if isinstance(value, list):
        return [without_lines(item) for item in value]
    return value


def by_ref(text: str, transform=shifted) -> dict[str, dict]:
    sheets = parse_document(text)
    return {sheet.ref: transform(sheet.to_dict(), sheet.line) for sheet in sheets}


def chunks(text: str) -> list[list[str]]:
    """The document's sheets as lists of lines (text before the first "Réf" dropped)."""
    found: list[list[str]] = []
    for line in text.split("\n"):
        if REF_LINE.match(line):
            found.append([])
        if found:
            found[-1].append(line)
    return found


@given(data=st.data(), document=st.sampled_from(FAMILY))
@settings(max_examples=40, deadline=None)
def test_reordering_sheets_does_not_change_any_sheet(data, document):
    sheets = chunks(document)
    order = data.draw(st.permutations(range(len(sheets))))
    reordered = "\n".join(line for i in order for line in sheets[i])
    assert by_ref(reordered) == by_ref("\n".join(line for sheet in sheets for line in sheet))


SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", " \t "])


@given(data=st.data(), document=st.sampled_from(FAMILY))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_blank_lines_and_stray_spaces_change_nothing_but_line_numbers(data, document):
    lines = document.split("\n")
    starts = {
        line - 1
        for sheet in parse_document(document)
        for line in [sheet.line, *sheet.field_lines.values()]
    }
    # Blank lines may be added where a paragraph or a field ends: before a label or a "Réf",
    # or next to a blank line that is already there.
    places = sorted(
        i
        for i in range(len(lines))
        if i in starts or not lines[i].strip() or (i and not lines[i - 1].strip())
    )
    extra_blank = data.draw(
        st.dictionaries(st.sampled_from(places), st.integers(1, 3), max_size=25)
    )
    padding = data.draw(
        st.dictionaries(
            st.integers(0, len(lines) - 1), st.tuples(SPACES, st.booleans()), max_size=60
        )
    )
    noisy: list[str] = []
    for i, line in enumerate(lines):
        noisy += [""] * extra_blank.get(i, 0)
        if i in padding:
            spaces, before = padding[i]
            line = spaces + line if before else line + spaces
        noisy.append(line)
    assert by_ref("\n".join(noisy), lambda d, _: without_lines(d)) == by_ref(
        document, lambda d, _: without_lines(d)
    )


SEED_LINES = SEED.split("\n")
ODD_LINES = [
    "Réf : X1",
    "Réf : X1 99 zorglub 2017",
    "Réf :",
    "Valeur initiale",
    "Valeur finale (max 2022) :",
    "Coût de l'action 1O 000 €",
    "Total : 5 €",
    "þ",
    "□ □ □",
    "[x]",
    "- : :",
    "1- : ",
    "Rythme annuel: 2/an",
    "2017 - 2016",
    "€ € euros",
    "Description synthétique de",
]


@given(st.lists(st.sampled_from(SEED_LINES + ODD_LINES), max_size=60))
@settings(max_examples=150, deadline=None)
def test_any_mix_of_sheet_lines_gives_sheets_or_a_document_error(lines):
    try:
        sheets = parse_document("\n".join(lines))
    except SheetDocumentError as error:
        assert error.errors
        assert all(issue.line >= 1 and issue.reason for issue in error.errors)
    else:
        assert sheets_to_json(sheets)


@given(st.text(max_size=400))
@settings(max_examples=150, deadline=None)
def test_any_text_gives_sheets_or_a_document_error(text):
    with contextlib.suppress(SheetDocumentError):
        sheets_to_json(parse_document(text))


def test_the_largest_document_allowed_parses_every_sheet():
    """As many copies of the seed as the size limit admits all come out, each with its own
    reference; one character more is refused (how long parsing takes, and that it grows
    linearly, is `bench/sheet_parser.py`'s to print)."""
    copies = MAX_DOCUMENT_CHARS // (len(SEED) + 1)
    text = "\n".join(
        re.sub(r"Réf : Num(\d\d)", lambda m, n=n: f"Réf : C{n:03d}x{m[1]}", SEED)
        for n in range(copies)
    )
    assert len(text) <= MAX_DOCUMENT_CHARS
    sheets = parse_document(text)
    assert len(sheets) == 11 * copies
    assert len({sheet.ref for sheet in sheets}) == 11 * copies
    with pytest.raises(SheetDocumentError, match="Document trop long"):
        parse_document(text + " " * (MAX_DOCUMENT_CHARS - len(text) + 1))
