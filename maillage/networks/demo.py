"""Demonstration network for `make run`: about twenty Promeneurs du Net of the Charente in
MJC, social centres, youth information points, missions locales and youth services, with
their dated history since 2019, trainings, a year of monthly returns, the network meetings
with attendance and minutes, and the indicators of sheet Num02 computed month by month.

People and structures are fictitious (structures have a "demo-pdn-" address and say so),
handles are made up; the member account of the demonstration (`promeneur@…`) is linked to
one of them and has not sent last month's return yet. Loaded once (idempotent), only where
demonstration data belongs (as the demo accounts).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone
from unidecode import unidecode

from maillage import clock
from maillage.organisations.labels import OrganisationKind
from maillage.organisations.models import Organisation, User
from maillage.plan.computed import compute_all
from maillage.plan.labels import MeetingBody
from maillage.plan.services import meetings_generate_from_rhythm
from maillage.territory.models import Commune

from .labels import (
    Audience,
    CountKind,
    Job,
    MemberStatus,
    Partner,
    Platform,
    Presence,
    ReturnSource,
    Subject,
    TrainingKind,
)
from .meetings import network_meetings, write_attendance
from .models import (
    Member,
    MemberStatusChange,
    Network,
    OnlinePresence,
    TrainingAttendance,
    TrainingSession,
    month_end,
    previous_month,
)
from .referential import load_seed_network
from .returns import ReturnData, write_return
from .services import add_months

DEMO_PREFIX = "demo-pdn-"
DEMO_STRUCTURE_NOTE = "Structure de démonstration (fictive)."
MEMBER_EMAIL = "promeneur@demo.maillage.fr"
ACTIVE_SOURCE = "networks.active_members"

# (slug suffix, name, kind, INSEE code)
STRUCTURES = [
    (
        "mjc-angouleme",
        "MJC des Bords de Charente (Angoulême)",
        OrganisationKind.ASSOCIATION,
        "16015",
    ),
    (
        "bij-angouleme",
        "Bureau information jeunesse d'Angoulême",
        OrganisationKind.ASSOCIATION,
        "16015",
    ),
    ("csc-soyaux", "Centre social et culturel de Soyaux", OrganisationKind.ASSOCIATION, "16374"),
    ("mjc-ruelle", "MJC de Ruelle-sur-Touvre", OrganisationKind.ASSOCIATION, "16291"),
    ("jeunesse-la-couronne", "Service jeunesse de La Couronne", OrganisationKind.COMMUNE, "16113"),
    (
        "prevention-grand-angouleme",
        "Prévention spécialisée du Grand Angoulême",
        OrganisationKind.ASSOCIATION,
        "16154",
    ),
    (
        "mission-locale-angoumois",
        "Mission locale de l'Angoumois",
        OrganisationKind.ASSOCIATION,
        "16015",
    ),
    ("mjc-cognac", "MJC de Cognac", OrganisationKind.ASSOCIATION, "16102"),
    ("pij-jarnac", "Point information jeunesse de Jarnac", OrganisationKind.ASSOCIATION, "16167"),
    (
        "mission-locale-ouest",
        "Mission locale Ouest Charente",
        OrganisationKind.ASSOCIATION,
        "16102",
    ),
    (
        "csc-barbezieux",
        "Espace jeunes du centre socioculturel de Barbezieux",
        OrganisationKind.ASSOCIATION,
        "16028",
    ),
    ("cs-chalais", "Centre social du Pays de Chalais", OrganisationKind.ASSOCIATION, "16073"),
    ("cs-confolens", "Centre social du Confolentais", OrganisationKind.ASSOCIATION, "16106"),
    (
        "pij-chasseneuil",
        "Point information jeunesse de Chasseneuil",
        OrganisationKind.ASSOCIATION,
        "16085",
    ),
    ("cs-ruffec", "Centre social du Ruffécois", OrganisationKind.ASSOCIATION, "16292"),
    ("mjc-la-rochefoucauld", "MJC de La Rochefoucauld", OrganisationKind.ASSOCIATION, "16281"),
    ("jeunesse-rouillac", "Service jeunesse du Rouillacais", OrganisationKind.EPCI, "16286"),
]

# (first name, last name, job, structure suffix, year joined, platforms, status, consents)
# status: "active", "in_training" (joined this autumn), "paused", "left"; consents: "all",
# "no_contact", "structure_only", "none".
MEMBERS = [
    (
        "Camille",
        "Delorme",
        Job.YOUTH_WORKER,
        "mjc-angouleme",
        2019,
        "instagram snapchat",
        "active",
        "all",
    ),
    (
        "Yanis",
        "Perrault",
        Job.YOUTH_INFORMATION,
        "bij-angouleme",
        2019,
        "instagram tiktok discord",
        "active",
        "all",
    ),
    (
        "Léa",
        "Vasseur",
        Job.YOUTH_WORKER,
        "csc-soyaux",
        2020,
        "snapchat instagram",
        "active",
        "no_contact",
    ),
    (
        "Mehdi",
        "Laborde",
        Job.EDUCATOR,
        "prevention-grand-angouleme",
        2019,
        "snapchat whatsapp",
        "active",
        "structure_only",
    ),
    ("Inès", "Marchand", Job.YOUTH_WORKER, "mjc-ruelle", 2021, "instagram tiktok", "active", "all"),
    (
        "Thomas",
        "Giraud",
        Job.YOUTH_WORKER,
        "jeunesse-la-couronne",
        2022,
        "instagram snapchat",
        "active",
        "no_contact",
    ),
    (
        "Sarah",
        "Benali",
        Job.CAREER_ADVISER,
        "mission-locale-angoumois",
        2020,
        "facebook instagram",
        "active",
        "all",
    ),
    (
        "Julien",
        "Roux",
        Job.YOUTH_WORKER,
        "mjc-cognac",
        2019,
        "instagram discord twitch",
        "active",
        "all",
    ),
    (
        "Emma",
        "Chauvet",
        Job.YOUTH_INFORMATION,
        "pij-jarnac",
        2021,
        "instagram tiktok",
        "active",
        "all",
    ),
    (
        "Nathan",
        "Poirier",
        Job.CAREER_ADVISER,
        "mission-locale-ouest",
        2023,
        "facebook whatsapp",
        "active",
        "no_contact",
    ),
    (
        "Chloé",
        "Fabre",
        Job.YOUTH_WORKER,
        "csc-barbezieux",
        2020,
        "snapchat instagram",
        "active",
        "all",
    ),
    (
        "Hugo",
        "Lemaire",
        Job.SOCIAL_WORKER,
        "cs-chalais",
        2022,
        "facebook snapchat",
        "active",
        "all",
    ),
    (
        "Manon",
        "Texier",
        Job.YOUTH_WORKER,
        "cs-confolens",
        2021,
        "instagram snapchat",
        "active",
        "none",
    ),
    (
        "Lucas",
        "Bernier",
        Job.YOUTH_INFORMATION,
        "pij-chasseneuil",
        2023,
        "tiktok instagram",
        "active",
        "all",
    ),
    (
        "Zoé",
        "Guillot",
        Job.YOUTH_WORKER,
        "cs-ruffec",
        2024,
        "instagram snapchat",
        "active",
        "structure_only",
    ),
    (
        "Rayan",
        "Mercier",
        Job.YOUTH_WORKER,
        "mjc-la-rochefoucauld",
        2024,
        "discord instagram",
        "active",
        "all",
    ),
    (
        "Anaïs",
        "Collin",
        Job.COORDINATOR,
        "jeunesse-rouillac",
        2025,
        "instagram facebook",
        "active",
        "all",
    ),
    (
        "Maxime",
        "Renaud",
        Job.EDUCATOR,
        "prevention-grand-angouleme",
        2025,
        "snapchat",
        "active",
        "no_contact",
    ),
    (
        "Clara",
        "Aubert",
        Job.YOUTH_WORKER,
        "mjc-cognac",
        2026,
        "tiktok instagram",
        "in_training",
        "all",
    ),
    (
        "Adrien",
        "Lacroix",
        Job.YOUTH_INFORMATION,
        "bij-angouleme",
        2026,
        "instagram",
        "in_training",
        "none",
    ),
    ("Pauline", "Morel", Job.YOUTH_WORKER, "cs-chalais", 2020, "facebook", "paused", "all"),
    ("Kevin", "Dumont", Job.YOUTH_WORKER, "csc-soyaux", 2019, "snapchat", "left", "none"),
]
MEMBER_ACCOUNT_INDEX = 4  # Inès Marchand, MJC de Ruelle-sur-Touvre

CONSENTS = {
    "all": dict.fromkeys(
        [
            "publish_name",
            "publish_job",
            "publish_structure",
            "publish_territory",
            "publish_contact",
        ],
        True,
    ),
    "no_contact": dict.fromkeys(
        ["publish_name", "publish_job", "publish_structure", "publish_territory"], True
    ),
    "structure_only": {"publish_structure": True, "publish_territory": True},
    "none": {},
}
AUDIENCES = {
    Job.CAREER_ADVISER: [Audience.AGE_18_25],
    Job.EDUCATOR: [Audience.AGE_15_17, Audience.AGE_18_25],
    Job.YOUTH_INFORMATION: [Audience.AGE_15_17, Audience.AGE_18_25, Audience.PARENTS],
    Job.COORDINATOR: [Audience.AGE_11_14, Audience.AGE_15_17],
}
# Relative weights of subjects and partners in the returns.
SUBJECT_WEIGHTS = {
    Subject.SCHOOL: 5,
    Subject.EMPLOYMENT: 4,
    Subject.HEALTH: 3,
    Subject.RELATIONS: 4,
    Subject.DIGITAL: 3,
    Subject.RIGHTS: 2,
    Subject.LEISURE: 5,
    Subject.OTHER: 1,
}
PARTNER_WEIGHTS = {
    Partner.YOUTH_INFORMATION: 3,
    Partner.MISSION_LOCALE: 3,
    Partner.HEALTH: 2,
    Partner.SOCIAL: 1,
    Partner.SCHOOL: 2,
    Partner.OTHER: 1,
}
LINKED_PLATFORMS = {"instagram", "tiktok", "facebook", "youtube", "twitch"}
MINUTES = (
    "Tour de table des présences en ligne ; échanges sur les situations rencontrées (sans "
    "nommer de jeune) ; point sur les bilans mensuels et le calendrier des formations."
)


def demo_allowed() -> bool:
    from maillage.organisations.demo import demo_accounts_allowed

    return demo_accounts_allowed()


def _structures(communes: dict[str, Commune]) -> dict[str, Organisation]:
    result = {}
    for suffix, name, kind, insee in STRUCTURES:
        organisation, _ = Organisation.objects.get_or_create(
            slug=DEMO_PREFIX + suffix,
            defaults={
                "name": name,
                "kind": kind,
                "commune_insee": insee,
                "description": DEMO_STRUCTURE_NOTE,
            },
        )
        result[suffix] = organisation
    return result


def _split(rng: random.Random, total: int, weights: dict) -> dict[str, int]:
    """`total` spread over the weighted codes (a multinomial draw)."""
    counts = dict.fromkeys(weights, 0)
    codes, values = list(weights), list(weights.values())
    for code in rng.choices(codes, values, k=total):
        counts[code] += 1
    return counts


def _return_data(rng: random.Random, platforms: list[str], active: bool) -> ReturnData:
    contacts = rng.randint(8, 45) if active else rng.randint(2, 12)
    channel_weights = {p: 3 if i == 0 else 1 for i, p in enumerate(platforms)}
    return ReturnData(
        follow_ups=rng.randint(0, 4 if active else 1),
        physical_meetings=rng.randint(0, 3),
        counts={
            CountKind.CHANNEL: _split(rng, contacts, channel_weights),
            CountKind.SUBJECT: _split(rng, round(contacts * 0.8), SUBJECT_WEIGHTS),
            CountKind.PARTNER: _split(rng, rng.randint(0, 3), PARTNER_WEIGHTS),
        },
    )


def _initial_sessions(network: Network, today: dt.date) -> dict[int, TrainingSession]:
    """A two-day initial training every autumn since 2019; this year's is coming up, for the
    members still in training."""
    sessions = {}
    for year in range(2019, today.year + 1):
        starts = dt.date(year, 9, 24) if year < today.year else today + dt.timedelta(days=10)
        sessions[year] = TrainingSession.objects.create(
            network=network,
            kind=TrainingKind.INITIAL,
            title=f"Formation initiale des Promeneurs du Net {year}",
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=1),
            location="FRMJC, Angoulême",
            trainer="Coordination départementale",
        )
    return sessions


@transaction.atomic
def _load(network: Network, today: dt.date) -> tuple[int, int]:
    rng = random.Random(2017)
    communes = {c.pk: c for c in Commune.objects.defer("contour").filter(pk__startswith="16")}
    structures = _structures(communes)
    sessions = _initial_sessions(network, today)
    account = User.objects.filter(email=MEMBER_EMAIL).first()
    members: list[tuple[Member, list[str], str, dt.date]] = []
    for index, (first, last, job, suffix, year, platforms, status, consent) in enumerate(MEMBERS):
        structure = structures[suffix]
        joined = dt.date(year, 6, 3) if year < today.year else today - dt.timedelta(days=60)
        member = Member.objects.create(
            network=network,
            first_name=first,
            last_name=last,
            job=job,
            job_title="",
            email=unidecode(f"{first}.{last}@{suffix}.demo.maillage.fr").lower(),
            phone=f"05 45 {10 + index:02d} {20 + index:02d} {30 + index:02d}",
            organisation=structure,
            user=account if index == MEMBER_ACCOUNT_INDEX else None,
            agreement_signed_on=joined + dt.timedelta(days=14),
            agreement_signatory=f"Direction de la structure — {structure.name}",
            audiences=[
                a.value for a in AUDIENCES.get(job, [Audience.AGE_11_14, Audience.AGE_15_17])
            ],
            consents_updated_at=timezone.now() if consent != "none" else None,
            is_demo=True,
            **CONSENTS[consent],
        )
        member.communes.set(
            [communes[structure.commune_insee]] if structure.commune_insee in communes else []
        )
        history = [(MemberStatus.IN_TRAINING, joined)]
        session = sessions.get(year)
        if status != "in_training" and session is not None:
            TrainingAttendance.objects.create(
                session=session, member=member, presence=Presence.PRESENT
            )
            history.append((MemberStatus.ACTIVE, session.ends_on + dt.timedelta(days=1)))
        if status == "paused":
            history.append((MemberStatus.PAUSED, add_months(today.replace(day=1), -5)))
        elif status == "left":
            history.append((MemberStatus.LEFT, add_months(today.replace(day=1), -8)))
        for new_status, on in history:
            MemberStatusChange.objects.create(member=member, status=new_status, effective_on=on)
        member.status, member.status_since = history[-1]
        member.save(update_fields=["status", "status_since"])
        codes = platforms.split()
        OnlinePresence.objects.bulk_create(
            OnlinePresence(
                member=member,
                platform=code,
                handle=unidecode(f"@pdn.{first}.{suffix.split('-', 1)[1]}").lower()
                + ("" if i == 0 else f".{i}"),
                url=f"https://www.{code}.com/pdn.{suffix}/" if code in LINKED_PLATFORMS else "",
                public=consent != "none",
            )
            for i, code in enumerate(codes)
            if code in Platform.values
        )
        members.append((member, codes, status, joined))
    returns = _returns(rng, members, today)
    _practice_sessions(network, members, today)
    _meetings(network, [m for m, *_ in members], today)
    return len(members), returns


def _returns(rng: random.Random, members, today: dt.date) -> int:
    """Twelve months of returns; a few are missing, and last month's of the member account."""
    last_month = previous_month(today)
    months = [add_months(last_month, -n) for n in range(11, -1, -1)]
    written = 0
    for index, (member, platforms, _status, _joined) in enumerate(members):
        for month in months:
            status = member.status_on(month_end(month))
            if status not in (MemberStatus.ACTIVE, MemberStatus.IN_TRAINING):
                continue
            if month == last_month and (index == MEMBER_ACCOUNT_INDEX or index % 6 == 5):
                continue  # still to come: reminders and the member's own form show it
            if month != last_month and rng.random() < 0.06:
                continue  # a forgotten month
            write_return(
                member=member,
                month=month,
                data=_return_data(rng, platforms, status == MemberStatus.ACTIVE),
                source=ReturnSource.FORM if rng.random() < 0.8 else ReturnSource.IMPORT,
            )
            written += 1
    return written


