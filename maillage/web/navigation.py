"""The main navigation: one list, in the order people see it.

An entry is `(url name, label)`. It is shown to the people its page lets in, as the page's
guard in `organisations/permissions/routes.py` decides (the view enforces the same rule; the
menu only spares people a door they cannot open).
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse

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


def main_nav(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None) or AnonymousUser()
    items = []
    for url_name, label in MAIN_NAV:
        if routes.ROUTES[url_name].get.decide(user) != routes.ALLOWED:
            continue
        url = reverse(url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items
