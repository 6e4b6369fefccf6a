"""Indicator sources fed by the broadband figures and the roll-out programme (sheets Num10,
Num11), registered in the plan's registry (`maillage.plan.sources`).

The counts are stocks: the value at a date is, for each commune, its latest figure at or
before that date, summed (a commune whose latest file is older keeps its last figure). With
no figure at all before the date the source raises `NoData`, so no misleading zero is stored.

Filters: `territory` (an INSEE commune code, an EPCI SIREN, or a list), `programme` (a
programme's slug: only the communes where it has works), and for the speed sources `basis`
(`all` — every technology, as Num10's "zéro ligne inéligible […] en mobilisant toutes les
technologies disponibles" —, `terrestrial` — no satellite —, or `wired` — Num10's "−70 % de
lignes à moins de 3 Mbit/s via des solutions filaires").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from maillage.plan import sources

from .figures import basis_dataset, latest_total, programme_communes
from .labels import Category, Dataset, Technology
from .models import Work

FILTERS = ("territory", "programme")
PAGE = ("broadband:map", "le très haut débit, commune par commune")


def _latest(dataset_of, category: str):
    def compute(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
        total = latest_total(
            dataset_of(filters),
            category,
            on=end,
            territory=filters.get("territory"),
            communes=programme_communes(filters.get("programme")),
        )
        if total is None:
            raise sources.NoData
        return Decimal(total)

    return compute


def _works_done(filters: dict):
    works = Work.objects.filter(technology=Technology.FTTH)
    if programme := filters.get("programme"):
        slugs = programme if isinstance(programme, list | tuple) else [programme]
        works = works.filter(phase__programme__slug__in=slugs)
    if territory := filters.get("territory"):
        territory = str(territory)
        if len(territory) == 9:
            works = works.filter(commune__epci_id=territory)
        else:
            works = works.filter(commune_id=territory)
    return works


def communes_covered(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    works = _works_done(filters)
    if not works.exists():
        raise sources.NoData
    return Decimal(works.done_by(end).values("commune_id").distinct().count())


def premises_done(filters: dict, *, start: dt.date | None, end: dt.date) -> Decimal:
    works = _works_done(filters)
    if not works.exists():
        raise sources.NoData
    return Decimal(works.done_by(end).aggregate(n=Sum("done_premises"))["n"] or 0)


def register_all() -> None:
    sources.register(
        "broadband.ineligible_lines",
        label="Locaux inéligibles au haut débit fixe",
        description="Locaux sans accès à 0,5 Mbit/s au moins (« inel_hd » des fichiers « Ma "
        "connexion internet » de l'Arcep), dernier trimestre connu de chaque commune à la "
        "date. Base « all » (toutes technologies, satellite compris), « terrestrial » ou "
        "« wired » (réseaux filaires).",
        unit="lignes",
        compute=_latest(basis_dataset, Category.INELIGIBLE),
        filters=(*FILTERS, "basis"),
        sheets=("Num10",),
        page=PAGE,
    )
    sources.register(
        "broadband.slow_lines",
        label="Locaux à moins de 3 Mbit/s",
        description="Locaux éligibles au haut débit mais à moins de 3 Mbit/s (entre 0,5 et "
        "3 Mbit/s), dernier trimestre connu de chaque commune à la date. Base « wired » "
        "(réseaux filaires) pour l'objectif de Num10, ou « all », « terrestrial ».",
        unit="lignes",
        compute=_latest(basis_dataset, Category.BELOW_3),
        filters=(*FILTERS, "basis"),
        sheets=("Num10",),
        page=PAGE,
    )
    sources.register(
        "broadband.ftth_connectable",
        label="Locaux raccordables à la fibre (FttH)",
        description="Locaux raccordables FttH (observatoire des déploiements de l'Arcep ou "
        "données de l'opérateur du réseau d'initiative publique), dernier trimestre connu de "
        "chaque commune à la date.",
        unit="prises",
        compute=_latest(lambda filters: Dataset.FTTH, Category.CONNECTABLE),
        filters=FILTERS,
        sheets=("Num10", "Num11"),
        page=PAGE,
    )
    sources.register(
        "broadband.programme_communes",
        label="Communes couvertes en FttH par le programme",
        description="Communes où au moins un chantier FttH du programme est mis en service à "
        "la date (trimestre de mise en service révolu).",
        unit="communes",
        compute=communes_covered,
        filters=FILTERS,
        sheets=("Num10",),
        page=PAGE,
    )
    sources.register(
        "broadband.programme_premises",
        label="Prises FttH mises en service par le programme",
        description="Somme des locaux réalisés des chantiers FttH du programme mis en service "
        "à la date.",
        unit="prises",
        compute=premises_done,
        filters=FILTERS,
        sheets=("Num10", "Num11"),
        page=PAGE,
    )