def _practice_sessions(network: Network, members, today: dt.date) -> None:
    """An "analyse de pratique" every two months over the last year."""
    for months_back in (10, 8, 6, 4, 2):
        day = add_months(today.replace(day=1), -months_back) + dt.timedelta(days=15)
        session = TrainingSession.objects.create(
            network=network,
            kind=TrainingKind.PRACTICE_ANALYSIS,
            title=f"Analyse de pratique — {day:%m/%Y}",
            starts_on=day,
            ends_on=day,
            location="En visioconférence",
            trainer="Psychologue intervenante",
        )
        for index, (member, _codes, _status, _joined) in enumerate(members):
            if member.status_on(day) == MemberStatus.ACTIVE and (index + months_back) % 3:
                TrainingAttendance.objects.create(
                    session=session, member=member, presence=Presence.PRESENT
                )


def _meetings(network: Network, members: list[Member], today: dt.date) -> None:
    """Last year's meetings planned too; attendance and minutes of those already past."""
    for year in (today.year - 1, today.year):
        meetings_generate_from_rhythm(
            plan=network.sheet.plan,
            year=year,
            rhythm=network.sheet.governance_rhythm,
            sheets=[network.sheet],
        )
    steering = [*list(network.steering_organisations.all()), network.organisation]
    now = clock.now()
    for index, meeting in enumerate(network_meetings(network).filter(starts_at__lt=now)):
        day = timezone.localtime(meeting.starts_at).date()
        if meeting.body == MeetingBody.NETWORK:
            presences = {
                m.pk: Presence.PRESENT if (m.pk + index) % 4 else Presence.EXCUSED
                for m in members
                if m.status_on(day) in (MemberStatus.ACTIVE, MemberStatus.IN_TRAINING)
            }
            organisations = [network.organisation]
        else:
            presences, organisations = {}, steering
        write_attendance(
            network=network, meeting=meeting, presences=presences, organisations=organisations
        )
        meeting.minutes = MINUTES if meeting.body == MeetingBody.NETWORK else "Relevé de décisions."
        meeting.save(update_fields=["minutes"])


