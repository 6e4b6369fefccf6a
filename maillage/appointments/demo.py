"""Demonstration appointments for `make run`: fictitious agents and services, marked as such.

Needs the demonstration places (`maillage.places.demo`) and the referential organisations.
Everything created here has `is_demo=True` and a name ending in "(démo)"; loading twice
changes nothing (the workshop series only gain their missing sessions).

What it shows: Point Visio appointments with the Caf, the CPAM and the MSA in the town halls
of sheet Num06 (each town hall's room is a resource booked with the agent); the Espace
Numérique Sud Charente's weekly workshop every Tuesday 14:00–15:30 at Chalais and its 1 h
individual sessions (Num01), home visits by a mediator (Num01/Num05), and the MSA's
collective sessions on its website (Num07).
"""

import datetime as dt
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from maillage import clock
from maillage.organisations.models import Organisation, User
from maillage.places.labels import PlaceKind
from maillage.places.models import Place

from . import services
from .labels import Attendance, BookableBy, BookedVia, ResourceKind, ServiceKind
from .models import Agent, Booking, Resource, Service, WeeklyRule, WorkshopSeries
from .slots import service_slots

MARK = "(démo)"
DEMO_DOMAIN = "demo.maillage.fr"

# operator slug → (agent name, demo account, remote weekly windows, service, documents)
VISIO_OPERATORS = {
    "caf-charente": (
        "Conseillère Caf",
        f"agent.caf@{DEMO_DOMAIN}",
        [(1, "09:00", "12:00"), (3, "09:00", "12:00"), (3, "14:00", "17:00")],
        "Rendez-vous Caf en visio : prestations, RSA, prime d'activité",
        "Numéro d'allocataire\nAvis d'imposition\nRelevé d'identité bancaire (RIB)",
    ),
    "cpam-charente": (
        "Conseiller Assurance maladie",
        "",
        [(0, "09:00", "12:00"), (4, "09:00", "12:00")],
        "Rendez-vous Assurance maladie en visio : droits, complémentaire santé solidaire",
        "Carte Vitale\nPièce d'identité\nDernier avis d'imposition",
    ),
    "msa-des-charentes": (
        "Conseillère MSA",
        "",
        [(1, "14:00", "17:00"), (4, "09:00", "12:00")],
        "Rendez-vous MSA en visio : retraite, prestations familiales",
        "Numéro de sécurité sociale\nRelevé de carrière si vous en avez un",
    ),
}
ROOM_WINDOWS = [(d, "09:00", "12:00") for d in range(5)] + [
    (1, "14:00", "17:00"),
    (3, "14:00", "17:00"),
]
ENSC = "espace-numerique-sud-charente"


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _rules(*, agent=None, resource=None, place=None, windows) -> None:
    if WeeklyRule.objects.filter(agent=agent, resource=resource, place=place).exists():
        return
    for weekday, start, end in windows:
        WeeklyRule.objects.create(
            agent=agent,
            resource=resource,
            place=place,
            weekday=weekday,
            start_time=_time(start),
            end_time=_time(end),
        )


def _agent(organisation, name: str, email: str = "") -> Agent:
    agent, _ = Agent.objects.get_or_create(
        organisation=organisation, name=f"{name} {MARK}", defaults={"is_demo": True}
    )
    if email and agent.user_id is None:
        agent.user = User.objects.filter(email=email).first()
        agent.save(update_fields=["user"])
    return agent


def _service(organisation, name: str, **values) -> Service:
    service, _ = Service.objects.update_or_create(
        organisation=organisation, name=name, is_demo=True, defaults=values
    )
    return service


