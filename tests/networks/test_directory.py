"""The public directory never shows what a member did not agree to publish: not in the cards,
not on the map, not in the exports, not through a filter (property test over every choice)."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.networks.labels import CONSENT_FIELDS, Audience, Job, MemberStatus, Platform
from maillage.networks.models import OnlinePresence
from maillage.territory.models import Commune, Epci
from tests.factories import OrganisationFactory

from .factories import MemberFactory, NetworkFactory

pytestmark = pytest.mark.django_db

PLATFORMS = [Platform.INSTAGRAM, Platform.SNAPCHAT, Platform.TIKTOK]


def _commune(code: str, name: str, epci) -> Commune:
    return Commune.objects.create(
        insee_code=code,
        name=name,
        search_key=name.lower(),
        postcodes="16999",
        population=10,
        departement_id="16",
        epci=epci,
        latitude=45.6,
        longitude=0.2,
        interior_latitude=45.6,
        interior_longitude=0.2,
    )


def _sections(response) -> str:
    """What the page says about members: the cards and the map's data (not the filters)."""
    html = response.content.decode()
    cards = html[html.index('<div id="annuaire">') :]
    cards = cards[: cards.index("</main>")]
    map_data = re.search(r'id="carte-lieux-donnees"[^>]*>(.*?)</script>', html, re.S)[1]
    return cards + json.dumps(json.loads(map_data), ensure_ascii=False)


def _csv(client, url: str, **params) -> str:
    response = client.get(url, {**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return "\n".join(";".join(row) for row in rows[1:])


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    consents=st.fixed_dictionaries({name: st.booleans() for name in CONSENT_FIELDS}),
    public=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_the_directory_shows_only_what_the_member_agreed_to(client, consents, public):
    with transaction.atomic():
        epci = Epci.objects.create(siren="200099999", name="CC Zq Test", departement_id="16")
        _commune("16901", "Structurevillezq", epci)
        covered = _commune("16902", "Couvertevillezq", epci)
        network = NetworkFactory(active_requires_initial_training=False)
        member = MemberFactory(
            network=network,
            first_name="Prenomzq",
            last_name="Nomfamillezq",
            job=Job.CAREER_ADVISER,
            job_title="Postezq",
            email="courrielzq@exemple.fr",
            phone="05 45 98 76 54",
            audiences=[Audience.PARENTS],
            organisation=OrganisationFactory(name="Employeurzq", commune_insee="16901"),
            history=[(MemberStatus.ACTIVE, dt.date(2024, 1, 1))],
            **consents,
        )
        member.communes.set([covered])
        for platform, shown in zip(PLATFORMS, public, strict=True):
            OnlinePresence.objects.create(
                member=member,
                platform=platform,
                handle=f"@handlezq{platform}",
                url=f"https://exemple.fr/pagezq{platform}",
                public=shown,
            )
        url = reverse("networks:directory", args=[network.slug])
        markers = {
            "publish_name": ["Prenomzq", "Nomfamillezq"],
            "publish_job": [Job.CAREER_ADVISER.label, "Postezq", Audience.PARENTS.label],
            "publish_structure": ["Employeurzq"],
            "publish_territory": ["Structurevillezq", "Couvertevillezq"],
            "publish_contact": ["courrielzq@exemple.fr", "05 45 98 76 54"],
        }
        page = _sections(client.get(url))
        exported = _csv(client, url)
        for name, values in markers.items():
            for value in values:
                for where, text in (("page", page), ("CSV", exported)):
                    if not consents[name]:
                        assert value not in text, (name, value, where)
        for platform, shown in zip(PLATFORMS, public, strict=True):
            for value in (f"@handlezq{platform}", f"pagezq{platform}"):
                if not shown:
                    assert value not in page and value not in exported, value
        # Filters match published data only: they never reveal the unpublished.
        assert bool(_csv(client, url, territory=epci.pk)) is consents["publish_territory"]
        assert bool(_csv(client, url, audience=Audience.PARENTS)) is consents["publish_job"]
        for platform, shown in zip(PLATFORMS, public, strict=True):
            assert bool(_csv(client, url, platform=platform)) is shown
        transaction.set_rollback(True)


def test_a_member_publishing_nothing_is_counted_but_not_listed(client):
    network = NetworkFactory(active_requires_initial_training=False)
    MemberFactory(network=network, first_name="Discrete", publish_name=False)
    shown = MemberFactory(network=network, first_name="Visible", publish_name=True)
    response = client.get(reverse("networks:directory", args=[network.slug]))
    text = response.content.decode()
    assert "Visible" in text and "Discrete" not in text
    assert response.context["count"] == 1
    index = client.get(reverse("networks:index")).content.decode()
    assert "2 Promeneurs du Net actifs" in index
    assert shown.full_name in _csv(client, reverse("networks:directory", args=[network.slug]))


def test_only_active_members_appear(client):
    network = NetworkFactory(active_requires_initial_training=True)
    common = {"network": network, "publish_name": True}
    MemberFactory(first_name="Forme", trained_on=dt.date(2025, 2, 1), **common)
    MemberFactory(first_name="Nonforme", **common)
    MemberFactory(
        first_name="Parti",
        history=[
            (MemberStatus.ACTIVE, dt.date(2024, 1, 1)),
            (MemberStatus.LEFT, dt.date(2025, 1, 1)),
        ],
        trained_on=dt.date(2024, 2, 1),
        **common,
    )
    text = client.get(reverse("networks:directory", args=[network.slug])).content.decode()
    assert "Forme" in text and "Nonforme" not in text and "Parti" not in text


def test_the_map_groups_members_by_published_commune(client, communes):
    network = NetworkFactory(active_requires_initial_training=False)
    org = OrganisationFactory(name="MJC", commune_insee="16015")
    for _ in range(2):
        MemberFactory(network=network, organisation=org, publish_territory=True)
    MemberFactory(network=network, organisation=org, publish_name=True)  # territory unpublished
    response = client.get(reverse("networks:directory", args=[network.slug]))
    markers = response.context["map_data"]["places"]
    assert [(m["name"], m["rank"], m["kind"]) for m in markers] == [
        ("Angoulême", 2, "2 Promeneurs du Net")
    ]
