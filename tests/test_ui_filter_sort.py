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