def load_demo_appointments() -> Iterator[str]:
    """Create or refresh the demonstration appointments data (idempotent)."""
    slugs = [*VISIO_OPERATORS, ENSC]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    demo_places = Place.objects.filter(is_demo=True)
    visio_places = list(demo_places.filter(kind=PlaceKind.POINT_VISIO).open_on(clock.today()))
    if len(organisations) < len(slugs) or not visio_places:
        yield (
            "Rendez-vous de démonstration non chargés : "
            "chargez d'abord les organisations et les lieux."
        )
        return
    with transaction.atomic():
        rooms = 0
        for place in visio_places:
            room, created = Resource.objects.get_or_create(
                place=place,
                kind=ResourceKind.VISIO_ROOM,
                defaults={
                    "organisation": place.organisation or organisations[ENSC],
                    "name": f"Salle Point Visio — {place.commune_name} {MARK}",
                    "is_demo": True,
                },
            )
            rooms += created
            _rules(resource=room, windows=ROOM_WINDOWS)
        visio_services = {}
        for slug, (agent_name, email, windows, service_name, documents) in VISIO_OPERATORS.items():
            organisation = organisations[slug]
            agent = _agent(organisation, agent_name, email)
            _rules(agent=agent, windows=windows)
            service = _service(
                organisation,
                service_name,
                kind=ServiceKind.VISIO,
                duration_minutes=45,
                buffer_after_minutes=15,
                min_delay_hours=24,
                max_delay_days=45,
                documents=documents,
                reminder_offsets_minutes=[2880, 120],
                description=(
                    "Entretien personnalisé en visioconférence, dans une salle fermée de la "
                    "mairie, avec l'aide de la secrétaire de mairie formée. "
                    "Donnée de démonstration."
                ),
            )
            service.agents.set([agent])
            service.places.set(visio_places)
            visio_services[slug] = service

        ensc = organisations[ENSC]
        chalais = demo_places.get(standard_id="demo-ensc-16073")
        barbezieux = demo_places.get(standard_id="demo-chateau-barbezieux")
        mediator = _agent(
            ensc, "Médiateur Espace Numérique Sud Charente", f"mediateur@{DEMO_DOMAIN}"
        )
        _rules(
            agent=mediator,
            place=chalais,
            windows=[(3, "09:30", "12:00"), (3, "16:00", "17:30")],
        )
        _rules(
            agent=mediator, place=barbezieux, windows=[(0, "09:00", "12:30"), (4, "13:30", "17:30")]
        )
        _rules(agent=mediator, windows=[(2, "09:00", "12:00"), (2, "14:00", "17:00")])
        individual = _service(
            ensc,
            "Accompagnement individuel au numérique (1 h)",
            kind=ServiceKind.INDIVIDUAL,
            duration_minutes=60,
            min_delay_hours=2,
            max_delay_days=30,
            documents="Votre téléphone, tablette ou ordinateur portable si vous en avez un\n"
            "Vos identifiants (adresse électronique, mots de passe)",
            reminder_offsets_minutes=[1440],
            description="Une heure avec un médiateur pour une démarche ou un usage. Gratuit.",
        )
        individual.agents.set([mediator])
        individual.places.set([chalais, barbezieux])
        home = _service(
            ensc,
            "Visite à domicile d'un médiateur numérique",
            kind=ServiceKind.HOME_VISIT,
            bookable_by=BookableBy.STAFF,
            duration_minutes=60,
            buffer_before_minutes=30,
            buffer_after_minutes=30,
            min_delay_hours=24,
            max_delay_days=30,
            reminder_offsets_minutes=[1440],
            description="Pour les personnes qui ne peuvent pas se déplacer (sur orientation).",
        )
        home.agents.set([mediator])
        workshop = _service(
            ensc,
            "Atelier numérique collectif (1 h 30)",
            kind=ServiceKind.WORKSHOP,
            duration_minutes=90,
            # The fees the place shows (sheet Num01): 30 € membership, then 35 € a semester.
            price_cents=3500,
            documents="Votre téléphone ou votre tablette, chargé",
            reminder_offsets_minutes=[1440],
            description=(
                "Chaque mardi, 1 h 30 en groupe (8 places) pour apprendre pas à pas. "
                "35 € par semestre (toutes les séances du semestre), après l'adhésion de 30 € "
                "à l'Espace Numérique Sud Charente ; la première séance est offerte."
            ),
        )
        workshop.places.set([chalais])
        msa = organisations["msa-des-charentes"]
        msa_session = _service(
            msa,
            "Rendez-vous collectif MSA : utiliser mon espace en ligne",
            kind=ServiceKind.WORKSHOP,
            duration_minutes=120,
            documents="Numéro de sécurité sociale\nAdresse électronique et son mot de passe",
            reminder_offsets_minutes=[2880],
            description=(
                "Séance collective d'accompagnement au site internet de la MSA (fiche Num07)."
            ),
        )
        msa_session.places.set([barbezieux])
        today = clock.today()
        sessions = 0
        for service, place, agent, weekday, start, capacity in (
            (workshop, chalais, None, 1, dt.time(14), 8),
            (msa_session, barbezieux, None, 3, dt.time(14), 12),
        ):
            series, _ = WorkshopSeries.objects.get_or_create(
                service=service,
                place=place,
                weekday=weekday,
                start_time=start,
                defaults={
                    "agent": agent,
                    "capacity": capacity,
                    "starts_on": today,
                    "ends_on": today + dt.timedelta(days=90),
                },
            )
            sessions += services.series_generate_sessions(series=series)
        booked = _demo_bookings(
            individual=individual, visio=visio_services["caf-charente"], today=today
        )
    yield (
        f"Rendez-vous de démonstration : {len(VISIO_OPERATORS)} opérateurs en visio dans "
        f"{len(visio_places)} Points Visio ({rooms} salle(s) créée(s)), ateliers et "
        f"accompagnements de l'Espace Numérique Sud Charente ; {sessions} séance(s) créée(s)"
        + (f", {booked} rendez-vous fictifs." if booked else ".")
    )


