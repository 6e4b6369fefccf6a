"""Import and export of places in the national standard (CSV, JSON), GeoJSON and data·inclusion.

`import_places(data, fmt, dry_run=False)` is the one import service (used by the
`import_places` command, and by the admin and API when they get an upload): it validates the
whole file first (`validation.py`), then writes every place in one transaction, or nothing.
A place is recognised by its standard `id`: importing the same file twice changes nothing.
The exports write the standard's fields only; `export_rows` is validated by the same
validator before any file leaves (`export_places`): a place that would make the file invalid
is left out and reported to staff (log, places' management page), the file still served.
"""

import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from maillage.import_errors import RowError
from maillage.spreadsheets import csv_bytes
from maillage.territory.models import Commune
from maillage.territory.names import normalise

from . import labels, standard, validation
from .labels import PlaceKind
from .models import Place

# Standard field → (model attribute, kind of value).
STANDARD_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("standard_id", "text"),
    "pivot": ("pivot", "text"),
    "nom": ("name", "text"),
    "commune": ("commune_name", "text"),
    "code_postal": ("postcode", "text"),
    "code_insee": ("insee_code", "text"),
    "adresse": ("address", "text"),
    "complement_adresse": ("address_complement", "text"),
    "latitude": ("latitude", "number"),
    "longitude": ("longitude", "number"),
    "typologie": ("typologies", "list"),
    "telephone": ("phone", "text"),
    "courriels": ("emails", "list"),
    "site_web": ("websites", "list"),
    "horaires": ("opening_hours", "text"),
    "presentation_resume": ("summary", "text"),
    "presentation_detail": ("description", "text"),
    "source": ("source", "text"),
    "itinerance": ("mobility", "list"),
    "structure_parente": ("parent_structure", "text"),
    "date_maj": ("updated_on", "date"),
    "services": ("services", "list"),
    "publics_specifiquement_adresses": ("publics", "list"),
    "prise_en_charge_specifique": ("specific_support", "list"),
    "frais_a_charge": ("fees", "list"),
    "dispositif_programmes_nationaux": ("national_programmes", "list"),
    "formations_labels": ("training_labels", "list"),
    "autres_formations_labels": ("other_labels", "text"),
    "modalites_acces": ("access_modes", "list"),
    "modalites_accompagnement": ("support_modes", "list"),
    "fiche_acces_libre": ("acceslibre_url", "text"),
    "prise_rdv": ("booking_url", "text"),
}
MODEL_TO_STANDARD = {attribute: name for name, (attribute, _kind) in STANDARD_FIELDS.items()}
EXPORT_FORMATS = ("csv", "json", "geojson", "data-inclusion")


# --- Place ↔ row ---------------------------------------------------------------------------


