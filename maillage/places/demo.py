"""Demonstration places for `make run`: credible, but fictitious, and marked as such.

Every place has `is_demo=True`, a standard id starting with "demo-", the source
"Maillage (démonstration)" and a made-up SIRET (valid check digit, not a real
establishment). Positions are the communes' interior points, not real addresses.

What they show: the Espace Numérique Sud Charente's weekly workshops in the eight communes of
sheet Num01, the digital mediation and mobility space of the château de Barbezieux (Num05),
the Barbezieux cyber-café (Num04), libraries of the reading network becoming mediation points
from 2018 to 2022 (Num08), and Points Visio in town halls (Num06), one of them closed.
"""

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from maillage.organisations.models import Organisation
from maillage.territory.models import Commune
from maillage.web.french import de

from .identifiers import luhn_valid
from .labels import Equipment, HelpNeed, HelpRequestStatus, PlaceKind, VisioEquipmentQuality
from .models import HelpRequest, HelpRequestEvent, Place

DEMO_SOURCE = "Maillage (démonstration)"
DEMO_PREFIX = "demo-"
DEMO_UPDATED_ON = dt.date(2026, 1, 5)
DEMO_REQUEST_MARK = "(démo)"

PROCEDURES = "Aide aux démarches administratives"
EVERYDAY = "Maîtrise des outils numériques du quotidien"
SAFE = "Utilisation sécurisée du numérique"
ACCESS = "Accès internet et matériel informatique"
LEISURE = "Loisirs et créations numériques"
JOBS = "Insertion professionnelle via le numérique"

ENSC = "espace-numerique-sud-charente"
SDL = "service-departemental-lecture"
DEPARTEMENT = "departement-charente"
BARBEZIEUX = "commune-barbezieux-saint-hilaire"
VISIO_OPERATORS = [
    "caf-charente",
    "cpam-charente",
    "msa-des-charentes",
    "carsat-centre-ouest",
    "france-travail",
]


def demo_siret(insee_code: str, number: int) -> str:
    """A made-up SIRET with a valid check digit: 9 + INSEE code + number, then the key."""
    base = f"9{insee_code}{number:07d}"[:13]
    return next(f"{base}{key}" for key in range(10) if luhn_valid(f"{base}{key}"))


def _ensc_workshop(insee: str, name: str, address: str, hours: str, **extra) -> dict:
    return {
        "id": f"ensc-{insee}",
        "insee": insee,
        "name": f"Espace Numérique Sud Charente — {name}",
        "kind": PlaceKind.EPN,
        "organisation": ENSC,
        "address": address,
        "hours": hours,
        "services": [PROCEDURES, EVERYDAY, SAFE],
        "support_modes": ["Accompagnement individuel", "Dans un atelier collectif"],
        "access_modes": ["Téléphoner", "Se présenter"],
        "fees": ["Gratuit sous condition", "Payant"],
        "typologies": ["EPN", "ASSO"],
        "programmes": ["Conseillers numériques"],
        "labels": [],
        "summary": (
            "Ateliers numériques chaque semaine : 1 h 30 en groupe puis 1 h individuelle. "
            "Adhésion 30 €, puis 35 € par semestre ; aide aux démarches en ligne gratuite."
        ),
        "opened_on": dt.date(2016, 9, 1),
        "equipment": [Equipment.PUBLIC_COMPUTERS, Equipment.TABLETS, Equipment.WIFI],
        **extra,
    }


def _library(insee: str, name: str, address: str, opened_on: dt.date, hours: str) -> dict:
    return {
        "id": f"bib-{insee}",
        "insee": insee,
        "name": name,
        "kind": PlaceKind.LIBRARY,
        "organisation": SDL,
        "address": address,
        "hours": hours,
        "services": [EVERYDAY, ACCESS, LEISURE],
        "support_modes": ["En autonomie", "Accompagnement individuel"],
        "access_modes": ["Se présenter", "Téléphoner"],
        "fees": ["Gratuit"],
        "typologies": ["BIB"],
        "programmes": [],
        "labels": [],
        "summary": (
            "Bibliothèque du réseau départemental de lecture : postes en libre accès, "
            "aide à l'usage du numérique et ressources de formation en ligne."
        ),
        "opened_on": opened_on,
        "equipment": [Equipment.PUBLIC_COMPUTERS, Equipment.WIFI, Equipment.PRINTER_SCANNER],
        "parent": "Service départemental de la Lecture (Département de la Charente)",
    }


