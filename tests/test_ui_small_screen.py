"""Every dialog at 80x24, the smallest terminal the dashboard supports: its whole text and its choices are visible."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from pledgetui import journal
from pledgetui.session import EditSession
from pledgetui.ui.app import PledgeApp
from pledgetui.ui.screens.choice import ChoiceScreen
from tests.factory import outside_change
from tests.pilot import edit_current, press_and_settle, started
from tests.visible import assert_shown

SMALL = (80, 24)


def assert_choice_shown(app: PledgeApp) -> ChoiceScreen:
    """The question on top: its title, its whole message and every answer's button are on screen."""
    prompt = app.screen
    assert isinstance(prompt, ChoiceScreen)
    dialog = prompt.query_one("#choice-dialog")
    buttons = [str(b.label) for b in prompt.query(Button)]
    assert len(buttons) == len(prompt.choices)
    assert_shown(app, dialog, prompt.title_text, str(prompt.message), *buttons)
    for button in prompt.query(Button):
        assert dialog.region.contains_region(button.region), f"{button.label} is cut"
    return prompt


async def test_quit_guard_fits_80x24(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="an unsaved edit")
        await pilot.press("q")
        await pilot.pause()
        prompt = assert_choice_shown(app)
        assert prompt.title_text == "Unsaved changes"


async def test_conflict_dialog_fits_80x24(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await edit_current(app, pilot, summary="my edit")
        app.watching = False  # the save's question, not the watcher's
        outside_change(ledger_path)
        await press_and_settle(app, pilot, "ctrl+s")
        prompt = assert_choice_shown(app)
        assert prompt.title_text == "The file changed on disk"
        assert "Save a copy writes your version next to it." in str(prompt.message)


async def test_recovery_dialog_fits_80x24(ledger_path: Path) -> None:
    crashed = EditSession.open(ledger_path)
    crashed.delete_entry("russia-mfa")
    crashed.close()
    assert journal.pending(ledger_path) is not None
    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        prompt = assert_choice_shown(app)
        assert prompt.title_text == "Recover unsaved edits"


async def test_delete_dialog_fits_80x24(ledger_path: Path) -> None:
    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert_choice_shown(app)


async def test_a_long_message_scrolls_and_the_answers_stay_visible() -> None:
    from textual.app import App

    long = "\n".join(f"line {n}: " + "a rather long explanation " * 5 for n in range(40))

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ChoiceScreen("A long question", long, [("y", "yes", "Yes"), ("n", "no", "No")]))

    app = Host()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        prompt = app.screen
        dialog = prompt.query_one("#choice-dialog")
        assert app.screen.region.contains_region(dialog.region)
        for button in prompt.query(Button):
            assert dialog.region.contains_region(button.region)
        body = prompt.query_one("#choice-body")
        assert body.max_scroll_y > 0  # the rest is a scroll away
        assert body.region.width <= 80
        await pilot.press("pagedown", "pagedown")
        assert body.scroll_y > 0  # the keys scroll it


async def test_edit_form_fits_80x24(ledger_path: Path) -> None:
    from pledgetui.ui.screens.edit_entry import EditEntry

    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditEntry)
        dialog = form.query_one("#dialog")
        assert_shown(app, dialog, form.title_text, "Apply (ctrl+s)", "Cancel (esc)")
        for button in form.query(Button):
            assert dialog.region.contains_region(button.region)
        assert form.query_one("#form").max_scroll_y > 0  # the rest of the fields are a scroll away


async def test_export_dialog_fits_80x24(ledger_path: Path) -> None:
    from textual.widgets import Checkbox, Label, Static

    from pledgetui.ui.screens.export_dialog import ExportDialog

    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("country:united")
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        box = dialog.query_one("#export-box")
        texts = [dialog.summary]
        texts += [str(label.content) for label in dialog.query(Label)]
        texts += [str(dialog.query_one(Checkbox).label)]
        texts += [str(b.label) for b in dialog.query(Button)]
        assert_shown(app, box, *texts)
        dialog.query_one("#export-path").value = "/nonexistent-folder/x.csv"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(dialog.query_one("#export-error", Static).content)
        assert "does not exist" in error
        assert_shown(app, box, error, *[str(b.label) for b in dialog.query(Button)])


async def test_import_dialog_fits_80x24(ledger_path: Path) -> None:
    from textual.widgets import Label

    from pledgetui.ui.screens.import_article import ImportArticle

    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportArticle)
        box = dialog.query_one("#import-box")
        assert_shown(app, box, *[str(b.label) for b in dialog.query(Button)])
        for label in dialog.query(Label):
            label.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            assert_shown(app, label, str(label.content))  # each label whole, once scrolled to


