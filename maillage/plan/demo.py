"""Demonstration measurements on the Charente plan's sheets, so the dashboard shows progress.

The values are invented ("données de démonstration"): each one says so in its comment and
its provenance, and they are only loaded where demonstration data belongs (DEBUG on, as with
`make run`, or the setting MAILLAGE_DEMO_ACCOUNTS). They are manual measurements, so
re-importing the sheets never removes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction

from .importer import DEFAULT_PLAN_SLUG
from .labels import MeasurementSource, SheetStatus
from .models import ActionSheet, Indicator, Measurement

DEMO_COMMENT = "Données de démonstration (valeur fictive)."
DEMO_PROVENANCE = {"demo": True, "note": "données de démonstration"}

# (sheet ref, indicator label, date, value): indicators the seed gives numeric targets.
DEMO_MEASUREMENTS = (
    # Num08: 0 points of mediation (2016/2017) → 15 (2019) → 59 (2022).
    ("Num08", "Nombre de points de médiation dans le département", dt.date(2018, 12, 31), 4),
    ("Num08", "Nombre de points de médiation dans le département", dt.date(2019, 12, 31), 12),
    ("Num08", "Nombre de points de médiation dans le département", dt.date(2021, 12, 31), 21),
)


# Where each sheet stands in the demonstration (the imported sheets all start "not started").
DEMO_STATUSES = {
    "Num01": SheetStatus.IN_PROGRESS,
    "Num02": SheetStatus.IN_PROGRESS,
    "Num03": SheetStatus.DONE,
    "Num04": SheetStatus.IN_PROGRESS,
    "Num05": SheetStatus.IN_PROGRESS,
    "Num06": SheetStatus.IN_PROGRESS,
    "Num07": SheetStatus.IN_PROGRESS,
    "Num08": SheetStatus.LATE,
    "Num09": SheetStatus.IN_PROGRESS,
    "Num10": SheetStatus.IN_PROGRESS,
    "Num11": SheetStatus.SUSPENDED,
}


def demo_measurements_allowed() -> bool:
    from maillage.organisations.demo import demo_accounts_allowed

    return demo_accounts_allowed()


def load_demo_measurements(*, plan_slug: str = DEFAULT_PLAN_SLUG) -> Iterator[str]:
    """Record the demonstration measurements once; yield one line per step."""
    if not demo_measurements_allowed():
        yield "Mesures de démonstration non chargées : DEBUG est désactivé."
        return
    created = 0
    with transaction.atomic():
        for ref, label, date, value in DEMO_MEASUREMENTS:
            indicator = Indicator.objects.filter(
                sheet__plan__slug=plan_slug, sheet__ref=ref, label=label
            ).first()
            if indicator is None:
                yield (
                    f"Mesure de démonstration ignorée : indicateur « {label} » de la fiche {ref} "
                    f"absent du schéma {plan_slug} (fiches non importées ?)."
                )
                continue
            _measurement, was_created = Measurement.objects.get_or_create(
                indicator=indicator,
                date=date,
                comment=DEMO_COMMENT,
                defaults={
                    "value": Decimal(value),
                    "source": MeasurementSource.MANUAL,
                    "provenance": DEMO_PROVENANCE,
                },
            )
            created += was_created
    if created:
        yield f"Mesures de démonstration : {created} enregistrée(s) (valeurs fictives)."
    yield from _demo_statuses(plan_slug)


def _demo_statuses(plan_slug: str) -> Iterator[str]:
    """Move the sheets still "not started" to their demonstration status, along declared
    transitions (through "in progress" when needed), each change logged."""
    moved = 0
    with transaction.atomic():
        for sheet in ActionSheet.objects.filter(
            plan__slug=plan_slug, ref__in=DEMO_STATUSES, status=SheetStatus.NOT_STARTED
        ):
            target = DEMO_STATUSES[sheet.ref]
            if target == SheetStatus.DONE:
                sheet.change_status(SheetStatus.IN_PROGRESS, comment=DEMO_COMMENT)
            sheet.change_status(target, comment=DEMO_COMMENT)
            moved += 1
    if moved:
        yield f"Statuts de démonstration : {moved} fiche(s) mise(s) à jour."
