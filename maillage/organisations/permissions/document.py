"""`docs/permissions.md`, generated from the permissions package (`maillage permissions-doc`):
the roles × actions table from `ROLE_ACTIONS`, the rules on records from the package's
functions and their docstrings (one section per module, titled by its `# --- Section ---`
comment),
and who may open each URL from `routes.ROUTES`. A test fails when the committed page differs.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from .. import permissions as package
from ..labels import Role
from . import (
    access,
    appointments,
    broadband,
    decorators,
    mediation,
    networks,
    places,
    plan,
    rule_book,
    transport,
)
from .routes import ROUTES

PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"
# The sections of "Rules on records", in the page's order: one module of the package each.
SECTIONS = (
    rule_book,
    plan,
    places,
    appointments,
    mediation,
    transport,
    broadband,
    access,
    networks,
    decorators,
)

INTRO = """\
# Permissions — who may do what

<!-- Generated from maillage/organisations/permissions/ by `maillage permissions-doc`:
     edit the package, then regenerate this page (a test fails while they differ). -->

One package decides: `maillage/organisations/permissions/`. Views, API endpoints, services,
querysets and templates ask it (`can(user, action, organisation)`, `organisations_where(user,
action)`, the record rules below, the `organisation_permission_required` and
`permission_required_anywhere` decorators); they never compare roles themselves. Rights are
checked on the server, for every page and endpoint; hiding a link or a menu entry is only a
courtesy. Every URL declares the rule guarding it in `permissions/routes.py`, and the
permission matrix test (`tests/web/test_permission_matrix.py`) asks each one as every kind of
person about a record of their own organisation and of another one.

## People

{people}

A person may hold several roles in one organisation and roles in several organisations.
Roles do not flow between a parent organisation and its services (a pilot of the
Département is not a pilot of the Service départemental de la Lecture unless named there).

Login is by email. After 5 failed attempts for one email from one address, login is
blocked for 15 minutes (django-axes; `AXES_FAILURE_LIMIT`, `AXES_COOLOFF_MINUTES`).
"""

PEOPLE = [
    ("who", "how they get it", "what it gives"),
    (
        "anonymous visitor",
        "—",
        "public pages only: home, accessibility, legal notice, login, communes, the plan's "
        "public pages, places and find help, booking without an account, public statistics, "
        "the open data",
    ),
    (
        "logged-in person",
        "an account (email + password)",
        "their own space; everything else comes from memberships",
    ),
    (
        "member",
        "a `Membership` row: (person, organisation, role)",
        "the role's actions, **within that organisation only**",
    ),
    (
        "member of a professional network (a Promeneur du Net)",
        "their account linked to their record in the network (same email)",
        "their own space only: send their monthly returns, keep their online presence and "
        "publication choices — no role needed",
    ),
    (
        "staff (`is_staff`)",
        "ticked in the admin by a platform administrator",
        "the Django admin (with Django's model permissions) and read access to every organisation",
    ),
    (
        "platform administrator (`is_superuser`)",
        "`createsuperuser` or the admin",
        "everything, everywhere",
    ),
]

ACTIONS_INTRO = """\
## Roles × actions

"Yes" means: within the organisation where the role is held. Platform administrators pass
every check; staff pass `organisation.view` for every organisation. The table lives in code as
`ROLE_ACTIONS`.
"""

RULES_INTRO = """\
## Rules on records

Which organisation's roles count for a record, and who sees it. `…_q(user)` functions are
queryset filters (the lists); `can_…(user, record)` answer for one record.
"""

ROUTES_INTRO = """\
## Who may open each address

From `permissions/routes.py`. Checked in this order: logged in (else the login page, or 401
in the API); an action held in some organisation (else 403); "sees it" (else 404, the record's
existence is not revealed); the last rule (else 403). A dash: the method is refused (405).
The Django admin (`/admin/`) is for staff only, with Django's model permissions.
"""

OUTRO = """\
## In code

