"""An entry's history and the ledger as of a day (``pledgetui.history``)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pledgetui.compare import compare
from pledgetui.dating import Interval
from pledgetui.history import as_of, history, since
from pledgetui.model import Entry, Evidence, Ledger, Source, Status
from pledgetui.store import load
from tests.factory import REPO
from tests.strategies import ledgers

D1, D2, D3 = dt.date(2026, 1, 1), dt.date(2026, 1, 10), dt.date(2026, 2, 1)
TODAY = dt.date(2026, 12, 7)
BUNDLED = REPO / "data" / "pledges.toml"


def ev(claimant: str, status: str, *, source: str = "s1", stated: dt.date | None = None, start: int = 0) -> Evidence:
    return Evidence(
        source=source, claimant=claimant, party="first_party", basis="statement", status=status,
        stated=stated, quote=claimant, start=start, end=start + len(claimant),
    )  # fmt: skip


def ledger_of(*evidence: Evidence, dates: dict[str, dt.date | None] | None = None) -> Ledger:
    dates = dates or {"s1": None}
    sources = tuple(Source(id=s, file=f"{s}.txt", title=s, date=d) for s, d in dates.items())
    entry = Entry(id="p", actor="A", commitment="air", summary="s", evidence=evidence)
    return Ledger(sources=sources, entries=(entry,))


def test_history_orders_statements_by_when_they_were_known_with_the_reading_after_each() -> None:
    ledger = ledger_of(
        ev("Later", "signed", stated=D3, start=100),
        ev("Early", "considering", stated=D1),
        ev("Undated", "declined", start=200),
    )
    h = history(ledger.entries[0], ledger.source_dates())
    assert [s.evidence.claimant for s in h.steps] == ["Early", "Later"]
    assert [s.reading.status for s in h.steps] == [Status.CONSIDERING, Status.SIGNED]
    assert [s.changed for s in h.steps] == [True, True]
    assert h.undated == (2,)
    # the reading's statement is a position in the entry's evidence, not in the steps
    assert h.steps[-1].reading.index == 0
    assert h.since == Interval(D3, D3)


def test_since_is_when_the_present_status_was_first_reached_and_kept() -> None:
    ledger = ledger_of(
        ev("A", "announced", stated=D1),
        ev("B", "announced", stated=D2, start=10),
        ev("C", "announced", stated=D3, start=20),
    )
    entry = ledger.entries[0]
    assert since(entry, ledger.source_dates()) == Interval(D1, D1)
    flip = ledger_of(ev("A", "announced", stated=D1), ev("B", "declined", stated=D2, start=10))
    assert since(flip.entries[0], flip.source_dates()) == Interval(D2, D2)


def test_since_is_none_when_only_undated_statements_give_the_reading() -> None:
    ledger = ledger_of(ev("Dated", "considering", stated=D1), ev("Undated", "signed", start=10))
    # the undated statement ranks lowest for "latest", so the dated one decides...
    assert ledger.entries[0].status is Status.CONSIDERING
    assert since(ledger.entries[0], ledger.source_dates()) == Interval(D1, D1)
    alone = ledger_of(ev("Undated", "signed"))
    assert since(alone.entries[0], alone.source_dates()) is None


def test_an_article_s_date_places_its_statements_by_that_day() -> None:
    ledger = ledger_of(ev("Bounded", "announced"), dates={"s1": D2})
    h = history(ledger.entries[0], ledger.source_dates())
    assert [str(s.span) for s in h.steps] == ["by 2026-01-10"] and h.undated == ()


def test_as_of_leaves_out_what_came_later_and_counts_the_uncertain_apart() -> None:
    ledger = ledger_of(
        ev("Early", "considering", stated=D1),
        ev("Later", "signed", stated=D3, start=10),
        ev("Bounded", "declined", source="s2", start=20),
        dates={"s1": None, "s2": D3},
    )
    then = as_of(ledger, D2, today=TODAY)
    (entry,) = then.ledger.entries
    assert [e.claimant for e in entry.evidence] == ["Early"]
    assert entry.status is Status.CONSIDERING
    assert then.later == 1 and then.uncertain == (("p", 2),)
    counted = as_of(ledger, D2, today=TODAY, count_uncertain=True)
    assert [e.claimant for e in counted.ledger.entries[0].evidence] == ["Early", "Bounded"]
    # before anything: the entry is gone, and it may have existed (an uncertain statement)
    before = as_of(ledger, dt.date(2025, 1, 1), today=TODAY)
    assert before.ledger.entries == () and before.gone == ("p",) and before.gone_uncertain == ("p",)
    # the original is untouched
    assert len(ledger.entries[0].evidence) == 3 and ledger.entries[0].status is Status.SIGNED


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_as_of_a_day_after_every_statement_is_the_ledger_itself(ledger: Ledger) -> None:
    spans = [ev.span(ledger.source_dates()) for p in ledger.entries for ev in p.evidence]
    last = max([s.lo or dt.date.min for s in spans] + [s.hi or dt.date.min for s in spans] + [TODAY])
    then = as_of(ledger, last, today=TODAY)
    assert then.uncertain == () and then.later == 0 and then.gone == ()
    assert not compare(ledger, then.ledger)
    assert [p.stance for p in then.ledger.entries] == [p.stance for p in ledger.entries]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_as_of_keeps_exactly_the_statements_made_by_the_day(ledger: Ledger, day: dt.date) -> None:
    then = as_of(ledger, day, today=TODAY)
    dates = ledger.source_dates()
    kept = {(p.id, ev.key) for p in then.ledger.entries for ev in p.evidence}
    for p in ledger.entries:
        for i, ev in enumerate(p.evidence):
            span = ev.span(dates)
            hi = span.hi if span.hi is not None else TODAY
            if (p.id, i) in then.uncertain:
                assert not (span.lo is not None and span.lo > day) and hi > day
            elif span.lo is not None and span.lo > day:
                assert (p.id, ev.key) not in kept or any(
                    e.key == ev.key and e is not ev for e in p.evidence
                )  # the same anchor cited twice
            else:
                assert (p.id, ev.key) in kept


def test_the_bundled_ledger_as_of_new_year_has_nothing_signed_and_counts_the_undated_apart() -> None:
    ledger = load(BUNDLED, use_cache=False).ledger
    new_year = as_of(ledger, dt.date(2025, 12, 31), today=TODAY)
    assert not any(p.status is Status.SIGNED for p in new_year.ledger.entries)
    assert new_year.uncertain  # the undated articles' statements
    assert new_year.later >= 17  # the summit statements of 2026-01-06 (a002) and Rutte's of 2026-02-03
    now = as_of(ledger, TODAY, today=TODAY)
    assert any(p.status is Status.SIGNED for p in now.ledger.entries)
    assert not compare(ledger, now.ledger)
    # counting the uncertain statements brings back entries the undated articles give
    counted = as_of(ledger, dt.date(2025, 12, 31), today=TODAY, count_uncertain=True)
    assert len(counted.ledger.entries) > len(new_year.ledger.entries)


def test_attached_since_uses_the_dates_the_entry_s_reading_was_derived_with() -> None:
    from pledgetui.history import attached_since, since_recency

    ledger = ledger_of(ev("A", "announced"), ev("B", "signed", stated=D1, start=10), dates={"s1": D2})
    entry = ledger.entries[0]
    assert attached_since(entry) == since(entry, ledger.source_dates()) == Interval(D1, D1)
    bounded = ledger_of(ev("A", "announced"), dates={"s1": D2})
    assert attached_since(bounded.entries[0]) == Interval(None, D2)  # the article's date, not "undated"
    assert since_recency(bounded.entries[0]) < since_recency(entry)
    undated = ledger_of(ev("A", "announced"))
    assert attached_since(undated.entries[0]) is None and since_recency(undated.entries[0]) < since_recency(entry)
