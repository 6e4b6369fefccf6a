"""Every link a person can follow answers: for each demonstration account (and a visitor),
start from the home page and "Mon espace", follow the site's own links and check that none
ends on a refusal, a missing page or an error.

The demonstration data is what people try the site with (`make run`), loaded once for the
module (without the broadband figures: thousands of rows that only fill the broadband map's
colours, whose pages are crawled all the same). The crawl is bounded: a few URLs per route
(the same page for another record says little more), so it stays quick.
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from maillage.organisations.demo import DEMO_ACCOUNTS
from maillage.organisations.models import User
from tests.conftest import logged_in

PER_ROUTE = 1  # URLs crawled per route name (another record shows the same page)
# Not pages of the site people browse: the Django admin (its own rights, tested apart), static
# files, and the API (its contract is tested by Schemathesis).
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/api/")
# PDF documents take a second each to draw and are tested with their pages; not crawled.
SKIPPED_SUFFIXES = (".pdf",)
HREF = re.compile(r"""<a\b[^>]*?\bhref=["']([^"']+)["']""", re.IGNORECASE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demonstration dataset, loaded once in an outer transaction rolled back at the end."""
    from django.conf import settings
    from django.core.management import call_command

    from maillage.appointments.demo import load_demo_appointments
    from maillage.mediation.demo import load_demo_mediation
    from maillage.networks.demo import load_demo_networks
    from maillage.organisations.demo import load_demo_accounts
    from maillage.places.demo import load_demo_places
    from maillage.plan.demo import load_demo_measurements
    from maillage.transport.demo import load_demo_transport

    settings.MAILLAGE_DEMO_ACCOUNTS = True
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_referential", verbosity=0)
        for step in (
            load_demo_accounts,
            load_demo_places,
            load_demo_appointments,
            load_demo_measurements,
            load_demo_mediation,
            load_demo_transport,
            load_demo_networks,
        ):
            list(step())
        yield
        transaction.set_rollback(True)
    del settings.MAILLAGE_DEMO_ACCOUNTS


def _links(page_url: str, body: str) -> list[str]:
    found = []
    for href in HREF.findall(body):
        href = html.unescape(href)
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        absolute = urljoin(page_url, href)
        parts = urlsplit(absolute)
        if parts.netloc and parts.netloc != "testserver":
            continue  # another site
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIPPED_PREFIXES) and not parts.path.endswith(SKIPPED_SUFFIXES):
            found.append(path)
    return found


def _route(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return f"(no route) {path}"


def crawl(client: Client, starts: list[str]) -> tuple[list[str], int]:
    """Visit the pages reachable from `starts`; return the failures and the number visited."""
    queue = deque((start, "(départ)") for start in starts)
    seen = set(starts)
    per_route: Counter = Counter()
    failures = []
    visited = 0
    while queue:
        url, origin = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code in (301, 302, 303, 307, 308):
            target = urljoin(url, response["Location"])
            if target not in seen and not target.startswith(SKIPPED_PREFIXES):
                seen.add(target)
                queue.append((target, url))
            continue
        if response.status_code != 200:
            failures.append(f"{url} (lien de {origin}) → {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link in seen:
                continue
            route = _route(link)
            if per_route[route] >= PER_ROUTE:
                continue
            per_route[route] += 1
            seen.add(link)
            queue.append((link, url))
    return failures, visited


PEOPLE = ["visiteur", *(account.email for account in DEMO_ACCOUNTS)]


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
def test_every_link_reachable_from_the_home_pages_answers(person, demo):
    client = Client()
    starts = ["/"]
    if person != "visiteur":
        logged_in(client, User.objects.get(email=person))
        starts.append("/mon-espace/")
    failures, visited = crawl(client, starts)
    assert visited > 10
    assert not failures, f"{len(failures)} lien(s) en échec sur {visited} :\n" + "\n".join(failures)
