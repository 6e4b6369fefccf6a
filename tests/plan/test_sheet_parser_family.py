"""Sheets of the same family the parser has never seen: other themes, other départements,
other label wordings and layouts; and documents that must be refused, with line numbers."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from maillage.plan.sheet_parser import (
    Actor,
    ParsedSheet,
    SheetDocumentError,
    SheetIssue,
    parse_document,
)

DOCUMENTS = Path(__file__).parent / "documents"


def parse_file(name: str) -> dict[str, ParsedSheet]:
    text = (DOCUMENTS / name).read_text(encoding="utf-8")
    return {sheet.ref: sheet for sheet in parse_document(text, source_name=name)}


def refused(text: str) -> list[SheetIssue]:
    with pytest.raises(SheetDocumentError) as raised:
        parse_document(text, source_name="essai.txt")
    return list(raised.value.errors)


# --- Santé, Deux-Sèvres: "Label : value" style, one "Name : mission" pair per bullet ---------


@pytest.fixture(scope="module")
def sante() -> dict[str, ParsedSheet]:
    return parse_file("deux_sevres_sante_2018.txt")


def test_sante_sheets_with_colon_labels(sante):
    assert list(sante) == ["San03", "San04"]
    san03 = sante["San03"]
    assert (san03.date, san03.theme) == (date(2018, 3, 12), "Santé")
    assert san03.action == "Favoriser l’accès aux soins de premier recours"
    assert san03.sub_action == (
        "Permanences de médecins généralistes dans les maisons de services au public"
    )
    assert san03.scope_text == "Communauté de communes du Thouarsais"
    assert san03.warnings == ()


def test_sante_label_alone_on_its_line_and_inline_funding_words_stay_in_the_description(sante):
    san03 = sante["San03"]
    assert san03.description.startswith("Le territoire compte 45 000 habitants")
    assert san03.description.endswith(
        "Financement : les locaux sont mis à disposition par les communes."
    )
    assert san03.field_lines["description"] == 13
    assert san03.field_lines["funding"] == 48


def test_sante_pilots_and_partners(sante):
    san03 = sante["San03"]
    assert san03.pilots == (
        Actor("ARS Nouvelle-Aquitaine", "coordination et recrutement"),
        Actor("Département des Deux-Sèvres", "locaux et communication"),
    )
    assert san03.partners == (
        Actor("Ordre des médecins", "relais auprès des praticiens"),
        Actor("CPAM des Deux-Sèvres", "accès aux droits"),
        Actor("Mutualité Française"),
    )


def test_sante_calendar_with_months(sante):
    san03 = sante["San03"]
    period = san03.calendar_period
    assert (period.start_year, period.start_month, period.end_year, period.end_month) == (
        2018,
        1,
        2019,
        6,
    )
    assert [(m.year, m.month, m.label) for m in san03.milestones] == [
        (2018, 3, "ouverture de la première permanence"),
        (2018, 9, "bilan à six mois"),
        (2019, 1, "extension à deux nouvelles communes"),
    ]


def test_sante_targets_attach_to_the_indicator_above_them(sante):
    first, second = sante["San03"].indicators
    assert (first.label, first.unit) == ("Nombre de permanences ouvertes", "permanences")
    assert [(t.kind, t.value, t.unit, t.year) for t in first.targets] == [
        ("initial", Decimal(12), "permanences", 2017),
        ("intermediate", Decimal(18), "permanences", 2018),
        ("final", Decimal(24), "permanences", 2020),
    ]
    assert (second.label, second.unit) == ("Taux de satisfaction des patients", "%")
    assert [(t.kind, t.value, t.unit, t.year) for t in second.targets] == [
        ("final", Decimal(90), "%", 2020)
    ]


def test_sante_budget_total_and_funding_amounts(sante):
    san03 = sante["San03"]
    assert [(b.label, b.amount, b.per_year, b.kind) for b in san03.budget_lines] == [
        ("Investissement (aménagement des locaux)", Decimal(45000), False, "investment"),
        ("Frais de fonctionnement", Decimal(12500), True, "operating"),
    ]
    assert (san03.cost_total, san03.cost_total_stated) == (Decimal(57500), True)
    assert san03.funders == ("ARS", "Département", "Communauté de communes du Thouarsais")
    assert [(f.funder, f.amount, f.per_year) for f in san03.funding_amounts] == [
        ("ARS", Decimal(30000), False),
        ("Département", Decimal(15000), False),
        ("Communauté de communes du Thouarsais", Decimal(12500), True),
    ]


def test_sante_dimensions_on_one_line_with_symbol_font_glyphs(sante):
    assert sante["San03"].dimensions == {
        "Physique": True,
        "Numérique": False,
        "Horaire": True,
        "Mutualisation": False,
    }
    assert sante["San04"].dimensions == {
        "Physique": False,
        "Numérique": True,
        "Horaire": False,
        "Mutualisation": False,
    }


def test_sante_key_figures(sante):
    figures = [(f.value, f.unit, f.comparator, f.field) for f in sante["San03"].key_figures]
    assert figures[:4] == [
        (Decimal(45000), "habitants", "", "description"),
        (Decimal(12), "médecins", "", "description"),
        (Decimal(6), "maisons de services", "", "description"),
        (Decimal(1500), "consultations", "~", "description"),
    ]
    assert (Decimal(2), "communes", "", "calendar") in figures


def test_sante_parenthesised_label_and_check_boxes_on_the_heading_line(sante):
    san04 = sante["San04"]
    assert san04.description == (
        "Installation de 3 cabines de téléconsultation\ndans des pharmacies rurales."
    )
    assert [(f.value, f.unit) for f in san04.key_figures] == [
        (Decimal(3), "cabines de téléconsultation")
    ]
    assert [name for name, on in san04.dimensions.items() if on] == ["Numérique"]


def test_sante_measurements_under_a_bilan_heading_and_yearly_cost(sante):
    san04 = sante["San04"]
    assert [
        (i.label, i.measurements[0].value, i.measurements[0].year) for i in san04.indicators
    ] == [
        ("Nombre de téléconsultations", Decimal(120), 2017),
        ("Nombre de patients", Decimal(85), 2017),
    ]
    assert [(b.amount, b.per_year) for b in san04.budget_lines] == [(Decimal(8000), True)]
    assert [p.name for p in san04.partners] == [
        "Union régionale des pharmaciens",
        "CPAM des Deux-Sèvres",
    ]


# --- Mobilité, Haute-Vienne: labels alone on their line, wrapped labels, stray spaces --------


@pytest.fixture(scope="module")
def mobilite() -> dict[str, ParsedSheet]:
    return parse_file("haute_vienne_mobilite_2019.txt")


def test_mobilite_values_below_their_labels(mobilite):
    mob01 = mobilite["Mob01"]
    assert (mob01.date, mob01.theme) == (date(2019, 4, 5), "Mobilité")
    assert mob01.action == "Développer les solutions de mobilité solidaire"
    assert mob01.sub_action == "Covoiturage solidaire pour l’accès à l’emploi et aux services"
    assert mob01.description == (
        "Une plateforme de covoiturage solidaire met en relation des conducteurs bénévoles et\n"
        "des personnes sans moyen de transport.\n"
        "Les trajets sont indemnisés 0,30 € par kilomètre au conducteur."
    )
    assert mob01.scope_text == "Haute-Vienne, hors Limoges Métropole"
    assert mob01.pilots == (Actor("Conseil départemental de la Haute-Vienne"),)
    assert mob01.partners == (
        Actor("Région Nouvelle-Aquitaine"),
        Actor("SNCF Voyageurs"),
        Actor("Association Roule Ma Poule", "animation du réseau de conducteurs"),
    )


def test_mobilite_wrapped_labels(mobilite):
    mob01 = mobilite["Mob01"]
    assert mob01.field_lines["calendar"] == 31
    period = mob01.calendar_period
    assert (period.start_year, period.end_year) == (2019, 2021)
    (indicator,) = mob01.indicators
    assert indicator.label == "Nombre de trajets réalisés"
    assert [(t.kind, t.value, t.year, t.note) for t in indicator.targets] == [
        ("initial", Decimal(0), 2018, ""),
        ("final", Decimal(5000), 2021, "max 2021"),
    ]


def test_mobilite_cost_with_year_in_the_label_and_value_below(mobilite):
    mob01 = mobilite["Mob01"]
    assert [(b.amount, b.per_year, b.year) for b in mob01.budget_lines] == [
        (Decimal(75000), True, 2019)
    ]
    assert mob01.funders == ("Département", "Région", "État")
    assert mob01.dimensions == {
        "Physique": False,
        "Numérique": True,
        "Horaire": True,
        "Mutualisation": False,
    }
    assert [(f.value, f.unit) for f in mob01.key_figures] == [(Decimal("0.3"), "€")]


def test_mobilite_short_labels_synonyms_and_empty_fields(mobilite):
    mob02 = mobilite["Mob02"]
    assert mob02.date == date(2019, 4, 1)
    assert mob02.sub_action == ""
    assert mob02.description == "Prêt de scooters aux jeunes en insertion."
    assert mob02.scope_text == "Haute-Vienne"
    assert mob02.pilots == (Actor("Mission locale rurale", "prêt et entretien des scooters"),)
    period = mob02.calendar_period
    assert (period.start_year, period.start_month, period.ongoing) == (2018, 9, True)
    assert (mob02.budget_lines, mob02.cost_total, mob02.funders) == ((), None, ())
    assert [name for name, on in mob02.dimensions.items() if on] == ["Physique"]


# --- Services publics, Loire-Atlantique: narrow no-break spaces, [x] boxes, k€ -------------


@pytest.fixture(scope="module")
def services() -> dict[str, ParsedSheet]:
    return parse_file("loire_atlantique_services_publics_2018.txt")


def test_services_amounts_with_no_break_spaces_and_checked_total(services):
    sp07 = services["SP07"]
    assert sp07.theme == "Services publics"
    assert [(b.label, b.amount, b.kind) for b in sp07.budget_lines] == [
        ("Investissement", Decimal(1_250_000), "investment"),
        ("Fonctionnement", Decimal(100_000), "operating"),
    ]
    assert (sp07.cost_total, sp07.cost_total_stated) == (Decimal(1_350_000), True)
    assert [(f.funder, f.amount) for f in sp07.funding_amounts] == [
        ("État (DETR)", Decimal(400_000)),
        ("Département", Decimal(950_000)),
    ]


def test_services_percent_targets_and_bracket_check_boxes(services):
    sp07 = services["SP07"]
    (indicator,) = sp07.indicators
    assert indicator.unit == "%"
    assert [(t.kind, t.value, t.year) for t in indicator.targets] == [
        ("initial", Decimal(62), 2018),
        ("final", Decimal(100), 2020),
    ]
    assert sp07.dimensions == {
        "Physique": True,
        "Numérique": False,
        "Horaire": True,
        "Mutualisation": True,
    }
    assert sp07.pilots == (
        Actor("Préfecture de Loire-Atlantique", "pilotage"),
        Actor("Département de Loire-Atlantique", "pilotage"),
    )
    assert [p.name for p in sp07.partners] == ["La Poste", "Pôle emploi", "CAF", "MSA"]
    figures = [(f.value, f.unit, f.comparator) for f in sp07.key_figures]
    assert (Decimal(20), "minutes", "<") in figures
    assert (Decimal(1_250_000), "€", "") in figures


def test_services_numeric_date_en_dash_period_and_kilo_euros(services):
    sp08 = services["SP08"]
    assert sp08.date == date(2018, 9, 3)
    period = sp08.calendar_period
    assert (period.start_year, period.end_year) == (2018, 2020)
    assert [b.amount for b in sp08.budget_lines] == [Decimal(18000)]
    assert [i.label for i in sp08.indicators] == [
        "Nombre de secrétaires formées",
        "Nombre de mairies équipées",
    ]


# --- Refused documents ---------------------------------------------------------------------

GOOD_SHEET = """Réf : Tst01 2 mai 2018
Thème Essai
Action Tester le refus
Coût de l'action 1 000 €
Financement Département
"""


def test_a_document_without_ref_line_is_refused():
    errors = refused("\n\nThème Santé\nAction Soigner\n")
    assert errors == [
        SheetIssue(None, 3, "aucune ligne « Réf : » : le document ne contient aucune fiche")
    ]


def test_an_empty_document_is_refused():
    assert refused("")[0].line == 1


def test_a_duplicate_ref_is_refused_at_its_second_occurrence():
    errors = refused(GOOD_SHEET + GOOD_SHEET)
    assert errors == [SheetIssue("Tst01", 6, "référence Tst01 en double (déjà utilisée ligne 1)")]


@pytest.mark.parametrize(
    ("cost", "reason"),
    [
        ("1O 000 €", "montant illisible (lettre au milieu des chiffres) : « 1O 000 »"),
        ("12 000 ab €", "montant illisible (symbole monétaire sans montant)"),
        ("6 00 €", "montant illisible (groupes de chiffres incorrects) : « 6 00 »"),
    ],
)
def test_an_unreadable_amount_is_refused_with_sheet_and_line(cost, reason):
    text = GOOD_SHEET.replace("1 000 €", cost)
    (error,) = refused(text)
    assert (error.ref, error.line) == ("Tst01", 4)
    assert error.reason.startswith("coût : ")
    assert reason in error.reason


def test_an_unreadable_funding_amount_is_refused():
    text = GOOD_SHEET.replace("Financement Département", "Financement Département : 5 OOO €")
    (error,) = refused(text)
    assert (error.ref, error.line) == ("Tst01", 5)
    assert "financement" in error.reason


def test_a_total_that_is_not_the_sum_of_the_lines_is_refused():
    text = GOOD_SHEET.replace(
        "Coût de l'action 1 000 €",
        "Coût de l'action\nMatériel : 20 000 €\nAnimation : 28 000 €\nTotal opération : 50 000 €",
    )
    (error,) = refused(text)
    assert (error.ref, error.line) == ("Tst01", 7)
    assert error.reason == (
        "le total indiqué (50\u202f000 €) ne correspond pas à la somme des lignes (48\u202f000 €)"
    )


def test_missing_mandatory_labels_and_unreadable_dates_are_refused():
    text = "Réf : Tst02 31 février 2018\nAction Sans thème\n"
    errors = refused(text)
    assert errors == [
        SheetIssue("Tst02", 1, "date illisible : « 31 février 2018 »"),
        SheetIssue("Tst02", 1, "libellé obligatoire « Thème » absent"),
    ]
    assert refused("Réf :\nThème X\nAction Y\n") == [
        SheetIssue(None, 1, "référence absente après « Réf : »")
    ]


def test_every_error_of_the_document_is_reported_at_once():
    text = (
        GOOD_SHEET
        + GOOD_SHEET.replace("Tst01", "Tst02").replace("1 000 €", "1O 000 €")
        + GOOD_SHEET.replace("Thème Essai\n", "")
        + GOOD_SHEET.replace("Tst01", "Tst03").replace("Action", "Actionnaire")
    )
    errors = refused(text)
    assert [(e.ref, e.line) for e in errors] == [
        ("Tst02", 9),
        ("Tst01", 11),
        ("Tst01", 11),
        ("Tst03", 15),
    ]
    assert "montant illisible" in errors[0].reason
    assert errors[1].reason == "libellé obligatoire « Thème » absent"
    assert "en double" in errors[2].reason
    assert errors[3].reason == "libellé obligatoire « Action » absent"


def test_the_error_message_lists_every_problem_in_french():
    with pytest.raises(SheetDocumentError) as raised:
        parse_document(GOOD_SHEET + GOOD_SHEET, source_name="fiches.txt")
    message = str(raised.value)
    assert message.startswith("Document fiches.txt refusé (1 erreur(s)) :")
    assert "- fiche Tst01, ligne 6 : référence Tst01 en double" in message


def test_a_sheet_without_check_boxes_or_date_parses_with_warnings():
    (sheet,) = parse_document("Réf : Tst04\nThème Essai\nAction Avertir\nVu ici\n")
    assert sheet.date is None
    assert sheet.action == "Avertir\nVu ici".replace("\n", " ")
    assert [w.reason for w in sheet.warnings] == ["date de la fiche absente"]
    assert not any(sheet.dimensions.values())


def test_a_lost_check_box_glyph_is_read_as_ticked_with_a_warning():
    text = GOOD_SHEET + "□ Physique  Numérique\n□ Horaire □ Mutualisation\n"
    (sheet,) = parse_document(text)
    assert sheet.dimensions["Numérique"] is True
    assert sheet.dimensions["Physique"] is False
    (warning,) = sheet.warnings
    assert (warning.line, warning.reason) == (
        6,
        "case « Numérique » sans symbole lisible : considérée cochée",
    )


def test_windows_line_ends_byte_order_mark_and_form_feeds_change_nothing():
    text = (DOCUMENTS / "charente_numerique_2017.txt").read_text(encoding="utf-8")
    expected = [sheet.to_dict() for sheet in parse_document(text)]
    variant = "\ufeff" + text.replace(" Réf : Num05", "\f Réf : Num05").replace("\n", "\r\n")
    assert [sheet.to_dict() for sheet in parse_document(variant)] == expected


def test_ref_label_variants():
    for ref_line in ["Réf. : Tst01 2 mai 2018", "Réf. Tst01 2 mai 2018", "REF : Tst01 2 mai 2018"]:
        (sheet,) = parse_document(GOOD_SHEET.replace("Réf : Tst01 2 mai 2018", ref_line))
        assert (sheet.ref, sheet.date) == ("Tst01", date(2018, 5, 2))


def test_an_unreadable_amount_in_prose_is_only_a_warning():
    text = GOOD_SHEET.replace(
        "Action Tester le refus\n",
        "Action Tester le refus\nDescription Un budget de 1O 000 € et 30 € d'adhésion.\n"
        "Coût : 1O € la séance\n",
    )
    (sheet,) = parse_document(text)
    assert [(f.value, f.unit) for f in sheet.key_figures] == [(Decimal(30), "€")]
    assert [(w.line, w.reason) for w in sheet.warnings] == [
        (4, "description : montant illisible (lettre au milieu des chiffres) : « 1O 000 »"),
        (4, "description : montant illisible (lettre au milieu des chiffres) : « 1O »"),
    ]
    assert sheet.cost_notes == ()