def _number_text(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def place_to_row(place: Place) -> dict[str, str]:
    """The place as one row of the standard: every value a string, lists joined with "|"."""
    row = {}
    for name, (attribute, kind) in STANDARD_FIELDS.items():
        value = getattr(place, attribute)
        if kind == "list":
            row[name] = standard.join(value)
        elif kind == "number":
            row[name] = _number_text(value)
        elif kind == "date":
            row[name] = value.isoformat() if value else ""
        else:
            row[name] = value or ""
    return row


def row_to_values(row: dict[str, str]) -> dict:
    """Model values from a validated row (missing optional columns are empty)."""
    values = {}
    for name, (attribute, kind) in STANDARD_FIELDS.items():
        cell = (row.get(name) or "").strip()
        if kind == "list":
            values[attribute] = standard.split(cell)
        elif kind == "number":
            values[attribute] = float(cell) if cell else None
        elif kind == "date":
            values[attribute] = dt.date.fromisoformat(cell)
        else:
            values[attribute] = cell
    return values


def infer_kind(values: dict) -> str:
    """The plan's kind of a newly imported place, from its typology and programmes."""
    typologies = set(values.get("typologies") or [])
    programmes = set(values.get("national_programmes") or [])
    if "France Services" in programmes or typologies & {"RFS", "MSAP"}:
        return PlaceKind.FRANCE_SERVICES
    if typologies & {"BIB", "RELAIS_LECTURE"}:
        return PlaceKind.LIBRARY
    if typologies & {"EPN", "EPI", "ENM"}:
        return PlaceKind.EPN
    if typologies & {"CAF", "CPAM", "MSA", "FT", "CFP", "LA_POSTE"}:
        return PlaceKind.OPERATOR_OFFICE
    if "MUNI" in typologies:
        return PlaceKind.TOWN_HALL
    return PlaceKind.OTHER


def match_commune(values: dict) -> Commune | None:
    """The referential's commune: by INSEE code, else by postcode and name."""
    if values.get("insee_code"):
        commune = Commune.objects.defer("contour").filter(pk=values["insee_code"]).first()
        if commune:
            return commune
    key = normalise(values.get("commune_name", ""))
    postcode = values.get("postcode", "")
    if not key:
        return None
    for commune in Commune.objects.defer("contour").filter(search_key=key):
        if not postcode or postcode in commune.postcode_list:
            return commune
    return None


# --- Import --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.errors:
            return [
                f"{len(self.errors)} erreur(s) : rien n'a été enregistré.",
                *(f"  {error}" for error in self.errors),
            ]
        prefix = "Simulation (rien n'est enregistré) : " if self.dry_run else ""
        return [
            f"{prefix}{len(self.created)} lieu(x) créé(s), {len(self.updated)} mis à jour, "
            f"{len(self.unchanged)} inchangé(s)."
        ]


def _model_errors(line: int, place: Place) -> list[RowError]:
    """What the model adds to the schema (lengths, URLs), as row errors."""
    try:
        place.full_clean(exclude=["standard_id", "organisation", "commune"], validate_unique=False)
    except ValidationError as error:
        return [
            RowError(line, MODEL_TO_STANDARD.get(attribute, attribute), " ".join(messages))
            for attribute, messages in error.message_dict.items()
        ]
    return []


def import_places(data: bytes, fmt: str, *, dry_run: bool = False) -> ImportReport:
    """Import a file in the national standard: all or nothing, idempotent by `id`."""
    report = ImportReport(dry_run=dry_run)
    result = validation.validate_file(data, fmt)
    if result.errors:
        report.errors = result.errors
        return report
    existing = {
        place.standard_id: place
        for place in Place.objects.filter(standard_id__in=[row["id"] for row in result.rows])
    }
    to_save: list[Place] = []
    for line, row in enumerate(result.rows, start=2):
        values = row_to_values(row)
        place = existing.get(values["standard_id"])
        if place is None:
            place = Place(**values, kind=infer_kind(values))
            report.created.append(values["standard_id"])
        elif all(getattr(place, key) == value for key, value in values.items()):
            report.unchanged.append(values["standard_id"])
            continue
        else:
            for key, value in values.items():
                setattr(place, key, value)
            report.updated.append(values["standard_id"])
        report.errors += _model_errors(line, place)
        to_save.append(place)
    if report.errors:
        report.created, report.updated, report.unchanged = [], [], []
        return report
    if not dry_run:
        with transaction.atomic():
            for place in to_save:
                place.commune = match_commune(row_to_values(place_to_row(place)))
                place.save()
    return report


# --- Export --------------------------------------------------------------------------------


def export_rows(places) -> list[dict[str, str]]:
    return [place_to_row(place) for place in places]


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """The national standard's CSV: commas, no byte order mark, formulas made inert (which
    keeps it valid against the schema: see `maillage.spreadsheets`)."""
    names = standard.field_names()
    return csv_bytes(
        names, ([row.get(name, "") for name in names] for row in rows), delimiter=",", bom=False
    )


def to_json(rows: list[dict[str, str]]) -> bytes:
    """The standard as JSON: one object per place, same names and values as the CSV."""
    items = []
    for row in rows:
        item: dict = {}
        for name in standard.field_names():
            value = row.get(name, "")
            if value == "":
                continue
            if STANDARD_FIELDS[name][1] == "number":
                item[name] = float(value)
            else:
                item[name] = value
        items.append(item)
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_geojson(places) -> bytes:
    features = []
    for place in places:
        position = place.position
        if position is None:
            continue
        properties = {
            key: value
            for key, value in place_to_row(place).items()
            if key not in {"latitude", "longitude"}
        }
        properties["type_de_lieu"] = place.get_kind_display()
        features.append(
            {
                "type": "Feature",
                "id": place.standard_id,
                "geometry": {"type": "Point", "coordinates": [position[1], position[0]]},
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


SKIPPED_CACHE_KEY = "places:open-data-skipped"
SKIPPED_KEPT_FOR = 30 * 24 * 3600  # seconds: until staff fix the places, or the next export

logger = logging.getLogger(__name__)


def _described(place: Place, error: RowError) -> str:
    message = error.message if error.field is None else f"{error.field} : {error.message}"
    return f"« {place.name or place.pk} » (id « {place.standard_id} ») : {message}"


def without_invalid_places(places: list[Place]) -> tuple[list[Place], list[str]]:
    """The places whose row passes the standard's validator, and why the others do not.

    One bad row (an empty id written around the model's rules) must not take the open data
    down for everyone: it is left out and reported to staff (`report_skipped`)."""
    rows = export_rows(places)
    errors = validation.validate_rows(rows) if rows else []
    bad = {}
    for error in errors:
        index = (error.row or 0) - 2  # spreadsheet lines: the header is line 1
        if 0 <= index < len(places):
            bad.setdefault(index, []).append(_described(places[index], error))
    kept = [place for index, place in enumerate(places) if index not in bad]
    return kept, [line for index in sorted(bad) for line in bad[index]]


def report_skipped(fmt: str, lines: list[str]) -> None:
    """Tell staff which places the last export left out: the log (production mails errors
    to the administrators) and the places' management page of platform administrators."""
    if lines:
        logger.error("Open data (%s): %d place(s) left out: %s", fmt, len(lines), lines)
    cache.set(SKIPPED_CACHE_KEY, {"format": fmt, "lines": lines}, SKIPPED_KEPT_FOR)


def last_skipped() -> dict | None:
    """What the last open-data export left out (`{"format", "lines"}`), if it left anything."""
    report = cache.get(SKIPPED_CACHE_KEY)
    return report if report and report["lines"] else None


def exportable_places():
    return (
        Place.objects.select_related("commune", "organisation")
        .prefetch_related("visio_operators")
        .order_by("standard_id")
    )


def export_places(fmt: str, places=None) -> bytes:
    """The places (all by default) in `fmt`, validated before they leave: a place that would
    make the file invalid is left out and reported to staff, never the whole file refused."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(labels.ERR_FORMAT.format(value=fmt))
    places, skipped = without_invalid_places(
        list(exportable_places() if places is None else places)
    )
    if fmt == "geojson":
        data = to_geojson(places)
    elif fmt == "data-inclusion":
        from .data_inclusion import export_data_inclusion

        data = export_data_inclusion(places, skipped)
    elif fmt == "csv":
        data = to_csv(export_rows(places))
    else:
        data = to_json(export_rows(places))
    report_skipped(fmt, skipped)
    return data
