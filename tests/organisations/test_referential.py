import pytest
from django.core.management import CommandError, call_command

from maillage.organisations.labels import OrganisationKind
from maillage.organisations.models import Organisation
from maillage.organisations.name_matching import (
    NameIndex,
    find_organisation_by_name,
    find_organisations_in_text,
    names_of,
    normalize_name,
)
from maillage.organisations.referential import (
    ReferentialError,
    load_referential_organisations,
    read_referential,
    referential_sheets,
)

pytestmark = pytest.mark.django_db

# Every organisation the action sheets name as pilot, partner or funder, by a name used
# in the source document, with the kind expected.
NAMED_IN_THE_PLAN = {
    "Espace Numérique Sud Charente": OrganisationKind.ASSOCIATION,
    "Centres socio-culturels": OrganisationKind.ASSOCIATION,
    "Centre Socio Culturel de Barbezieux": OrganisationKind.ASSOCIATION,
    "ATLEB": OrganisationKind.ASSOCIATION,
    "CARSAT": OrganisationKind.PUBLIC_OPERATOR,
    "Conférence des financeurs": OrganisationKind.OTHER,
    "fondation MACIF": OrganisationKind.OTHER,
    "FRMJC": OrganisationKind.ASSOCIATION,
    "La Caf": OrganisationKind.PUBLIC_OPERATOR,
    "L'État": OrganisationKind.STATE_SERVICE,
    "Préfecture": OrganisationKind.STATE_SERVICE,
    "Ddcspp": OrganisationKind.STATE_SERVICE,
    "Conseil départemental": OrganisationKind.DEPARTEMENT,
    "Département de la Charente": OrganisationKind.DEPARTEMENT,
    "Archives départementales": OrganisationKind.DEPARTEMENT,
    "Service départemental de la Lecture (SDL)": OrganisationKind.DEPARTEMENT,
    "Éducation nationale": OrganisationKind.STATE_SERVICE,
    "Msa des Charentes": OrganisationKind.PUBLIC_OPERATOR,
    "Cij": OrganisationKind.ASSOCIATION,
    "Ministère de la Culture et de la Communication": OrganisationKind.STATE_SERVICE,
    "Service interministériel des Archives de France (SIAF)": OrganisationKind.STATE_SERVICE,
    "Commune de Barbezieux": OrganisationKind.COMMUNE,
    "Comité des Jeunes de la commune de Barbezieux-Saint-Hilaire": OrganisationKind.OTHER,
    "Mobilité Ouest Sud Charente (MOSC)": OrganisationKind.ASSOCIATION,
    "la Mission locale Arc Charente": OrganisationKind.ASSOCIATION,
    "la Communauté de communes des 4B Sud Charente": OrganisationKind.EPCI,
    "CRDD": OrganisationKind.OTHER,
    "le SDITEC": OrganisationKind.OTHER,
    "Les EPN": OrganisationKind.OTHER,
    "Les MFR": OrganisationKind.ASSOCIATION,
    "SMO Charente Numérique": OrganisationKind.OTHER,
    "SPL Nouvelle Aquitaine THD": OrganisationKind.COMPANY,
    "SDEG": OrganisationKind.OTHER,
    "Région Nouvelle Aquitaine": OrganisationKind.OTHER,
    "l'agence du Numérique": OrganisationKind.STATE_SERVICE,
    "FSE": OrganisationKind.OTHER,
    "Europe": OrganisationKind.OTHER,
    "CPAM de la Charente": OrganisationKind.PUBLIC_OPERATOR,
    "France Travail": OrganisationKind.PUBLIC_OPERATOR,
    "Pôle emploi": OrganisationKind.PUBLIC_OPERATOR,
    "Carsat Centre-Ouest": OrganisationKind.PUBLIC_OPERATOR,
}


@pytest.fixture
def referential(db):
    load_referential_organisations()
    return NameIndex.build()


def test_loader_is_idempotent():
    first = load_referential_organisations()
    assert len(first.created) == Organisation.objects.count() == len(read_referential())
    count = Organisation.objects.count()
    second = load_referential_organisations()
    assert second.created == [] and second.updated == []
    assert len(second.unchanged) == count
    assert Organisation.objects.count() == count


def test_loader_keeps_what_administrators_wrote(referential):
    caf = Organisation.objects.get(slug="caf-charente")
    caf.description = "Notre présentation."
    caf.phone = "05 45 00 00 00"
    caf.aliases += "\nCaf Charente"
    caf.name = "Nom changé par erreur"
    caf.save()
    report = load_referential_organisations()
    caf.refresh_from_db()
    assert report.updated == ["caf-charente"]
    assert caf.name == "Caisse d'allocations familiales de la Charente"  # referential field
    assert caf.description == "Notre présentation."
    assert caf.phone == "05 45 00 00 00"
    assert "Caf Charente" in caf.alias_list and "La Caf" in caf.alias_list


@pytest.mark.parametrize(("name", "kind"), NAMED_IN_THE_PLAN.items())
def test_every_organisation_named_by_the_plan_is_loaded(referential, name, kind):
    organisation = find_organisation_by_name(name, referential)
    assert organisation is not None, name
    assert organisation.kind == kind, name


def test_parents_are_linked(referential):
    departement = Organisation.objects.get(slug="departement-charente")
    assert Organisation.objects.get(slug="service-departemental-lecture").parent == departement
    assert Organisation.objects.get(slug="archives-departementales-charente").parent == departement
    assert Organisation.objects.get(slug="comite-jeunes-barbezieux").parent.kind == "commune"


