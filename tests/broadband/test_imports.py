"""Importing the regulator's files: every layout, idempotence, errors naming line and column,
nothing written on error, limits."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.broadband import imports, layouts, reading, validation
from maillage.broadband.labels import Category, Dataset, ImportStatus, Layout
from maillage.broadband.models import FigureImport, PremisesCount

from . import factories as f

pytestmark = pytest.mark.django_db
T3 = dt.date(2024, 9, 30)


def counts(dataset, insee="16028", day=T3):
    return dict(
        PremisesCount.objects.filter(
            dataset=dataset, commune_id=insee, quarter_end=day
        ).values_list("category", "value")
    )


def run(content, filename, **options):
    return imports.figures_import(content=content, filename=filename, **options)


def test_wired_speeds_become_exclusive_classes_and_merged_communes_add_up(communes):
    result = run(f.speed_file(), "commune_debit_filaire.csv")

    assert result.status == ImportStatus.APPLIED
    assert result.layout == Layout.MCI_SPEED_WIRED
    assert counts(Dataset.SPEED_WIRED) == {
        Category.PREMISES: 2600,
        Category.INELIGIBLE: 40,
        Category.BELOW_3: 160,  # 2600 − 2400 − 40
        Category.FROM_3: 100,
        Category.FROM_8: 300,
        Category.FROM_30: 100,
        Category.FROM_100: 1900,
    }
    # 16046 and its 2018 code 16332 (merged since) count together.
    merged = counts(Dataset.SPEED_WIRED, "16046")
    assert merged[Category.PREMISES] == 620
    assert merged[Category.INELIGIBLE] == 30
    assert sum(v for k, v in merged.items() if k != Category.PREMISES) == 620
    assert result.summary["rows_other_departements"] == 1  # La Rochelle is not read
    assert not PremisesCount.objects.filter(commune__insee_code__startswith="17").exists()
    assert result.data_date == T3


@pytest.mark.parametrize(
    ("filename", "layout", "dataset"),
    [
        ("commune_debit.csv", Layout.MCI_SPEED, Dataset.SPEED_ALL),
        ("commune_debit_terrestre.csv", Layout.MCI_SPEED_TERRESTRIAL, Dataset.SPEED_TERRESTRIAL),
        ("export.csv", Layout.MCI_SPEED, Dataset.SPEED_ALL),
    ],
)
def test_the_speed_file_basis_comes_from_its_name(communes, filename, layout, dataset):
    result = run(f.speed_file(), filename)
    assert result.layout == layout
    assert counts(dataset)[Category.PREMISES] == 2600


def test_a_renamed_wired_file_is_read_as_wired_when_the_layout_is_chosen(communes):
    result = run(f.speed_file(), "export.csv", layout=Layout.MCI_SPEED_WIRED)
    assert counts(Dataset.SPEED_WIRED)[Category.PREMISES] == 2600
    assert result.layout == Layout.MCI_SPEED_WIRED


def test_best_technology_keeps_the_unpublished_rest_apart(communes):
    result = run(f.best_file(), "commune_meilleure_techno_thd.csv")
    assert result.layout == Layout.MCI_BEST
    stored = counts(Dataset.ACCESS)
    assert stored[Category.FTTH] == 1800
    assert stored[Category.DSL_30] == 200
    assert stored[Category.OTHER] == 100  # nbr − nbr_elig_8
    assert sum(v for k, v in stored.items() if k != Category.PREMISES) == stored[Category.PREMISES]


def test_technologies_overlap(communes):
    run(f.techno_file(), "commune_techno.csv")
    stored = counts(Dataset.ELIGIBILITY)
    assert stored[Category.SATELLITE] == 2600
    assert stored[Category.DSL] == 2500


@pytest.mark.parametrize(
    "content", [f.observatory_xlsx(), f.observatory_csv()], ids=["xlsx", "csv"]
)
def test_the_observatory_gives_every_quarter_and_the_latest_estimate(communes, content):
    result = run(content, "2024t3-obs-hd-thd-deploiement.xlsx")
    assert result.layout == Layout.FTTH_OBSERVATORY
    assert counts(Dataset.FTTH, day=dt.date(2023, 12, 31)) == {Category.CONNECTABLE: 900}
    assert counts(Dataset.FTTH) == {Category.CONNECTABLE: 1900, Category.PREMISES: 2610}
    # An empty cell is no figure, not zero.
    assert counts(Dataset.FTTH, "16073", dt.date(2024, 6, 30)) == {}
    assert counts(Dataset.FTTH, "16073", dt.date(2024, 3, 31)) == {Category.CONNECTABLE: 0}
    assert [q.label for q in result.quarters] == ["T4 2023", "T1 2024", "T2 2024", "T3 2024"]


def test_importing_the_same_file_twice_changes_nothing(communes):
    first = run(f.speed_file(), "commune_debit_filaire.csv")
    before = list(PremisesCount.objects.order_by("pk").values_list("pk", "value", "source_id"))
    second = run(f.speed_file(), "commune_debit_filaire.csv")

    assert first.summary["applied"]["created"] == 21
    assert second.summary["applied"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 21}
    after = list(PremisesCount.objects.order_by("pk").values_list("pk", "value", "source_id"))
    assert after == before  # same rows, still credited to the first import


def test_a_corrected_file_updates_only_what_changed_and_previews_it(communes):
    run(f.speed_file(), "commune_debit_filaire.csv")
    corrected = f.speed_file(
        [f.speed_row("16028", "Barbezieux-Saint-Hilaire", 2600, 30, 2400, 2300, 2000, 1900, 1500)]
    )
    figure_import = imports.figures_import_create(
        content=corrected, filename="commune_debit_filaire.csv"
    )
    imports.figures_import_read(figure_import)

    assert figure_import.summary["updated"] == 2  # ineligible 40 → 30, 0.5–3 Mbit/s 160 → 170
    changes = {c["category"]: (c["old"], c["new"]) for c in figure_import.summary["changes"]}
    assert changes == {Category.INELIGIBLE: (40, 30), Category.BELOW_3: (160, 170)}
    assert counts(Dataset.SPEED_WIRED)[Category.INELIGIBLE] == 40  # preview writes nothing

    imports.figures_import_apply(figure_import=figure_import)
    assert counts(Dataset.SPEED_WIRED)[Category.INELIGIBLE] == 30
    assert counts(Dataset.SPEED_WIRED, "16073")[Category.PREMISES] == 1100  # untouched


def test_a_partition_is_replaced_whole(communes):
    run(f.best_file(), "commune_meilleure_techno_thd.csv")
    rip = f.csv_bytes(
        layouts.RIP_HEADER,
        [
            [
                *("16028", "Barbezieux", "T3 2024", 2600, 2000),
                *(1900, 0, 200, 300, 100, 20, 40, 30, 0, 10, 0),
                *("", "", "", "", "", ""),
            ]
        ],
    )
    result = run(rip, "operateur.csv")
    assert result.layout == Layout.RIP
    stored = counts(Dataset.ACCESS)
    assert Category.OTHER not in stored  # the regulator's rest is replaced by the detail
    assert stored[Category.DSL_SLOW] == 20
    assert stored[Category.NONE] == 0
    assert counts(Dataset.FTTH) == {Category.PREMISES: 2600, Category.CONNECTABLE: 2000}
    assert counts(Dataset.SPEED_WIRED) == {}  # an empty group is no figure


def refused(content, filename="commune_debit_filaire.csv", **options):
    before = PremisesCount.objects.count()
    result = run(content, filename, **options)
    assert result.status == ImportStatus.REFUSED
    assert PremisesCount.objects.count() == before
    return result.errors


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ["16028", "B", "16", "75", 2600, "all", -4, 2604, 2400, 2300, 2000, 1900, 1500],
            "Ligne 2, colonne « inel_hd » : nombre entier positif ou nul attendu, reçu « -4 ».",
        ),
        (
            ["16028", "B", "16", "75", "deux mille", "all", 4, 2596, 2400, 2300, 2000, 1900, 1500],
            "Ligne 2, colonne « nbr » : nombre entier positif ou nul attendu, reçu « deux mille ».",
        ),
        (
            ["16028", "B", "16", "75", 2600, "all", 40, 2560, 2400, 2300, 2350, 1900, 1500],
            "Ligne 2, colonne « elig_thd30 » : 2350 dépasse « elig_bhd8 » (2300) : les seuils de "
            "débit sont cumulatifs.",
        ),
        (
            ["16999", "X", "16", "75", 10, "all", 0, 10, 10, 10, 10, 10, 10],
            "Ligne 2, colonne « code_insee » : commune 16999 inconnue du référentiel (ni code "
            "actuel, ni code de 2018).",
        ),
        (
            ["16028", "B", "16", "75", 2600, "all", 40, 2560, 2400, 2300, 2000, 1900, ""],
            "Ligne 2, colonne « elig_thd1g » : valeur obligatoire.",
        ),
    ],
    ids=["negative", "not-a-number", "not-cumulative", "unknown-commune", "empty"],
)
def test_a_bad_line_is_refused_naming_line_and_column(communes, row, error):
    good = f.speed_row("16073", "Chalais", 1100, 5, 1000, 950, 900, 850, 700)
    content = f.csv_bytes(f.SPEED_HEADER, [[*row, "2024-09-30"], good])
    assert refused(content) == [error]


def test_every_error_is_reported_at_once(communes):
    rows = [
        f.speed_row("16028", "B", 2600, 40, 2400, 2300, 2000, 1900, 1500, date="2024-09-29"),
        f.speed_row("16073", "C", 1100, 5, 1000, 950, 900, 850, 700, date="2099-12-31"),
        f.speed_row("16073", "C", 1100, 5, 1000, 950, 900, 850, 700),
        f.speed_row("16073", "C", 1100, 5, 1000, 950, 900, 850, 700),
    ]
    errors = refused(f.csv_bytes(f.SPEED_HEADER, rows))
    assert errors == [
        "Ligne 2, colonne « date » : trimestre attendu (« T3 2024 », « 2024-T3 » ou 2024-09-30), "
        "reçu « 2024-09-29 ».",
        "Ligne 3, colonne « date » : le trimestre T4 2099 n'est pas encore terminé.",
        "Ligne 5, colonne « code_insee » : la commune 16073 apparaît deux fois pour T3 2024 "
        "(déjà ligne 4).",
    ]


def test_a_missing_column_and_an_unknown_layout_are_named(communes):
    header = [h for h in f.SPEED_HEADER if h != "elig_thd100"]
    content = f.csv_bytes(
        header, [["16028", "B", "16", "75", 1, "all", 0, 1, 1, 1, 1, 1, "2024-09-30"]]
    )
    assert refused(content, layout=Layout.MCI_SPEED) == [
        "Fichier : colonne « elig_thd100 » manquante."
    ]
    unknown = f.csv_bytes(["code_insee", "valeur"], [["16028", 3]])
    assert refused(unknown, "autre.csv")[0].startswith("Fichier : présentation non reconnue")


def test_a_partition_that_does_not_add_up_is_refused(communes):
    rows = [
        [
            "16028",
            "B",
            "16",
            "75",
            2600,
            "all",
            2501,
            1800,
            0,
            200,
            100,
            300,
            80,
            10,
            10,
            "2024-09-30",
        ]
    ]
    errors = refused(f.csv_bytes(f.BEST_HEADER, rows), "commune_meilleure_techno_thd.csv")
    assert errors == [
        "Ligne 2, colonne « nbr_elig_8 » : la somme des colonnes « elig_ftth », « elig_coax », "
        "« elig_cu_30 », « elig_cu_8 », « elig_thdr », « elig_4gf », « elig_hdr », « elig_sat » "
        "(2500) ne fait pas « nbr_elig_8 » (2501)."
    ]


def test_a_file_without_the_departement_is_refused(communes):
    content = f.speed_file([f.speed_row("17300", "La Rochelle", 5, 0, 5, 5, 5, 5, 5)])
    assert refused(content) == ["Fichier : aucune ligne pour une commune du département 16."]


def test_the_xlsx_header_must_be_found(communes):
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Rien", "ici"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    errors = refused(buffer.getvalue(), "obs.xlsx")
    assert errors[0].startswith("Fichier : ligne d'en-tête introuvable")


@override_settings(MAILLAGE_BROADBAND_MAX_UPLOAD_MB=0)
def test_a_file_above_the_size_limit_is_not_even_kept(communes):
    with pytest.raises(ValidationError, match="fichier trop volumineux"):
        imports.figures_import_create(content=f.speed_file(), filename="gros.csv")
    assert not FigureImport.objects.exists()


@override_settings(MAILLAGE_BROADBAND_MAX_ROWS=3)
def test_a_file_with_too_many_lines_is_refused(communes):
    assert refused(f.speed_file()) == ["Fichier : trop de lignes (plus de 3)."]


def test_a_workbook_too_large_once_unzipped_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(reading.ReadError, match="trop volumineux une fois décompressé"):
        reading.read_table(f.observatory_xlsx(), anchors=layouts.ANCHORS)


def test_the_source_note_is_kept(communes):
    result = run(
        f.speed_file(),
        "commune_debit_filaire.csv",
        url="https://data.arcep.fr/fixe/maconnexioninternet/statistiques/2024_T3/commune/commune_debit_filaire.csv",
        note="Téléchargé par le SMO",
    )
    assert result.url.endswith("2024_T3/commune/commune_debit_filaire.csv")
    assert result.sha256 and result.size == len(f.speed_file())
    assert result.file.read() == f.speed_file()


# --- Properties of the speed classes ----------------------------------------------------------

COMMUNES = {"16028": "16028"}


@st.composite
def thresholds(draw):
    """A valid `commune_debit*.csv` row: cumulative thresholds, inel_hd below 3 Mbit/s."""
    nbr = draw(st.integers(0, 100_000))
    hd3 = draw(st.integers(0, nbr))
    bhd8 = draw(st.integers(0, hd3))
    thd30 = draw(st.integers(0, bhd8))
    thd100 = draw(st.integers(0, thd30))
    thd1g = draw(st.integers(0, thd100))
    inel = draw(st.integers(0, nbr - hd3))
    return nbr, inel, hd3, bhd8, thd30, thd100, thd1g


def _parse(row):
    table = reading.read_table(f.csv_bytes(f.SPEED_HEADER, [row]), anchors=layouts.ANCHORS)
    spec = layouts.spec_for(Layout.MCI_SPEED_WIRED, table)
    return validation.validate(spec, table, departement_code="16", communes=COMMUNES)


@settings(max_examples=40, deadline=None)
@given(thresholds())
def test_valid_thresholds_split_the_premises_exactly(values):
    nbr, inel, hd3, bhd8, thd30, thd100, thd1g = values
    parsed = _parse(f.speed_row("16028", "B", nbr, inel, hd3, bhd8, thd30, thd100, thd1g))
    assert parsed.valid, parsed.errors
    (record,) = parsed.records.values()
    classes = [
        record[c]
        for c in (
            Category.INELIGIBLE,
            Category.BELOW_3,
            Category.FROM_3,
            Category.FROM_8,
            Category.FROM_30,
            Category.FROM_100,
        )
    ]
    assert all(value >= 0 for value in classes)
    assert sum(classes) == record[Category.PREMISES] == nbr


@settings(max_examples=40, deadline=None)
@given(
    thresholds(),
    st.sampled_from(["elig_hd3", "elig_bhd8", "elig_thd30", "elig_thd100", "elig_thd1g"]),
    st.integers(1, 1000),
)
def test_a_threshold_above_the_one_before_is_refused_on_its_column(values, column, excess):
    nbr, inel, hd3, bhd8, thd30, thd100, thd1g = values
    row = dict(
        zip(
            ["nbr", "elig_hd3", "elig_bhd8", "elig_thd30", "elig_thd100", "elig_thd1g"],
            [nbr, hd3, bhd8, thd30, thd100, thd1g],
            strict=True,
        )
    )
    names = list(row)
    previous = names[names.index(column) - 1]
    row[column] = row[previous] + excess
    parsed = _parse(
        f.speed_row(
            "16028",
            "B",
            row["nbr"],
            min(inel, max(0, row["nbr"] - row["elig_hd3"])),
            row["elig_hd3"],
            row["elig_bhd8"],
            row["elig_thd30"],
            row["elig_thd100"],
            row["elig_thd1g"],
        )
    )
    assert not parsed.valid
    assert any(e.field == column and e.row == 2 for e in parsed.errors), parsed.errors
