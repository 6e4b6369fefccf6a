"""Read text exports of SDAASP action sheets ("fiches action") into structured data.

A sheet document is the text a word processor or a PDF tool gives for a set of action sheets:
each sheet starts at a "Réf : <ref> <date>" line and continues with labelled fields —
"Thème", "Action", "Sous-action éventuelle", "Description synthétique", "Emprise
géographique", "Pilotes et missions", "Partenaires associés et missions", "Calendrier de mise
en œuvre", "Indicateurs de suivi" (with "Valeur initiale / intermédiaire / finale"), "Coût de
l'action", "Financement" and the "Amélioration de l'accessibilité" check boxes.

Exports are untidy, and the parser is written for the family of documents, not for one file:

* labels vary in wording, case, accents, apostrophes (’ or ') and œ/oe, may be followed by a
  colon or not, may carry their value on the same line or below, and may wrap over two lines
  ("Description synthétique de / l'action");
* page breaks leave a space before a label, justified text leaves runs of spaces, symbol fonts
  leave private-use glyphs (U+F0FE for a ticked box, U+F0B7 for a bullet) or their Latin-1
  shadows ("þ" for a ticked box);
* a label word can also start a line of prose ("Financement : Département et Etat." inside a
  description). Each field occurs once per sheet, so when a label occurs twice the parser keeps
  the occurrence that fits the form's order and the sheet's label style, and the other one
  stays text.

`parse_document` collects every problem of the document before refusing it, so a person fixes
the file once. Amounts are exact `Decimal` values (see `maillage.plan.amounts`). Prose stays

The package follows the form: `document` cuts the document into sheets and each sheet into
fields (`field_labels`), one module reads each kind of field (`actors`, `calendar`,
`indicators`, `budget`, `dimensions`, `key_figures`), on top of `lines` and `words`; `results`
holds what they give.
"""

from .dimensions import DIMENSIONS
from .document import parse_document
from .results import (
    MAX_DOCUMENT_CHARS,
    Actor,
    FundingAmount,
    KeyFigure,
    Milestone,
    ParsedBudgetLine,
    ParsedIndicator,
    ParsedMeasurement,
    ParsedSheet,
    ParsedTarget,
    Period,
    RecurringMeeting,
    SheetDocumentError,
    SheetIssue,
    format_euros,
    sheets_to_json,
)
from .words import month_number, parse_french_date

__all__ = [
    "DIMENSIONS",
    "MAX_DOCUMENT_CHARS",
    "Actor",
    "FundingAmount",
    "KeyFigure",
    "Milestone",
    "ParsedBudgetLine",
    "ParsedIndicator",
    "ParsedMeasurement",
    "ParsedSheet",
    "ParsedTarget",
    "Period",
    "RecurringMeeting",
    "SheetDocumentError",
    "SheetIssue",
    "format_euros",
    "month_number",
    "parse_document",
    "parse_french_date",
    "sheets_to_json",
]
