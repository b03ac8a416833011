"""Pilot tests of the filter bar's errors and of sorting in the dashboard (one key, several keys, none)."""

from __future__ import annotations

from pledgetui.query import QueryError, parse_query
from pledgetui.ui.app import PledgeApp
from tests.factory import REPO
from tests.visible import assert_shown, shown_text, squeeze

BUNDLED = REPO / "data" / "pledges.toml"


async def started(app: PledgeApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.dashboard.index is not None


def count_text(app: PledgeApp) -> str:
    return str(app.dashboard.query_one("#count").content)


async def test_a_bad_filter_says_the_view_is_the_last_valid_one_and_shows_the_whole_error() -> None:
    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"united status:zz")
        await pilot.pause()
        last_valid = app.dashboard.query_text
        assert last_valid == "united status"  # typed on the way; its view is what the table shows
        app.dashboard.apply_filter(last_valid)
        n, good = len(app.dashboard.table.view), count_text(app)
        app.dashboard.apply_filter("united status:zz")
        await pilot.pause()
        try:
            parse_query("united status:zz")
        except QueryError as exc:
            error = str(exc)
        assert "choose one of" in error and len(error) > 80
        assert len(app.dashboard.table.view) == n  # the last valid filter's rows
        assert "last valid filter" in count_text(app) and count_text(app) != good
        line = app.dashboard.query_one("#filter-error")
        assert line.display
        assert_shown(app, line, error, f'"{last_valid}"')  # every valid value is readable, wrapped under the filter bar
        app.dashboard.query_one("#filter").focus()
        await pilot.press("end", *["backspace"] * 10)  # "united": valid again
        await pilot.pause()
        assert not app.dashboard.query_one("#filter-error").display
        assert "last valid filter" not in count_text(app)
        assert squeeze(error) not in shown_text(app)


def header(app: PledgeApp) -> str:
    table = app.dashboard.table
    return table.render_line(0).text


async def test_the_sort_arrow_shows_on_a_narrow_column() -> None:
    from pledgetui.ui.widgets.entry_table import COLUMNS

    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        table = app.dashboard.table
        shown = [col for col in COLUMNS if col.key not in table.hidden_columns and col.title in header(app)]
        assert len(shown) >= 4  # the narrow screen drops some columns, not most
        for col in shown:
            await pilot.press(str(COLUMNS.index(col) + 1))
            await pilot.pause()
            assert "▲" in header(app), (col.key, header(app))
            await pilot.press(str(COLUMNS.index(col) + 1))
            await pilot.pause()
            assert "▼" in header(app), (col.key, header(app))


async def test_shift_number_adds_a_secondary_key_and_zero_returns_to_ledger_order() -> None:
    from pledgetui.query import SortKey

    app = PledgeApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await started(app, pilot)
        dash = app.dashboard
        ledger_order = [p.id for p in dash.visible_entries()]
        await pilot.press("3")  # status
        await pilot.press("exclamation_mark")  # shift+1: then actor
        await pilot.pause()
        assert dash.sort_keys == (SortKey("status"), SortKey("actor"))
        assert [p.id for p in dash.visible_entries()] == [p.id for p in dash.index.view("", "status,actor")]
        head = header(app)
        assert "Status ▲1" in head and "Actor ▲2" in head  # the header shows the order
        await pilot.press("exclamation_mark")  # the same key again flips that key only
        await pilot.pause()
        assert dash.sort_keys == (SortKey("status"), SortKey("actor", descending=True))
        assert "Actor ▼2" in header(app)
        await pilot.press("0")
        await pilot.pause()
        assert dash.sort_keys == ()
        assert [p.id for p in dash.visible_entries()] == ledger_order
        assert "▲" not in header(app) and "▼" not in header(app)
