"""Demonstration data of the broadband app: a fictitious roll-out over the Charente's communes.

Figures for every commune and several quarters (the end of each year from 2017, then the
latest quarters), written as the regulator's own files — `commune_debit_filaire.csv`,
`commune_debit.csv`, the observatory's « Communes » tab, `commune_meilleure_techno_thd.csv`
— and imported through the same service as real files, each import marked as
demonstration data (the pages say so); the programme's works, imported from the works CSV;
and the Archives' monthly series for Num03 (images online, online consultations).

The numbers are invented but shaped like the sheets: at the start about 4 300 wired lines
ineligible and 50 200 under 3 Mbit/s, a copper upgrade in 2018, 114 communes and about
41 000 FttH premises in the programme's first phase, Orange's deployment in the AMII zone
(GrandAngoulême's 2016 perimeter but Mornac, and Cognac). Loaded once, only where
demonstration data belongs (as the demo accounts).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from maillage import clock
from maillage.territory.models import Commune

from .imports import figures_import, recompute_indicators
from .labels import Layout
from .models import FigureImport, Programme
from .programme import WORKS_HEADER, works_import
from .quarters import Quarter
from .referential import EPCI_4B, PROGRAMME_SLUG

NOTE = "Données de démonstration (valeurs fictives), générées par Maillage."
GRAND_ANGOULEME = "200071827"
# GrandAngoulême's 16 communes of 2016 (the AMII zone, Orange) — Mornac aside — and Cognac.
AMII = {
    "16015", "16102", "16113", "16138", "16166", "16167", "16175", "16186", "16193",
    "16232", "16271", "16287", "16339", "16341", "16374", "16385",
}  # fmt: skip
MORNAC = "16232"
SEED = 2017


def demo_allowed() -> bool:
    from maillage.organisations.demo import demo_accounts_allowed

    return demo_accounts_allowed()


def demo_quarters(today: dt.date) -> list[Quarter]:
    """T4 2017 … T4 of last year, then the quarters of this year that are over."""
    current = Quarter.of(today)
    quarters = [Quarter(year, 4) for year in range(2017, current.year)]
    quarters += [Quarter(current.year, n) for n in range(1, current.number)]
    return quarters


@dataclass
class DemoCommune:
    """One commune's invented story: its premises, when fibre arrives, how slow its copper is."""

    commune: Commune
    premises: int
    ftth_quarter: Quarter | None  # when FttH premises become connectable
    ftth_share: float  # share of premises connectable once deployed
    phase: str  # "" (outside the programme), "ftth", "sdeg" or "4b"
    slow_share: float  # premises under 3 Mbit/s on copper, at the start
    ineligible_share: float
    upgraded: bool  # copper upgrade (montée en débit) in 2018
    planned_quarter: Quarter | None = None  # the programme's planned quarter

    def premises_at(self, quarter: Quarter) -> int:
        return round(self.premises * (1 + 0.003 * (quarter.year - 2017)))

    def connectable(self, quarter: Quarter) -> int:
        if self.ftth_quarter is None or quarter < self.ftth_quarter:
            return 0
        ramp = min(1.0, 0.55 + 0.15 * (len(_between(self.ftth_quarter, quarter)) - 1) / 4)
        return round(self.premises_at(quarter) * self.ftth_share * ramp)

    def speeds(self, quarter: Quarter, *, wired: bool) -> dict[str, int]:
        """Cumulative thresholds as the regulator publishes them (`commune_debit*.csv`)."""
        nbr = self.premises_at(quarter)
        fibre = self.connectable(quarter)
        copper = nbr - fibre
        slow, inel = self.slow_share, self.ineligible_share
        if self.upgraded and quarter >= Quarter(2018, 4):
            slow, inel = slow * 0.25, inel * 0.3
        inel_n = round(copper * inel)
        slow_n = round(copper * slow)
        if not wired:  # fixed 4G, THD radio and satellite reach nearly everyone from 2019
            covered = 0.9 if quarter >= Quarter(2019, 4) else 0.35
            inel_n = 0 if quarter >= Quarter(2019, 4) else round(inel_n * (1 - covered))
            slow_n = round(slow_n * (1 - covered))
        rest = copper - inel_n - slow_n
        from_3 = round(rest * 0.3)
        from_8 = round(rest * 0.45)
        from_30 = rest - from_3 - from_8
        hd3 = nbr - inel_n - slow_n
        bhd8 = hd3 - from_3
        thd30 = bhd8 - from_8
        thd100 = thd30 - from_30
        return {
            "nbr": nbr,
            "inel_hd": inel_n,
            "elig_hd05": nbr - inel_n,
            "elig_hd3": hd3,
            "elig_bhd8": bhd8,
            "elig_thd30": thd30,
            "elig_thd100": thd100,
            "elig_thd1g": round(fibre * 0.97),
        }


