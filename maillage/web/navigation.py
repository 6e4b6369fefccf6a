"""The main navigation: one list, in the order people see it."""

from django.http import HttpRequest
from django.urls import reverse

MAIN_NAV = [
    ("web:home", "Accueil"),
    ("territory:commune_search", "Communes"),
    ("plan:plan_list", "Le schéma"),
]


def main_nav(request: HttpRequest) -> list[dict]:
    items = []
    for url_name, label in MAIN_NAV:
        url = reverse(url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return items
