"""The main navigation: one list, in the order people see it.

An entry is `(url name, label)`, or `(url name, label, {"login_required": True})` for
pages shown only to logged-in people (the views enforce it too; the menu only hides).
"""

from django.http import HttpRequest
from django.urls import reverse

MAIN_NAV = [
    ("web:home", "Accueil"),
    ("places:find_help", "Trouver de l'aide"),
    ("appointments:home", "Prendre rendez-vous"),
    ("plan:plan_list", "Le schéma"),
    ("broadband:map", "Très haut débit"),
    ("territory:commune_search", "Communes"),
    ("organisations:list", "Organisations", {"login_required": True}),
    ("mediation:home", "Médiation", {"login_required": True}),
    ("transport:home", "Transport", {"login_required": True}),
]


def main_nav(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None)
    logged_in = bool(user is not None and user.is_authenticated)
    items = []
    for url_name, label, *options in MAIN_NAV:
        if options and options[0].get("login_required") and not logged_in:
            continue
        url = reverse(url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items
