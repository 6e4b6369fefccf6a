import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.broadband.quarters import Quarter, quarter_range

quarters = st.builds(Quarter, st.integers(1990, 2100), st.integers(1, 4))


@given(quarters)
def test_every_spelling_reads_the_same_quarter(quarter):
    for text in (
        quarter.label,
        quarter.slug,
        f"{quarter.year}_T{quarter.number}",
        f"{quarter.year}T{quarter.number}",
        f"t{quarter.number} {quarter.year}",
        f"{quarter.year}-Q{quarter.number}",
        quarter.end.isoformat(),
    ):
        assert Quarter.parse(text) == quarter
    assert Quarter.parse(quarter.end) == quarter


@given(quarters)
def test_a_quarter_covers_its_days_and_follows_the_previous(quarter):
    assert Quarter.of(quarter.start) == Quarter.of(quarter.end) == quarter
    assert quarter.previous().end + dt.timedelta(days=1) == quarter.start
    assert quarter.next().previous() == quarter
    assert Quarter.ending(quarter.end) == quarter
    with pytest.raises(ValueError):
        Quarter.ending(quarter.start)


@given(quarters, st.integers(0, 20))
def test_a_range_is_ordered_and_complete(first, count):
    last = first
    for _ in range(count):
        last = last.next()
    span = quarter_range(first, last)
    assert len(span) == count + 1 and span == sorted(span)
    assert quarter_range(last.next(), first) == []


@pytest.mark.parametrize("text", ["T5 2024", "2024-09-29", "troisième trimestre", ""])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)
