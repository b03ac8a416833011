"""Statements as rows: the entries' query selects, statement fields pick statements, statement columns sort."""

from __future__ import annotations

import datetime as dt

import pytest

from pledgetui.dating import Interval
from pledgetui.query import QueryError
from pledgetui.statements import COLUMNS, QUOTE_START, select_statements
from tests.factory import restance, small_ledger


def test_one_row_per_statement_in_ledger_order() -> None:
    ledger = small_ledger()
    rows = select_statements(ledger)
    assert [(r.entry_id, r.index) for r in rows] == [(p.id, i) for p in ledger.entries for i in range(len(p.evidence))]
    assert set(rows[0].cells()) == set(COLUMNS)


def test_entry_terms_select_entries() -> None:
    rows = select_statements(small_ledger(), "kind:counter")
    assert [r.entry_id for r in rows] == ["russia-mfa"]


def test_statement_terms_pick_statements_not_whole_entries() -> None:
    base = small_ledger()
    uk = base.entry("uk-ground")
    assert uk is not None
    other = restance(uk, claimant="Keir Starmer").evidence[0]
    two = uk.model_copy(update={"evidence": (*uk.evidence, other)})
    ledger = base.model_copy(update={"entries": (two, *base.entries[1:])})
    rows = select_statements(ledger, "claimant:starmer")
    assert [(r.entry_id, r.index) for r in rows] == [("uk-ground", 1)]
    rows = select_statements(ledger, "-claimant:starmer id:uk-ground")
    assert [(r.entry_id, r.index) for r in rows] == [("uk-ground", 0)]


def test_source_term_matches_the_statement_s_article() -> None:
    rows = select_statements(small_ledger(), "source:a003")
    assert {r.evidence.source for r in rows} == {"a003"}
    assert {r.entry_id for r in rows} == {"ireland-ground", "russia-mfa"}


def test_sort_by_statement_columns() -> None:
    rows = select_statements(small_ledger(), "", "claimant")
    claimants = [r.evidence.claimant for r in rows]
    assert claimants == sorted(claimants, key=str.casefold)
    rows = select_statements(small_ledger(), "", "-date,entry")
    # a003 is dated, a002 is not: the dated statements come first when descending
    assert rows[0].span.hi is not None
    assert rows[-1].span.undated


def test_date_is_the_statement_s_else_the_article_s() -> None:
    rows = {r.entry_id: r for r in select_statements(small_ledger())}
    assert rows["ireland-ground"].span == Interval(None, dt.date(2026, 1, 8))
    assert rows["ireland-ground"].cells()["date"] == "by 2026-01-08"
    assert rows["uk-ground"].span.undated


def test_quote_start_is_cut_with_an_ellipsis() -> None:
    row = select_statements(small_ledger(), "id:uk-ground")[0]
    assert len(row.quote_start) == QUOTE_START
    assert row.quote_start.endswith("…")
    short = select_statements(small_ledger(), "id:russia-mfa")[0]
    assert short.quote_start == "absolutely unacceptable"


@pytest.mark.parametrize(("query", "sort"), [("nosuch:x", ""), ("", "conditions"), ("", "zzz")])
def test_bad_query_or_sort_is_an_error(query: str, sort: str) -> None:
    with pytest.raises(QueryError):
        select_statements(small_ledger(), query, sort)
