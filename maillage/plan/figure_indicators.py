"""Numeric indicators for figures a sheet's description states but its follow-up leaves as text.

Num10's follow-up indicator is "Mise en service des réseaux", with targets written as text
("Choix structurants au 31/12/2016", "Mise en service de l'ensemble du programme"): they stay
as written. Its description, though, states figures the importer keeps as key figures
(`KeyFigure`): 4 300 lines ineligible to ADSL and 50 200 lines under 3 Mbit/s to bring to
zero and down by 70 % by 2020, at least 114 communes and about 41 000 FttH premises. Each
becomes an indicator whose targets quote the key figure they come from — created only when
the sheet does state it (same value and unit), so every number shown is the plan's. Num03's
indicator counts "documents numérisés et consultations en ligne" together; online
consultations get their own indicator, fed by the archives' exports (`series.py`).

`ensure_figure_indicators(plan)` is idempotent and leaves alone an indicator that already
exists (people may have edited it); `bind_seed_indicators` then binds those the data feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .labels import Comparator, Direction, TargetKind
from .models import ActionSheet, Indicator, KeyFigure, Plan, Target


@dataclass(frozen=True)
class FigureTarget:
    kind: str
    year: int
    value: Decimal | None = None  # a value the sheet states outright ("zéro ligne")
    figure: tuple[Decimal, str] | None = None  # (value, unit) of the key figure quoted
    base: tuple[Decimal, str] | None = None  # for a reduction: the figure it applies to
    comparator: str = ""
    note: str = ""


@dataclass(frozen=True)
class FigureIndicator:
    ref: str
    label: str
    unit: str
    direction: str
    targets: tuple[FigureTarget, ...]
    note: str = ""


D = Decimal
SEED_FIGURE_INDICATORS: tuple[FigureIndicator, ...] = (
    FigureIndicator(
        "Num10",
        "Lignes inéligibles à tout accès fixe à internet",
        "lignes",
        Direction.DECREASE,
        (
            FigureTarget(TargetKind.INITIAL, 2016, figure=(D(4300), "lignes")),
            FigureTarget(
                TargetKind.FINAL,
                2020,
                value=D(0),
                figure=(D(0), "ligne"),
                note="« zéro ligne inéligible à internet en mobilisant toutes les technologies "
                "disponibles (FttH, montée en débit du réseau cuivre, réseau radio, solution "
                "satellite) »",
            ),
        ),
        note="Chiffres de la description de la fiche ; valeurs calculées à partir des "
        "statistiques « Ma connexion internet » de l'Arcep, toutes technologies.",
    ),
    FigureIndicator(
        "Num10",
        "Lignes à moins de 3 Mbit/s",
        "lignes",
        Direction.DECREASE,
        (
            FigureTarget(TargetKind.INITIAL, 2016, figure=(D(50200), "lignes")),
            FigureTarget(
                TargetKind.FINAL,
                2020,
                figure=(D(70), "%"),
                base=(D(50200), "lignes"),
                note="« en réduisant de 70 % le nombre de lignes avec un débit inférieur à "
                "3 Mbit/s via des solutions filaires »",
            ),
        ),
        note="Lignes éligibles mais à moins de 3 Mbit/s, réseaux filaires (statistiques « Ma "
        "connexion internet » de l'Arcep).",
    ),
    FigureIndicator(
        "Num10",
        "Communes couvertes en fibre (FttH) par le programme",
        "communes",
        Direction.INCREASE,
        (
            FigureTarget(
                TargetKind.INITIAL,
                2016,
                value=D(0),
                note="Avant les travaux : « choix structurants au 31/12/2016 ».",
            ),
            FigureTarget(
                TargetKind.FINAL, 2021, figure=(D(114), "communes"), comparator=Comparator.GTE
            ),
        ),
        note="Communes où un chantier FttH du programme est mis en service.",
    ),
    FigureIndicator(
        "Num10",
        "Prises FttH raccordables dans les communes du programme",
        "prises",
        Direction.INCREASE,
        (
            FigureTarget(
                TargetKind.INITIAL,
                2016,
                value=D(0),
                note="Avant les travaux : « choix structurants au 31/12/2016 ».",
            ),
            FigureTarget(
                TargetKind.FINAL, 2021, figure=(D(41000), "prises"), comparator=Comparator.APPROX
            ),
        ),
        note="Locaux raccordables FttH (observatoire des déploiements de l'Arcep) dans les "
        "communes où le programme a des chantiers.",
    ),
    FigureIndicator(
        "Num03",
        "Consultations en ligne des archives",
        "consultations",
        Direction.INCREASE,
        (),
        note="Consultations des documents en ligne, d'après les exports du site des Archives "
        "départementales (import de séries).",
    ),
)


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _figure(sheet_figures: list[KeyFigure], value: Decimal, unit: str) -> KeyFigure | None:
    return next(
        (
            f
            for f in sheet_figures
            if f.value is not None and f.value == value and _fold(f.unit) == _fold(unit)
        ),
        None,
    )


def _quoted(figure: KeyFigure) -> str:
    where = f" (ligne {figure.source_line})" if figure.source_line else ""
    return f"D'après la description de la fiche{where} : « {figure.raw or figure} »."


def _targets(spec: FigureIndicator, figures: list[KeyFigure]) -> list[dict] | None:
    """The targets' fields, or None when the sheet does not state a figure they need."""
    result = []
    for target in spec.targets:
        value, notes = target.value, [target.note] if target.note else []
        if target.figure is not None:
            figure = _figure(figures, *target.figure)
            if figure is None:
                return None
            notes.append(_quoted(figure))
            if target.base is not None:
                base = _figure(figures, *target.base)
                if base is None:
                    return None
                value = base.value * (1 - figure.value / 100)
            elif value is None:
                value = figure.value
        result.append(
            {
                "kind": target.kind,
                "value": value,
                "year": target.year,
                "comparator": target.comparator,
                "note": " ".join(notes),
            }
        )
    return result


@transaction.atomic
def ensure_figure_indicators(plan: Plan) -> list[Indicator]:
    """Create the seed's figure indicators the plan's sheets support; returns those created."""
    created = []
    sheets = {s.ref: s for s in ActionSheet.objects.filter(plan=plan)}
    for spec in SEED_FIGURE_INDICATORS:
        sheet = sheets.get(spec.ref)
        if sheet is None:
            continue
        existing = {_fold(label) for label in sheet.indicators.values_list("label", flat=True)}
        if _fold(spec.label) in existing:
            continue
        targets = _targets(spec, list(sheet.key_figures.all()))
        if targets is None:
            continue
        order = max(sheet.indicators.values_list("order", flat=True), default=0) + 1
        indicator = Indicator.objects.create(
            sheet=sheet,
            label=spec.label,
            unit=spec.unit,
            direction=spec.direction,
            note=spec.note,
            order=order,
        )
        for fields in targets:
            Target.objects.create(indicator=indicator, **fields)
        created.append(indicator)
    return created
