"""Import text exports of action sheets ("fiches action") into a plan.

`import_sheets(text=…)` reads the document with `sheet_parser.parse_document`, checks that
everything read can be stored (lengths, number sizes, one value per target kind…), and only
then writes, in one transaction: the plan (created if needed), each sheet keyed by (plan,
"Réf"), its pilots and partners (linked to the organisations the referential knows), its
milestones, budget lines, fundings, key figures, indicators with their targets and the
measurements the document states, and the meetings of a stated governance rhythm. A refused
document raises `SheetDocumentError` listing every problem (sheet, line, reason) and writes
nothing.

Re-importing is safe and idempotent. Each sheet keeps what the importer wrote the last time
(`ActionSheet.import_snapshot`), so a new import applies what the *document* changed since:

* an identical document changes nothing: no save, no history record, no `updated` date;
* a value people changed in Maillage (a corrected description, a target a pilot set, an
  organisation linked by hand) is kept unless the document changed that same value;
  `force=True` writes every value of the document instead;
* rows the importer created and the document no longer has are deleted; rows people added
  are never deleted, in particular measurements entered by hand (only measurements with
  source "import" belong to the importer) and the indicators that carry them.

`dry_run=True` runs the same import in a transaction that is rolled back, so the report says
what would change and the database is left as it was.

The package: `entry_points` (read, check, write in one transaction), `validation` (what could
not be stored, found first), `desired` (what the document says in the models' terms), `rows`
(the table of a sheet's row lists kept in step), `writer` (one sheet written against its last
import), `comparison` (canonical values and how reports show them), `report` (what an import
did). Which territory a sheet's scope designates is read by `maillage.territory.scope`.
"""

from ..sheet_parser import SheetDocumentError
from .entry_points import (
    DEFAULT_PLAN_NAME,
    DEFAULT_PLAN_PERIOD,
    DEFAULT_PLAN_SLUG,
    SEED_DOCUMENT,
    import_sheets,
    import_sheets_file,
    read_document,
)
from .report import Change, ImportReport, SheetReport, format_issue
from .validation import validate_sheets

__all__ = [
    "DEFAULT_PLAN_NAME",
    "DEFAULT_PLAN_PERIOD",
    "DEFAULT_PLAN_SLUG",
    "SEED_DOCUMENT",
    "Change",
    "ImportReport",
    "SheetDocumentError",
    "SheetReport",
    "format_issue",
    "import_sheets",
    "import_sheets_file",
    "read_document",
    "validate_sheets",
]