async def test_the_footer_shows_help_and_quit_at_80_columns(ledger_path: Path) -> None:
    from textual.widgets import Footer

    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        footer = app.screen.query_one(Footer)
        assert_shown(app, footer, "? Help", "q Quit")
        await pilot.press("v")  # the quote viewer and the matrix keep them too
        await pilot.pause()
        assert_shown(app, app.screen.query_one(Footer), "? Help")
        await pilot.press("escape", "m")
        await pilot.pause()
        assert_shown(app, app.screen.query_one(Footer), "? Help")


async def test_matrix_at_80x24_names_the_filter_counts_in_words_and_shows_its_columns() -> None:
    from textual.widgets import DataTable

    from pledgetui.ui.screens.matrix import MatrixScreen
    from tests.factory import REPO

    app = PledgeApp(REPO / "data" / "pledges.toml")
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        app.dashboard.set_filter("country:france")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        title = str(screen.query_one("#mx-title").content)
        assert "1 actor with pledges" in title and "1 actors" not in title
        assert 'filtered by "country:france"' in title  # the matrix is of the dashboard's view, and says so
        assert_shown(app, screen.query_one("#mx-title"), title)
        await pilot.press("escape")
        await pilot.pause()
        app.dashboard.set_filter("")
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#mx-pledges", DataTable)
        label_width = table.virtual_size.width - sum(col.get_render_width(table) for col in table.ordered_columns)
        right, shown = label_width, 0
        for col in table.ordered_columns:
            right += col.get_render_width(table)
            shown += right <= table.scrollable_content_region.width
        assert label_width <= 18  # actor names give way to commitment columns
        assert shown >= 4
        title = str(screen.query_one("#mx-title").content)
        if table.virtual_size.width > table.scrollable_content_region.width:
            assert f"{len(screen.commitments)} commitment types" in title and "←/→" in title
        assert_shown(app, screen.query_one("#mx-title"), title)


async def test_filter_help_shows_its_field_list_and_hint_at_80x24(ledger_path: Path) -> None:
    """The syntax block scrolls on its own: the field list and the closing hint stay in sight."""
    from textual.widgets import DataTable

    from pledgetui.ui.screens.filter_help import FilterHelp

    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterHelp)
        table = dialog.query_one(DataTable)
        assert table.region.height >= 4, table.region
        assert_shown(app, dialog.query_one("#fh-hint"), "esc closes")
        assert_shown(app, table, "Field", "Meaning")


async def test_the_import_dialog_marks_the_focused_field_and_shows_the_article(ledger_path: Path) -> None:
    from pledgetui.ui.screens.import_article import FIELDS, ImportArticle
    from tests.pilot import screen_text

    article = next((ledger_path.parent / "seeds").glob("*.txt"))
    first_words = " ".join(article.read_text(encoding="utf-8").split())[:40]
    app = PledgeApp(ledger_path)
    async with app.run_test(size=SMALL) as pilot:
        await started(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportArticle)
        # on a capture without colours, the focused field is told by its label's mark
        text = screen_text(app)
        assert f"▶ {FIELDS['path']}" in text and f"▶ {FIELDS['id']}" not in text
        await pilot.press("tab")
        await pilot.pause()
        text = screen_text(app)
        assert f"▶ {FIELDS['id']}" in text and f"▶ {FIELDS['path']}" not in text
        dialog.query_one("#imp-path").value = str(article)
        await pilot.pause()
        assert first_words in " ".join(screen_text(app, dialog.query_one("#imp-preview")).split())


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_footers_header_and_filter_hint_never_cut_a_word(size: tuple[int, int]) -> None:
    from textual.widgets import Input
    from textual.widgets._footer import FooterKey

    from pledgetui.ui.screens.quote_viewer import QuoteViewer
    from pledgetui.ui.widgets.footer import KeyFooter
    from tests.factory import REPO

    def footer_whole() -> None:
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.query(FooterKey))
        for key in keys:  # each key inside the footer, whole
            assert key.region.right <= footer.region.right, key.description
            assert_shown(app, key, key.description)
        shown = {key.action.removeprefix("app.") for key in keys}
        left_out = {a for a in (b.action.removeprefix("app.") for b, _, _ in footer._keys()) if a not in shown}
        if left_out:  # what does not fit is said to be there
            assert keys[-1].description == "more: ?"

    app = PledgeApp(REPO / "data" / "pledges.toml")  # long summaries and many keys
    async with app.run_test(size=size) as pilot:
        await started(app, pilot)
        await pilot.pause()
        footer_whole()
        box = app.dashboard.query_one("#filter", Input)
        assert box.placeholder.endswith("(F1: syntax)") or box.placeholder == "filter"
        assert len(box.placeholder) < box.content_size.width
        await pilot.press("v")
        await pilot.pause()
        viewer = app.screen
        assert isinstance(viewer, QuoteViewer)
        await pilot.pause()
        footer_whole()
        # the header's status line holds the entry's whole summary, wrapped, never cut
        assert_shown(app, viewer.query_one("#qv-status"), viewer.entry.summary)
