"""The "Amélioration de l'accessibilité" check boxes."""

from __future__ import annotations

import re

from ..amounts import fold
from .field_labels import CHECKBOX_ITEM, TICKED
from .lines import Line
from .results import IssueLog
from .words import strip_punctuation

#: The four ways a sheet improves access to services, as ticked on the national SDAASP form.
DIMENSIONS = ("Physique", "Numérique", "Horaire", "Mutualisation")


def parse_dimensions(lines: list[Line], report: IssueLog) -> dict[str, bool]:
    """Ticked boxes of "Amélioration de l'accessibilité des services au public".

    "þ" and the symbol-font glyph U+F0FE mean ticked, "□" not ticked. When a standard
    dimension has no box at all (an export dropped a symbol-font glyph), it is taken as ticked,
    because only ticked boxes are drawn with such glyphs; a warning says so.
    """
    dimensions = dict.fromkeys(DIMENSIONS, False)
    if not lines:
        return dimensions
    standard = {fold(name): name for name in DIMENSIONS}
    for line in lines:
        for item in CHECKBOX_ITEM.finditer(line.text):
            box = item["box"]
            ticked = box in TICKED or bool(re.search(r"[xX✓✔]", box))
            label = strip_punctuation(item["label"])
            words = re.findall(r"[\w-]+", label)
            known = [standard[fold(word)] for word in words if fold(word) in standard]
            if not known:
                if label:
                    dimensions[label] = ticked
                continue
            dimensions[known[0]] = ticked
            for name in known[1:]:
                dimensions[name] = True
                report.warn(
                    line.number, f"case « {name} » sans symbole lisible : considérée cochée"
                )
    return dimensions
