"""Templates only render: no `{% if %}` / `{% elif %}` decides by comparing a value to a string.

Whether a booking may be moved, a ride cancelled, a stop is at the rider's home or which colour a
status badge takes are rules: they live on the model (`Booking.can_be_moved`,
`RideRequest.may_be_cancelled`, `TourStop.at_home`) or in the app's labels module (the badge of
each status), where views, services and tests use them too. A template comparing `status`,
`kind`, `state`, `leg` (or any other value) to a string literal writes such a rule a second time,
and the copies drift. Every template file of the package is read with Django's own lexer.

Only Django's form and message plumbing may be compared to a literal (`PLUMBING`): a form
field's widget type or name, a message's level.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.template.backends.django import get_installed_libraries
from django.template.base import Lexer, TokenType

import maillage

PACKAGE = Path(maillage.__file__).parent
TEMPLATES = sorted(path for path in PACKAGE.glob("*/templates/**/*") if path.is_file())
# Values that are not records: how Django renders a form field, the level of a flash message.
PLUMBING = {"field.widget_type", "field.name", "message.level_tag"}
OPERATORS = {"==", "!=", "in", "<", ">", "<=", ">="}


def _is_literal(operand: str) -> bool:
    text = operand.split("|", 1)[0]
    return len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""


def _is_variable(operand: str) -> bool:
    text = operand.split("|", 1)[0]
    return bool(text) and (text[0].isalpha() or text[0] == "_") and text not in {"not", "and", "or"}


def comparisons_to_a_string(source: str) -> list[str]:
    """Each comparison of a variable to a string literal in the `{% if %}` / `{% elif %}` tags
    of `source`, with its line."""
    found = []
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bits = token.split_contents()
        if bits[0] not in ("if", "elif"):
            continue
        for index, bit in enumerate(bits[1:-1], start=1):
            if bit not in OPERATORS:
                continue
            negated = bit == "in" and bits[index - 1] == "not"
            left = bits[index - 2] if negated else bits[index - 1]
            right = bits[index + 1]
            if any(
                _is_variable(value) and _is_literal(other) and value.split("|")[0] not in PLUMBING
                for value, other in ((left, right), (right, left))
            ):
                operator = "not in" if negated else bit
                found.append(f"line {token.lineno}: {left} {operator} {right}")
    return found


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=[str(path.relative_to(PACKAGE)) for path in TEMPLATES]
)
def test_a_template_asks_the_model_instead_of_comparing_strings(template: Path):
    found = comparisons_to_a_string(template.read_text(encoding="utf-8"))
    assert not found, (
        f"{template.relative_to(PACKAGE)} compares values to strings: give the model (or the "
        "labels module) the rule and ask it.\n" + "\n".join(found)
    )


def test_the_template_libraries_only_format():
    """Maillage's template libraries hold filters, no tags: a tag computing an indicator's
    values (it ran queries inside the page) hides work from the view, which calls the service
    and passes the result instead."""
    libraries = {
        name: module
        for name, module in get_installed_libraries().items()
        if module.startswith("maillage.")
    }
    assert "plan_tags" in libraries
    for module in libraries.values():
        tags = importlib.import_module(module).register.tags
        assert not tags, f"{module} defines the tags {sorted(tags)}"


def test_every_template_of_the_package_is_read():
    names = {path.relative_to(PACKAGE).as_posix() for path in TEMPLATES}
    assert len(TEMPLATES) > 150
    assert "transport/templates/transport/pickups.html" in names
    assert "appointments/templates/appointments/manage.html" in names


@pytest.mark.parametrize(
    "source",
    [
        '{% if booking.status == "booked" %}x{% endif %}',
        "{% if ride.status != 'done' and manages %}x{% endif %}",
        '{% if ok %}{% elif service.kind == "workshop" %}x{% endif %}',
        '{% if stop.kind == "pickup" and stop.leg == "outbound" or x %}x{% endif %}',
        '{% if "cancelled" == ride.status %}x{% endif %}',
        '{% if ride.status not in "cancelled done" %}x{% endif %}',
        '{% if item.state|lower == "open" %}x{% endif %}',
        '{% if status == "failed" %}x{% endif %}',
        '{% if not run.status == "failed" %}x{% endif %}',
    ],
)
def test_the_check_sees_a_comparison_to_a_string(source: str):
    assert len(comparisons_to_a_string(source)) == source.count("==") + source.count("!=") + (
        " in " in source
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% if booking.can_be_moved %}x{% endif %}",
        "{% if stop.at_home and not show_home %}x{% endif %}",
        "{% if filters.status == key %}x{% endif %}",
        '{% if field.widget_type == "checkbox" %}x{% endif %}',
        "{% if message.level_tag == 'error' %}x{% endif %}",
        "{% if rows|length > 3 %}x{% endif %}",
        '<p>{{ booking.status }} == "booked"</p>',
        '{% include "x.html" with status="booked" %}',
    ],
)
def test_the_check_lets_a_template_render(source: str):
    assert comparisons_to_a_string(source) == []
