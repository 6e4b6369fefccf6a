"""What "Mon espace" shows a person: one panel per thing they have to do today.

The apps that hold the work (call-backs, agendas, accompaniments, sheets, tours, network
returns) sit above `organisations`, which must not import them. So each app registers its
panel builders here in its `AppConfig.ready()`, as the plan's indicator sources do, and the
page asks every builder in order. A builder answers None when the person has nothing of that
kind to do (it asks the permissions package, never compares roles), and otherwise reads a
bounded number of rows in a fixed number of queries: the page's query count does not grow with
the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    """One block of "Mon espace": a heading, a template rendering `context`, and links."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    links: tuple[tuple[str, str], ...] = ()  # (label, url)

    def html(self, user) -> str:
        """The panel's body. Rendered without the request: the page's context processors
        (navigation, messages) have nothing to add here and would cost queries again."""
        return render_to_string(self.template, {**self.context, "user": user})


PanelBuilder = Callable[..., Panel | None]  # builder(user, *, today) → Panel | None

_BUILDERS: dict[str, tuple[int, PanelBuilder]] = {}


def register_panel(key: str, order: int, builder: PanelBuilder) -> None:
    """Add (or replace, on a second `ready()`) the builder named `key`, shown by `order`."""
    _BUILDERS[key] = (order, builder)


def panels_for(user, *, today: dt.date) -> list[Panel]:
    """The panels `user` sees today, in order."""
    panels = []
    for _order, builder in sorted(_BUILDERS.values(), key=lambda item: item[0]):
        panel = builder(user, today=today)
        if panel is not None:
            panels.append(panel)
    return panels
