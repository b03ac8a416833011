"""Actors x commitment types: strongest status, counts, backstop mark, separate counter-positions, choosing a cell."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from pledgetui.model import Ledger, Status
from pledgetui.ui.screens.matrix import MatrixScreen
from tests.factory import pledge, small_ledger

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]")
HOSTILE = "[/bold] [link=x]\x1b]0;pwned\x07 \u202e" + "Збройні сили 🇺🇦🛡️ " * 20


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.results: list[tuple[str, str] | None] = []


def extended_ledger() -> Ledger:
    """small_ledger plus: a second, weaker UK ground-troops entry that seeks a US backstop,
    a German refusal, a coalition, and a second counter-position."""
    base = small_ledger()
    ev = base.entries[0].evidence
    extra = (
        pledge(
            id="uk-ground-2",
            actor="United Kingdom",
            commitment="ground_troops",
            status="considering",
            us_backstop="sought",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
        pledge(
            id="uk-air",
            actor="United Kingdom",
            commitment="air",
            status="signalled",
            us_backstop="required",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
        pledge(
            id="de-ground",
            actor="Germany",
            commitment="ground_troops",
            status="declined",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
        pledge(
            id="cow-monitor",
            actor="Coalition of the willing",
            actor_type="coalition",
            commitment="ceasefire_monitoring",
            status="announced",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
        pledge(
            id="russia-air",
            kind="counter_position",
            actor="Russia",
            commitment="air",
            status="announced",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
        pledge(
            id="russia-ground-2",
            kind="counter_position",
            actor="Russia",
            commitment="ground_troops",
            status="signed",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
    )
    return base.model_copy(update={"entries": base.entries + extra})


async def open_matrix(app: Host, ledger: Ledger, pilot) -> MatrixScreen:  # type: ignore[no-untyped-def]
    screen = MatrixScreen(ledger, ledger.entries)
    await app.push_screen(screen, app.results.append)
    await pilot.pause()
    return screen


def row_labels(table: DataTable) -> list[str]:
    return [table.rows[key].label.plain.strip() for key in table.rows]  # type: ignore[union-attr]


async def test_cells_of_the_small_ledger() -> None:
    ledger = small_ledger()
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, ledger, pilot)
        uk = screen.cell_at("United Kingdom", "ground_troops")
        assert uk is not None and (uk.status, uk.count, uk.backstop) == (Status.SIGNED, 1, False)
        ie = screen.cell_at("Ireland", "ground_troops")
        assert ie is not None and (ie.status, ie.count) == (Status.CONSIDERING, 1)
        assert screen.cell_at("Russia", "ground_troops") is None  # a counter-position is not a pledge
        ru = screen.cell_at("Russia", "ground_troops", counter=True)
        assert ru is not None and ru.entry_ids == ("russia-mfa",)
        assert screen.cell_at("Ireland", "air") is None
        pledges = screen.query_one("#mx-pledges", DataTable)
        counters = screen.query_one("#mx-counters", DataTable)
        assert row_labels(pledges) == ["France", "Ireland", "United Kingdom"]
        assert row_labels(counters) == ["Russia"]
        assert [c.label.plain for c in pledges.columns.values()] == ["Ground troops"]  # only types that occur
        assert pledges.get_cell_at(Coordinate(1, 0)).plain == "Considering"


async def test_strongest_status_counts_backstop_and_order() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, extended_ledger(), pilot)
        uk = screen.cell_at("United Kingdom", "ground_troops")
        assert uk is not None
        assert (uk.status, uk.count, uk.backstop) == (Status.SIGNED, 2, True)
        assert set(uk.entry_ids) == {"uk-ground", "uk-ground-2"}
        de = screen.cell_at("Germany", "ground_troops")
        assert de is not None and de.status is Status.DECLINED
        ru = screen.cell_at("Russia", "ground_troops", counter=True)
        assert ru is not None and (ru.status, ru.count) == (Status.SIGNED, 2)
        # counter-positions never swell the pledge cells
        assert sum(c.count for c in screen.entries.cells.values()) == 7
        assert sum(c.count for c in screen.counters.cells.values()) == 3

        table = screen.query_one("#mx-pledges", DataTable)
        labels = row_labels(table)
        assert labels == ["France", "Germany", "Ireland", "United Kingdom", "Coalition of the willing"]
        columns = [c.label.plain for c in table.columns.values()]
        assert columns == ["Ground troops", "Air", "Ceasefire monitor"]
        uk_row = labels.index("United Kingdom")
        assert table.get_cell_at(Coordinate(uk_row, 0)).plain == "Signed ×2 †"
        assert table.get_cell_at(Coordinate(uk_row, 1)).plain == "Signalled †"
        assert table.get_cell_at(Coordinate(labels.index("Germany"), 0)).plain == "✗ declined"
        assert table.get_cell_at(Coordinate(labels.index("Germany"), 1)).plain == "·"
        legend = str(screen.query_one("#mx-legend").render())
        assert "✗ declined" in legend and "† " in legend


async def test_enter_on_a_cell_dismisses_with_actor_and_commitment() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_matrix(app, extended_ledger(), pilot)
        await pilot.press("down", "down", "down", "right", "enter")  # United Kingdom x Air
        await pilot.pause()
        assert app.results == [("United Kingdom", "air")]
        assert not isinstance(app.screen, MatrixScreen)


async def test_enter_on_an_empty_cell_does_nothing_and_escape_returns_none() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, extended_ledger(), pilot)
        await pilot.press("right", "enter")  # France x Air: empty
        await pilot.pause()
        assert app.screen is screen and app.results == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        await open_matrix(app, extended_ledger(), pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.results == [None, None]


async def test_counter_section_is_chosen_separately() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, extended_ledger(), pilot)
        screen.query_one("#mx-counters", DataTable).focus()
        await pilot.press("right", "enter")
        await pilot.pause()
        assert app.results == [("Russia", "air")]


async def test_one_click_on_a_cell_dismisses() -> None:
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, small_ledger(), pilot)
        table = screen.query_one("#mx-pledges", DataTable)
        label_width = max(len(label) for label in row_labels(table)) + 2
        await pilot.click(table, offset=(label_width + 3, 2))  # y: header, France, Ireland
        await pilot.pause()
        assert app.results == [("Ireland", "ground_troops")]


async def test_hostile_actor_name_is_literal_and_safe() -> None:
    base = small_ledger()
    ev = base.entries[0].evidence
    hostile = (
        pledge(
            id="hostile",
            actor=HOSTILE,
            actor_type="organisation",
            commitment="air",
            status="signed",
            claimant=HOSTILE,
            summary=HOSTILE,
            evidence=ev,
        ),
        pledge(
            id="hostile-counter",
            kind="counter_position",
            actor="[/x] Kremlin\x9b2J",
            commitment="air",
            status="announced",
            claimant="x",
            summary="x",
            evidence=ev,
        ),
    )
    ledger = base.model_copy(update={"entries": base.entries + hostile})
    app = Host()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_matrix(app, ledger, pilot)
        assert screen.cell_at(HOSTILE, "air") is not None
        svg = app.export_screenshot()
        assert not UNSAFE.search(svg) and "&#27;" not in svg
        text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
        assert not UNSAFE.search(text)
        assert "[/bold] [link=x]␛]0;pwned␇" in text
        assert "[/x] Kremlin" in text
        await pilot.press("down", "down", "down", "right", "enter")
        await pilot.pause()
        assert app.results == [(HOSTILE, "air")]
