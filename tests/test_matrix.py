"""The matrix summaries without the screen: cells, grouping by name as it reads, sections, choosing a cell."""

from __future__ import annotations

from pledgetui.matrix import Grid, Matrix, actor_order, summarise
from pledgetui.model import Status
from tests.factory import evidence_for, pledge

TEXT = "The government said it is ready to send troops and to police the skies once a ceasefire holds."
QUOTE = "ready to send troops"


def entry(pid: str, actor: str, commitment: str = "ground_troops", status: str = "announced", **fields):
    return pledge(
        id=pid,
        actor=actor,
        commitment=commitment,
        status=status,
        summary="s",
        evidence=[evidence_for(TEXT, "s1", QUOTE)],
        **fields,
    )


def test_a_cell_holds_the_strongest_status_the_count_and_the_backstop() -> None:
    cell = summarise(
        [
            entry("a", "France", status="considering"),
            entry("b", "France", status="signed", us_backstop="required"),
            entry("c", "France", status="declined"),
        ]
    )
    assert (cell.status, cell.count, cell.backstop, cell.entry_ids) == (Status.SIGNED, 3, True, ("a", "b", "c"))
    only_declined = summarise([entry("d", "Italy", status="declined")])
    assert only_declined.status is Status.DECLINED and only_declined.name == "✗ declined"
    assert not only_declined.backstop


def test_a_backstop_counts_when_required_or_sought_only() -> None:
    for value, marked in (("required", True), ("sought", True), ("not_required", False), ("unknown", False)):
        assert summarise([entry("a", "France", us_backstop=value)]).backstop is marked, value


def test_actors_are_grouped_as_they_read_and_labelled_by_the_readable_spelling() -> None:
    hidden = "Fr\u00adance"
    grid = Grid([entry("a", hidden), entry("b", "France"), entry("c", "Fran\U000e0041ce", commitment="air")])
    assert grid.actors == ["France"]
    assert grid.labels["France"] == "France"  # a spelling that reads as it is, once one is seen
    assert grid.cell(hidden, "ground_troops").entry_ids == ("a", "b")
    assert grid.cell("France", "air").entry_ids == ("c",)
    assert grid.cell("France", "navy") is None
    assert len(grid) == 2
    assert Grid([entry("a", hidden)]).labels["France"] == hidden  # only a hidden spelling: shown as it is


def test_countries_come_first_then_the_rest_alphabetically() -> None:
    entries = [
        entry("a", "coalition of the willing", actor_type="coalition"),
        entry("b", "Norway"),
        entry("c", "EU", actor_type="organisation"),
        entry("d", "austria"),
    ]
    assert actor_order(entries) == ["austria", "Norway", "coalition of the willing", "EU"]


def test_counter_positions_are_a_section_of_their_own_and_never_counted_as_pledges() -> None:
    matrix = Matrix(
        [
            entry("uk", "United Kingdom"),
            entry("ru", "Russia", kind="counter_position"),
            entry("ru2", "Russia", commitment="air", kind="counter_position"),
        ]
    )
    assert matrix.cell("Russia", "ground_troops") is None
    assert matrix.cell("Russia", "ground_troops", counter=True).entry_ids == ("ru",)
    assert sum(c.count for c in matrix.entries.cells.values()) == 1
    assert sum(c.count for c in matrix.counters.cells.values()) == 2
    assert [c.value for c in matrix.commitments] == ["ground_troops", "air"]  # present ones, vocabulary order


def test_choosing_a_cell_gives_a_stored_spelling_and_an_empty_cell_gives_nothing() -> None:
    hidden = "Fr\u00adance"
    matrix = Matrix([entry("a", hidden), entry("b", "Germany", commitment="air")])
    grid = matrix.entries
    assert grid.actors == ["France", "Germany"]
    assert matrix.key_at(grid, 0, 0) == ("France", "ground_troops")
    assert matrix.choice(grid, ("France", "ground_troops")) == (hidden, "ground_troops")
    assert matrix.choice(grid, matrix.key_at(grid, 0, 1)) is None  # France has no air entry
    assert (
        matrix.key_at(grid, 2, 0) is None and matrix.key_at(grid, 0, 2) is None and matrix.key_at(grid, -1, 0) is None
    )
