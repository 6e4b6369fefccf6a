"""Demonstration data of the mediation app: fictitious people and accompaniments.

A few dozen pseudonymous beneficiaries of the Espace Numérique Sud Charente in the Sud
Charente communes, with individual accompaniments (at home, in the workshops' places, at the
Points Visio), group courses, outcomes and fees over 2024–2026, and the MSA's workshops on its
private space: enough for the computed indicators and the dashboards to show values. Every
row is marked `is_demo`; people carry no name, only a first name from a fixed fictitious list.
Loaded once (idempotent), only where demonstration data belongs (as the demo accounts).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from maillage.organisations.models import Organisation
from maillage.places.labels import PlaceKind
from maillage.places.models import Place
from maillage.territory.models import Commune

from .labels import (
    AccompanimentKind,
    Autonomy,
    EquipmentMeans,
    HomeEquipment,
    LocationKind,
    OnlineAccount,
    OutcomeKind,
    PaymentMethod,
    Situation,
    SubscriptionKind,
)
from .models import Accompaniment, Beneficiary, Outcome, Participation, Subscription

ENSC = "espace-numerique-sud-charente"
MSA = "msa-des-charentes"
# The 8 communes of the Espace Numérique Sud Charente's workshops (sheet Num01).
COMMUNES = ["16230", "16046", "16348", "16073", "16025", "16408", "16028", "16066"]
FIRST_NAMES = [
    "Jeannine", "Marcel", "Odette", "René", "Paulette", "Gérard", "Simone", "Roger", "Yvette",
    "André", "Colette", "Bernard", "Nadia", "Karim", "Sophie", "Lucas", "Émilie", "Thierry",
]  # fmt: skip
SITUATIONS = [Situation.RETIRED] * 6 + [
    Situation.JOBSEEKER,
    Situation.RSA,
    Situation.EMPLOYEE,
    Situation.SELF_EMPLOYED,
    Situation.OTHER,
]
THEMES_INDIVIDUAL = ["taxes", "health", "caf", "pension", "ants", "email", "smartphone", "safety"]
COUNT = 48


def demo_allowed() -> bool:
    from maillage.organisations.demo import demo_accounts_allowed

    return demo_accounts_allowed()


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def load_demo_mediation(*, compute: bool = True) -> Iterator[str]:
    if not demo_allowed():
        yield "Médiation de démonstration non chargée : DEBUG est désactivé."
        return
    if Beneficiary.objects.filter(is_demo=True).exists():
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[ENSC, MSA])}
    communes = {c.pk: c for c in Commune.objects.filter(pk__in=COMMUNES).defer("contour")}
    if ENSC not in organisations or len(communes) < len(COMMUNES):
        yield "Médiation de démonstration non chargée : chargez d'abord le référentiel."
        return
    ensc, msa = organisations[ENSC], organisations.get(MSA)
    places = list(Place.objects.filter(organisation=ensc).order_by("pk"))
    visio = list(Place.objects.filter(kind=PlaceKind.POINT_VISIO).order_by("pk"))
    rng = random.Random(16)
    today = timezone.localdate()
    first_day = dt.date(2024, 1, 8)
    with transaction.atomic():
        people = []
        for index in range(COUNT):
            situation = rng.choice(SITUATIONS)
            person = Beneficiary.objects.create(
                organisation=ensc,
                first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                commune=communes[rng.choice(COMMUNES)],
                birth_year=rng.randint(1935, 2004)
                if situation != Situation.RETIRED
                else rng.randint(1935, 1960),
                situation=situation,
                receives_rsa=situation == Situation.RSA
                or (situation == Situation.SELF_EMPLOYED and rng.random() < 0.5),
                home_equipment=rng.choice(
                    [[HomeEquipment.NONE], [HomeEquipment.SMARTPHONE], [HomeEquipment.COMPUTER]]
                ),
                connection=rng.choice(["none", "mobile_only", "fixed"]),
                autonomy=Autonomy.DONE_FOR,
                is_demo=True,
                created_at=timezone.make_aware(dt.datetime.combine(first_day, dt.time(9)), dt.UTC),
            )
            people.append(person)
        accompaniments = []
        participations = []
        for person in people:
            for _visit in range(rng.choice([1, 1, 2, 3])):
                at_home = rng.random() < 0.4
                place = None
                if not at_home:
                    place = rng.choice(visio) if visio and rng.random() < 0.2 else None
                    place = place or (rng.choice(places) if places else None)
                a = Accompaniment(
                    organisation=ensc,
                    kind=rng.choice([AccompanimentKind.INDIVIDUAL, AccompanimentKind.PROCEDURE]),
                    date=_day(rng, first_day, today),
                    duration_minutes=rng.choice([30, 45, 60, 90]),
                    location_kind=LocationKind.HOME if at_home or not place else LocationKind.PLACE,
                    place=place,
                    commune=place.commune if place and place.commune_id else person.commune,
                    themes=rng.sample(THEMES_INDIVIDUAL, 2)
                    + (["mobility"] if rng.random() < 0.15 else []),
                    equipment_used=["tablet"] if at_home else ["computer"],
                    autonomy=rng.choice([Autonomy.DONE_FOR, Autonomy.PARTIAL]),
                    is_demo=True,
                )
                accompaniments.append((a, [person]))
        # Weekly group courses (1 h 30) in the workshops' places, 2024–2026.
        course_day = first_day
        while course_day <= today:
            place = places[(course_day.toordinal() // 7) % len(places)] if places else None
            group = rng.sample(people, rng.randint(3, 7))
            a = Accompaniment(
                organisation=ensc,
                kind=AccompanimentKind.COLLECTIVE,
                title="Cours collectif",
                date=course_day,
                duration_minutes=90,
                location_kind=LocationKind.PLACE if place else LocationKind.REMOTE,
                place=place,
                commune=place.commune if place else None,
                themes=[rng.choice(["basics", "email", "internet", "safety", "smartphone"])],
                anonymous_participants=rng.randint(0, 3),
                is_demo=True,
            )
            accompaniments.append((a, group))
            course_day += dt.timedelta(days=14)
        if msa is not None:
            for year in (2024, 2025, 2026):
                for month in (3, 6, 10):
                    day = dt.date(year, month, 12)
                    if day > today:
                        continue
                    a = Accompaniment(
                        organisation=msa,
                        kind=AccompanimentKind.COLLECTIVE,
                        title="Atelier : l'espace privé du site de la MSA",
                        date=day,
                        duration_minutes=120,
                        location_kind=LocationKind.PLACE if places else LocationKind.REMOTE,
                        place=places[0] if places else None,
                        commune=places[0].commune if places else None,
                        themes=["msa"],
                        anonymous_participants=rng.randint(5, 9),
                        is_demo=True,
                    )
                    accompaniments.append((a, []))
        Accompaniment.objects.bulk_create([a for a, _ in accompaniments])
        for a, group in accompaniments:
            participations += [Participation(accompaniment=a, beneficiary=p) for p in group]
        Participation.objects.bulk_create(participations)
        outcomes = _outcomes(rng, people, accompaniments, ensc, msa, today)
        Outcome.objects.bulk_create(outcomes)
        for number, person in enumerate(people[:12], start=1):
            Subscription.objects.create(
                organisation=ensc,
                beneficiary=person,
                kind=SubscriptionKind.MEMBERSHIP,
                starts_on=dt.date(2025, 9, 1),
                ends_on=dt.date(2026, 8, 31),
                amount="30.00",
                payment_method=PaymentMethod.CHEQUE,
                paid_on=dt.date(2025, 9, 1),
                receipt_number=f"2025-{number:05d}",
                is_demo=True,
            )
        for person in people[12:18]:
            Subscription.objects.create(
                organisation=ensc,
                beneficiary=person,
                kind=SubscriptionKind.FREE_TRACK,
                starts_on=dt.date(2025, 9, 1),
                ends_on=dt.date(2025, 12, 31),
                amount="0.00",
                payment_method=PaymentMethod.FREE,
                is_demo=True,
            )
    yield (
        f"Médiation de démonstration : {len(people)} bénéficiaires fictifs, "
        f"{len(accompaniments)} accompagnements et ateliers, {len(outcomes)} suivis."
    )
    if compute:
        from maillage.plan.computed import compute_all

        for year in (2024, 2025):
            compute_all(on=dt.date(year, 12, 31))
        done = compute_all(on=today)
        yield f"Indicateurs calculés à partir des données : {len(done)}."


def _outcomes(rng, people, accompaniments, ensc, msa, today) -> list[Outcome]:
    first_individual: dict[int, dt.date] = {}
    for a, group in accompaniments:
        if a.kind != AccompanimentKind.COLLECTIVE:
            for p in group:
                first_individual[p.pk] = min(first_individual.get(p.pk, a.date), a.date)
    outcomes = []
    for a, group in sorted(accompaniments, key=lambda item: item[0].date):
        if a.kind != AccompanimentKind.COLLECTIVE or a.organisation_id != ensc.pk:
            continue
        for p in group:
            if p.pk in first_individual and first_individual[p.pk] < a.date:
                outcomes.append(
                    Outcome(
                        beneficiary=p,
                        organisation=ensc,
                        kind=OutcomeKind.JOINED_COLLECTIVE,
                        date=a.date,
                        is_demo=True,
                    )
                )
                del first_individual[p.pk]
    joined = [o.beneficiary for o in outcomes]
    for person in joined[: len(joined) // 2]:
        outcomes.append(
            Outcome(
                beneficiary=person,
                organisation=ensc,
                kind=OutcomeKind.EQUIPPED,
                equipment_means=rng.choice([EquipmentMeans.BOUGHT, EquipmentMeans.RECEIVED]),
                date=min(today, dt.date(2025, 11, 15)),
                is_demo=True,
            )
        )
    for person in people[::5]:
        outcomes.append(
            Outcome(
                beneficiary=person,
                organisation=ensc,
                kind=OutcomeKind.AUTONOMY,
                autonomy=Autonomy.PARTIAL,
                date=min(today, dt.date(2025, 6, 30)),
                is_demo=True,
            )
        )
    if msa is not None:
        for person in people[::4]:
            outcomes.append(
                Outcome(
                    beneficiary=person,
                    organisation=msa,
                    kind=OutcomeKind.ONLINE_ACCOUNT,
                    account=OnlineAccount.MSA,
                    date=min(today, dt.date(2025, 3, 12)),
                    is_demo=True,
                )
            )
    return outcomes