def _point_visio(insee: str, name: str, opened_on: dt.date, hours: str, **extra) -> dict:
    return {
        "id": f"visio-{insee}",
        "insee": insee,
        "name": f"Point Visio — mairie {de(name)}",
        "kind": PlaceKind.POINT_VISIO,
        "organisation": DEPARTEMENT,
        "address": "Mairie, place de la Mairie",
        "hours": hours,
        "services": [PROCEDURES],
        "support_modes": ["À distance", "Accompagnement individuel"],
        "access_modes": ["Téléphoner", "Se présenter"],
        "fees": ["Gratuit"],
        "typologies": ["MUNI"],
        "programmes": [],
        "labels": [],
        "summary": (
            "Rendez-vous en visioconférence avec la Caf, l'Assurance maladie, la MSA, la Carsat "
            "ou France Travail, dans une salle fermée, accompagné par la secrétaire de mairie."
        ),
        "opened_on": opened_on,
        "equipment": [Equipment.VIDEOCONFERENCE, Equipment.PRINTER_SCANNER],
        "visio": True,
        **extra,
    }


DEMO_PLACES: list[dict] = [
    # Num05 — the château de Barbezieux space, run by the Espace Numérique Sud Charente.
    {
        "id": "chateau-barbezieux",
        "insee": "16028",
        "name": "Espace de médiation numérique et de mobilité du château de Barbezieux",
        "kind": PlaceKind.MOBILITY_SPACE,
        "organisation": ENSC,
        "address": "Château de Barbezieux, place du Château",
        "hours": "Mo-Fr 09:00-12:30,13:30-17:30; Sa 09:00-12:00; PH off",
        "services": [PROCEDURES, EVERYDAY, SAFE, ACCESS, JOBS],
        "support_modes": ["Accompagnement individuel", "Dans un atelier collectif", "À distance"],
        "access_modes": ["Se présenter", "Téléphoner", "Contacter par mail"],
        "fees": ["Gratuit"],
        "typologies": ["EPN", "ASSO"],
        "programmes": ["Conseillers numériques", "Aidants Connect"],
        "labels": [],
        "summary": (
            "Lieu d'accueil tout public : usages du numérique, mobilité (trajets, transport à la "
            "demande, permis) et accès à internet. Plateforme d'information par téléphone."
        ),
        "opened_on": dt.date(2018, 9, 3),
        "equipment": [
            Equipment.PUBLIC_COMPUTERS,
            Equipment.TABLETS,
            Equipment.GPS,
            Equipment.VIDEOCONFERENCE,
            Equipment.WIFI,
            Equipment.PRINTER_SCANNER,
        ],
        "mobility_help": True,
        "help_requests": True,
        "wheelchair": True,
        "visio": True,
    },
    # Num04 — the cyber-café in the centre of Barbezieux, run with the CSC's youth workers.
    {
        "id": "cybercafe-barbezieux",
        "insee": "16028",
        "name": "Cyber-café de Barbezieux",
        "kind": PlaceKind.CYBER_CAFE,
        "organisation": BARBEZIEUX,
        "address": "12 rue Victor Hugo",
        "hours": "We 14:00-18:00; Fr 16:00-19:00; Sa 10:00-12:30,14:00-18:00",
        "services": [ACCESS, LEISURE, EVERYDAY],
        "support_modes": ["En autonomie", "Dans un atelier collectif"],
        "access_modes": ["Se présenter"],
        "fees": ["Gratuit"],
        "typologies": ["MUNI", "CSC"],
        "programmes": ["Promeneurs du net"],
        "labels": [],
        "publics": ["Jeunes"],
        "summary": (
            "Lieu de rencontres intergénérationnelles en centre-ville, animé par le centre "
            "socio-culturel : postes en libre accès, ateliers pour les jeunes."
        ),
        "opened_on": dt.date(2018, 3, 17),
        "equipment": [Equipment.PUBLIC_COMPUTERS, Equipment.WIFI],
        "wheelchair": True,
    },
    # Num01 — the Espace Numérique Sud Charente's weekly workshops in eight communes.
    _ensc_workshop(
        "16028",
        "Barbezieux-Saint-Hilaire",
        "Château de Barbezieux, salle des ateliers",
        "Tu,Th 09:30-12:00,14:00-16:30; PH off",
        help_requests=False,
    ),
    _ensc_workshop(
        "16230",
        "Montmoreau",
        "Salle des fêtes, rue de la Gare",
        "Mo 14:00-16:30; PH off",
        help_requests=True,
    ),
    _ensc_workshop(
        "16046", "Blanzac", "Maison des associations, place du Château", "Tu 14:00-16:30; PH off"
    ),
    _ensc_workshop(
        "16350", "Saint-Séverin", "Salle municipale, le Bourg", "We 09:30-12:00; PH off"
    ),
    _ensc_workshop(
        "16073",
        "Chalais",
        "Centre social, avenue de la Gare",
        # The weekly workshop (Tuesday 14:00) and the mediator's Thursday sessions.
        "Tu 14:00-17:30; Th 09:30-12:00,14:00-17:30; PH off",
        help_requests=True,
    ),
    _ensc_workshop("16025", "Baignes", "Salle du Temple, rue du Temple", "Fr 09:30-12:00; PH off"),
    _ensc_workshop(
        "16408",
        "Villebois-Lavalette",
        "Mairie annexe, place du Champ de Foire",
        "We 14:00-16:30; PH off",
    ),
    _ensc_workshop(
        "16066", "Brossac", "Salle polyvalente, route de Chalais", "Fr 14:00-16:30; PH off"
    ),
    # Num08 — libraries of the reading network becoming mediation points (2018–2022).
    _library(
        "16102",
        "Médiathèque de Cognac",
        "10 rue du Minage",
        dt.date(2018, 10, 1),
        "Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-17:00",
    ),
    _library(
        "16292",
        "Médiathèque de Ruffec",
        "Place d'Armes",
        dt.date(2018, 11, 15),
        "Tu,Th,Fr 14:00-18:00; We,Sa 10:00-12:00,14:00-17:00",
    ),
    _library(
        "16106",
        "Bibliothèque de Confolens",
        "Rue du Docteur Tardieu",
        dt.date(2019, 2, 1),
        "Tu,Fr 14:00-18:00; We,Sa 10:00-12:00,14:00-17:00",
    ),
    _library(
        "16167",
        "Médiathèque de Jarnac",
        "Quai de l'Orangerie",
        dt.date(2019, 4, 1),
        "Tu-Sa 10:00-12:00,14:00-18:00",
    ),
    _library(
        "16073",
        "Bibliothèque de Chalais",
        "Rue de Barbezieux",
        dt.date(2019, 6, 1),
        "We 10:00-12:00,14:00-18:00; Sa 10:00-12:00",
    ),
    _library(
        "16028",
        "Médiathèque de Barbezieux-Saint-Hilaire",
        "Place du Château",
        dt.date(2019, 9, 15),
        "Tu,Th,Fr 14:00-18:00; We,Sa 10:00-12:30,14:00-18:00",
    ),
    _library(
        "16223",
        "Bibliothèque de Montbron",
        "Place de l'Hôtel de Ville",
        dt.date(2020, 1, 6),
        "We,Sa 10:00-12:00; Fr 15:00-18:00",
    ),
    _library(
        "16090",
        "Bibliothèque de Châteauneuf-sur-Charente",
        "Rue du Pont Neuf",
        dt.date(2020, 9, 1),
        "Tu,Fr 15:00-18:30; We,Sa 10:00-12:00,14:00-17:00",
    ),
    _library(
        "16085",
        "Médiathèque de Chasseneuil-sur-Bonnieure",
        "Avenue de la République",
        dt.date(2021, 3, 1),
        "Tu-Fr 14:00-18:00; Sa 10:00-12:00",
    ),
    _library(
        "16366",
        "Bibliothèque de Segonzac",
        "Place de l'Église",
        dt.date(2021, 10, 1),
        "We 10:00-12:00,14:00-18:00; Sa 10:00-12:00",
    ),
    _library(
        "16070",
        "Bibliothèque de Chabanais",
        "Grand'Rue",
        dt.date(2022, 2, 1),
        "We,Sa 10:00-12:00; Fr 16:00-18:00",
    ),
    _library(
        "16286",
        "Bibliothèque de Rouillac",
        "Place du Champ de Foire",
        dt.date(2022, 6, 1),
        "Tu,Fr 16:00-18:30; We 10:00-12:00,14:00-18:00",
    ),
    # Num06 — Points Visio in town halls (one closed since).
    _point_visio(
        "16073", "Chalais", dt.date(2019, 3, 4), "Mo-Fr 09:00-12:00; Tu,Th 14:00-17:00; PH off"
    ),
    _point_visio("16066", "Brossac", dt.date(2019, 5, 6), "Mo,Tu,Th,Fr 09:00-12:00; PH off"),
    _point_visio("16020", "Aubeterre-sur-Dronne", dt.date(2019, 9, 2), "Mo-Fr 09:00-12:30; PH off"),
    _point_visio(
        "16225", "Montembœuf", dt.date(2020, 2, 3), "Tu,Th 09:00-12:00,14:00-17:00; PH off"
    ),
    _point_visio("16308", "Saint-Claud", dt.date(2020, 6, 8), "Mo,We,Fr 09:00-12:00; PH off"),
    _point_visio(
        "16409",
        "Villefagnan",
        dt.date(2020, 10, 5),
        "Mo-Fr 09:00-12:00; PH off",
        closed_on=dt.date(2023, 1, 1),
    ),
    _point_visio(
        "16005", "Aigre", dt.date(2021, 4, 6), "Mo-Fr 08:30-12:00; We 14:00-17:00; PH off"
    ),
    _point_visio("16076", "Champagne-Mouton", dt.date(2021, 11, 2), "Tu,Th,Fr 09:00-12:00; PH off"),
    _point_visio(
        "16025", "Baignes-Sainte-Radegonde", dt.date(2022, 3, 7), "Mo-Fr 09:00-12:00; PH off"
    ),
]


