"""The one error of Maillage's file importers: which line, which field or column, what is wrong.

Lines are numbered as a spreadsheet shows them (the header is line 1); an error about the
whole file has no line. `str(error)` is the French sentence people read: by default the house's
wording, « ligne 3, champ itinerance : attendu … » (places in the national standard, network
returns); an importer whose files people know by their column headers gives its own `Wording`,
kept in its labels (broadband: « Ligne 3, colonne « Code INSEE » : … »).
"""

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """How an error's place is said (`str.format` templates)."""

    file: str  # {message}
    row: str  # {row}, {message}
    row_field: str  # {row}, {field}, {message}


FIELDS = Wording(
    file="fichier : {message}",
    row="ligne {row} : {message}",
    row_field="ligne {row}, champ {field} : {message}",
)


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet line (header = 1); None for the whole file
    field: str | None  # the field or column as the file names it; None for the whole line
    message: str
    wording: Wording = dataclasses.field(default=FIELDS, repr=False, compare=False)

    def __str__(self) -> str:
        if self.row is None:
            return self.wording.file.format(message=self.message)
        if self.field is None:
            return self.wording.row.format(row=self.row, message=self.message)
        return self.wording.row_field.format(row=self.row, field=self.field, message=self.message)
