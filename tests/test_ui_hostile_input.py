"""Hostile input in the dashboard: files that try to crash, hang, leak or mislead.

Each test is a regression test for one finding of the hardening review (the item
number is in the test's docstring).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.problems import ProblemsScreen
from pledgetui.ui.screens.quote_viewer import QuoteViewer
from pledgetui.ui.widgets.article_view import ArticleView
from tests.hostile import NESTED_ARRAYS, ledger_quoting_a_link, make_loop
from tests.pilot import press_and_settle, started


async def test_deeply_nested_ledger_shows_the_problem_not_a_crash(tmp_path: Path) -> None:
    """Item 8: the dashboard lists the nesting problem on its problems screen."""
    path = tmp_path / "deep.toml"
    path.write_text(NESTED_ARRAYS, encoding="utf-8")
    app = PledgeApp(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        shown = str(app.screen.query_one("#problems", Static).render())
        assert "line 1, column" in shown and "nested too deep" in shown
        assert app.is_running


async def test_import_dialog_names_a_symlink_loop(ledger_path: Path, tmp_path: Path) -> None:
    """Item 11: the import dialog says "symbolic link loop", adds nothing, stays open."""
    loop = make_loop(tmp_path)
    app = PledgeApp(ledger_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        n = len(app.session.ledger.sources)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#imp-path").value = str(loop)
        app.screen.query_one("#imp-title").value = "x"
        await pilot.pause()
        await press_and_settle(app, pilot, "ctrl+s")
        shown = str(app.screen.query_one("#imp-error-path").content)
        assert "symbolic link loop" in shown and "no such file" not in shown
        assert len(app.session.ledger.sources) == n


async def test_quote_viewer_does_not_show_a_file_linked_from_outside(tmp_path: Path) -> None:
    """Item 13: the quote viewer names the link instead of showing the outside file."""
    path, _ = ledger_quoting_a_link(tmp_path)
    app = PledgeApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.ledger is not None and app.articles is not None
        viewer = QuoteViewer(app.ledger, app.articles, "leak-1")
        await app.push_screen(viewer)
        await pilot.pause()
        assert "hunter2" not in viewer.query_one(ArticleView).text
        assert viewer.highlight is None
        banner = str(viewer.query_one("#qv-orphan-banner", Static).render())
        assert "outside the ledger's articles folder" in banner


async def test_matrix_has_one_france_row_and_its_cell_selects_all_six(tmp_path: Path) -> None:
    """Item 14: lookalike spellings share France's matrix row, and choosing the cell filters to all six."""
    from textual.widgets import DataTable

    from pledgetui.ui.screens.matrix import MatrixScreen
    from tests.factory import write_ledger
    from tests.hostile import invisible_in, lookalike_ledger

    path = write_ledger(tmp_path / "ledger", lookalike_ledger())
    app = PledgeApp(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.query_one("#mx-pledges", DataTable)
        labels = [table.rows[key].label.plain.strip() for key in table.rows]  # type: ignore[union-attr]
        assert labels == ["France", "Ireland", "United Kingdom"]
        france = screen.cell_at("France", "ground_troops")
        assert france is not None and france.count == 6
        await pilot.press("enter")  # the cursor starts on France x Ground troops
        await pilot.pause()
        assert not isinstance(app.screen, MatrixScreen)
        shown = {app.dashboard.index.entries[i].id for i in app.dashboard.table.view}  # type: ignore[union-attr]
        assert shown == {"france-ground", "fr-1", "fr-2", "fr-3", "fr-4", "fr-5"}
        assert invisible_in(app.export_screenshot()) == []


async def test_a_line_break_in_a_one_line_field_stays_on_its_line() -> None:
    """A name with a line break (a relay, a claimant) must not draw the rest of itself on the
    lines below the field, over the screen around it."""
    from textual.app import App, ComposeResult

    from pledgetui.ui.widgets.safe_inputs import SafeInput
    from tests.pilot import screen_lines

    class OneField(App[None]):
        def compose(self) -> ComposeResult:
            yield SafeInput("Rel\nLEAK-1\nLEAK-2", id="field")

    app = OneField()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
    assert any("Rel␊LEAK-1␊LEAK-2" in line for line in lines), lines
    assert not any(line.lstrip().startswith("LEAK") for line in lines), lines
