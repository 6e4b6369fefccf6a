"""Import a département's communes and EPCIs from a CSV file and GeoJSON contours.

The import is all-or-nothing: every line of every file is validated first and all problems are
reported together, naming the line, the column and what was expected; only a clean input is
written, in one transaction. It is idempotent: communes are keyed by INSEE code, EPCIs by SIREN,
and a row identical to what is stored is left untouched, so running it again changes nothing.

The expected files are those shipped in `maillage/territory/data/` (see SOURCE.txt there).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from maillage import uploads

from . import labels
from .models import Commune, Departement, Epci
from .names import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
CHARENTE_CSV = DATA_DIR / "communes-16.csv"
CHARENTE_CONTOURS = DATA_DIR / "communes-16-contours.geojson"
CHARENTE_DEPARTEMENT_CONTOUR = DATA_DIR / "departement-16.geojson"

REQUIRED_COLUMNS = (
    "code",
    "nom",
    "lon",
    "lat",
    "population",
    "epci_siren",
    "epci_nom",
    "codes_postaux",
)
# Optional: lon_pos/lat_pos default to the centroid, area and former codes to empty.
OPTIONAL_COLUMNS = ("lon_pos", "lat_pos", "area_km2_approx", "codes_2018", "centroid_inside")

_INSEE_CODE = re.compile(r"\d[\dAB]\d{3}")
_DEPARTEMENT_CODE = re.compile(r"\d{2}|2[AB]|9[78]\d")
_SIREN = re.compile(r"\d{9}")
_POSTCODE = re.compile(r"\d{5}")
_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}

# Commune fields the importer owns; `contour` only when a contours file is given.
_COMMUNE_FIELDS = (
    "name",
    "search_key",
    "postcodes",
    "population",
    "departement_id",
    "epci_id",
    "latitude",
    "longitude",
    "interior_latitude",
    "interior_longitude",
    "area_km2",
    "former_codes",
)


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the input: where it is, what was expected and what was received."""

    location: str
    message: str
    received: str | None = None

    def __str__(self) -> str:
        text = f"{self.location} : {self.message}"
        if self.received is not None:
            text += f", reçu {self.received!r}"
        return text


class CommuneImportError(Exception):
    """The input was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[ImportIssue]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportReport:
    departement_code: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    epcis_created: int = 0
    epcis_updated: int = 0
    epcis_unchanged: int = 0
    departement_created: bool = False
    departement_updated: bool = False
    created_codes: list[str] = field(default_factory=list)
    updated_codes: list[str] = field(default_factory=list)
    without_contour: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.epcis_created
            or self.epcis_updated
            or self.departement_created
            or self.departement_updated
        )

    def summary(self) -> str:
        """The report in French, one line per kind of object (then what needs attention)."""
        prefix = "Simulation (rien n'est enregistré) — " if self.dry_run else ""
        lines = [
            f"{prefix}Département {self.departement_code} : {self.total} communes, "
            f"{self.created} créées, {self.updated} mises à jour, {self.unchanged} inchangées.",
            f"EPCI : {self.epcis_created} créés, {self.epcis_updated} mis à jour, "
            f"{self.epcis_unchanged} inchangés.",
        ]
        if self.departement_created or self.departement_updated:
            verb = "créé" if self.departement_created else "mis à jour"
            lines.append(f"Département {self.departement_code} {verb}.")
        if self.without_contour:
            lines.append(
                f"{len(self.without_contour)} commune(s) sans contour : "
                + ", ".join(self.without_contour)
            )
        if self.not_in_file:
            lines.append(
                f"{len(self.not_in_file)} commune(s) enregistrée(s) absente(s) du fichier "
                "(conservées, à vérifier) : " + ", ".join(self.not_in_file)
            )
        return "\n".join(lines)


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    epci_siren: str
    epci_name: str


def import_communes(
    *,
    csv_path: str | Path,
    contours_path: str | Path | None = None,
    departement_code: str,
    departement_name: str,
    departement_contour_path: str | Path | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Validate the files, then create or update the département, its EPCIs and its communes.

    Raises `CommuneImportError` listing every problem if any input is invalid; nothing is
    written then. Without `contours_path` (or `departement_contour_path`), stored contours are
    kept as they are. Communes stored for the département but absent from the file are kept
    (other records may point to them) and listed in the report.
    """
    departement_code = (departement_code or "").strip().upper()
    departement_name = (departement_name or "").strip()
    errors: list[ImportIssue] = []
    if not _DEPARTEMENT_CODE.fullmatch(departement_code):
        errors.append(
            ImportIssue("département", labels.DEPARTEMENT_CODE.format(code=departement_code))
        )
    if not departement_name:
        errors.append(ImportIssue("département", labels.DEPARTEMENT_NAME))
    if errors:
        raise CommuneImportError(errors)

    rows, epci_names, csv_codes = _read_csv(Path(csv_path), departement_code, errors)
    contours: dict[str, dict] | None = None
    if contours_path is not None:
        contours = _read_contours(Path(contours_path), csv_codes, errors)
    departement_contour = None
    if departement_contour_path is not None:
        departement_contour = _read_departement_contour(Path(departement_contour_path), errors)
    if errors:
        raise CommuneImportError(errors)

    report = ImportReport(departement_code=departement_code, dry_run=dry_run)
    with transaction.atomic():
        _write(
            report,
            rows=rows,
            epci_names=epci_names,
            contours=contours,
            departement_code=departement_code,
            departement_name=departement_name,
            departement_contour=departement_contour,
            dry_run=dry_run,
        )
    return report


