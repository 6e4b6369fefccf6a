"""The main navigation: one list, in the order people see it.

An entry is `(url name, label)`. It is shown to the people its page lets in, as the page's
guard in `organisations/permissions/routes.py` decides (the view enforces the same rule; the
menu only spares people a door they cannot open).
"""

import functools

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from maillage.organisations.permissions import routes

MAIN_NAV = [
    ("web:home", "Accueil"),
    ("places:find_help", "Trouver de l'aide"),
    ("appointments:home", "Prendre rendez-vous"),
    ("plan:plan_list", "Le schéma"),
    ("networks:index", "Promeneurs du Net"),
    ("access:map", "Accès aux services"),
    ("broadband:map", "Très haut débit"),
    ("territory:commune_search", "Communes"),
    ("organisations:list", "Organisations"),
    ("mediation:home", "Médiation"),
    ("transport:home", "Transport"),
]


@functools.cache
def _urls(script_prefix: str, urlconf: str | None) -> tuple[str, ...]:
    """The entries' addresses, reversed once per process (per script prefix and URLconf)."""
    return tuple(reverse(url_name, urlconf=urlconf) for url_name, _ in MAIN_NAV)


def main_nav(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None) or AnonymousUser()
    urls = _urls(get_script_prefix(), get_urlconf())
    items = []
    for (url_name, label), url in zip(MAIN_NAV, urls, strict=True):
        if routes.ROUTES[url_name].get.decide(user) != routes.ALLOWED:
            continue
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items