def _between(first: Quarter, last: Quarter) -> list[Quarter]:
    from .quarters import quarter_range

    return quarter_range(first, last)


def _stories(communes: list[Commune]) -> list[DemoCommune]:
    rng = random.Random(SEED)
    stories = []
    for commune in communes:
        premises = max(40, round(commune.population * rng.uniform(0.56, 0.66)))
        stories.append(
            DemoCommune(
                commune=commune,
                premises=premises,
                ftth_quarter=None,
                ftth_share=rng.uniform(0.93, 0.995),
                phase="",
                slow_share=rng.uniform(0.05, 0.5) if commune.population < 3000 else 0.03,
                ineligible_share=rng.uniform(0.0, 0.05) if commune.population < 1000 else 0.0,
                upgraded=False,
            )
        )
    # Normalise to the sheet's starting figures: 4 300 ineligible, 50 200 under 3 Mbit/s.
    total_slow = sum(s.premises * s.slow_share for s in stories)
    total_inel = sum(s.premises * s.ineligible_share for s in stories)
    for story in stories:
        story.slow_share *= 50200 / total_slow
        story.ineligible_share *= 4300 / total_inel if total_inel else 0
    _plan_rollout(stories, rng)
    return stories


def _plan_rollout(stories: list[DemoCommune], rng: random.Random) -> None:
    """AMII by Orange from 2018; the programme's 114 communes (≈ 41 000 premises) from late
    2018 to 2021, the worst served first; everyone else from 2022 to this year."""
    for story in stories:
        if story.commune.insee_code in AMII and story.commune.insee_code != MORNAC:
            story.ftth_quarter = Quarter(rng.choice([2018, 2019, 2020]), rng.randint(1, 4))
    outside = [s for s in stories if s.ftth_quarter is None]
    sdeg = [s for s in outside if s.commune.epci_id == GRAND_ANGOULEME]
    four_b = [s for s in outside if s.commune.epci_id == EPCI_4B]
    others = sorted(
        (s for s in outside if s not in sdeg and s not in four_b),
        key=lambda s: -s.premises * s.slow_share,
    )
    # The first phase: 114 communes, ≈ 41 000 premises — the worst served rural ones.
    pool = [*four_b[:18], *sdeg[:10], *(s for s in others if s.premises < 700)]
    chosen = pool[:114]
    while sum(s.premises for s in chosen) > 43000:
        chosen.remove(max(chosen, key=lambda s: s.premises))
        chosen.append(next(s for s in pool if s not in chosen and s.premises < 300))
    quarters = _between(Quarter(2018, 4), Quarter(2021, 4))
    for index, story in enumerate(chosen):
        story.phase = "sdeg" if story in sdeg else "4b" if story in four_b else "ftth"
        story.planned_quarter = quarters[index * len(quarters) // len(chosen)]
        delay = rng.choice([0, 0, 0, 1, 1, 2, 4])
        story.ftth_quarter = _shift(story.planned_quarter, delay)
        story.upgraded = rng.random() < 0.25
    for story in chosen[-2:]:  # two works still waiting: late against the plan
        story.ftth_quarter = _shift(Quarter.of(clock.today()), 2)
    rest = [s for s in stories if s.ftth_quarter is None]
    later = _between(Quarter(2022, 1), Quarter.of(clock.today()))
    for index, story in enumerate(rest):
        story.ftth_quarter = later[index * len(later) // max(1, len(rest))]
        story.upgraded = rng.random() < 0.15


def _shift(quarter: Quarter, count: int) -> Quarter:
    for _ in range(count):
        quarter = quarter.next()
    return quarter


def _csv(header: list[str], rows: list[list]) -> bytes:
    lines = [";".join(header)] + [";".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


SPEED_HEADER = ["code_insee", "nom_com", "code_dep", "code_reg", "nbr", "type", "inel_hd"]
SPEED_HEADER += ["elig_hd05", "elig_hd3", "elig_bhd8", "elig_thd30", "elig_thd100", "elig_thd1g"]
SPEED_HEADER += ["date"]


def speed_file(stories: list[DemoCommune], quarter: Quarter, *, wired: bool) -> bytes:
    rows = []
    for story in stories:
        speeds = story.speeds(quarter, wired=wired)
        commune = story.commune
        rows.append(
            [commune.insee_code, commune.name, commune.departement_id, "75"]
            + [speeds["nbr"], "all"]
            + [speeds[k] for k in SPEED_HEADER[6:13]]
            + [quarter.end.isoformat()]
        )
    return _csv(SPEED_HEADER, rows)


def observatory_file(stories: list[DemoCommune], quarters: list[Quarter]) -> bytes:
    """The observatory's « Communes » tab saved as CSV: title lines, then the header."""
    latest = quarters[-1]
    header = ["Code département", "Siren EPCI", "Code commune", "Nom commune"]
    header += [f"Meilleure estimation des locaux {latest.label}"]
    header += [q.label for q in quarters]
    lines = [
        "Observatoire des déploiements FttH par commune — DONNÉES DE DÉMONSTRATION",
        "",
        ";".join(header),
    ]
    for story in stories:
        commune = story.commune
        lines.append(
            ";".join(
                [commune.departement_id, commune.epci_id or "", commune.insee_code, commune.name]
                + [str(story.premises_at(latest))]
                + [str(story.connectable(q)) for q in quarters]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


BEST_HEADER = ["code_insee", "nom_com", "code_dep", "code_reg", "nbr", "type", "nbr_elig_8"]
BEST_HEADER += ["elig_ftth", "elig_coax", "elig_cu_30", "elig_thdr", "elig_cu_8", "elig_4gf"]
BEST_HEADER += ["elig_hdr", "elig_sat", "date"]


def best_file(stories: list[DemoCommune], quarter: Quarter) -> bytes:
    rows = []
    for story in stories:
        speeds = story.speeds(quarter, wired=True)
        fibre = story.connectable(quarter)
        cu_30 = speeds["elig_thd30"] - speeds["elig_thd100"]
        cu_8 = speeds["elig_bhd8"] - speeds["elig_thd30"]
        slow = speeds["nbr"] - fibre - cu_30 - cu_8
        thdr, four_g = round(slow * 0.2), round(slow * 0.5)
        sat = slow - thdr - four_g
        elig = fibre + cu_30 + cu_8 + thdr + four_g + sat
        commune = story.commune
        rows.append(
            [
                commune.insee_code,
                commune.name,
                commune.departement_id,
                "75",
                speeds["nbr"],
                "all",
                elig,
                fibre,
                0,
                cu_30,
                thdr,
                cu_8,
                four_g,
                0,
                sat,
                quarter.end.isoformat(),
            ]
        )
    return _csv(BEST_HEADER, rows)


PHASES = {
    "ftth": "Fibre jusqu'à l'abonné — 1re plaque FttH",
    "sdeg": "Opération du SDEG — 2e couronne d'Angoulême",
    "4b": "Participation de la CC des 4B Sud Charente",
}


def works_file(stories: list[DemoCommune], today: dt.date) -> bytes:
    rng = random.Random(SEED + 1)
    lines = [";".join(WORKS_HEADER)]
    for story in stories:
        if not story.phase:
            continue
        planned_premises = round(story.premises * story.ftth_share)
        done, planned = story.ftth_quarter, story.planned_quarter
        done_cells = ["", ""]
        if done.end <= today:
            done_cells = [str(round(planned_premises * rng.uniform(0.96, 1.0))), done.label]
        lines.append(
            ";".join(
                [
                    PHASES[story.phase],
                    story.commune.insee_code,
                    "ftth",
                    str(planned_premises),
                    planned.label,
                    *done_cells,
                    "démonstration",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def archives_file(today: dt.date) -> bytes:
    """The Archives' monthly export: images online (a stock) and consultations (per month)."""
    rng = random.Random(SEED + 2)
    lines = ["période;Nombre de documents numérisés et consultations en ligne;"
             "Consultations en ligne des archives;commentaire"]  # fmt: skip
    images = 4_020_000
    month = dt.date(2017, 1, 1)
    last = dt.date(today.year, today.month, 1)
    while month < last:
        images += rng.randint(8_000, 30_000)
        consultations = round(26_000 * (1 + 0.04 * (month.year - 2017)) * rng.uniform(0.8, 1.2))
        lines.append(f"{month:%Y-%m};{images};{consultations};données de démonstration")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return ("\n".join(lines) + "\n").encode("utf-8")


def load_demo_broadband() -> Iterator[str]:
    """Import the demonstration figures, works and series once; yield one line per step."""
    if not demo_allowed():
        yield "Très haut débit de démonstration non chargé : DEBUG est désactivé."
        return
    if FigureImport.objects.filter(is_demo=True).exists():
        return
    communes = list(
        Commune.objects.filter(departement_id=settings.MAILLAGE_DEPARTEMENT_CODE).order_by(
            "insee_code"
        )
    )
    if not communes:
        yield "Très haut débit de démonstration non chargé : aucune commune."
        return
    today = clock.today()
    quarters = demo_quarters(today)
    stories = _stories(communes)
    files: list[tuple[bytes, str, str]] = []
    for quarter in quarters:
        slug = quarter.slug.replace("-", "_")
        files.append(
            (
                speed_file(stories, quarter, wired=True),
                f"demo-{slug}-commune_debit_filaire.csv",
                Layout.MCI_SPEED_WIRED,
            )
        )
        files.append(
            (
                speed_file(stories, quarter, wired=False),
                f"demo-{slug}-commune_debit.csv",
                Layout.MCI_SPEED,
            )
        )
    files.append(
        (
            observatory_file(stories, quarters),
            "demo-obs-hd-thd-deploiement-communes.csv",
            Layout.FTTH_OBSERVATORY,
        )
    )
    files.append(
        (best_file(stories, quarters[-1]), "demo-commune_meilleure_techno_thd.csv", Layout.MCI_BEST)
    )
    values = 0
    with transaction.atomic():
        for content, filename, layout in files:
            result = figures_import(
                content=content,
                filename=filename,
                layout=layout,
                note=NOTE,
                is_demo=True,
                recompute=False,  # once, below
            )
            if result.errors:
                raise RuntimeError(
                    f"Import de démonstration {filename} refusé : {result.errors[:3]}"
                )
            values += result.summary["applied"]["created"]
        yield (
            f"Très haut débit de démonstration : {len(communes)} communes, {len(quarters)} "
            f"trimestres ({quarters[0].label} → {quarters[-1].label}), {values} valeurs fictives."
        )
        yield from _load_works(stories, today)
    recompute_indicators.call([q.end.isoformat() for q in quarters])
    yield from _load_archives(today)


def _load_works(stories: list[DemoCommune], today: dt.date) -> Iterator[str]:
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is None:
        return
    report = works_import(programme=programme, content=works_file(stories, today))
    if report.errors:
        yield f"Chantiers de démonstration refusés : {[str(e) for e in report.errors[:3]]}"
        return
    yield f"Chantiers de démonstration du programme : {report.created} (valeurs fictives)."


def _load_archives(today: dt.date) -> Iterator[str]:
    from maillage.plan.importer import DEFAULT_PLAN_SLUG
    from maillage.plan.models import Plan
    from maillage.plan.series import series_import

    plan = Plan.objects.filter(slug=DEFAULT_PLAN_SLUG).first()
    if plan is None:
        return
    update = series_import(
        plan=plan, content=archives_file(today), filename="demo-archives-export-mensuel.csv"
    )
    if update.errors:
        yield f"Séries de démonstration des Archives refusées : {update.errors[:3]}"
        return
    yield f"Séries de démonstration des Archives (Num03) : {len(update.changes)} valeurs fictives."