def _coordinates(commune: Commune, index: int) -> tuple[float, float]:
    """The commune's interior point, shifted by a few tens of metres per place so that two
    places of one commune do not hide each other on the map."""
    shift = 0.0006 * (index % 5)
    return round(commune.interior_latitude + shift, 5), round(commune.interior_longitude + shift, 5)


def load_demo_places() -> Iterator[str]:
    """Create or refresh the demonstration places and a few help requests (idempotent)."""
    wanted = {spec["insee"] for spec in DEMO_PLACES}
    communes = {c.pk: c for c in Commune.objects.filter(pk__in=wanted).defer("contour")}
    if len(communes) < len(wanted):
        yield "Lieux de démonstration non chargés : chargez d'abord les communes."
        return
    slugs = {spec["organisation"] for spec in DEMO_PLACES} | set(VISIO_OPERATORS)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    operators = [organisations[s] for s in VISIO_OPERATORS if s in organisations]
    with transaction.atomic():
        for index, spec in enumerate(DEMO_PLACES):
            commune = communes[spec["insee"]]
            latitude, longitude = _coordinates(commune, index)
            values = {
                "pivot": demo_siret(spec["insee"], index + 1),
                "name": spec["name"],
                "commune": commune,
                "commune_name": commune.name,
                "insee_code": commune.insee_code,
                "postcode": commune.postcode_list[0],
                "address": spec["address"],
                "latitude": latitude,
                "longitude": longitude,
                "typologies": spec["typologies"],
                "phone": f"+3354500{index:04d}",
                "emails": [f"contact-{spec['id']}@demo.maillage.fr"],
                "opening_hours": spec["hours"],
                "summary": spec["summary"],
                "description": "Donnée de démonstration : ce lieu et ses coordonnées sont fictifs.",
                "source": DEMO_SOURCE,
                "mobility": ["Fixe"],
                "parent_structure": spec.get("parent", ""),
                "updated_on": DEMO_UPDATED_ON,
                "services": spec["services"],
                "publics": spec.get("publics", []),
                "specific_support": ["Handicaps moteurs"] if spec.get("wheelchair") else [],
                "fees": spec["fees"],
                "national_programmes": spec["programmes"],
                "training_labels": spec["labels"],
                "access_modes": spec["access_modes"],
                "support_modes": spec["support_modes"],
                "kind": spec["kind"],
                "organisation": organisations.get(spec["organisation"]),
                "equipment": spec["equipment"],
                "opened_on": spec["opened_on"],
                "closed_on": spec.get("closed_on"),
                "mobility_help": spec.get("mobility_help", False),
                "accepts_help_requests": spec.get("help_requests", False),
                "wheelchair_accessible": spec.get("wheelchair"),
                "visio_closed_room": True if spec.get("visio") else None,
                "visio_equipment_quality": VisioEquipmentQuality.HIGH if spec.get("visio") else "",
                "visio_trained_receptionist": True if spec.get("visio") else None,
                "is_demo": True,
            }
            place, _created = Place.objects.update_or_create(
                standard_id=f"{DEMO_PREFIX}{spec['id']}", defaults=values
            )
            place.full_clean()
            if spec.get("visio"):
                place.visio_operators.set(operators)
        requests = _load_demo_help_requests()
    kinds = {kind: sum(1 for s in DEMO_PLACES if s["kind"] == kind) for kind in PlaceKind.values}
    yield (
        f"Lieux de démonstration : {len(DEMO_PLACES)} (dont {kinds[PlaceKind.POINT_VISIO]} "
        f"Points Visio, {kinds[PlaceKind.LIBRARY]} bibliothèques, "
        f"{kinds[PlaceKind.EPN]} ateliers de l'Espace Numérique Sud Charente) ; "
        f"{requests} demande(s) de rappel fictive(s)."
    )


