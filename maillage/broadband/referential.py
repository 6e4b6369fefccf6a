"""The Charente's roll-out programme as its sheets describe it (Num10, Num11).

Num10 states the programme: a first phase of the very-high-speed plan by 2021 (81,4 M€),
FttH first with at least 114 communes (about 41 000 premises), a copper upgrade programme
(about 50 sub-distribution frames), an activated backhaul network, radio and satellite
where wires will not go, and within it the SDEG's operation in three EPCI of Angoulême's
second ring (7,3 M€). Num11 is the CC des 4B Sud Charente's share of the works
(3 374 200 €, 2018–2020). Its milestones are Num10's: end of the copper upgrade and radio
and first FttH premises by 31/12/2018, everything in service in 2021.

`load_programme` creates what is missing and never overwrites what people changed. Works by
commune are not in the sheets: the operator's or the pilots' data bring them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import transaction

from maillage.organisations.models import Organisation
from maillage.plan.models import ActionSheet, BudgetLine, Milestone, Plan

from .labels import Technology
from .models import Phase, Programme

PROGRAMME_SLUG = "charente-thd"
EPCI_4B = "200029734"

PHASES = (
    {
        "name": "Fibre jusqu'à l'abonné — 1re plaque FttH",
        "technology": Technology.FTTH,
        "target_premises": 41000,
        "start_year": 2016,
        "end_year": 2021,
        "description": "Priorité au FttH : à minima 114 communes couvertes (environ 41 000 "
        "prises).",
    },
    {
        "name": "Montée en débit filaire",
        "technology": Technology.COPPER_UPGRADE,
        "start_year": 2016,
        "end_year": 2018,
        "description": "Environ 50 sous-répartiteurs.",
    },
    {
        "name": "Réseau de collecte activé",
        "technology": Technology.BACKHAUL,
        "start_year": 2016,
        "end_year": 2021,
    },
    {
        "name": "Technologies complémentaires (radio, satellite)",
        "technology": Technology.RADIO,
        "start_year": 2016,
        "end_year": 2018,
        "description": "Pour les territoires qui ne bénéficieront pas des technologies filaires.",
    },
    {
        "name": "Opération du SDEG — 2e couronne d'Angoulême",
        "technology": Technology.FTTH,
        "owner": "sdeg-charente",
        "amount": Decimal("7300000"),
        "territory_text": "EPCI de la 2e couronne d'Angoulême : Braconne Charente, Charente "
        "Boëme Charraud et Vallée de l'Échelle (fondus depuis dans GrandAngoulême).",
        "start_year": 2016,
        "end_year": 2021,
    },
    {
        "name": "Participation de la CC des 4B Sud Charente",
        "technology": Technology.FTTH,
        "sheet": "Num11",
        "owner": "cc-4b-sud-charente",
        "epcis": [EPCI_4B],
        "start_year": 2018,
        "end_year": 2020,
        "description": "Participation au financement des travaux sur le territoire de la "
        "communauté de communes.",
    },
)

MILESTONES = (
    (
        "Fin de la montée en débit filaire et radio ; mise en service d'une partie des prises "
        "de la 1re plaque FttH",
        dt.date(2018, 12, 31),
    ),
    ("Mise en service de l'ensemble du programme", dt.date(2021, 12, 31)),
)


@transaction.atomic
def load_programme(plan: Plan) -> Iterator[str]:
    """Create the programme, its phases and Num10's milestones where missing."""
    sheets = {s.ref: s for s in ActionSheet.objects.filter(plan=plan, ref__in=["Num10", "Num11"])}
    num10 = sheets.get("Num10")
    if num10 is None:
        yield "Programme très haut débit non créé : la fiche Num10 est absente du schéma."
        return
    organisations = {o.slug: o for o in Organisation.objects.all()}
    programme, created = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "Programme Charente Très Haut Débit — 1re phase",
            "sheet": num10,
            "owner": organisations.get("smo-charente-numerique"),
            "start_year": 2016,
            "end_year": 2021,
            "target_premises": 41000,
            "target_communes": 114,
            "description": "Réduire les zones inéligibles à l'ADSL et celles où le débit est "
            "inférieur à 3 Mbit/s, et couvrir progressivement le département d'un réseau tout "
            "fibre optique. Périmètre : le département hors zones AMII (GrandAngoulême, "
            "périmètre 2016 hors Mornac, et la ville de Cognac, couverts par Orange).",
        },
    )
    phases_created = 0
    for order, spec in enumerate(PHASES, start=1):
        if programme.phases.filter(name=spec["name"]).exists():
            continue
        sheet = sheets.get(spec.get("sheet", ""))
        budget_line = None
        if sheet is not None:
            budget_line = BudgetLine.objects.filter(sheet=sheet).order_by("order", "pk").first()
        phase = Phase.objects.create(
            programme=programme,
            name=spec["name"],
            technology=spec["technology"],
            sheet=sheet,
            owner=organisations.get(spec.get("owner", "")),
            budget_line=budget_line,
            amount=spec.get("amount"),
            territory_text=spec.get("territory_text", ""),
            target_premises=spec.get("target_premises"),
            start_year=spec.get("start_year"),
            end_year=spec.get("end_year"),
            description=spec.get("description", ""),
            order=order,
        )
        phase.epcis.set(spec.get("epcis", []))
        phases_created += 1
    milestones_created = 0
    for order, (label, date) in enumerate(MILESTONES, start=1):
        _milestone, made = Milestone.objects.get_or_create(
            sheet=num10, label=label, defaults={"date": date, "year": date.year, "order": order}
        )
        milestones_created += made
    if created or phases_created or milestones_created:
        yield (
            f"Programme très haut débit « {programme.name} » : {phases_created} phase(s) et "
            f"{milestones_created} jalon(s) créés."
        )
