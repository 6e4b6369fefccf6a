import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from maillage.web import french


@pytest.mark.parametrize(
    ("name", "with_de", "with_a"),
    [
        ("Brossac", "de Brossac", "à Brossac"),
        ("Angoulême", "d'Angoulême", "à Angoulême"),
        ("Étriac", "d'Étriac", "à Étriac"),
        ("Hiersac", "d'Hiersac", "à Hiersac"),
        ("Hiesse", "de Hiesse", "à Hiesse"),
        ("Le Lindois", "du Lindois", "au Lindois"),
        ("Les Adjots", "des Adjots", "aux Adjots"),
        (
            "La Rochefoucauld-en-Angoumois",
            "de La Rochefoucauld-en-Angoumois",
            "à La Rochefoucauld-en-Angoumois",
        ),
        ("L'Isle-d'Espagnac", "de L'Isle-d'Espagnac", "à L'Isle-d'Espagnac"),
        ("Lesterps", "de Lesterps", "à Lesterps"),
        ("Yviers", "d'Yviers", "à Yviers"),
    ],
)
def test_elision_and_contraction(name, with_de, with_a):
    assert french.de(name) == with_de
    assert french.a(name) == with_a


@given(st.text(alphabet=st.characters(categories=["L", "Zs", "Pd"]), min_size=1, max_size=30))
def test_the_name_is_kept_whole_after_its_article(name):
    name = name.strip()
    for phrase in (french.de(name), french.a(name)):
        words = name.split(" ", 1)
        # Either the whole name follows the preposition, or the name without its article.
        assert phrase.endswith(name) or phrase.endswith(words[-1])


def test_numbers_amounts_and_hours():
    assert french.number(352683) == "352\u202f683"
    assert french.euros(Decimal("30")) == "30\u00a0€"
    assert french.euros(Decimal("30"), cents=True) == "30,00\u00a0€"
    assert french.euros(Decimal("81400000")) == "81\u202f400\u202f000\u00a0€"
    assert french.euros(Decimal("12.5")) == "12,50\u00a0€"
    assert french.hour(dt.time(9, 0)) == "9\u00a0h\u00a000"
    assert french.number(None) == ""


def test_template_filters_use_local_time():
    moment = dt.datetime(2026, 12, 6, 8, 30, tzinfo=dt.UTC)  # 9 h 30 in Paris
    rendered = Template("{% load french %}{{ m|hour }} {{ n|de }} {{ p|euros }}").render(
        Context({"m": moment, "n": "Angoulême", "p": Decimal("35")})
    )
    assert rendered == "9\u00a0h\u00a030 d&#x27;Angoulême 35\u00a0€"
