"""Export to data·inclusion v1: one structure per place and one service per standard service.

The mapping follows the national standard's own correspondence with data·inclusion: a place
is a `structure`; each value of its `services` field becomes a `service` with its
thematiques, type, fees, publics, reception and mobilisation modes. Both lists are validated
against the v1 JSON Schemas shipped in `schemas/data-inclusion-v1/` before leaving.
"""

import json
from functools import cache

import jsonschema
from django.conf import settings

from maillage.import_errors import RowError

from . import standard

SOURCE_PREFIX = "maillage"

THEMATIQUES = {
    "Aide aux démarches administratives": [
        "numerique--acceder-a-des-services-en-ligne",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ],
    "Maîtrise des outils numériques du quotidien": [
        "numerique--maitriser-les-fondamentaux-du-numerique"
    ],
    "Insertion professionnelle via le numérique": [
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    ],
    "Utilisation sécurisée du numérique": ["numerique--maitriser-les-fondamentaux-du-numerique"],
    "Parentalité et éducation avec le numérique": [
        "famille--soutien-a-la-parentalite-et-a-leducation"
    ],
    "Loisirs et créations numériques": ["remobilisation--activites-sportives-et-culturelles"],
    "Compréhension du monde numérique": ["numerique--maitriser-les-fondamentaux-du-numerique"],
    "Accès internet et matériel informatique": [
        "numerique--acceder-a-une-connexion-internet",
        "numerique--acceder-a-des-services-en-ligne",
    ],
    "Acquisition de matériel informatique à prix solidaire": ["numerique--acquerir-un-equipement"],
}
SERVICE_TYPES = {
    "Aide aux démarches administratives": "accompagnement",
    "Accès internet et matériel informatique": "aide-materielle",
    "Acquisition de matériel informatique à prix solidaire": "aide-materielle",
}
PUBLICS = {
    "Jeunes": "jeunes",
    "Étudiants": "etudiants",
    "Familles et/ou enfants": "familles",
    "Seniors": "seniors",
    "Femmes": "femmes",
}
MOBILISATION = {
    "Se présenter": "se-presenter",
    "Téléphoner": "telephoner",
    "Contacter par mail": "envoyer-un-courriel",
    "Envoyer un mail avec une fiche de prescription": "envoyer-un-courriel",
    "Prendre un RDV en ligne": "utiliser-lien-mobilisation",
}
RESEAUX = {
    "Aidants Connect": "aidants-connect",
    "Conseillers numériques": "conseillers-numeriques",
    "Emmaüs Connect": "emmaus",
    "Relais numérique (Emmaüs Connect)": "emmaus",
    "France Services": "france-service",
    "Grande école du numérique": "grandes-ecoles-du-numerique",
    "La Croix Rouge": "croix-rouge",
    "Point d'accès numérique CAF": "caf",
}
TYPOLOGY_RESEAUX = {
    "EPN": "espaces-publics-numeriques",
    "MUNI": "communes",
    "CCAS": "ccas-cias",
    "CIAS": "ccas-cias",
    "ML": "mission-locale",
    "MJC": "mjc",
    "LA_POSTE": "la-poste",
    "MSA": "mutualite-sociale-agricole",
    "CAF": "caf",
    "CPAM": "cpam",
}