# People of the demonstration bookings (fictitious), and what happened at the past ones.
DEMO_PEOPLE = ("Jeanne (démo)", "Marcel (démo)", "Louise (démo)", "Henri (démo)", "Odette (démo)")
PAST_ATTENDANCE = (Attendance.PRESENT, Attendance.ABSENT, Attendance.UNKNOWN)


def _demo_bookings(*, individual: Service, visio: Service, today: dt.date) -> int:
    """Once: three past individual sessions with the mediator (one attended, to turn into an
    accompaniment; one missed; one whose attendance is still to note) and two coming Caf
    appointments in the Points Visio, at free slots of their agendas."""
    if Booking.objects.filter(name__in=DEMO_PEOPLE).exists():
        return 0
    tz = timezone.get_current_timezone()
    fortnight_ago = today - dt.timedelta(days=14)
    past = [
        slot
        for found in service_slots(
            individual,
            start=fortnight_ago,
            end=today - dt.timedelta(days=1),
            now=dt.datetime.combine(fortnight_ago, dt.time.min, tzinfo=tz),
        ).values()
        for slot in found
    ]
    past = sorted(past, key=lambda slot: slot.starts_at)[:: max(len(past) // 3, 1)][:3]
    coming = [
        slot
        # From next week: this week's first slots stay free for whoever tries the demo.
        for found in service_slots(
            visio, start=today + dt.timedelta(days=7), end=today + dt.timedelta(days=28)
        ).values()
        for slot in found
    ]
    coming = sorted(coming, key=lambda slot: slot.starts_at)[:: max(len(coming) // 2, 1)][:2]
    people = iter(DEMO_PEOPLE)
    created = 0
    for slot, attendance in zip(past, PAST_ATTENDANCE, strict=False):
        with clock.travel(slot.starts_at - dt.timedelta(days=2)):  # booked two days before
            booking, _token = services.booking_create(
                service=individual,
                starts_at=slot.starts_at,
                place=Place.objects.filter(pk=slot.place_id).first(),
                via=BookedVia.STAFF,
                name=next(people),
                phone="06 00 00 00 00",
            )
        if attendance:
            services.booking_mark_attendance(booking=booking, attendance=attendance)
        created += 1
    for slot in coming:
        services.booking_create(
            service=visio,
            starts_at=slot.starts_at,
            place=Place.objects.filter(pk=slot.place_id).first(),
            via=BookedVia.STAFF,
            name=next(people),
            phone="06 00 00 00 00",
        )
        created += 1
    return created
