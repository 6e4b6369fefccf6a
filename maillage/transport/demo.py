"""Demonstration rides for `make run`: a Chalais workshop day with ATLEB vehicles.

Everything is fictitious and marked so (`is_demo=True`, names ending in "(démo)"): two ATLEB
vehicles based in Chalais (a minibus and a wheelchair-accessible car), two drivers with their
shifts on the day of the next Espace Numérique Sud Charente workshop at Chalais (Tuesdays
14:00–15:30, `appointments.demo`), and eight people from the surrounding communes asking for a
ride there and back, one in a wheelchair, one with a companion. Positions are the communes'
centroids (marked approximate). Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from maillage import clock
from maillage.organisations.models import Organisation
from maillage.territory.models import Commune

from .labels import RideStatus
from .models import Driver, RideRequest, Shift, Vehicle

MARK = "(démo)"
OPERATOR = "atleb"
CHALAIS_PLACE = "demo-ensc-16073"
DEPOT = ("Chalais (dépôt fictif)", 45.2747, 0.0387)
# (name, commune INSEE, wheelchair, companion, outbound, return)
RIDERS = [
    ("Mme A.", "16066", False, False, True, True),  # Brossac
    ("M. B.", "16029", False, False, True, True),  # Bardenac
    ("Mme C.", "16112", True, False, True, True),  # Courlac
    ("M. D.", "16346", False, True, True, True),  # Saint-Quentin-de-Chalais
    ("Mme E.", "16063", False, False, True, True),  # Brie-sous-Chalais
    ("M. F.", "16350", False, False, True, False),  # Saint-Séverin
    ("Mme G.", "16222", False, False, True, True),  # Montboyer
    ("M. H.", "16073", False, False, False, True),  # Chalais
]


def next_chalais_session():
    from maillage.appointments.models import Session

    return (
        Session.objects.filter(place__standard_id=CHALAIS_PLACE, starts_at__gt=clock.now())
        .select_related("place")
        .order_by("starts_at")
        .first()
    )


def load_demo_transport() -> Iterator[str]:
    operator = Organisation.objects.filter(slug=OPERATOR).first()
    session = next_chalais_session()
    if operator is None or session is None:
        yield "Transport de démonstration non chargé : ATLEB ou l'atelier de Chalais manque."
        return
    day = timezone.localdate(session.starts_at)
    with transaction.atomic():
        minibus, _ = Vehicle.objects.get_or_create(
            operator=operator,
            label=f"Minibus ATLEB {MARK}",
            defaults={
                "seats": 8,
                "wheelchair_places": 1,
                "depot_address": DEPOT[0],
                "depot_latitude": DEPOT[1],
                "depot_longitude": DEPOT[2],
                "weekdays": [0, 1, 2, 3, 4],
                "is_demo": True,
            },
        )
        car, _ = Vehicle.objects.get_or_create(
            operator=operator,
            label=f"Voiture TPMR ATLEB {MARK}",
            defaults={
                "seats": 4,
                "wheelchair_places": 1,
                "depot_address": DEPOT[0],
                "depot_latitude": DEPOT[1],
                "depot_longitude": DEPOT[2],
                "weekdays": [1, 3],
                "is_demo": True,
            },
        )
        drivers = []
        for name, phone in (
            (f"Chauffeur Alain {MARK}", "06 00 00 00 01"),
            (f"Chauffeuse Brigitte {MARK}", "06 00 00 00 02"),
        ):
            driver, _ = Driver.objects.get_or_create(
                operator=operator, name=name, defaults={"phone": phone, "is_demo": True}
            )
            drivers.append(driver)
        for driver, vehicle in zip(drivers, (minibus, car), strict=True):
            Shift.objects.get_or_create(
                driver=driver,
                vehicle=vehicle,
                date=day,
                start=dt.time(12, 30),
                defaults={"end": dt.time(17, 30)},
            )
        place = session.place
        created = 0
        communes = {c.pk: c for c in Commune.objects.filter(pk__in=[r[1] for r in RIDERS])}
        for name, insee, wheelchair, companion, outbound, back in RIDERS:
            commune = communes.get(insee)
            if commune is None:
                continue
            _, made = RideRequest.objects.get_or_create(
                operator=operator,
                date=day,
                name=f"{name} {MARK}",
                defaults={
                    "phone": "06 00 00 00 00",
                    "commune": commune,
                    "latitude": commune.latitude,
                    "longitude": commune.longitude,
                    "approximate": True,
                    "position_note": "position approximative : centre de la commune",
                    "place": place,
                    "outbound": outbound,
                    "return_trip": back,
                    "arrive_by": session.starts_at if outbound else None,
                    "leave_after": session.ends_at if back else None,
                    "wheelchair": wheelchair,
                    "companion": companion,
                    "status": RideStatus.REQUESTED,
                    "is_demo": True,
                },
            )
            created += made
    yield (
        f"Transport de démonstration : 2 véhicules ATLEB, {created} demande(s) de transport "
        f"pour l'atelier de Chalais du {day:%d/%m/%Y}."
    )
