"""Factories and small files in the regulator's exact layouts for the broadband tests.

Four Charente communes (real codes, square contours): Barbezieux-Saint-Hilaire and
Coteaux-du-Blanzacais (a 2019 merger of 16046 and 16332) in the CC des 4B Sud Charente,
Chalais in the CC Lavalette Tude Dronne, Angoulême in GrandAngoulême.
"""

from __future__ import annotations

import datetime as dt
import io

import factory
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from maillage.broadband.labels import Technology
from maillage.broadband.models import Phase, Programme, Work
from maillage.territory.models import Commune, Departement, Epci

EPCI_4B = "200029734"
EPCI_LTD = "200070282"
EPCI_GA = "200071827"

COMMUNES = {
    # code: (name, EPCI, longitude, latitude, former codes)
    "16028": ("Barbezieux-Saint-Hilaire", EPCI_4B, 0.15, 45.47, "16028"),
    "16046": ("Coteaux-du-Blanzacais", EPCI_4B, 0.05, 45.47, "16046 16332"),
    "16073": ("Chalais", EPCI_LTD, 0.05, 45.27, "16073"),
    "16015": ("Angoulême", EPCI_GA, 0.15, 45.65, "16015"),
}
EPCI_NAMES = {
    EPCI_4B: "CC des 4B Sud Charente",
    EPCI_LTD: "CC Lavalette Tude Dronne",
    EPCI_GA: "CA du Grand Angoulême",
}


def square(lon: float, lat: float, half: float = 0.05) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def charente_communes() -> dict[str, Commune]:
    """The four communes (idempotent)."""
    departement, _ = Departement.objects.get_or_create(
        code="16", defaults={"name": "Charente", "contour": square(0.1, 45.5, 0.3)}
    )
    for siren, name in EPCI_NAMES.items():
        Epci.objects.get_or_create(siren=siren, defaults={"name": name, "departement": departement})
    result = {}
    for code, (name, epci, lon, lat, former) in COMMUNES.items():
        result[code], _ = Commune.objects.get_or_create(
            insee_code=code,
            defaults={
                "name": name,
                "postcodes": "16000",
                "population": 1000,
                "departement": departement,
                "epci_id": epci,
                "latitude": lat,
                "longitude": lon,
                "interior_latitude": lat,
                "interior_longitude": lon,
                "former_codes": former,
                "contour": square(lon, lat),
            },
        )
    return result


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "Charente Très Haut Débit"
    slug = "charente-thd"
    start_year = 2016
    end_year = 2021


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Phase {n}")
    technology = Technology.FTTH


class WorkFactory(DjangoModelFactory):
    class Meta:
        model = Work

    phase = factory.SubFactory(PhaseFactory)
    commune = factory.LazyFunction(lambda: charente_communes()["16028"])
    technology = Technology.FTTH
    planned_premises = 1000
    planned_quarter = dt.date(2019, 12, 31)

    class Params:
        done = factory.Trait(done_premises=980, done_quarter=dt.date(2020, 3, 31))


# --- Files in the regulator's layouts ---------------------------------------------------------

MCI_COMMON = ["code_insee", "nom_com", "code_dep", "code_reg", "nbr", "type"]
SPEED_HEADER = [
    *MCI_COMMON,
    "inel_hd",
    "elig_hd05",
    "elig_hd3",
    "elig_bhd8",
    "elig_thd30",
    "elig_thd100",
    "elig_thd1g",
    "date",
]
BEST_HEADER = [
    *MCI_COMMON,
    "nbr_elig_8",
    "elig_ftth",
    "elig_coax",
    "elig_cu_30",
    "elig_thdr",
    "elig_cu_8",
    "elig_4gf",
    "elig_hdr",
    "elig_sat",
    "date",
]
TECHNO_HEADER = [
    *MCI_COMMON,
    "elig_ftth",
    "elig_coax",
    "elig_cu",
    "elig_thdr",
    "elig_4gf",
    "elig_hdr",
    "elig_sat",
    "date",
]


def csv_bytes(header: list[str], rows: list[list], *, delimiter: str = ";") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def speed_row(code, name, nbr, inel, hd3, bhd8, thd30, thd100, thd1g, date="2024-09-30"):
    """A `commune_debit*.csv` line: cumulative thresholds (elig_hd05 = nbr − inel_hd)."""
    counts = [nbr, "all", inel, nbr - inel, hd3, bhd8, thd30, thd100, thd1g]
    return [code, name, code[:2], "75", *counts, date]