def source_name() -> str:
    return f"{SOURCE_PREFIX}-{settings.MAILLAGE_DEPARTEMENT_CODE}"


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((standard.DATA_INCLUSION_DIR / f"{name}.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _name(text: str) -> str:
    text = text.strip()[:150].rstrip(".").strip()
    return text if len(text) >= 3 else f"{text} (lieu)"


def _structure(place) -> dict:
    reseaux = {RESEAUX[p] for p in place.national_programmes if p in RESEAUX}
    reseaux |= {TYPOLOGY_RESEAUX[t] for t in place.typologies if t in TYPOLOGY_RESEAUX}
    description = place.description or place.summary
    position = place.position
    return {
        "source": source_name(),
        "id": f"{source_name()}--{place.standard_id}",
        "nom": _name(place.name),
        "date_maj": place.updated_on.isoformat(),
        "siret": place.pivot if place.pivot.isdigit() and len(place.pivot) == 14 else None,
        "commune": place.commune_name or None,
        "code_postal": place.postcode or None,
        "code_insee": place.insee_code or None,
        "adresse": place.address or None,
        "complement_adresse": place.address_complement or None,
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
        "telephone": place.phone or None,
        "courriel": place.emails[0] if place.emails else None,
        "site_web": place.websites[0] if place.websites else None,
        "description": description if len(description) >= 5 else None,
        "horaires_accueil": place.opening_hours or None,
        "accessibilite_lieu": place.acceslibre_url or None,
        "reseaux_porteurs": sorted(reseaux) or None,
    }


def _services(place, structure: dict) -> list[dict]:
    fees = set(place.fees)
    if fees == {"Payant"}:
        frais = "payant"
    elif fees & {"Gratuit", "Gratuit sous condition"}:
        frais = "gratuit"
    else:
        frais = None
    publics = sorted({PUBLICS[p] for p in place.publics if p in PUBLICS}) or ["tous-publics"]
    modes_accueil = ["en-presentiel"] if place.receives_public else []
    if "À distance" in place.support_modes:
        modes_accueil.append("a-distance")
    mobilisation = sorted({MOBILISATION[m] for m in place.access_modes if m in MOBILISATION})
    if "utiliser-lien-mobilisation" in mobilisation and not place.booking_url:
        mobilisation.remove("utiliser-lien-mobilisation")
    services = []
    for index, service in enumerate(place.services, start=1):
        in_workshops = "Dans un atelier collectif" in place.support_modes
        services.append(
            {
                "source": structure["source"],
                "structure_id": structure["id"],
                "id": f"{structure['id']}--service-{index}",
                "nom": _name(service),
                "description": (
                    f"{service} à {place.name} ({place.commune_name}). " + (place.summary or "")
                ).strip(),
                "date_maj": structure["date_maj"],
                "type": SERVICE_TYPES.get(service, "atelier" if in_workshops else "accompagnement"),
                "thematiques": THEMATIQUES.get(service),
                "frais": frais,
                "frais_precisions": ", ".join(place.fees) or None,
                "publics": publics,
                "modes_accueil": modes_accueil or None,
                "modes_mobilisation": mobilisation or None,
                "mobilisable_par": ["usagers", "professionnels"],
                "lien_mobilisation": place.booking_url or None,
                "telephone": structure["telephone"],
                "courriel": structure["courriel"],
                "horaires_accueil": structure["horaires_accueil"],
                "commune": structure["commune"],
                "code_postal": structure["code_postal"],
                "code_insee": structure["code_insee"],
                "adresse": structure["adresse"],
                "complement_adresse": structure["complement_adresse"],
                "latitude": structure["latitude"],
                "longitude": structure["longitude"],
                "zone_eligibilite": [settings.MAILLAGE_DEPARTEMENT_CODE],
            }
        )
    return services


def data_inclusion_errors(payload: dict) -> list[RowError]:
    errors = []
    for kind, schema in (("structures", "structure"), ("services", "service")):
        for index, item in enumerate(payload[kind], start=1):
            for error in _validator(schema).iter_errors(item):
                path = ".".join(str(part) for part in error.absolute_path) or None
                errors.append(RowError(index, f"{kind}.{path}", error.message))
    return errors


def build(places) -> dict:
    structures, services = [], []
    for place in places:
        structure = _structure(place)
        structures.append(structure)
        services += _services(place, structure)
    return {"structures": structures, "services": services}


def export_data_inclusion(places, skipped: list[str]) -> bytes:
    """The places valid against data·inclusion's schemas; why the others are left out is
    added to `skipped` (for staff)."""
    payload: dict[str, list] = {"structures": [], "services": []}
    for place in places:
        one = build([place])
        errors = data_inclusion_errors(one)
        if errors:
            skipped += [f"« {place.name} » (id « {place.standard_id} ») : {e}" for e in errors]
            continue
        payload["structures"] += one["structures"]
        payload["services"] += one["services"]
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
