"""The public directory and map of the network's active members.

Only what each member agreed to publish leaves this module: `public_profile` builds, from a
member, a profile holding the consented fields and nothing else, and every public page, map
and export renders those profiles only. Filters match published data only, so filtering by a
territory never reveals the territory of a member who did not publish it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from maillage import clock
from maillage.territory.models import Commune

from .labels import PUBLIC_ANONYMOUS_NAME, UNPUBLISHED_TERRITORY, Job
from .models import Member, Network, OnlinePresence


@dataclass(frozen=True)
class PublicPresence:
    platform: str
    handle: str
    url: str


@dataclass(frozen=True)
class PublicProfile:
    """One directory card: every field is None or empty unless the member agreed to show it."""

    name: str
    job: str = ""
    job_title: str = ""
    audiences: tuple[str, ...] = ()
    structure: str = ""
    commune: Commune | None = None
    communes: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    presences: tuple[PublicPresence, ...] = field(default_factory=tuple)

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.phone)


def published_presences(member: Member) -> list[OnlinePresence]:
    return [p for p in member.presences.all() if p.public]


def public_profile(member: Member, communes: dict[str, Commune]) -> PublicProfile | None:
    """The member as the public may see them, or None when they publish nothing at all.

    `communes` maps INSEE codes to communes (the structures' communes, loaded once)."""
    presences = tuple(
        PublicPresence(p.get_platform_display(), p.handle, p.url)
        for p in published_presences(member)
    )
    shown = (
        member.publish_name
        or member.publish_job
        or member.publish_structure
        or member.publish_territory
        or member.publish_contact
        or presences
    )
    if not shown or member.is_erased:
        return None
    return PublicProfile(
        name=member.full_name if member.publish_name else PUBLIC_ANONYMOUS_NAME,
        job=Job(member.job).label if member.publish_job else "",
        job_title=member.job_title if member.publish_job else "",
        audiences=tuple(member.audience_labels) if member.publish_job else (),
        structure=member.organisation.name if member.publish_structure else "",
        commune=communes.get(member.organisation.commune_insee)
        if member.publish_territory
        else None,
        communes=tuple(c.name for c in member.communes.all()) if member.publish_territory else (),
        email=member.email if member.publish_contact else "",
        phone=member.phone if member.publish_contact else "",
        presences=presences,
    )


def directory_members(
    network: Network,
    *,
    on: dt.date | None = None,
    territory: str = "",
    platform: str = "",
    audience: str = "",
) -> QuerySet[Member]:
    """Active members on `on` (today), filtered on what they publish."""
    members = (
        Member.objects.filter(network=network, erased_at__isnull=True)
        .active_on(on or clock.today())
        .select_related("organisation")
        .prefetch_related(
            Prefetch("presences", queryset=OnlinePresence.objects.order_by("platform", "id")),
            Prefetch("communes", queryset=Commune.objects.defer("contour").order_by("name")),
        )
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
    if territory:
        members = members.filter(publish_territory=True).in_territory(territory)
    if platform:
        members = members.filter(presences__platform=platform, presences__public=True).distinct()
    if audience:
        members = members.filter(publish_job=True, audiences__icontains=f'"{audience}"')
    return members


def structure_communes(members) -> dict[str, Commune]:
    codes = {m.organisation.commune_insee for m in members if m.organisation.commune_insee}
    return {c.pk: c for c in Commune.objects.defer("contour").filter(pk__in=codes)}


def directory(network: Network, **filters) -> list[PublicProfile]:
    members = list(directory_members(network, **filters))
    communes = structure_communes(members)
    profiles = (public_profile(member, communes) for member in members)
    return [profile for profile in profiles if profile is not None]


def by_commune(profiles: list[PublicProfile]) -> list[dict]:
    """Profiles grouped by the commune of their structure (unpublished territory last), each
    group with its heading and anchor (the map's markers link to it)."""
    groups: dict[str | None, list[PublicProfile]] = defaultdict(list)
    for profile in profiles:
        groups[profile.commune.pk if profile.commune else None].append(profile)
    keyed = sorted(
        (group[0].commune for key, group in groups.items() if key is not None),
        key=lambda c: c.search_key,
    )
    result = [
        {"anchor": f"commune-{c.pk}", "title": c.name, "profiles": groups[c.pk]} for c in keyed
    ]
    if None in groups:
        result.append(
            {
                "anchor": "territoire-non-publie",
                "title": UNPUBLISHED_TERRITORY,
                "profiles": groups[None],
            }
        )
    return result


def map_markers(profiles: list[PublicProfile], url: str) -> list[dict]:
    """One marker per commune of published structures, numbered with its members."""
    by_commune: dict[str, list[PublicProfile]] = defaultdict(list)
    for profile in profiles:
        if profile.commune is not None:
            by_commune[profile.commune.pk].append(profile)
    markers = []
    for grouped in by_commune.values():
        commune = grouped[0].commune
        count = len(grouped)
        markers.append(
            {
                "name": commune.name,
                "url": f"{url}#commune-{commune.pk}",
                "lat": commune.interior_latitude,
                "lon": commune.interior_longitude,
                "kind": f"{count} Promeneur{'s' if count > 1 else ''} du Net",
                "rank": count,
            }
        )
    return sorted(markers, key=lambda m: m["name"])


EXPORT_HEADERS = [
    "Nom",
    "Métier",
    "Poste",
    "Publics",
    "Structure",
    "Commune de la structure",
    "Communes couvertes",
    "Courriel",
    "Téléphone",
    "Réseaux sociaux",
]


def export_rows(profiles: list[PublicProfile]):
    for p in profiles:
        yield [
            p.name,
            p.job,
            p.job_title,
            ", ".join(p.audiences),
            p.structure,
            p.commune.name if p.commune else "",
            ", ".join(p.communes),
            p.email,
            p.phone,
            " | ".join(
                f"{presence.platform} {presence.handle} {presence.url}".strip()
                for presence in p.presences
            ),
        ]