# --- Reading and validation ------------------------------------------------------------------


def _read_csv(
    path: Path, departement_code: str, errors: list[ImportIssue]
) -> tuple[list[_Row], dict[str, str], set[str]]:
    """The valid rows, the EPCIs' names by SIREN, and every code seen (even on invalid rows)."""
    location = path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = header
            missing = [column for column in REQUIRED_COLUMNS if column not in header]
            if missing:
                errors.append(
                    ImportIssue(
                        "ligne 1 (en-tête)",
                        labels.MISSING_COLUMNS.format(columns=", ".join(missing)),
                    )
                )
                return [], {}, set()
            rows = []
            all_codes: set[str] = set()
            seen_codes: dict[str, int] = {}
            epci_names: dict[str, tuple[str, int]] = {}
            for record in reader:
                all_codes.add((record.get("code") or "").strip())
                row = _parse_row(record, reader.line_num, header, departement_code, errors)
                if row is None:
                    continue
                code = row.values["insee_code"]
                if code in seen_codes:
                    errors.append(
                        ImportIssue(
                            f"ligne {row.line}, colonne code",
                            labels.DUPLICATE_CODE.format(code=code, line=seen_codes[code]),
                        )
                    )
                    continue
                seen_codes[code] = row.line
                if row.epci_siren:
                    other = epci_names.setdefault(row.epci_siren, (row.epci_name, row.line))
                    if other[0] != row.epci_name:
                        errors.append(
                            ImportIssue(
                                f"ligne {row.line}, colonne epci_nom",
                                labels.EPCI_NAME_CONFLICT.format(
                                    siren=row.epci_siren,
                                    other=other[0],
                                    line=other[1],
                                    name=row.epci_name,
                                ),
                            )
                        )
                rows.append(row)
    except FileNotFoundError:
        errors.append(ImportIssue(location, labels.UNREADABLE_FILE.format(reason="introuvable")))
        return [], {}, set()
    except UnicodeDecodeError:
        errors.append(ImportIssue(location, labels.NOT_UTF8))
        return [], {}, set()
    except (OSError, csv.Error) as exc:
        errors.append(ImportIssue(location, labels.UNREADABLE_FILE.format(reason=exc)))
        return [], {}, set()
    if not rows and not errors:
        errors.append(ImportIssue(location, labels.EMPTY_FILE))
    return rows, {siren: name for siren, (name, _line) in epci_names.items()}, all_codes