```python
from maillage.organisations import permissions

permissions.can_edit_sheet(request.user, sheet)
Booking.objects.filter(permissions.visible_bookings_q(request.user))


@permissions.organisation_permission_required(permissions.ORGANISATION_EDIT)
def organisation_edit(request, organisation): ...  # 404 if not visible, 403 if not allowed


@permissions.permission_required_anywhere(permissions.TRANSPORT_MANAGE_RIDES)
def tours(request): ...  # login page if anonymous, 403 without the action anywhere
```

A new page: give its URL a name, declare its guard in `ROUTES` (the matrix test says so until
you do), and run `maillage permissions-doc`. Tests log people in with
`client.force_login(user)` (fixture `login` in `tests/conftest.py`): `client.login()` cannot
work because the brute-force protection needs the request.
"""


def _actions_table() -> str:
    roles = list(Role)
    lines = [
        "| action (code) | " + " | ".join(str(r.label) for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action, description in package.ACTION_DESCRIPTIONS.items():
        cells = ["yes" if action in package.ROLE_ACTIONS[r] else "" for r in roles]
        lines.append(f"| {description} (`{action}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def rule_sections() -> list[tuple[str, str, list]]:
    """(title, introduction, public functions) of each module of `SECTIONS`: the title and
    introduction from its `# --- Title ---` banner and the comment lines under it, the
    functions in the order of its source."""
    sections = []
    for module in SECTIONS:
        source = inspect.getsource(module).splitlines()
        number, title = next(
            (number, match.group(1))
            for number, line in enumerate(source, start=1)
            if (match := re.match(r"# --- (.+?) -+$", line))
        )
        intro = []
        for following in source[number:]:
            if not following.startswith("# "):
                break
            intro.append(following[2:])
        functions = [
            obj
            for name, obj in vars(module).items()
            if inspect.isfunction(obj)
            and obj.__module__ == module.__name__
            and not name.startswith("_")
        ]
        functions.sort(key=lambda function: function.__code__.co_firstlineno)
        sections.append((title, " ".join(intro), functions))
    return sections


def _rules() -> str:
    parts = []
    for title, intro, functions in rule_sections():
        parts.append(f"### {title}\n")
        if intro:
            parts.append(intro + "\n")
        for function in functions:
            doc = " ".join((inspect.getdoc(function) or "").split("\n\n")[0].split())
            parameters = ", ".join(
                ("*" if p.kind is p.VAR_POSITIONAL else "") + p.name
                for p in inspect.signature(function).parameters.values()
            )
            parts.append(f"- `{function.__name__}({parameters})`: {doc}")
        parts.append("")
    return "\n".join(parts)


def _patterns(resolver=None, namespace=None, prefix="/"):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _patterns(
                    pattern, pattern.namespace or namespace, prefix + str(pattern.pattern)
                )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def _cell(guard) -> str:
    return "—" if guard is None else str(guard).replace("|", "\\|")


def _routes() -> str:
    lines = ["| address | name | GET | POST |", "|---|---|---|---|"]
    for name, path in sorted(_patterns(), key=lambda item: (item[0].split(":")[0], item[1])):
        route = ROUTES.get(name)
        if route is None:
            lines.append(f"| `{path}` | `{name}` | **not declared** | **not declared** |")
            continue
        post = "same" if route.post is route.get and route.get is not None else _cell(route.post)
        lines.append(f"| `{path}` | `{name}` | {_cell(route.get)} | {post} |")
    return "\n".join(lines) + "\n"


def _table(rows: list[tuple[str, ...]]) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])


def render() -> str:
    parts = [INTRO.format(people=_table(PEOPLE)), ACTIONS_INTRO, _actions_table()]
    parts += [RULES_INTRO, _rules(), ROUTES_INTRO, _routes(), OUTRO]
    return "\n".join(parts)
