"""Pilot tests of the main screen: sorting, filtering, the count, the detail pane."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from pledgetui.store import load
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.dashboard import DashboardScreen
from pledgetui.ui.widgets.detail import DetailPane
from pledgetui.ui.widgets.entry_table import COLUMNS
from tests.factory import REPO
from tests.orders import in_order

BUNDLED = REPO / "data" / "pledges.toml"


async def started(app: PledgeApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.dashboard.index is not None, "ledger did not load"


def count_text(app: PledgeApp) -> str:
    return str(app.query_one("#count").content)


@pytest.mark.parametrize("column", [c.key for c in COLUMNS])
async def test_sort_each_way_keeps_cursor_on_same_pledge(column: str) -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await pilot.press("down", "down", "down", "down", "down")
        chosen = app.dashboard.table.current_entry
        assert chosen is not None and app.dashboard.table.cursor == 5
        key = str([c.key for c in COLUMNS].index(column) + 1)
        await pilot.press(key)
        assert app.dashboard.sort_keys[0].field == column and not app.dashboard.sort_keys[0].descending
        assert app.dashboard.table.current_entry is chosen
        entries = list(load(BUNDLED).ledger.entries)  # counter-positions are shown: every entry is a row
        ascending = [p.id for p in app.dashboard.visible_entries()]
        assert ascending == in_order(entries, column)
        await pilot.press(key)
        assert app.dashboard.sort_keys[0].descending
        assert app.dashboard.table.current_entry is chosen
        descending = [p.id for p in app.dashboard.visible_entries()]
        assert descending == in_order(entries, column, descending=True)
        assert ascending != [p.id for p in entries] or descending != [p.id for p in entries]  # the sort moved rows
        assert app.dashboard.table.row_of(app.dashboard.table.current) == app.dashboard.table.cursor


async def test_sort_ties_are_stable_and_indicator_shows() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        ledger_order = {p.id: i for i, p in enumerate(app.ledger.entries)}
        await pilot.press("3")  # status
        rows = app.dashboard.visible_entries()
        for a, b in itertools.pairwise(rows):
            if a.status == b.status:
                assert ledger_order[a.id] < ledger_order[b.id]
        header = app.dashboard.table.render_line(0).text
        assert "Status ▲" in header
        await pilot.press("r")
        assert "Status ▼" in app.dashboard.table.render_line(0).text


async def test_header_click_sorts() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await pilot.click("#table", offset=(1, 0))
        await pilot.pause()
        assert app.dashboard.sort_keys and app.dashboard.sort_keys[0].field == "actor"
        await pilot.click("#table", offset=(1, 0))
        await pilot.pause()
        assert app.dashboard.sort_keys[0].descending


async def test_filter_text_and_fields_narrow_and_count_updates() -> None:
    ledger = load(BUNDLED).ledger
    total = sum(1 for p in ledger.entries if not p.is_counter)
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        assert count_text(app).startswith(f"{total} of {total} pledges")
        await pilot.press("slash", *"country:kingdom status:signed")
        expected = [p for p in ledger.entries if "kingdom" in p.actor.lower() and p.status.value == "signed"]
        assert expected, "the bundled ledger has signed UK pledges"
        assert [p.id for p in app.dashboard.visible_entries()] == [p.id for p in expected]
        assert count_text(app).startswith(f"{len(expected)} of {total} pledges")
        assert all(p.actor == "United Kingdom" and p.status.value == "signed" for p in app.dashboard.visible_entries())
        # a bad term keeps the last good view and says what is wrong
        app.query_one("#filter").value = "country:france status:zzz"
        await pilot.pause()
        assert [p.id for p in app.dashboard.visible_entries()] == [p.id for p in expected]
        assert "last valid filter" in count_text(app)
        assert "zzz" in str(app.dashboard.query_one("#filter-error").content)
        await pilot.press("escape")
        assert len(app.dashboard.visible_entries()) == len(ledger.entries)
        assert count_text(app).startswith(f"{total} of {total} pledges")


async def test_filter_keeps_cursor_on_same_pledge_when_still_shown() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        target = next(i for i, p in enumerate(app.dashboard.table.entries) if p.actor == "Ireland")
        app.dashboard.table.cursor = app.dashboard.table.row_of(target)
        await pilot.press("slash", *"peace")
        assert app.dashboard.table.current == target
        await pilot.press("escape")
        assert app.dashboard.table.current == target


async def test_counter_positions_are_marked_and_not_counted() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        counters = [p for p in app.dashboard.index.entries if p.is_counter]
        assert counters
        assert f"· {len(counters)} counter-positions" in count_text(app)
        await pilot.press("c")
        assert not any(p.is_counter for p in app.dashboard.visible_entries())
        row = next(i for i, p in enumerate(app.dashboard.index.entries) if p.is_counter)
        await pilot.press("c")
        app.dashboard.table.cursor = app.dashboard.table.row_of(row)
        await pilot.pause()
        assert (
            "⟂"
            in app.dashboard.table.render_line(
                app.dashboard.table.cursor + 1 - round(app.dashboard.table.scroll_y)
            ).text
        )
        assert "COUNTER-POSITION" in app.query_one(DetailPane).text


async def test_detail_pane_follows_cursor() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        detail = app.query_one(DetailPane)
        seen = []
        for _ in range(4):
            pledge = app.dashboard.table.current_entry
            await pilot.pause()
            assert f"Id: {pledge.id}" in detail.text
            assert pledge.summary in detail.text
            assert pledge.claimant in detail.text
            seen.append(pledge.id)
            await pilot.press("down")
        assert len(set(seen)) == 4


async def test_broken_ledger_shows_problems_and_keeps_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    original = b'schema_version = 1\n[[pledges]]\nid = "x"\nstatus = "maybe"\n'
    broken.write_bytes(original)
    app = PledgeApp(broken)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.load_error is not None
        text = str(app.screen.query_one("#problems").content)
        assert "entry 'x'" in text and "status" in text
        await pilot.press("q")
    assert broken.read_bytes() == original


async def test_help_lists_every_binding_of_the_dashboard() -> None:
    from pledgetui.ui.screens.help import HelpScreen

    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        # The dashboard's own keys live on its screen since it became a screen of its own:
        # the app's, the screen's and the focused table's bindings must all be listed.
        # (but the merge conflicts' key, shown only while the ledger records conflicts)
        dashboard_keys = {b.description for b in DashboardScreen.BINDINGS} - {"Merge conflicts"}
        assert {"Filter", "Edit", "Delete", "Export", "Matrix", "Sort by Status"} <= dashboard_keys
        expected = (
            {b.description for b in PledgeApp.BINDINGS}
            | dashboard_keys
            | {b.description for b in app.dashboard.table.BINDINGS}
        )
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {description for _key, description in app.screen.rows()}
        assert expected <= listed, expected - listed
        sections = {key for key, description in app.screen.rows() if not description}
        assert "Dashboard" in sections  # the screen's keys have a section titled by its HELP_TITLE
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_the_actions() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for wanted in (
            "Filter the table",
            "Matrix: actors x commitments",
            "Edit the highlighted entry",
            "Save",
            "Undo",
            "Export the current view",
            "Sort by Status",
            "Help: all keys",
        ):
            assert wanted in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Sort by Status")
        command.callback()
        assert app.dashboard.sort_keys[0].field == "status"


async def test_matrix_cell_filters_the_table_to_exactly_that_cell() -> None:
    from pledgetui.ui.screens.matrix import MatrixScreen

    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        matrix = app.screen
        assert isinstance(matrix, MatrixScreen)
        cell = matrix.cell_at("United Kingdom", "ground_troops")
        # one entry per actor and commitment type (docs/coding.md, section 1)
        assert cell is not None and cell.count == 1
        matrix.dismiss(("United Kingdom", "ground_troops"))
        await pilot.pause()
        shown = app.dashboard.visible_entries()
        assert sorted(p.id for p in shown) == sorted(cell.entry_ids)
        assert all(p.actor == "United Kingdom" and p.commitment.value == "ground_troops" for p in shown)


async def test_a_ledger_opened_with_quotes_not_in_their_articles_says_so(tmp_path: Path) -> None:
    from tests.factory import small_ledger, write_ledger
    from tests.pilot import Notices, started

    ledger = small_ledger()
    ireland = ledger.entry("ireland-ground")
    assert ireland is not None
    ev = ireland.evidence[0]
    drifted = ev.model_copy(update={"quote": ev.quote.replace("will want to assist", "would want to assist")})
    entries = tuple(
        p.model_copy(update={"evidence": (drifted,)}) if p.id == "ireland-ground" else p for p in ledger.entries
    )
    path = write_ledger(tmp_path / "drifted", ledger.model_copy(update={"entries": entries}))
    app = PledgeApp(path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        warnings = notices.of("warning")
    assert len(warnings) == 1
    assert "1 quote is not the article's exact words: ireland-ground statement 1 (drifted)" in warnings[0]
    assert "pledgetui check" in warnings[0]


async def test_a_ledger_whose_quotes_are_all_verified_opens_without_that_notice(ledger_path: Path) -> None:
    from tests.pilot import Notices, started

    app = PledgeApp(ledger_path)
    notices = Notices()
    async with app.run_test(size=(120, 36), message_hook=notices) as pilot:
        await started(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert not any("exact words" in m for m in notices.messages)
