"""The file layouts Maillage imports, column by column, as their publishers document them.

ARCEP, « Ma connexion internet » (https://www.data.gouv.fr/datasets/ma-connexion-internet),
per-commune statistics published every quarter under
https://data.arcep.fr/fixe/maconnexioninternet/statistiques/<AAAA_Tn>/commune/ (UTF-8,
semicolons; `last/` is the latest quarter). Every file has `code_insee`, `nom_com`,
`code_dep`, `code_reg`, `nbr` (premises), `type` (only `all` is published) and `date` (the
last day of the quarter), plus:

- `commune_techno.csv`: premises eligible to each technology (overlapping: a premises with
  fibre and copper counts in both): `elig_ftth`, `elig_coax`, `elig_cu`, `elig_thdr`,
  `elig_4gf` (`elig_4fg` before 2021), `elig_hdr`, `elig_sat`;
- `commune_meilleure_techno_thd.csv`: each premises under its best technology (a partition):
  `elig_ftth`, `elig_coax`, `elig_cu_30` (copper ≥ 30 Mbit/s), `elig_cu_8` (copper 8–30),
  `elig_thdr`, `elig_4gf`, `elig_hdr`, `elig_sat`, and `nbr_elig_8`, their sum; the
  premises not in it have a slower access or none (the file does not say which);
- `commune_debit.csv` (every technology), `commune_debit_terrestre.csv` (without
  satellite), `commune_debit_filaire.csv` (wired networks only): premises eligible to *at
  least* each speed — cumulative — `elig_hd05` (0,5 Mbit/s), `elig_hd3`, `elig_bhd8`,
  `elig_thd30`, `elig_thd100`, `elig_thd1g`, and `inel_hd`, the premises below 0,5 Mbit/s.

ARCEP, observatory of fixed broadband deployments, « Le marché du haut et très haut débit
fixe (déploiements) » (https://www.data.gouv.fr/datasets/le-marche-du-haut-et-tres-haut-debit-fixe-deploiements),
workbook `<aaaa>t<n>-obs-hd-thd-deploiement.xlsx`, tab « Communes » (a few title lines,
then the header): `Code commune`, `Nom commune`, `Meilleure estimation des locaux…` (the
premises, as estimated for the latest quarter), and one column per quarter since T4 2017
(`T4 2017`, `T1 2018`…, `T3 2024`) holding the premises connectable to FttH
("locaux raccordables") at the end of that quarter. The same tab saved as CSV reads too.

Maillage's own template (`data/modele-operateur-rip.csv`), for départements whose figures come
from their public-initiative network's operator: one line per commune and quarter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import labels
from .labels import Category, Dataset, Layout
from .quarters import Quarter
from .reading import Table, _key

QUARTER_HEADER = re.compile(r"^T([1-4])\s+(\d{4})$")
PREMISES_ESTIMATE = "Meilleure estimation des locaux"

# A typed row: canonical column key → int (None when the cell is empty and allowed to be).
Row = dict[str, int | None]
# What a row yields: (quarter, dataset, {category: value}).
Record = tuple[Quarter, str, dict[str, int]]


@dataclass(frozen=True)
class Column:
    key: str  # canonical key, as the publisher names it
    header: str  # header as published (matched ignoring case and spaces)
    aliases: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Check:
    """A rule across columns; `test(row)` returns the message args when the row breaks it."""

    column: str  # key of the column the error names
    test: Callable[[Row], str | None]


@dataclass
class Spec:
    layout: str
    code: Column
    quarter: Column | None  # the date/quarter column (None: quarter columns, see below)
    counts: list[Column]
    build: Callable[[Row, Quarter | None, Spec], list[Record]]
    checks: list[Check] = field(default_factory=list)
    type_column: str = ""  # rows whose `type` is not "all" are not counts of every premises
    signature: tuple[str, ...] = ()  # headers that identify the layout
    quarter_columns: list[tuple[Column, Quarter]] = field(default_factory=list)

    def column_header(self, key: str) -> str:
        for column in [self.code, *([self.quarter] if self.quarter else []), *self.counts]:
            if column.key == key:
                return column.header
        return key


def _mci_columns(*names: str, aliases: dict[str, tuple[str, ...]] | None = None) -> list[Column]:
    aliases = aliases or {}
    return [Column(name, name, aliases.get(name, ())) for name in names]


MCI_CODE = Column("code_insee", "code_insee")
MCI_DATE = Column("date", "date")
RIP_CODE = Column("code_insee", "code_insee")
RIP_QUARTER = Column("trimestre", "trimestre")


def _sum_check(total_key: str, parts: list[str], *, exact: bool) -> Check:
    def test(row: Row) -> str | None:
        if row.get(total_key) is None or any(row.get(p) is None for p in parts):
            return None
        total = sum(row[p] for p in parts)
        if (total != row[total_key]) if exact else (total > row[total_key]):
            return labels.ERR_SUM.format(
                columns=", ".join(f"« {p} »" for p in parts),
                total=total,
                column=total_key,
                value=row[total_key],
            )
        return None

    return Check(total_key, test)


def _not_above(key: str, limit_key: str, message: str = labels.ERR_EXCEEDS) -> Check:
    def test(row: Row) -> str | None:
        value, limit = row.get(key), row.get(limit_key)
        if value is None or limit is None or value <= limit:
            return None
        return message.format(value=value, other_column=limit_key, other=limit)

    return Check(key, test)


# --- Ma connexion internet: technologies (overlapping eligibility) --------------------------

_TECHNO = {
    "elig_ftth": Category.FTTH,
    "elig_coax": Category.CABLE,
    "elig_cu": Category.DSL,
    "elig_thdr": Category.THD_RADIO,
    "elig_4gf": Category.FIXED_4G,
    "elig_hdr": Category.HD_RADIO,
    "elig_sat": Category.SATELLITE,
}


def _build_techno(row: Row, quarter: Quarter | None, spec: Spec) -> list[Record]:
    counts = {Category.PREMISES: row["nbr"]} | {cat: row[key] for key, cat in _TECHNO.items()}
    return [(quarter, Dataset.ELIGIBILITY, counts)]


def mci_techno() -> Spec:
    counts = _mci_columns("nbr", *_TECHNO, aliases={"elig_4gf": ("elig_4fg",)})
    return Spec(
        layout=Layout.MCI_TECHNO,
        code=MCI_CODE,
        quarter=MCI_DATE,
        counts=counts,
        build=_build_techno,
        checks=[_not_above(key, "nbr") for key in _TECHNO],
        type_column="type",
        signature=("code_insee", "nbr", "elig_cu", "elig_sat"),
    )


# --- Ma connexion internet: best technology (a partition) -----------------------------------

_BEST = {
    "elig_ftth": Category.FTTH,
    "elig_coax": Category.CABLE,
    "elig_cu_30": Category.DSL_30,
    "elig_cu_8": Category.DSL_8,
    "elig_thdr": Category.THD_RADIO,
    "elig_4gf": Category.FIXED_4G,
    "elig_hdr": Category.HD_RADIO,
    "elig_sat": Category.SATELLITE,
}


def _build_best(row: Row, quarter: Quarter | None, spec: Spec) -> list[Record]:
    counts = {Category.PREMISES: row["nbr"]} | {cat: row[key] for key, cat in _BEST.items()}
    counts[Category.OTHER] = row["nbr"] - row["nbr_elig_8"]
    return [(quarter, Dataset.ACCESS, counts)]


def mci_best() -> Spec:
    return Spec(
        layout=Layout.MCI_BEST,
        code=MCI_CODE,
        quarter=MCI_DATE,
        counts=_mci_columns("nbr", "nbr_elig_8", *_BEST, aliases={"elig_4gf": ("elig_4fg",)}),
        build=_build_best,
        checks=[
            _sum_check("nbr_elig_8", list(_BEST), exact=True),
            _not_above("nbr_elig_8", "nbr"),
        ],
        type_column="type",
        signature=("code_insee", "nbr", "nbr_elig_8", "elig_cu_30"),
    )


# --- Ma connexion internet: speeds (cumulative thresholds) ----------------------------------

_THRESHOLDS = ["nbr", "elig_hd3", "elig_bhd8", "elig_thd30", "elig_thd100", "elig_thd1g"]


def _build_speed(dataset: str) -> Callable[[Row, Quarter | None, Spec], list[Record]]:
    def build(row: Row, quarter: Quarter | None, spec: Spec) -> list[Record]:
        return [
            (
                quarter,
                dataset,
                {
                    Category.PREMISES: row["nbr"],
                    Category.INELIGIBLE: row["inel_hd"],
                    Category.BELOW_3: row["nbr"] - row["elig_hd3"] - row["inel_hd"],
                    Category.FROM_3: row["elig_hd3"] - row["elig_bhd8"],
                    Category.FROM_8: row["elig_bhd8"] - row["elig_thd30"],
                    Category.FROM_30: row["elig_thd30"] - row["elig_thd100"],
                    Category.FROM_100: row["elig_thd100"],
                },
            )
        ]

    return build


def _speed(layout: str, dataset: str) -> Spec:
    checks = [
        _not_above(smaller, larger, labels.ERR_DECREASING)
        for larger, smaller in itertools.pairwise(_THRESHOLDS)
    ]

    def below_3(row: Row) -> str | None:
        if None in (row.get("inel_hd"), row.get("nbr"), row.get("elig_hd3")):
            return None
        slower = row["nbr"] - row["elig_hd3"]
        if row["inel_hd"] > slower:
            return labels.ERR_EXCEEDS.format(
                value=row["inel_hd"], other_column="nbr − elig_hd3", other=slower
            )
        return None

    return Spec(
        layout=layout,
        code=MCI_CODE,
        quarter=MCI_DATE,
        counts=[
            *_mci_columns("nbr", "inel_hd", *_THRESHOLDS[1:]),
            Column("elig_hd05", "elig_hd05", required=False),
        ],
        build=_build_speed(dataset),
        checks=[*checks, Check("inel_hd", below_3)],
        type_column="type",
        signature=("code_insee", "nbr", "inel_hd", "elig_thd30"),
    )


# --- The deployment observatory, tab « Communes » ---------------------------------------------


def _build_observatory(row: Row, quarter: Quarter | None, spec: Spec) -> list[Record]:
    records = []
    latest = max(q for _, q in spec.quarter_columns)
    for column, column_quarter in spec.quarter_columns:
        value = row.get(column.key)
        if value is None:
            continue  # no figure published for that quarter
        counts = {Category.CONNECTABLE: value}
        if column_quarter == latest and row.get("premises") is not None:
            counts[Category.PREMISES] = row["premises"]
        records.append((column_quarter, Dataset.FTTH, counts))
    return records


def ftth_observatory(table: Table) -> Spec:
    quarter_columns = []
    for header in table.header:
        if match := QUARTER_HEADER.match(" ".join(header.split())):
            quarter = Quarter(int(match[2]), int(match[1]))
            quarter_columns.append((Column(quarter.slug, header, required=False), quarter))
    estimate = next(
        (h for h in table.header if _key(h).startswith(_key(PREMISES_ESTIMATE))), PREMISES_ESTIMATE
    )
    return Spec(
        layout=Layout.FTTH_OBSERVATORY,
        code=Column("code_commune", "Code commune"),
        quarter=None,
        counts=[
            Column("premises", estimate, required=False),
            *(column for column, _ in quarter_columns),
        ],
        build=_build_observatory,
        signature=("Code commune",),
        quarter_columns=quarter_columns,
    )


# --- Maillage's template for a public-initiative network's operator ---------------------------

RIP_ACCESS = {
    "acces_ftth": Category.FTTH,
    "acces_cable": Category.CABLE,
    "acces_cuivre_30": Category.DSL_30,
    "acces_cuivre_8_30": Category.DSL_8,
    "acces_cuivre_3_8": Category.DSL_3,
    "acces_cuivre_moins_3": Category.DSL_SLOW,
    "acces_thd_radio": Category.THD_RADIO,
    "acces_4g_fixe": Category.FIXED_4G,
    "acces_radio_hd": Category.HD_RADIO,
    "acces_satellite": Category.SATELLITE,
    "acces_aucun": Category.NONE,
}
RIP_SPEEDS = {
    "filaire_inel": Category.INELIGIBLE,
    "filaire_0_5_3": Category.BELOW_3,
    "filaire_3_8": Category.FROM_3,
    "filaire_8_30": Category.FROM_8,
    "filaire_30_100": Category.FROM_30,
    "filaire_100_plus": Category.FROM_100,
}
RIP_HEADER = ["code_insee", "nom_commune", "trimestre", "locaux", "ftth_raccordables"]
RIP_HEADER += [*RIP_ACCESS, *RIP_SPEEDS]
RIP_GROUPS = {"acces": list(RIP_ACCESS), "filaire": list(RIP_SPEEDS)}


def _build_rip(row: Row, quarter: Quarter | None, spec: Spec) -> list[Record]:
    records = []
    premises = row["locaux"]
    if row.get("ftth_raccordables") is not None:
        counts = {Category.PREMISES: premises, Category.CONNECTABLE: row["ftth_raccordables"]}
        records.append((quarter, Dataset.FTTH, counts))
    for dataset, mapping in ((Dataset.ACCESS, RIP_ACCESS), (Dataset.SPEED_WIRED, RIP_SPEEDS)):
        if all(row.get(key) is not None for key in mapping):
            counts = {Category.PREMISES: premises} | {c: row[k] for k, c in mapping.items()}
            records.append((quarter, dataset, counts))
    return records


def _group_check(keys: list[str]) -> Check:
    def test(row: Row) -> str | None:
        given = [row.get(k) is not None for k in keys]
        if any(given) and not all(given):
            return labels.ERR_GROUP_PARTIAL.format(columns=", ".join(f"« {k} »" for k in keys))
        return None

    return Check(keys[0], test)


def rip() -> Spec:
    optional = ["ftth_raccordables", *RIP_ACCESS, *RIP_SPEEDS]
    return Spec(
        layout=Layout.RIP,
        code=RIP_CODE,
        quarter=RIP_QUARTER,
        counts=[
            Column("locaux", "locaux"),
            *(Column(key, key, required=False) for key in optional),
        ],
        build=_build_rip,
        checks=[
            _group_check(list(RIP_ACCESS)),
            _group_check(list(RIP_SPEEDS)),
            _sum_check("locaux", list(RIP_ACCESS), exact=True),
            _sum_check("locaux", list(RIP_SPEEDS), exact=True),
        ],
        signature=("code_insee", "trimestre", "locaux"),
    )


# --- Detection ------------------------------------------------------------------------------

ANCHORS = ("code_insee", "Code commune")
SPEED_LAYOUTS = {
    Layout.MCI_SPEED: Dataset.SPEED_ALL,
    Layout.MCI_SPEED_TERRESTRIAL: Dataset.SPEED_TERRESTRIAL,
    Layout.MCI_SPEED_WIRED: Dataset.SPEED_WIRED,
}


def spec_for(layout: str, table: Table) -> Spec:
    if layout in SPEED_LAYOUTS:
        return _speed(layout, SPEED_LAYOUTS[layout])
    return {
        Layout.MCI_TECHNO: mci_techno,
        Layout.MCI_BEST: mci_best,
        Layout.RIP: rip,
        Layout.FTTH_OBSERVATORY: lambda: ftth_observatory(table),
    }[layout]()


def _has(table: Table, headers: tuple[str, ...]) -> bool:
    return all(table.column(h) is not None for h in headers)


def detect(table: Table, filename: str = "") -> str | None:
    """The layout of `table` from its header (and, for the three speed files, its name)."""
    if _has(table, ("code_insee", "nbr", "inel_hd")):
        name = filename.casefold()
        if "filaire" in name:
            return Layout.MCI_SPEED_WIRED
        if "terrestre" in name:
            return Layout.MCI_SPEED_TERRESTRIAL
        return Layout.MCI_SPEED
    for layout, factory in (
        (Layout.MCI_BEST, mci_best),
        (Layout.MCI_TECHNO, mci_techno),
        (Layout.RIP, rip),
    ):
        if _has(table, factory().signature):
            return layout
    if _has(table, ("Code commune",)):
        return Layout.FTTH_OBSERVATORY
    return None