def _parse_row(
    record: dict, line: int, header: list[str], departement_code: str, errors: list[ImportIssue]
) -> _Row | None:
    """Check one CSV record; append its problems to `errors` and return None if there are any."""
    row_errors: list[ImportIssue] = []

    def cell(column: str) -> str | None:
        if column not in header:
            return None
        return (record.get(column) or "").strip()

    def fail(column: str, message: str, received: str | None) -> None:
        row_errors.append(ImportIssue(f"ligne {line}, colonne {column}", message, received))

    def decimal(column: str, low: float, high: float, expected: str) -> float | None:
        value = cell(column)
        if value is None:
            return None
        if not _DECIMAL.fullmatch(value):
            fail(column, labels.EXPECTED_DECIMAL, value)
            return None
        number = float(value)
        if not low <= number <= high:
            fail(column, expected, value)
            return None
        return number

    if None in record:  # more values than columns
        row_errors.append(
            ImportIssue(
                f"ligne {line}",
                f"{len(header)} valeurs attendues (une par colonne), reçu "
                f"{len(header) + len(record[None])}",
            )
        )

    code = cell("code")
    if not (_INSEE_CODE.fullmatch(code) and code.startswith(departement_code)):
        fail("code", labels.EXPECTED_INSEE_CODE.format(departement=departement_code), code)

    name = cell("nom")
    if not name:
        fail("nom", labels.EXPECTED_NAME, name)

    longitude = decimal("lon", -180, 180, labels.EXPECTED_LONGITUDE)
    latitude = decimal("lat", -90, 90, labels.EXPECTED_LATITUDE)
    interior_longitude = decimal("lon_pos", -180, 180, labels.EXPECTED_LONGITUDE)
    interior_latitude = decimal("lat_pos", -90, 90, labels.EXPECTED_LATITUDE)
    area = cell("area_km2_approx")
    area_km2 = None
    if area:
        area_km2 = decimal("area_km2_approx", 0, 1e6, labels.EXPECTED_DECIMAL)

    population = cell("population")
    if not _INTEGER.fullmatch(population):
        fail("population", labels.EXPECTED_INTEGER, population)
    elif population.startswith("-"):
        fail("population", labels.EXPECTED_POSITIVE_INTEGER, population)

    siren = cell("epci_siren")
    epci_name = cell("epci_nom")
    if siren and not _SIREN.fullmatch(siren):
        fail("epci_siren", labels.EXPECTED_SIREN, siren)
    if siren and not epci_name:
        fail("epci_nom", labels.EXPECTED_EPCI_NAME, epci_name)

    raw_postcodes = cell("codes_postaux")
    postcodes = [code for code in _LIST_SEPARATORS.split(raw_postcodes) if code]
    if not postcodes or not all(_POSTCODE.fullmatch(code) for code in postcodes):
        fail("codes_postaux", labels.EXPECTED_POSTCODES, raw_postcodes)

    raw_former = cell("codes_2018") or ""
    former_codes = [code for code in _LIST_SEPARATORS.split(raw_former) if code]
    if not all(_INSEE_CODE.fullmatch(code) for code in former_codes):
        fail("codes_2018", labels.EXPECTED_FORMER_CODES, raw_former)

    if row_errors:
        errors.extend(row_errors)
        return None
    return _Row(
        line=line,
        values={
            "insee_code": code,
            "name": name,
            "search_key": normalise(name),
            "postcodes": " ".join(dict.fromkeys(postcodes)),
            "population": int(population),
            "departement_id": departement_code,
            "epci_id": siren or None,
            "latitude": latitude,
            "longitude": longitude,
            "interior_latitude": latitude if interior_latitude is None else interior_latitude,
            "interior_longitude": longitude if interior_longitude is None else interior_longitude,
            "area_km2": area_km2,
            "former_codes": " ".join(former_codes),
        },
        epci_siren=siren,
        epci_name=epci_name,
    )


#: The French communes' contours (IGN's Admin Express, simplified) are about 100 MB.
MAX_JSON_BYTES = 400 * 1024 * 1024


def _load_json(path: Path, location: str, errors: list[ImportIssue]) -> Any:
    try:
        uploads.check_size(path.stat().st_size, MAX_JSON_BYTES)
        return uploads.load_json(path.read_text(encoding="utf-8-sig"))
    except uploads.UploadRefused as exc:
        errors.append(ImportIssue(location, labels.UNREADABLE_FILE.format(reason=exc)))
    except FileNotFoundError:
        errors.append(ImportIssue(location, labels.UNREADABLE_FILE.format(reason="introuvable")))
    except UnicodeDecodeError:
        errors.append(ImportIssue(location, labels.NOT_UTF8))
    except json.JSONDecodeError as exc:
        reason = f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})"
        errors.append(ImportIssue(location, labels.GEOJSON_EXPECTED.format(reason=reason)))
    except OSError as exc:
        errors.append(ImportIssue(location, labels.UNREADABLE_FILE.format(reason=exc)))
    return None


