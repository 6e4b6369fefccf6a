"""Candidate sites for new points of help: commune centres (town halls), the libraries of the
reading network, the existing places, or a list uploaded as CSV.

The CSV (UTF-8, `;` or `,`) has a header with `nom` and either `code_insee` or both
`latitude` and `longitude` (a row with a code and no position stands at its commune's
centroid); `identifiant` is optional (shown in exports, else the INSEE code). The file is
read whole: one bad line and nothing is kept, every line's error is reported in French.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from django.db.models import Q

from .labels import CandidateSource

TEMPLATE = "identifiant;nom;code_insee;latitude;longitude\n"
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Candidate:
    key: str  # INSEE code (commune centre), place id, or the file's identifier
    name: str
    insee: str
    latitude: float
    longitude: float
    place_id: int | None = None

    @property
    def position(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    def as_json(self) -> dict:
        return asdict(self)


class CandidateFileError(ValueError):
    """The uploaded list has errors; `errors` holds one French message per faulty line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def commune_candidates(communes=None) -> list[Candidate]:
    """Every commune centre (its town hall, at the commune's centroid)."""
    from maillage.territory.models import Commune

    communes = communes if communes is not None else Commune.objects.all()
    rows = communes.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "insee_code", "name", "latitude", "longitude"
    )
    return [Candidate(code, name, code, lat, lon) for code, name, lat, lon in rows.order_by("pk")]


def place_candidates(*, libraries_only: bool, exclude_ids=()) -> list[Candidate]:
    """Places of the registry that receive the public (libraries of the reading network only,
    when asked), whatever their dates: a closed library may reopen as a mediation point."""
    from maillage.places.labels import PlaceKind
    from maillage.places.models import Place

    places = Place.objects.select_related("commune").defer("commune__contour").order_by("pk")
    if libraries_only:
        places = places.filter(kind=PlaceKind.LIBRARY)
    places = places.exclude(Q(pk__in=list(exclude_ids)))
    chosen = []
    for place in places:
        if not place.receives_public or place.position is None:
            continue
        latitude, longitude = place.position
        chosen.append(
            Candidate(str(place.pk), place.name, place.insee_code, latitude, longitude, place.pk)
        )
    return chosen


def candidates_for(
    source: str, *, existing_ids=(), rows: list[dict] | None = None
) -> list[Candidate]:
    """The candidates of a scenario. Existing places of the kind are not candidates (they are
    already open) unless the scenario starts from scratch (`existing_ids` empty)."""
    if source == CandidateSource.COMMUNES:
        return commune_candidates()
    if source == CandidateSource.LIBRARIES:
        return place_candidates(libraries_only=True, exclude_ids=existing_ids)
    if source == CandidateSource.PLACES:
        return place_candidates(libraries_only=False, exclude_ids=existing_ids)
    if source == CandidateSource.FILE:
        return [Candidate(**row) for row in rows or []]
    raise ValueError(f"Unknown candidate source: {source!r}")


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text.replace(",", ".").strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def parse_candidates_csv(content: bytes) -> list[Candidate]:
    """Read an uploaded list of candidates; `CandidateFileError` lists every faulty line."""
    from maillage.territory.models import Commune

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CandidateFileError(["Le fichier doit être encodé en UTF-8."]) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    if "nom" not in header or not (
        "code_insee" in header or {"latitude", "longitude"} <= set(header)
    ):
        raise CandidateFileError(
            [
                "L'en-tête doit contenir « nom » et « code_insee », ou « nom », « latitude » "
                "et « longitude » (séparateur « ; » ou « , »)."
            ]
        )
    rows = list(reader)
    if not rows:
        raise CandidateFileError(["Le fichier ne contient aucun lieu candidat."])
    if len(rows) > MAX_ROWS:
        raise CandidateFileError([f"Le fichier dépasse {MAX_ROWS} lignes."])
    codes = {(row.get("code_insee") or "").strip() for row in rows} - {""}
    communes = {
        code: (name, lat, lon)
        for code, name, lat, lon in Commune.objects.filter(pk__in=codes).values_list(
            "insee_code", "name", "latitude", "longitude"
        )
    }
    errors: list[str] = []
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        problems = []
        name = (row.get("nom") or "").strip()
        code = (row.get("code_insee") or "").strip()
        identifier = (row.get("identifiant") or "").strip()
        latitude_text = (row.get("latitude") or "").strip()
        longitude_text = (row.get("longitude") or "").strip()
        if not name:
            problems.append("le nom est vide")
        if code and code not in communes:
            problems.append(f"code INSEE inconnu « {code} »")
        latitude = longitude = None
        if latitude_text or longitude_text:
            latitude = _number(latitude_text, -90, 90)
            longitude = _number(longitude_text, -180, 180)
            if latitude is None or longitude is None:
                problems.append("latitude et longitude doivent être des nombres en degrés (WGS84)")
        elif not code:
            problems.append("ni code INSEE ni coordonnées")
        elif code in communes and communes[code][1] is None:
            problems.append(f"la commune {code} n'a pas de position : indiquez les coordonnées")
        key = identifier or code or name
        if key and key in seen:
            problems.append(f"identifiant en double « {key} »")
        seen.add(key)
        if problems:
            errors.append(f"Ligne {number} : " + " ; ".join(problems) + ".")
            continue
        if latitude is None:
            latitude, longitude = communes[code][1], communes[code][2]
        candidates.append(Candidate(key, name, code, latitude, longitude))
    if errors:
        raise CandidateFileError(errors)
    return candidates
