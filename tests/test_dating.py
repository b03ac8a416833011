"""When a statement was made (``pledgetui.dating``): one interval rule, its order, and a day's placement."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pledgetui.dating import Interval, Placement, interval, placement
from pledgetui.store import load
from tests.factory import REPO

D5, D6, D7 = dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 7)
TODAY = dt.date(2026, 12, 7)

days = st.one_of(st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))


def test_a_stated_day_is_a_point_and_wins_over_the_article_s_date() -> None:
    span = interval(D6, D7)
    assert (span.lo, span.hi, span.point) == (D6, D6, D6)
    assert span.label() == "2026-01-06" and "stated" in span.words()


def test_an_article_s_date_is_only_an_upper_bound() -> None:
    span = interval(None, D7)
    assert (span.lo, span.hi, span.point) == (None, D7, None)
    assert span.label() == "by 2026-01-07"
    assert "on or before 2026-01-07" in span.words()


def test_an_undated_article_gives_no_bound() -> None:
    span = interval(None, None)
    assert span.undated and span.label() == "" and str(span) == "undated"


def test_a_stated_day_ranks_above_a_later_article_s_bound_and_undated_ranks_lowest() -> None:
    stated, bounded, undated = interval(D5, None), interval(None, D7), interval(None, None)
    assert stated.recency() > bounded.recency() > undated.recency()
    assert interval(None, D7).recency() > interval(None, D6).recency()
    assert interval(D6, None).recency() > interval(D5, D7).recency()


def test_placement_against_a_day() -> None:
    assert placement(interval(D6, None), D6, TODAY) is Placement.BY
    assert placement(interval(D6, None), D5, TODAY) is Placement.AFTER
    # made on or before the 7th: by the 7th for certain, either side of the 6th
    assert placement(interval(None, D7), D7, TODAY) is Placement.BY
    assert placement(interval(None, D7), D6, TODAY) is Placement.UNCERTAIN
    # undated: uncertain before today, made by today (the ledger holds nothing said later)
    assert placement(interval(None, None), D7, TODAY) is Placement.UNCERTAIN
    assert placement(interval(None, None), TODAY, TODAY) is Placement.BY
    # a stated day in the future stays in the future
    future = TODAY + dt.timedelta(days=30)
    assert placement(interval(future, None), TODAY, TODAY) is Placement.AFTER
    assert placement(Interval(future, None), future, TODAY) is Placement.UNCERTAIN


@given(days, days, st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_placement_is_consistent_with_the_interval(
    stated: dt.date | None, article: dt.date | None, day: dt.date
) -> None:
    span = interval(stated, article)
    where = placement(span, day, TODAY)
    if where is Placement.AFTER:
        assert span.lo is not None and span.lo > day
    if where is Placement.BY:
        assert (span.hi if span.hi is not None else TODAY) <= day
    if span.point is not None:  # a point is never uncertain
        assert where is not Placement.UNCERTAIN


def test_the_bundled_ledger_dates_the_summit_statements_and_bounds_the_summaries() -> None:
    """docs/coding.md, Dates: a002 (dated Wednesday 2026-01-07) places the summit on Tuesday,
    2026-01-06; Trump's refusals "time and again" keep only the article's bound."""
    ledger = load(REPO / "data" / "pledges.toml", use_cache=False).ledger
    uk = ledger.entry("uk-ground-troops")
    assert uk is not None and uk.date_span == Interval(D6, D6)
    us = ledger.entry("us-ground-troops")
    assert us is not None and us.date_span == Interval(None, D7) and us.date_stated is None