def _load_demo_help_requests() -> int:
    existing = HelpRequest.objects.filter(name__endswith=DEMO_REQUEST_MARK)
    if existing.exists():
        return existing.count()
    place = Place.objects.get(standard_id=f"{DEMO_PREFIX}chateau-barbezieux")
    samples = [
        (
            "Martine",
            "06 00 00 00 01",
            "16028",
            HelpNeed.DIGITAL,
            HelpRequestStatus.NEW,
            "Je n'arrive pas à déclarer mes revenus en ligne.",
        ),
        (
            "Paul",
            "06 00 00 00 02",
            "16066",
            HelpNeed.MOBILITY,
            HelpRequestStatus.CALLED_BACK,
            "Comment aller à Angoulême pour un rendez-vous à l'hôpital ?",
        ),
        (
            "Lucie",
            "06 00 00 00 03",
            "16073",
            HelpNeed.DIGITAL,
            HelpRequestStatus.RESOLVED,
            "Créer mon compte Ameli.",
        ),
    ]
    for name, phone, insee, need, status, message in samples:
        request = HelpRequest.objects.create(
            name=f"{name} {DEMO_REQUEST_MARK}",
            phone=phone,
            commune_id=insee,
            need=need,
            message=message,
            place=place,
            status=status,
            consent_at=timezone.now(),
            closed_at=timezone.now() if status == HelpRequestStatus.RESOLVED else None,
            preferred_times=["morning"],
        )
        HelpRequestEvent.objects.create(request=request, to_status=HelpRequestStatus.NEW)
        if status != HelpRequestStatus.NEW:
            HelpRequestEvent.objects.create(
                request=request,
                from_status=HelpRequestStatus.NEW,
                to_status=status,
                note="Donnée de démonstration.",
            )
    return len(samples)
