"""Population counting on random communes: shares grow with the threshold, filters never
count more people, the median splits the population in halves."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.access.coverage import area_figures, commune_figures, worst_served
from maillage.access.times import (
    CommuneAccess,
    PlaceFigures,
    Reach,
    best_reach,
    population_weighted_median,
)

place_strategy = st.builds(
    lambda pk, waiting, half_days, days: PlaceFigures(
        pk, f"Lieu {pk}", (45.0, 0.0), "16001", waiting, half_days, days, None
    ),
    st.integers(1, 10_000),
    st.one_of(st.none(), st.just(math.inf), st.floats(0, 5000)),
    st.floats(0, 14),
    st.one_of(st.none(), st.floats(0, 60)),
)

commune_strategy = st.builds(
    lambda number, population, reaches: CommuneAccess(
        f"16{number:03d}",
        f"Commune {number}",
        population,
        "200071827",
        "16",
        (45.0, 0.0),
        tuple(sorted(reaches, key=lambda r: r.travel_minutes)),
        min(reaches, key=lambda r: r.travel_minutes) if reaches else None,
        best_reach(reaches, needs_appointment=True, appointment_days=14),
    ),
    st.integers(0, 999),
    st.integers(0, 50_000),
    st.lists(st.builds(Reach, place_strategy, st.floats(0, 90), st.floats(0, 100)), max_size=5),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(commune_strategy, max_size=30),
    st.one_of(st.none(), st.floats(0, 14)),
    st.one_of(st.none(), st.floats(0, 60)),
)
def test_shares_and_filters(accesses, min_half_days, max_days):
    plain = commune_figures(accesses)
    filtered = commune_figures(accesses, min_half_days=min_half_days, max_appointment_days=max_days)
    thresholds = (10, 15, 20, 30)
    whole = area_figures(plain, level="territory", code="16", name="Charente")
    narrow = area_figures(filtered, level="territory", code="16", name="Charente")
    people = [share.population for share in whole.shares]
    assert people == sorted(people)
    assert all(0 <= share.share <= 1 for share in whole.shares)
    assert whole.population == sum(a.population for a in accesses)
    for minutes in thresholds:
        assert narrow.share(minutes).population <= whole.share(minutes).population
    worst = worst_served(plain, 20)
    assert len(worst) == min(20, len(plain))


@given(st.lists(st.tuples(st.floats(0, 100), st.integers(1, 1000)), min_size=1, max_size=40))
def test_the_median_splits_the_population(pairs):
    values, weights = zip(*pairs, strict=True)
    median = population_weighted_median(values, weights)
    total = sum(weights)
    below = sum(w for v, w in pairs if v <= median)
    above = sum(w for v, w in pairs if v >= median)
    assert below >= total / 2
    assert above >= total / 2
