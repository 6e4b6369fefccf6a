"""The organisations the plan names as pilots, partners and funders of its action sheets.

The data lives in `data/organisations.csv`, one organisation a line, with the sheets
(Num01…Num11) naming it. Loading is idempotent and keyed on the slug:

* referential fields (name, short name, kind, parent, commune) follow the file;
* aliases are merged (names added in the admin are kept);
* contact and description fields are only filled when empty, so what an organisation's
  administrator wrote is never overwritten.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .labels import OrganisationKind
from .models import Organisation

DATA_FILE = Path(__file__).parent / "data" / "organisations.csv"
COLUMNS = (
    "slug",
    "name",
    "short_name",
    "kind",
    "parent",
    "commune_insee",
    "pilot_of",
    "partner_of",
    "funder_of",
    "mentioned_in",
    "aliases",
    "description",
)
SHEET_COLUMNS = ("pilot_of", "partner_of", "funder_of", "mentioned_in")
ALIAS_SEPARATOR = "|"
_SHEET_REF = re.compile(r"^Num\d{2}$")


@dataclass(frozen=True)
class ReferentialOrganisation:
    """One line of the data file."""

    slug: str
    name: str
    short_name: str
    kind: str
    parent: str
    commune_insee: str
    aliases: tuple[str, ...]
    description: str
    pilot_of: tuple[str, ...]
    partner_of: tuple[str, ...]
    funder_of: tuple[str, ...]
    mentioned_in: tuple[str, ...]

    @property
    def sheets(self) -> tuple[str, ...]:
        """Every sheet naming the organisation, in order."""
        refs = {*self.pilot_of, *self.partner_of, *self.funder_of, *self.mentioned_in}
        return tuple(sorted(refs))


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            *(f"créée : {slug}" for slug in self.created),
            *(f"mise à jour : {slug}" for slug in self.updated),
            f"Organisations du schéma : {len(self.created)} créée(s), "
            f"{len(self.updated)} mise(s) à jour, {len(self.unchanged)} inchangée(s).",
        ]


class ReferentialError(ValueError):
    """The data file is invalid; `errors` lists every problem, one per line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _split(value: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(separator) if part.strip())


def read_referential(path: Path = DATA_FILE) -> list[ReferentialOrganisation]:
    """Read and validate the whole file; raise ReferentialError listing every problem."""
    errors: list[str] = []
    items: list[ReferentialOrganisation] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ReferentialError([f"colonnes attendues : {', '.join(COLUMNS)}"])
        for line_number, row in enumerate(reader, start=2):
            problems = []
            values = {key: (value or "").strip() for key, value in row.items() if key}
            if not values["slug"] or not re.fullmatch(r"[a-z0-9-]+", values["slug"]):
                problems.append("identifiant (slug) manquant ou invalide")
            if not values["name"]:
                problems.append("nom manquant")
            if values["kind"] not in OrganisationKind.values:
                problems.append(f"type inconnu « {values['kind']} »")
            sheets = {column: _split(values[column]) for column in SHEET_COLUMNS}
            for refs in sheets.values():
                problems += [
                    f"fiche inconnue « {ref} »" for ref in refs if not _SHEET_REF.match(ref)
                ]
            errors += [f"ligne {line_number} : {problem}" for problem in problems]
            items.append(
                ReferentialOrganisation(
                    slug=values["slug"],
                    name=values["name"],
                    short_name=values["short_name"],
                    kind=values["kind"],
                    parent=values["parent"],
                    commune_insee=values["commune_insee"],
                    aliases=_split(values["aliases"], ALIAS_SEPARATOR),
                    description=values["description"],
                    **sheets,
                )
            )
    slugs = [item.slug for item in items]
    errors += [
        f"identifiant en double : {slug}"
        for slug in sorted({s for s in slugs if slugs.count(s) > 1})
    ]
    errors += [
        f"{item.slug} : organisation parente inconnue « {item.parent} »"
        for item in items
        if item.parent and item.parent not in slugs
    ]
    if errors:
        raise ReferentialError(errors)
    return items


def load_referential_organisations(path: Path = DATA_FILE) -> LoadReport:
    """Create or update the plan's organisations from the data file, in one transaction."""
    items = read_referential(path)
    report = LoadReport()
    with transaction.atomic():
        existing = {
            o.slug: o for o in Organisation.objects.filter(slug__in=[i.slug for i in items])
        }
        for item in items:
            organisation = existing.get(item.slug)
            if organisation is None:
                organisation = Organisation(slug=item.slug)
                existing[item.slug] = organisation
                created = True
            else:
                created = False
            changed = _apply(organisation, item)
            if created:
                organisation.save()
                report.created.append(item.slug)
            elif changed:
                organisation.save()
                report.updated.append(item.slug)
            else:
                report.unchanged.append(item.slug)
        for item in items:  # parents, once every organisation exists
            organisation = existing[item.slug]
            parent = existing[item.parent] if item.parent else None
            if organisation.parent_id != (parent.pk if parent else None):
                organisation.parent = parent
                organisation.save(update_fields=["parent", "updated_at"])
                if item.slug in report.unchanged:
                    report.unchanged.remove(item.slug)
                    report.updated.append(item.slug)
    return report


def _apply(organisation: Organisation, item: ReferentialOrganisation) -> bool:
    """Copy the file's values onto `organisation`; return whether anything changed."""
    wanted = {
        "name": item.name,
        "short_name": item.short_name,
        "kind": item.kind,
        "commune_insee": item.commune_insee,
    }
    if not organisation.description:
        wanted["description"] = item.description
    aliases = list(organisation.alias_list)
    aliases += [alias for alias in item.aliases if alias not in aliases]
    wanted["aliases"] = "\n".join(aliases)
    changed = False
    for name, value in wanted.items():
        if getattr(organisation, name) != value:
            setattr(organisation, name, value)
            changed = True
    return changed


def referential_sheets() -> dict[str, ReferentialOrganisation]:
    """The data file by slug, for linking organisations to action sheets."""
    return {item.slug: item for item in read_referential()}