def _geometry(value: Any) -> dict | None:
    """The Polygon / MultiPolygon geometry of a GeoJSON value, reduced to type and coordinates."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if (
        isinstance(value, dict)
        and value.get("type") in _GEOMETRY_TYPES
        and isinstance(value.get("coordinates"), list)
        and value["coordinates"]
    ):
        return {"type": value["type"], "coordinates": value["coordinates"]}
    return None


def _geometry_type(value: Any) -> str:
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if isinstance(value, dict):
        return repr(value.get("type"))
    return "rien" if value is None else type(value).__name__


def _read_contours(path: Path, codes: set[str], errors: list[ImportIssue]) -> dict[str, dict]:
    """Map INSEE code → geometry, checking every feature against the communes of the CSV."""
    location = f"contours ({path.name})"
    data = _load_json(path, location, errors)
    contours: dict[str, dict] = {}
    if data is not None:
        is_collection = isinstance(data, dict) and data.get("type") == "FeatureCollection"
        features = data.get("features") if is_collection else None
        if not isinstance(features, list):
            reason = "un objet FeatureCollection avec une liste « features »"
            errors.append(ImportIssue(location, labels.GEOJSON_EXPECTED.format(reason=reason)))
            features = []
        first_index: dict[str, int] = {}
        for index, feature in enumerate(features, start=1):
            where = f"{location}, objet n° {index}"
            properties = feature.get("properties") if isinstance(feature, dict) else None
            code = str((properties or {}).get("code") or "").strip()
            if not code:
                errors.append(ImportIssue(where, labels.CONTOUR_CODE_MISSING))
                continue
            where = f"{where} (commune {code})"
            geometry = _geometry(feature)
            if geometry is None:
                received = _geometry_type(feature)
                errors.append(ImportIssue(where, labels.CONTOUR_GEOMETRY.format(received=received)))
            elif code not in codes:
                errors.append(ImportIssue(where, labels.CONTOUR_UNKNOWN_CODE.format(code=code)))
            elif code in first_index:
                message = labels.CONTOUR_DUPLICATE.format(code=code, index=first_index[code])
                errors.append(ImportIssue(where, message))
            else:
                first_index[code] = index
                contours[code] = geometry
    return contours


def _read_departement_contour(path: Path, errors: list[ImportIssue]) -> dict | None:
    location = f"contour du département ({path.name})"
    data = _load_json(path, location, errors)
    if data is None:
        return None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        geometries = [_geometry(feature) for feature in data.get("features") or []]
        if geometries and all(geometries):
            if len(geometries) == 1:
                return geometries[0]
            polygons = []
            for geometry in geometries:
                if geometry["type"] == "Polygon":
                    polygons.append(geometry["coordinates"])
                else:
                    polygons.extend(geometry["coordinates"])
            return {"type": "MultiPolygon", "coordinates": polygons}
    elif geometry := _geometry(data):
        return geometry
    received = _geometry_type(data)
    errors.append(ImportIssue(location, labels.CONTOUR_GEOMETRY.format(received=received)))
    return None


# --- Writing ---------------------------------------------------------------------------------


def _write(
    report: ImportReport,
    *,
    rows: list[_Row],
    epci_names: dict[str, str],
    contours: dict[str, dict] | None,
    departement_code: str,
    departement_name: str,
    departement_contour: dict | None,
    dry_run: bool,
) -> None:
    departement = Departement.objects.filter(code=departement_code).first()
    if departement is None:
        report.departement_created = True
        departement = Departement(code=departement_code, name=departement_name)
        departement.contour = departement_contour
    elif departement.name != departement_name or (
        departement_contour is not None and departement.contour != departement_contour
    ):
        report.departement_updated = True
        departement.name = departement_name
        if departement_contour is not None:
            departement.contour = departement_contour
    if not dry_run and (report.departement_created or report.departement_updated):
        departement.save()

    existing_epcis = Epci.objects.in_bulk(list(epci_names))
    new_epcis, changed_epcis = [], []
    for siren, name in epci_names.items():
        epci = existing_epcis.get(siren)
        if epci is None:
            new_epcis.append(Epci(siren=siren, name=name, departement_id=departement_code))
        elif epci.name != name:
            epci.name = name
            changed_epcis.append(epci)
    report.epcis_created = len(new_epcis)
    report.epcis_updated = len(changed_epcis)
    report.epcis_unchanged = len(epci_names) - len(new_epcis) - len(changed_epcis)

    fields = list(_COMMUNE_FIELDS)
    if contours is not None:
        fields.append("contour")
    existing = Commune.objects.in_bulk([row.values["insee_code"] for row in rows])
    new_communes, changed_communes = [], []
    for row in rows:
        values = row.values
        code = values["insee_code"]
        if contours is not None:
            values = {**values, "contour": contours.get(code)}
            if code not in contours:
                report.without_contour.append(code)
        commune = existing.get(code)
        if commune is None:
            new_communes.append(Commune(**values))
            report.created_codes.append(code)
        elif any(getattr(commune, name) != values[name] for name in fields):
            for name in fields:
                setattr(commune, name, values[name])
            changed_communes.append(commune)
            report.updated_codes.append(code)
    report.created = len(new_communes)
    report.updated = len(changed_communes)
    report.unchanged = len(rows) - report.created - report.updated
    in_file = {row.values["insee_code"] for row in rows}
    report.not_in_file = sorted(
        set(Commune.objects.filter(departement_id=departement_code).values_list("pk", flat=True))
        - in_file
    )

    if dry_run:
        return
    Epci.objects.bulk_create(new_epcis)
    Epci.objects.bulk_update(changed_epcis, ["name"])
    Commune.objects.bulk_create(new_communes, batch_size=200)
    Commune.objects.bulk_update(changed_communes, fields, batch_size=100)
