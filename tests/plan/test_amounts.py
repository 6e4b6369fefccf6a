"""French amounts and quantities read as exact decimals."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.plan.amounts import (
    AmountError,
    comparator_before,
    find_amounts,
    find_quantities,
    parse_amount,
    parse_quantity,
    unit_phrase,
)


@pytest.mark.parametrize(
    ("text", "value", "per_year"),
    [
        ("6 000 €", "6000", False),
        ("6 000€", "6000", False),
        ("81,4 M€", "81400000", False),
        ("81,4 Millions d'euros", "81400000", False),
        ("81,4 Millions d’euros", "81400000", False),
        ("7,3 Millions d'euros", "7300000", False),
        ("3 374 200 €", "3374200", False),
        ("75 094€/an", "75094", True),
        ("100 000 euros", "100000", False),
        ("418 826 €", "418826", False),
        ("1\u202f250\u202f000 €", "1250000", False),
        ("1\u00a0250\u00a0000\u00a0€", "1250000", False),
        ("12 k€", "12000", False),
        ("2,5 Md€", "2500000000", False),
        ("6 000 € par an", "6000", True),
        ("6 000 € annuels", "6000", True),
        ("6 000 € HT", "6000", False),
        ("1.250.000,50 €", "1250000.50", False),
        ("0,5 €", "0.5", False),
        ("45 000 €.", "45000", False),
    ],
)
def test_parse_amount(text, value, per_year):
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == Decimal(value)
    assert amount.per_year is per_year
    assert amount.raw == text.strip().rstrip(".")


def test_amounts_are_exact_decimals_without_exponent():
    assert str(parse_amount("81,4 M€").value) == "81400000"
    assert str(parse_amount("0,75 €").value) == "0.75"


@pytest.mark.parametrize("text", ["", "gratuit", "Non défini", "2017", "40 000 € et 5 000 €"])
def test_parse_amount_returns_none_for_what_is_not_one_amount(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1O 000 €", "lettre au milieu des chiffres"),
        ("6 00 €", "groupes de chiffres incorrects"),
        ("12 000 ab €", "symbole monétaire sans montant"),
        ("3 4 500 euros", "groupes de chiffres incorrects"),
    ],
)
def test_unreadable_amounts_are_refused_with_the_offending_text(text, reason):
    with pytest.raises(AmountError) as raised:
        parse_amount(text)
    assert reason in str(raised.value)
    assert raised.value.text in text


def test_find_amounts_in_prose_with_spans():
    text = "Le coût est de 30 € pour l'adhésion et 35 € par semestre."
    found = find_amounts(text)
    assert [(m.amount.value, text[m.start : m.end]) for m in found] == [
        (Decimal(30), "30 €"),
        (Decimal(35), "35 €"),
    ]
    assert not any(m.amount.per_year for m in found)


def test_a_year_before_an_amount_is_not_part_of_it():
    (match,) = find_amounts("Coût de l’action en 2017 75 094€/an")
    assert match.amount.value == Decimal(75094)
    assert match.amount.raw == "75 094€/an"


def test_unreadable_amounts_can_be_collected_instead_of_raised():
    errors: list[AmountError] = []
    found = find_amounts("1O 000 € puis 2 000 €", errors=errors)
    assert [m.amount.value for m in found] == [Decimal(2000)]
    assert [e.text for e in errors] == ["1O 000"]


def test_comparator_before():
    text = "avec à minima 114 communes (environ 41 000 prises)"
    assert comparator_before(text, text.index("114")) == (">=", text.index("à minima"))
    assert comparator_before(text, text.index("41")) == ("~", text.index("environ"))
    assert comparator_before("les 8 communes", 4) == ("", 4)


def test_strict_mode_refuses_a_currency_sign_without_amount():
    assert find_amounts("montant en € à préciser") == []
    with pytest.raises(AmountError):
        find_amounts("montant en € à préciser", strict=True)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("4 300", "4300", "", ""),
        ("4  300 lignes", "4300", "lignes", ""),
        ("50 200", "50200", "", ""),
        ("4 millions", "4000000", "", ""),
        ("70 %", "70", "%", ""),
        ("70%", "70", "%", ""),
        ("0,75 ETP", "0.75", "ETP", ""),
        ("Plus de 4 millions d’images (fichiers numériques)", "4000000", "images", ">"),
        ("à minima 114 communes couvertes", "114", "communes", ">="),
        ("environ 41 000 prises", "41000", "prises", "~"),
        ("Une trentaine de partenaires", "30", "partenaires", "~"),
        ("zéro ligne inéligible", "0", "ligne", ""),
        ("15 points de médiation en 2019", "15", "points de médiation", ""),
        ("30 « Promeneurs du Net »", "30", "Promeneurs du Net", ""),
        ("3 Mbit/s", "3", "Mbit/s", ""),
    ],
)
def test_parse_quantity(text, value, unit, comparator):
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.unit, quantity.comparator) == (
        Decimal(value),
        unit,
        comparator,
    )


@pytest.mark.parametrize("text", ["", "Mise en service", "fin du programme", "un", "1h30"])
def test_parse_quantity_needs_a_leading_number(text):
    assert parse_quantity(text) is None


def test_find_quantities_leaves_out_dates_years_and_glued_numbers():
    text = (
        "Le 10 mars 2017, 1h30 en groupe, 2G et 3G/4G, le 31/12/2016, 2/an, la 1ère phase, "
        "le CO2, les 4 B Sud Charente, d’ici 2021 : 8 communes et deux objectifs."
    )
    found = [(m.quantity.value, m.quantity.unit) for m in find_quantities(text)]
    assert found == [(Decimal(8), "communes"), (Decimal(2), "objectifs")]


def test_find_quantities_reads_a_unit_wrapped_to_the_next_line():
    found = find_quantities("inférieur à 3\nMbits/s (50 200 lignes) ; - Nombre : 79\nEnquête")
    assert [(m.quantity.value, m.quantity.unit) for m in found] == [
        (Decimal(3), "Mbits/s"),
        (Decimal(50200), "lignes"),
        (Decimal(79), ""),
    ]


def test_unit_phrase():
    assert unit_phrase("points de médiation dans le département") == "points de médiation"
    assert unit_phrase("d’usagers ayant utilisé le point visio") == "usagers"
    assert unit_phrase("prises FttH") == "prises"


# --- Round trip: any decimal written the French way reads back to itself --------------------

GROUP_SEPARATORS = [" ", "\u00a0", "\u202f"]
CURRENCIES = ["€", " €", " euros", "\u00a0€"]


def french(value: Decimal, separator: str, currency: str, per_year: str) -> str:
    integral, _, fraction = f"{value:f}".partition(".")
    groups = f"{int(integral):,}".replace(",", separator)
    return f"{groups}{',' + fraction if fraction else ''}{currency}{per_year}"


@given(
    value=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False),
    separator=st.sampled_from(GROUP_SEPARATORS),
    currency=st.sampled_from(CURRENCIES),
    per_year=st.sampled_from(["", "/an", " /an", " par an"]),
)
def test_any_french_amount_reads_back_exactly(value, separator, currency, per_year):
    text = french(value, separator, currency, per_year)
    amount = parse_amount(text)
    assert amount is not None, text
    assert amount.value == value
    assert amount.per_year is bool(per_year)


@given(
    values=st.lists(
        st.decimals(min_value=0, max_value=10**9, places=0, allow_nan=False),
        min_size=1,
        max_size=5,
    ),
    separator=st.sampled_from(GROUP_SEPARATORS),
)
def test_every_amount_of_a_list_is_found_in_order(values, separator):
    text = " ; ".join(f"poste {i} : {french(v, separator, ' €', '')}" for i, v in enumerate(values))
    assert [m.amount.value for m in find_amounts(text, strict=True)] == values


@given(
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    separator=st.sampled_from(GROUP_SEPARATORS),
)
def test_any_french_quantity_reads_back_exactly(value, separator):
    quantity = parse_quantity(french(value, separator, " lignes", ""))
    assert quantity is not None
    assert (quantity.value, quantity.unit) == (value, "lignes")
