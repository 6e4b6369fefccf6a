"""Small factories for the plan app's tests.

PlanFactory(), ActionSheetFactory(plan=plan, ref="Num08")
IndicatorFactory(sheet=sheet), TargetFactory(indicator=i, kind="final", value=59, year=2022)
num08(plan, pilot_org)  → Num08 with its indicator and targets as in the source document
"""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from maillage.plan import models
from maillage.plan.labels import ActorRole, MeetingBody, TargetKind
from maillage.territory.labels import ScopeLevel


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = models.Plan
        django_get_or_create = ("slug",)

    name = "Schéma départemental d'amélioration de l'accessibilité des services au public"
    slug = factory.Sequence(lambda n: f"sdaasp-{n}")
    period_start = 2018
    period_end = 2023


class ActionSheetFactory(DjangoModelFactory):
    class Meta:
        model = models.ActionSheet

    plan = factory.SubFactory(PlanFactory)
    ref = factory.Sequence(lambda n: f"Num{n + 1:02d}")
    date = dt.date(2017, 12, 20)
    theme = "Numérique"
    action = "Développement des usages du numérique"
    sub_action = factory.Sequence(lambda n: f"Sous-action {n}")
    description = "Description de la fiche."
    scope_text = "Département"
    scope_level = ScopeLevel.DEPARTEMENT
    calendar_text = "2018-2019"
    digital = True

    class Params:
        confidential_trait = factory.Trait(confidential=True)


class SheetActorFactory(DjangoModelFactory):
    class Meta:
        model = models.SheetActor

    sheet = factory.SubFactory(ActionSheetFactory)
    name = factory.LazyAttribute(lambda a: a.organisation.name if a.organisation else "Acteur")
    organisation = None
    role = ActorRole.PILOT
    mission = "Mission de l'acteur"


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = models.Indicator

    sheet = factory.SubFactory(ActionSheetFactory)
    label = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "points"


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = models.Target

    indicator = factory.SubFactory(IndicatorFactory)
    kind = TargetKind.FINAL
    value = Decimal(10)
    year = 2022


class MeasurementFactory(DjangoModelFactory):
    class Meta:
        model = models.Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal(1)
    date = dt.date(2019, 1, 1)


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = models.BudgetLine

    sheet = factory.SubFactory(ActionSheetFactory)
    label = "Salaire"
    amount = Decimal("6000.00")


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    plan = factory.SubFactory(PlanFactory)
    body = MeetingBody.COPIL
    title = "Comité de pilotage"
    starts_at = factory.LazyFunction(lambda: dt.datetime(2030, 1, 15, 14, tzinfo=dt.UTC))


def num08(plan, pilot_org=None, **extra):
    """Num08 (library mediation points) as written in the source document."""
    sheet = ActionSheetFactory(
        plan=plan,
        ref="Num08",
        sub_action="Accompagnement à l'usage du numérique dans les bibliothèques",
        scope_text="département",
        calendar_text="2018-2019",
        cost_notes="gratuit pour l'usager",
        funding_text="Etat et Département",
        **extra,
    )
    SheetActorFactory(
        sheet=sheet,
        organisation=pilot_org,
        name="Département. Développement de la lecture publique",
        mission="Développement de la lecture publique",
    )
    indicator = IndicatorFactory(
        sheet=sheet, label="Nombre de points de médiation dans le département", unit="points"
    )
    TargetFactory(indicator=indicator, kind=TargetKind.INITIAL, value=0, year=2017)
    TargetFactory(indicator=indicator, kind=TargetKind.INTERMEDIATE, value=15, year=2019)
    TargetFactory(indicator=indicator, kind=TargetKind.FINAL, value=59, year=2022)
    return sheet