def test_referential_records_the_sheets_naming_each_organisation():
    sheets = referential_sheets()
    assert sheets["espace-numerique-sud-charente"].pilot_of == ("Num01", "Num05")
    assert sheets["atleb"].partner_of == ("Num01", "Num05")
    assert sheets["smo-charente-numerique"].pilot_of == ("Num10",)
    assert sheets["cc-4b-sud-charente"].sheets == ("Num05", "Num11")
    named = {ref for item in sheets.values() for ref in item.pilot_of + item.partner_of}
    assert named == {f"Num{n:02d}" for n in range(1, 12)}


def test_no_name_is_shared_by_two_referential_organisations(referential):
    assert referential.ambiguous == frozenset()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("La Caf", "caf-charente"),
        ("CAF", "caf-charente"),
        ("Msa des Charentes", "msa-des-charentes"),
        ("MSA", "msa-des-charentes"),
        ("SMO Charente Numérique", "smo-charente-numerique"),
        ("Communauté de communes des 4B Sud Charente", "cc-4b-sud-charente"),
        ("Communauté de communes des 4 B Sud Charente", "cc-4b-sud-charente"),
        ("4B Sud Charente", "cc-4b-sud-charente"),
        ("Ddcspp", "ddcspp-charente"),
        ("espace numerique sud charente", "espace-numerique-sud-charente"),
        ("Service proximité de la MSA et VSC.", "msa-des-charentes"),
        ("Département. Développement de la lecture publique", "departement-charente"),
        ("Département (SDL)", "service-departemental-lecture"),
        ("Centre Socio Culturel", "csc-barbezieux"),
        ("l'association Mobilité Ouest Sud Charente (MOSC)", "mosc"),
    ],
)
def test_find_organisation_by_name(referential, text, slug):
    organisation = find_organisation_by_name(text, referential)
    assert organisation is not None and organisation.slug == slug


def test_find_organisation_by_name_without_index_and_unknown_names(referential):
    assert find_organisation_by_name("La Caf").slug == "caf-charente"
    assert find_organisation_by_name("Orange") is None
    assert find_organisation_by_name("") is None
    assert find_organisation_by_name("Charente") is None


def test_ambiguous_names_match_nothing(referential):
    Organisation.objects.create(name="Caf bis", slug="caf-bis", kind="other", aliases="La Caf")
    assert find_organisation_by_name("La Caf") is None


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        (
            "Ddcspp, Conseil départemental, Éducation nationale, Msa des Charentes, \nCij.",
            [
                "ddcspp-charente",
                "departement-charente",
                "education-nationale-charente",
                "msa-des-charentes",
                "cij-charente",
            ],
        ),
        (
            "Centres socio-culturels et ATLEB : transport à la demande.",
            ["centres-socio-culturels", "atleb"],
        ),
        (
            "le Centre Socio Culturel de Barbezieux, l’ATLEB, la Mission locale Arc \nCharente, "
            "la Communauté de communes des 4B Sud Charente",
            ["csc-barbezieux", "atleb", "mission-locale-arc-charente", "cc-4b-sud-charente"],
        ),
        (
            "Département , Etat (mission THD via l’agence du Numérique), Région \nNouvelle "
            "Aquitaine, SPL Nouvelle Aquitaine THD, SDEG.",
            [
                "departement-charente",
                "etat-prefecture-charente",
                "agence-du-numerique",
                "region-nouvelle-aquitaine",
                "spl-nouvelle-aquitaine-thd",
                "sdeg-charente",
            ],
        ),
        ("Les EPN\nLes MFR", ["epn-charente", "mfr-charente"]),
        (
            "Ministère de la Culture et de la Communication\nService interministériel des "
            "Archives de France (SIAF)",
            ["ministere-culture", "siaf"],
        ),
    ],
)
def test_find_organisations_in_sheet_texts(referential, text, slugs):
    assert [o.slug for o in find_organisations_in_text(text, referential)] == slugs


def test_normalize_name():
    assert normalize_name("  L’État ") == "etat"
    assert normalize_name("La Caf") == "caf"
    assert normalize_name("Communauté de communes des 4 B Sud-Charente") == (
        "communaute de communes des 4b sud charente"
    )


def test_names_of(referential):
    caf = Organisation.objects.get(slug="caf-charente")
    assert {
        "caf",
        "caf de la charente",
        "caisse d allocations familiales de la charente",
    } <= names_of(caf)


def test_invalid_file_loads_nothing(tmp_path):
    path = tmp_path / "organisations.csv"
    header = (
        "slug,name,short_name,kind,parent,commune_insee,pilot_of,partner_of,funder_of,"
        "mentioned_in,aliases,description\n"
    )
    path.write_text(
        header
        + "ok,Bonne,,association,,,Num01,,,,,\n"
        + "bad,Mauvaise,,planet,inconnue,,Num1,,,,,\n"
        + "ok,Doublon,,association,,,,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferentialError) as error:
        load_referential_organisations(path)
    assert "ligne 3 : type inconnu « planet »" in error.value.errors
    assert "ligne 3 : fiche inconnue « Num1 »" in error.value.errors
    assert "identifiant en double : ok" in error.value.errors
    assert "bad : organisation parente inconnue « inconnue »" in error.value.errors
    assert not Organisation.objects.exists()

    with pytest.raises(CommandError, match="rien n'a été chargé"):
        call_command("load_organisations", fichier=path)


def test_command(capsys):
    call_command("load_organisations")
    assert "créée(s)" in capsys.readouterr().out
    call_command("load_organisations", verbosity=2)
    out = capsys.readouterr().out
    assert "0 créée(s), 0 mise(s) à jour" in out
