"""The national data standard of places of digital mediation (schema v1.0.2), read from its files.

`schemas/lieux-mediation-numerique/schema.json` is a Frictionless Table Schema: it is the one
source of truth for the field names, their order, the required ones and the allowed values of
the multi-valued fields (their `pattern` constraints list the values). The enumerations are
read from those patterns here, so the model's choices, the forms and the validator cannot
drift apart. `typologie` is the exception: the schema leaves it free, the list comes from the
ANCT's npm package (`enumerations-npm-2.3.0.json`).
"""

import json
import re
from functools import cache
from pathlib import Path

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_PATH = SCHEMAS_DIR / "lieux-mediation-numerique" / "schema.json"
ENUMERATIONS_PATH = SCHEMAS_DIR / "lieux-mediation-numerique" / "enumerations-npm-2.3.0.json"
EXAMPLE_PATH = SCHEMAS_DIR / "lieux-mediation-numerique" / "exemple-valide.csv"
DATA_INCLUSION_DIR = SCHEMAS_DIR / "data-inclusion-v1"

SEPARATOR = "|"

# Multi-valued fields of the standard whose values are listed in the schema's patterns.
ENUMERATED_FIELDS = (
    "itinerance",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
)
# Multi-valued fields with free values (still separated by "|").
FREE_LIST_FIELDS = ("typologie", "courriels", "site_web")

_ALTERNATION = re.compile(r"\(\?:\(\?:\^\|\\\|\)\((?P<values>.*)\)\)\+\$$")
_ESCAPE = re.compile(r"\\(.)")


@cache
def schema_descriptor() -> dict:
    """The national schema as a dict (a fresh parse is cached; never mutate it)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def field_names() -> list[str]:
    """The standard's columns, in the schema's order."""
    return [field["name"] for field in schema_descriptor()["fields"]]


def field_titles() -> dict[str, str]:
    return {field["name"]: field["title"] for field in schema_descriptor()["fields"]}


def required_fields() -> list[str]:
    return [
        field["name"]
        for field in schema_descriptor()["fields"]
        if field.get("constraints", {}).get("required")
    ]


def schema_version() -> str:
    return schema_descriptor()["version"]


def _values_of_pattern(pattern: str) -> list[str]:
    match = _ALTERNATION.match(pattern)
    if not match:
        raise ValueError(f"Unexpected pattern in the national schema: {pattern!r}")
    return [_ESCAPE.sub(r"\1", value) for value in match["values"].split("|")]


@cache
def enumerations() -> dict[str, tuple[str, ...]]:
    """Allowed values of each enumerated field, in the schema's order."""
    fields = {field["name"]: field for field in schema_descriptor()["fields"]}
    values = {
        name: tuple(_values_of_pattern(fields[name]["constraints"]["pattern"]))
        for name in ENUMERATED_FIELDS
    }
    npm = json.loads(ENUMERATIONS_PATH.read_text(encoding="utf-8"))["enumerations"]
    values["typologie"] = tuple(
        item["value"] if isinstance(item, dict) else item for item in npm["typologie"]
    )
    return values


@cache
def typology_labels() -> dict[str, str]:
    npm = json.loads(ENUMERATIONS_PATH.read_text(encoding="utf-8"))["enumerations"]
    return {
        (item["value"] if isinstance(item, dict) else item): (
            item["label"].lstrip("- ").strip() if isinstance(item, dict) else item
        )
        for item in npm["typologie"]
    }


def choices(field: str) -> list[tuple[str, str]]:
    """Django choices for an enumerated field: the standard's value is also its label."""
    if field == "typologie":
        labels = typology_labels()
        return [(value, f"{labels[value]} ({value})") for value in enumerations()[field]]
    return [(value, value) for value in enumerations()[field]]


def split(cell: str | None) -> list[str]:
    """A multi-valued cell ("A|B") as a list, blanks dropped."""
    if not cell:
        return []
    return [part.strip() for part in str(cell).split(SEPARATOR) if part.strip()]


def join(values) -> str:
    return SEPARATOR.join(values or [])