def speed_file(rows: list[list] | None = None) -> bytes:
    """`commune_debit_filaire.csv` of T3 2024: two 4B communes (one under its 2018 code),
    Chalais, and a Charente-Maritime line that is not read."""
    rows = rows or [
        speed_row("16028", "Barbezieux-Saint-Hilaire", 2600, 40, 2400, 2300, 2000, 1900, 1500),
        speed_row("16046", "Coteaux-du-Blanzacais", 500, 20, 380, 300, 100, 90, 80),
        speed_row("16332", "Saint-Léger", 120, 10, 60, 40, 0, 0, 0),
        speed_row("16073", "Chalais", 1100, 5, 1000, 950, 900, 850, 700),
        speed_row("17300", "La Rochelle", 50000, 0, 50000, 50000, 49000, 48000, 47000),
    ]
    return csv_bytes(SPEED_HEADER, rows)


def best_file() -> bytes:
    """`commune_meilleure_techno_thd.csv`: the eight columns sum to `nbr_elig_8`."""
    rows = [
        [
            "16028",
            "Barbezieux-Saint-Hilaire",
            "16",
            "75",
            2600,
            "all",
            2500,
            1800,
            0,
            200,
            100,
            300,
            80,
            10,
            10,
            "2024-09-30",
        ],
        [
            "16073",
            "Chalais",
            "16",
            "75",
            1100,
            "all",
            1090,
            800,
            0,
            100,
            50,
            100,
            30,
            5,
            5,
            "2024-09-30",
        ],
    ]
    return csv_bytes(BEST_HEADER, rows)


def techno_file() -> bytes:
    rows = [
        [
            "16028",
            "Barbezieux-Saint-Hilaire",
            "16",
            "75",
            2600,
            "all",
            1800,
            0,
            2500,
            150,
            600,
            40,
            2600,
            "2024-09-30",
        ],
    ]
    return csv_bytes(TECHNO_HEADER, rows)


OBSERVATORY_QUARTERS = ["T4 2023", "T1 2024", "T2 2024", "T3 2024"]
OBSERVATORY_HEADER = [
    "Code région",
    "Nom région",
    "Code département",
    "Nom département",
    "Siren EPCI",
    "Nom EPCI",
    "Code commune",
    "Nom commune",
    "Logements",
    "Établissements",
    "Meilleure estimation des locaux T3 2024",
    "Commune rurale",
    *OBSERVATORY_QUARTERS,
]
OBSERVATORY_ROWS = [
    [
        75,
        "Nouvelle-Aquitaine",
        "16",
        "Charente",
        EPCI_4B,
        "CC des 4B Sud Charente",
        "16028",
        "Barbezieux-Saint-Hilaire",
        2400,
        210,
        2610,
        0,
        900,
        1300,
        1700,
        1900,
    ],
    [
        75,
        "Nouvelle-Aquitaine",
        "16",
        "Charente",
        EPCI_LTD,
        "CC Lavalette Tude Dronne",
        "16073",
        "Chalais",
        1000,
        95,
        1095,
        1,
        0,
        0,
        None,
        400,
    ],
    [
        75,
        "Nouvelle-Aquitaine",
        "17",
        "Charente-Maritime",
        "241700434",
        "CA de La Rochelle",
        "17300",
        "La Rochelle",
        50000,
        9000,
        59000,
        0,
        58000,
        58500,
        59000,
        59000,
    ],
]
TITLE_LINES = [
    ["Observatoire du haut et très haut débit : abonnements et déploiements"],
    ["Déploiements FttH par commune — données au 30 septembre 2024"],
    ["Source : Arcep"],
    [],
]


def observatory_xlsx(rows: list[list] | None = None) -> bytes:
    """The observatory's workbook: a summary tab, then « Communes » with title lines first."""
    workbook = Workbook()
    workbook.active.title = "Synthèse"
    workbook.active.append(["Nombre de locaux raccordables", 42_000_000])
    sheet = workbook.create_sheet("Communes")
    for line in TITLE_LINES:
        sheet.append(line)
    sheet.append(OBSERVATORY_HEADER)
    for row in rows or OBSERVATORY_ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def observatory_csv() -> bytes:
    """The « Communes » tab saved as CSV by a spreadsheet: Windows-1252, semicolons."""
    lines = [";".join(str(c) for c in line) for line in TITLE_LINES]
    lines.append(";".join(OBSERVATORY_HEADER))
    lines += [";".join("" if v is None else str(v) for v in row) for row in OBSERVATORY_ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")
