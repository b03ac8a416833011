"""The frequency view's core: entries grouped by one column, with counts and the filter term of each group."""

from __future__ import annotations

from pathlib import Path

import pytest

from pledgetui.grouping import COLUMN_KEYS, GROUP_COLUMNS, group_column, group_entries, group_rows
from pledgetui.matrix import Matrix
from pledgetui.model import Ledger
from pledgetui.query import Index, parse_query
from pledgetui.store import load
from tests.factory import restance, small_ledger

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "pledges.toml"


@pytest.fixture(scope="module")
def bundled() -> Ledger:
    return load(BUNDLED, use_cache=False).ledger


@pytest.mark.parametrize("column", COLUMN_KEYS)
def test_each_groups_term_selects_exactly_its_entries(bundled: Ledger, column: str) -> None:
    index = Index(bundled)
    rows = index.filter(parse_query("-kind:counter"))
    grouping = group_rows(index.entries, rows, column)
    assert grouping.groups, column
    for g in grouping.groups:
        assert list(g.rows) == index.filter(parse_query(g.term), rows), (column, g.term)


@pytest.mark.parametrize("column", COLUMN_KEYS)
def test_groups_are_sorted_by_count_then_label(bundled: Ledger, column: str) -> None:
    groups = group_entries(bundled.entries, column).groups
    keys = [(-g.count, g.label.casefold()) for g in groups]
    assert keys == sorted(keys)


def test_one_value_columns_count_each_entry_once(bundled: Ledger) -> None:
    for col in GROUP_COLUMNS:
        grouping = group_entries(bundled.entries, col)
        total = sum(g.count for g in grouping.groups)
        if col.multi:
            assert total >= len(bundled.entries)
            assert "counts once under each" in grouping.note
        else:
            assert total == len(bundled.entries), col.key
            assert "counts once" not in grouping.note


def test_a_statement_column_counts_an_entry_once_under_each_of_its_values() -> None:
    base = small_ledger()
    uk = base.entries[0]
    two = uk.model_copy(
        update={
            "evidence": (
                uk.evidence[0].model_copy(update={"claimant": "Downing Street statement"}),
                uk.evidence[0].model_copy(update={"claimant": "Downing Street statement"}),
                uk.evidence[0].model_copy(update={"claimant": "Keir Starmer"}),
            )
        }
    )
    ledger = base.model_copy(update={"entries": (two, *base.entries[1:])})
    grouping = group_rows(ledger.entries, [0], "claimant")
    counts = {g.label: g.rows for g in grouping.groups}
    assert counts["Downing Street statement"] == (0,)  # two statements, one entry: counted once
    assert counts["Keir Starmer"] == (0,)
    assert grouping.groups[0].term.startswith("claimant=")
    assert grouping.note.endswith("an entry counts once under each claimant its statements have")


def test_values_group_as_they_read() -> None:
    base = small_ledger()
    uk = base.entries[0]
    soft = restance(uk.model_copy(update={"id": "uk-2", "actor": "United\u00ad Kingdom"}))
    ledger = base.model_copy(update={"entries": (soft, *base.entries)})
    groups = {g.label: g for g in group_entries(ledger.entries, "actor").groups}
    assert "United\u00ad Kingdom" not in groups
    assert groups["United Kingdom"].count == 2


def test_column_names_and_aliases() -> None:
    assert group_column("type").key == "commitment"
    assert group_column(" Claimant ").key == "claimant"
    with pytest.raises(ValueError, match="cannot group by 'x'"):
        group_column("x")


def test_the_matrix_rows_are_the_actor_grouping(bundled: Ledger) -> None:
    pledges = [p for p in bundled.entries if not p.is_counter]
    matrix = Matrix(pledges)
    actors = {g.label for g in group_entries(pledges, "actor").groups}
    assert {matrix.entries.labels[a] for a in matrix.entries.actors} == actors