def load_demo_networks(*, compute: bool = True) -> Iterator[str]:
    if not demo_allowed():
        yield "Réseau de démonstration non chargé : DEBUG est désactivé."
        return
    network, _created = load_seed_network()
    if network is None:
        yield "Réseau de démonstration non chargé : chargez d'abord le référentiel."
        return
    if network.members.filter(is_demo=True).exists():
        return
    today = clock.today()
    count, returns = _load(network, today)
    if compute:
        # The history the plan's charts show: active members at each past year's end and each
        # month's end of the last year; the year's contacts and meetings from this year's
        # first month (last year holds a single month of returns: its total would mislead).
        for year in range(2019, today.year):
            compute_all(on=dt.date(year, 12, 31), source_prefix=ACTIVE_SOURCE)
        month = add_months(today.replace(day=1), -12)
        while month < today.replace(day=1):
            prefix = "networks." if month.year == today.year else ACTIVE_SOURCE
            compute_all(on=month_end(month), source_prefix=prefix)
            month = add_months(month, 1)
        compute_all(source_prefix="networks.")
    active = Member.objects.filter(network=network).active_on(today).count()
    yield (
        f"Promeneurs du Net de démonstration : {count} membres fictifs ({active} actifs), "
        f"{returns} bilans mensuels sur un an, formations et réunions de réseau."
    )
