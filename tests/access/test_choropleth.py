"""The access map's classes, legend and drawing; the lighter contours of the downloads."""

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import shape

from maillage.access import choropleth
from maillage.access.choropleth import DAYS, MINUTES, PALETTE, class_of, shown_whole
from maillage.territory.contours import point_count, simplified
from maillage.territory.models import Commune

DATA = Path(__file__).resolve().parents[2] / "maillage" / "territory" / "data"


def square(lon: float, lat: float, size: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.mark.parametrize(
    ("minutes", "label", "fill"),
    [
        (0, "10 min ou moins", PALETTE[0]),
        (10, "10 min ou moins", PALETTE[0]),
        (10.01, "11 à 15 min", PALETTE[1]),
        (19.5, "16 à 20 min", PALETTE[2]),
        (30, "21 à 30 min", PALETTE[3]),
        (30.2, "plus de 30 min", PALETTE[4]),
        (240, "plus de 30 min", PALETTE[4]),
    ],
)
def test_minutes_fall_in_the_thresholds_of_the_plan(minutes, label, fill):
    value_class = class_of(minutes, MINUTES)
    assert (value_class.label, value_class.fill) == (label, fill)


def test_no_place_is_hatched_and_not_computed_is_blank_neither_is_a_class():
    none = class_of(math.inf, MINUTES)
    assert none.hatched and none.index is None and none.label == "aucun lieu"
    assert class_of(math.inf, DAYS).label == "aucun créneau"
    missing = class_of(None, MINUTES)
    assert missing.blank and missing.index is None


@given(st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_a_longer_time_is_never_in_a_nearer_class(a, b):
    low, high = sorted((a, b))
    assert class_of(low, MINUTES).index <= class_of(high, MINUTES).index


@given(st.floats(min_value=0, max_value=100), st.sampled_from(MINUTES.bounds))
def test_within_a_bound_exactly_when_the_shown_number_is(minutes, bound):
    """The population figures count `minutes <= bound`; the map and table must agree."""
    in_class = class_of(minutes, MINUTES).index <= MINUTES.bounds.index(bound)
    assert in_class == (minutes <= bound) == (shown_whole(minutes) <= bound)


def test_the_palette_darkens_class_after_class_so_grey_scale_keeps_the_order():
    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert [lightness(c) for c in PALETTE] == sorted((lightness(c) for c in PALETTE), reverse=True)


def test_the_legend_counts_each_class_and_every_shape_links_to_its_commune():
    communes = [
        Commune(insee_code=code, name=name, contour=square(0.1 * i, 45.5))
        for i, (code, name) in enumerate(
            [("16001", "Un"), ("16002", "Deux"), ("16003", "Trois"), ("16004", "Quatre")]
        )
    ]
    communes.append(Commune(insee_code="16005", name="Sans contour", contour=None))
    drawing = choropleth.draw(
        communes,
        {"16001": 4.0, "16002": 12.0, "16003": math.inf},
        MINUTES,
        departement_contour=None,
        shown=lambda v: "—" if v is None else f"{v:g} min",
        href=lambda c: f"/acces/communes/{c.insee_code}/",
    )
    assert [s.insee for s in drawing.shapes] == ["16001", "16002", "16003", "16004"]
    assert drawing.shapes[1].title == "Deux : 12 min"
    assert drawing.shapes[3].href == "/acces/communes/16004/"
    counts = {entry.value_class.label: entry.count for entry in drawing.legend}
    assert counts == {
        "10 min ou moins": 1,
        "11 à 15 min": 1,
        "16 à 20 min": 0,
        "21 à 30 min": 0,
        "plus de 30 min": 0,
        "aucun lieu": 1,
        "pas de chiffre": 1,
    }
    assert drawing.shapes[0].path.startswith("M")


def test_no_contour_no_map():
    commune = Commune(insee_code="16001", name="Un", contour=None)
    assert (
        choropleth.draw(
            [commune], {}, MINUTES, departement_contour=None, shown=str, href=lambda c: ""
        )
        is None
    )


def test_the_download_contours_are_lighter_valid_and_in_place():
    features = json.loads((DATA / "communes-16-contours.geojson").read_text())["features"]
    before = sum(point_count(f["geometry"]) for f in features)
    lighter = [simplified(f["geometry"]) for f in features]
    assert sum(point_count(g) for g in lighter) < 0.85 * before
    for feature, geometry in zip(features, lighter, strict=True):
        original, simple = shape(feature["geometry"]), shape(geometry)
        assert simple.is_valid
        assert abs(simple.area - original.area) < 0.05 * original.area
        assert original.representative_point().distance(simple) < 0.005
    assert simplified(None) is None


@given(
    st.floats(min_value=-5, max_value=8),
    st.floats(min_value=41, max_value=51),
    st.floats(min_value=0.00002, max_value=0.5),
)
def test_a_square_stays_a_valid_polygon_and_keeps_its_corners_when_not_tiny(lon, lat, size):
    geometry = simplified(square(lon, lat, size))
    assert shape(geometry).is_valid and not shape(geometry).is_empty
    if size >= 0.001:  # about 100 m: far above the tolerance and the rounding
        assert point_count(geometry) == 5
        assert shape(geometry).area == pytest.approx(size * size, rel=0.05)
