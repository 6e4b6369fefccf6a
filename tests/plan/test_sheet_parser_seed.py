"""The Charente digital sheets (Num01–Num11, December 2017) read into exact structured data.

The document is the seed export, byte for byte (`documents/charente_numerique_2017.txt`): it
has the symbol-font glyphs (U+F0FE ticked boxes in Num09–Num11, "þ" elsewhere, U+F0B7
bullets), the leading spaces page breaks leave before some labels, and curly apostrophes.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from maillage.plan.sheet_parser import Actor, ParsedSheet, parse_document, sheets_to_json

SEED = Path(__file__).parent / "documents" / "charente_numerique_2017.txt"
REFS = [f"Num{n:02d}" for n in range(1, 12)]


@pytest.fixture(scope="module")
def sheets() -> dict[str, ParsedSheet]:
    parsed = parse_document(SEED.read_text(encoding="utf-8"), source_name=SEED.name)
    return {sheet.ref: sheet for sheet in parsed}


def test_the_seed_has_the_glyphs_the_parser_must_handle():
    raw = SEED.read_text(encoding="utf-8")
    assert raw.count("\uf0fe") == 3  # ticked "Numérique" of Num09, Num10, Num11
    assert raw.count("þ") == 11
    assert raw.count("□") == 30
    assert "\n Réf : Num02" in raw and "\n Pilotes et missions" in raw
    assert "’" in raw and "'" in raw


def test_eleven_sheets_in_order_with_ref_date_and_theme(sheets):
    assert list(sheets) == REFS
    for sheet in sheets.values():
        assert sheet.date == date(2017, 12, 20)
        assert sheet.theme == "Numérique"
        assert sheet.source_name == "charente_numerique_2017.txt"
        assert sheet.warnings == ()
    assert [sheet.line for sheet in sheets.values()] == [
        1, 51, 132, 179, 213, 259, 317, 395, 450, 486, 579
    ]  # fmt: skip


def test_every_sheet_has_every_field_with_its_line(sheets):
    assert sheets["Num08"].field_lines == {
        "theme": 397,
        "action": 399,
        "sub_action": 401,
        "description": 403,
        "scope": 422,
        "pilots": 424,
        "partners": 426,
        "calendar": 428,
        "indicators": 430,
        "cost": 441,
        "funding": 443,
        "dimensions": 445,
    }
    for sheet in sheets.values():
        assert len(sheet.field_lines) == 12


@pytest.mark.parametrize(
    ("ref", "ticked"),
    [
        ("Num01", {"Physique", "Numérique"}),
        ("Num02", {"Numérique"}),
        ("Num03", {"Numérique"}),
        ("Num04", {"Physique", "Numérique"}),
        ("Num05", {"Numérique", "Mutualisation"}),
        ("Num06", {"Numérique"}),
        ("Num07", {"Numérique"}),
        ("Num08", {"Numérique"}),
        ("Num09", {"Numérique"}),
        ("Num10", {"Numérique"}),
        ("Num11", {"Numérique"}),
    ],
)
def test_ticked_dimensions(sheets, ref, ticked):
    dimensions = sheets[ref].dimensions
    assert set(dimensions) == {"Physique", "Numérique", "Horaire", "Mutualisation"}
    assert {name for name, on in dimensions.items() if on} == ticked


def test_actions_and_sub_actions(sheets):
    for ref in REFS[:9]:
        assert sheets[ref].action == "Développement des usages du numérique"
    assert sheets["Num10"].action == (
        "Renforcement des infrastructures, de la couverture et de la montée en débit "
        "(internet, 2G, 3G/4G)."
    )
    assert sheets["Num11"].action == (
        "Renforcer les infrastructures la couverture et la montée en débit"
    )
    assert sheets["Num10"].sub_action == ""
    assert sheets["Num01"].sub_action == (
        "Accompagnement des personnes dans la saisie des formulaires en ligne dans le cadre de "
        "la gestion dématérialisée (feuilles d'impôts, d'assurance maladie ...)"
    )
    assert sheets["Num11"].sub_action == "Participation au financement des travaux"


def test_prose_stays_prose(sheets):
    num08 = sheets["Num08"]
    assert num08.description.startswith("Les bibliothèques sont des espaces")
    assert num08.description.endswith(
        "Coût : gratuit pour l’usager.\nFinancement : Département et Etat."
    )
    num06 = sheets["Num06"]
    assert "• Eviter les déplacements non strictement nécessaires" in num06.description
    assert "\n\n" in num06.description
    assert sheets["Num03"].scope_text == "Internet, donc accessible depuis partout dans le monde."
    assert sheets["Num02"].description.startswith(
        "Le Promeneur du Net (Pdn) est un professionnel de la jeunesse,"
    )


def test_num01_costs_salary_and_travel_per_year_free_for_the_user(sheets):
    num01 = sheets["Num01"]
    assert [(b.label, b.amount, b.per_year, b.kind) for b in num01.budget_lines] == [
        ("Salaire", Decimal("6000"), True, "operating"),
        ("déplacements", Decimal("5000"), True, "operating"),
    ]
    assert num01.cost_total == Decimal("11000")
    assert num01.cost_total_stated is False
    assert num01.cost_notes == ("gratuit pour l'usager",)
    assert num01.funders == ("CARSAT", "Conférence des financeurs", "fondation MACIF")
    assert num01.calendar_period.start_year == 2017
    assert num01.calendar_period.end_year == 2018


def test_num01_actors_share_a_mission(sheets):
    num01 = sheets["Num01"]
    assert num01.pilots == (
        Actor(
            "Espace Numérique Sud Charente",
            "espace public numérique, de médiation numérique labellisé Netpublic",
        ),
    )
    assert num01.partners == (
        Actor("Centres socio-culturels", "transport à la demande"),
        Actor("ATLEB", "transport à la demande"),
    )
    assert [i.label for i in num01.indicators] == [
        "Nombre de bénéficiaires",
        "Nombre de personnes participant ensuite aux cours collectifs",
        "Nombre de personnes s'équipant individuellement",
    ]
    figures = {(f.value, f.unit) for f in num01.key_figures}
    assert figures == {(Decimal(8), "communes"), (Decimal(30), "€"), (Decimal(35), "€")}


def test_num02_network_of_30_promeneurs_and_yearly_cost(sheets):
    num02 = sheets["Num02"]
    (line,) = num02.budget_lines
    assert (line.amount, line.per_year, line.year, line.raw) == (
        Decimal("75094"),
        True,
        2017,
        "75 094€/an",
    )
    assert num02.funders == ("Caf",)
    figures = [(f.value, f.unit, f.field) for f in num02.key_figures]
    assert (Decimal(30), "Promeneurs du Net", "sub_action") in figures
    assert (Decimal("0.75"), "ETP", "description") in figures


def test_num02_governance_prose_keeps_the_organisations_it_names(sheets):
    num02 = sheets["Num02"]
    assert num02.pilots_text.startswith("Comité de pilotage : mise en place")
    assert "->Composition" in num02.pilots_text
    assert num02.pilots == (
        Actor("Comité de pilotage", "mise en place d’une gouvernance départementale"),
        Actor("La Caf", "le pilotage du Copil"),
        Actor("L’État", "le pilotage du Copil"),
        Actor(
            "La coordination départementale (MJC)",
            "l’organisation, l’animation et le secrétariat du copil",
        ),
    )
    assert [p.name for p in num02.partners] == [
        "Ddcspp",
        "Conseil départemental",
        "Éducation nationale",
        "Msa des Charentes",
        "Cij",
    ]


def test_num02_calendar_numbered_milestones_and_meeting_rhythm(sheets):
    num02 = sheets["Num02"]
    assert num02.calendar_period.start_year == num02.calendar_period.end_year == 2017
    assert [(m.index, m.when_text, m.date, m.year, m.month, m.label) for m in num02.milestones] == [
        (1, "10 Mars 2017", date(2017, 3, 10), 2017, 3, "Réunion d’information des futurs Pdn"),
        (2, "Mai", None, 2017, 5, "Validation de la liste Pdn par le Copil"),
        (3, "Fin mai", None, 2017, 5, "Engagement et signature d’une convention Pdn"),
        (4, "Juin", None, 2017, 6, "1ere rencontre du réseau Pdn"),
        (5, "Septembre", None, 2017, 9, "2 jours de formation"),
        (6, "Décembre", None, 2017, 12, "réunion du réseau Pdn"),
    ]
    assert [(r.body, r.times_per_year, r.months) for r in num02.governance_rhythm] == [
        ("Comité de pilotage", 2, (1, 6)),
        ("Comité technique", 2, (12, 5)),
        ("Réseau Pdn", 3, (2, 5, 11)),
    ]


def test_num02_indicators_and_their_note(sheets):
    num02 = sheets["Num02"]
    assert [(i.label, i.unit) for i in num02.indicators] == [
        ("Nombre de Pnd", "Pnd"),
        ("Nombre de contacts", "contacts"),
        ("Nombre de rencontres physiques", "rencontres"),
    ]
    assert num02.indicator_notes == (
        "Les critères de suivi restent à travailler par le coordonnateur.",
    )


def test_num03_archives_from_zero_documents_to_four_million_images(sheets):
    num03 = sheets["Num03"]
    (indicator,) = num03.indicators
    assert indicator.label == "Nombre de documents numérisés et consultations en ligne"
    initial, intermediate, final = indicator.targets
    assert (initial.kind, initial.value, initial.unit, initial.year) == (
        "initial",
        Decimal(0),
        "document",
        2006,
    )
    assert (intermediate.kind, intermediate.value, intermediate.comparator) == (
        "intermediate",
        Decimal(4_000_000),
        ">",
    )
    assert (intermediate.unit, intermediate.year) == ("images", 2016)
    assert (final.kind, final.value, final.year) == ("final", None, None)
    assert final.value_text == "Programme de numérisation de masse en cours"
    (line,) = num03.budget_lines
    assert line.amount == Decimal("418826")
    assert (line.since_year, line.as_of, line.note) == (
        2009,
        date(2016, 12, 31),
        "depuis 2009 (au 31/12/2016)",
    )
    assert num03.funders == ("Département", "Ministère de la Culture et de la Communication")
    (funding,) = num03.funding_amounts
    assert (funding.funder, funding.amount) == (
        "Ministère de la Culture et de la Communication",
        Decimal("103399"),
    )
    period = num03.calendar_period
    assert (period.start_year, period.end_year, period.ongoing) == (2009, None, True)
    assert [p.name for p in num03.partners] == [
        "Ministère de la Culture et de la Communication",
        "Service interministériel des Archives de France (SIAF)",
    ]


def test_num04_cyber_cafe(sheets):
    num04 = sheets["Num04"]
    assert [(b.label, b.amount, b.per_year) for b in num04.budget_lines] == [
        ("", Decimal("40000"), False)
    ]
    assert [i.label for i in num04.indicators] == ["Création du cyber-café"]
    assert num04.funders == ("Département", "Commune")
    assert num04.pilots == (Actor("Commune de Barbezieux"),)


def test_num05_four_budget_lines_and_a_checked_total(sheets):
    num05 = sheets["Num05"]
    assert [(b.label, b.amount, b.kind) for b in num05.budget_lines] == [
        ("Investissement matériel", Decimal("20000"), "investment"),
        ("Investissement mobilier et enseigne", Decimal("7000"), "investment"),
        ("Ingénierie/Animation", Decimal("28000"), "operating"),
        ("Frais de fonctionnement", Decimal("5000"), "operating"),
    ]
    assert num05.cost_total == Decimal("60000")
    assert num05.cost_total_stated is True
    assert num05.pilots == (
        Actor(
            "Espace Numérique Sud Charente",
            "en lien avec l'association Mobilité Ouest Sud Charente (MOSC)",
        ),
    )
    assert [p.name for p in num05.partners] == [
        "Centre Socio Culturel de Barbezieux",
        "ATLEB",
        "Mission locale Arc Charente",
        "Communauté de communes des 4B Sud Charente",
    ]
    assert num05.funders == ("Etat", "CRDD", "Département", "MSA", "autres établissements publics")


def test_num06_undefined_cost_and_approximate_figures(sheets):
    num06 = sheets["Num06"]
    assert num06.budget_lines == ()
    assert num06.cost_total is None
    assert num06.cost_text == "Non défini à ce stade du projet"
    assert num06.cost_notes == ("Non défini à ce stade du projet",)
    assert num06.calendar_period is None
    assert num06.partners == ()  # a sentence about ~30 partners in several domains
    assert "Une trentaine de partenaires" in num06.partners_text
    figures = [(f.value, f.unit, f.comparator, f.field) for f in num06.key_figures]
    assert figures == [
        (Decimal(30), "partenaires", "~", "partners"),
        (Decimal(100), "points", "~", "calendar"),
    ]
    assert num06.pilots[0] == Actor(
        "Département de la Charente",
        "en partenariat avec les collectivités locales, notamment les communes et leur "
        "prestataire informatique",
    )
    assert [i.label for i in num06.indicators] == [
        "Nombre de points implantés",
        "Nombre d’usagers ayant utilisé le point visio",
        "Nombre d’opérateurs présents",
    ]


def test_num07_2016_results_are_measurements(sheets):
    num07 = sheets["Num07"]
    measured = [
        (i.label, m.value, m.value_text, m.year) for i in num07.indicators for m in i.measurements
    ]
    assert measured == [
        ("Nombre d'ateliers", Decimal(15), "15", 2016),
        ("Nombre de participants", Decimal(98), "98", 2016),
        ("Nombre de comptes espace privé créés", Decimal(79), "79", 2016),
        ("Enquête de satisfaction", None, "très favorable", 2016),
    ]
    assert num07.indicator_notes == ("Ces indicateurs seront reconduits chaque année",)
    assert num07.budget_lines == () and num07.cost_text == "-" and num07.funders == ()
    period = num07.calendar_period
    assert (period.start_year, period.start_month, period.ongoing) == (2016, 4, True)
    assert [p.name for p in num07.pilots] == ["Service proximité de la MSA", "VSC"]
    assert [p.name for p in num07.partners] == ["Les EPN", "Les MFR"]


def test_num08_libraries_from_0_to_59_mediation_points(sheets):
    num08 = sheets["Num08"]
    (indicator,) = num08.indicators
    assert indicator.unit == "points de médiation"
    assert [(t.kind, t.value, t.unit, t.year, t.end_year, t.note) for t in indicator.targets] == [
        ("initial", Decimal(0), "points de médiation", 2016, 2017, ""),
        ("intermediate", Decimal(15), "points de médiation", 2019, None, ""),
        ("final", Decimal(59), "points de médiation", 2022, None, "max 2022"),
    ]
    assert num08.cost_notes == ("gratuit pour l’usager",)
    assert num08.funders == ("Etat", "Département")
    assert num08.pilots == (Actor("Département", "Développement de la lecture publique"),)
    assert [p.name for p in num08.partners] == [
        "Département (SDL)",
        "Collectivités (bibliothèques)",
    ]
    assert [(f.value, f.unit) for f in num08.key_figures] == [(Decimal(59), "bibliothèques")]


def test_num09_cost_in_euros_and_a_note_after_the_indicator(sheets):
    num09 = sheets["Num09"]
    assert [b.amount for b in num09.budget_lines] == [Decimal("100000")]
    assert [i.label for i in num09.indicators] == ["Nombre de personnes accompagnées"]
    assert num09.indicator_notes[0].startswith("Une mesure des résultats")
    assert num09.funders == ("Département", "FSE")
    period = num09.calendar_period
    assert (period.start_year, period.end_year) == (2017, 2020)


def test_num10_broadband_targets_and_figures(sheets):
    num10 = sheets["Num10"]
    (indicator,) = num10.indicators
    assert indicator.label == "Mise en service des réseaux"
    initial, intermediate, final = indicator.targets
    assert (initial.value, initial.date, initial.value_text) == (
        None,
        date(2016, 12, 31),
        "Choix structurants au 31/12/2016",
    )
    assert (intermediate.value, intermediate.date, intermediate.year) == (
        None,
        date(2018, 12, 31),
        2018,
    )
    assert intermediate.value_text.startswith("fin du programme de monté en débit filaire")
    assert (final.value, final.year, final.value_text) == (
        None,
        2021,
        "Mise en service de l’ensemble du programme.",
    )
    assert [(b.amount, b.raw) for b in num10.budget_lines] == [(Decimal("81400000"), "81,4 M€")]
    figures = [(f.value, f.unit, f.comparator, f.year) for f in num10.key_figures]
    for expected in [
        (Decimal(4300), "lignes", "", None),
        (Decimal(50200), "lignes", "", None),
        (Decimal(3), "Mbits/s", "", None),
        (Decimal(0), "ligne", "", 2020),
        (Decimal(70), "%", "", 2020),
        (Decimal(114), "communes", ">=", None),
        (Decimal(41000), "prises", "~", None),
        (Decimal(50), "sous répartiteurs", "~", None),
        (Decimal(81_400_000), "€", "", None),
        (Decimal(7_300_000), "€", "", None),
    ]:
        assert expected in figures
    (ineligible,) = [f for f in num10.key_figures if f.value == 4300]
    assert "zones inéligibles à l’aDSL (4 300 lignes)" in ineligible.context
    assert ineligible.line == 505
    assert [p.name for p in num10.pilots] == [
        "SMO Charente Numérique",
        "SPL Nouvelle Aquitaine THD",
    ]
    assert num10.partners[1] == Actor("Etat", "mission THD via l’agence du Numérique")
    assert num10.funders == (
        "Etat (Fond pour la Société Numérique)",
        "Région Nouvelle Aquitaine",
        "Europe",
        "Département",
        "EPCI",
    )
    period = num10.calendar_period
    assert (period.start_year, period.end_year) == (2016, 2021)


def test_num11_ftth_premises(sheets):
    num11 = sheets["Num11"]
    assert [b.amount for b in num11.budget_lines] == [Decimal("3374200")]
    assert [(i.label, i.unit) for i in num11.indicators] == [("Nombre de prises FttH", "prises")]
    assert num11.pilots == (Actor("Communauté de communes des 4B Sud Charente"),)
    assert num11.partners == (Actor("Département"),)
    assert [(f.value, f.unit) for f in num11.key_figures] == [
        (Decimal(2), "objectifs"),
        (Decimal(2), "%"),
        (Decimal(22), "%"),
        (Decimal(3), "Mbit/s"),
    ]


def test_json_export_is_exact(sheets):
    data = json.loads(sheets_to_json(list(sheets.values())))
    assert [item["ref"] for item in data] == REFS
    num10 = data[9]
    assert num10["date"] == "2017-12-20"
    assert num10["budget_lines"][0]["amount"] == "81400000"
    assert num10["indicators"][0]["targets"][1]["date"] == "2018-12-31"
    assert data[1]["budget_lines"][0]["per_year"] is True
    assert data[0]["dimensions"] == {
        "Physique": True,
        "Numérique": True,
        "Horaire": False,
        "Mutualisation": False,
    }
    assert "Développement des usages du numérique" in sheets_to_json([sheets["Num01"]])
