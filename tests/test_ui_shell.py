"""The UI's helpers take protocols (pledgetui.ui.shell), so each works with a fake as well as the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pledgetui.ui.columns import column_commands, toggle_column
from pledgetui.ui.external_editor import refusal
from pledgetui.ui.widgets.entry_table import COLUMNS


@dataclass
class FakeColumns:
    """A ColumnView: hidden columns, and the notes it was given."""

    hidden_columns: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)
    left_out_columns: tuple[str, ...] = ()
    kept: list[str] = field(default_factory=list)

    def choose_hidden_columns(self, hidden: frozenset[str]) -> None:
        self.hidden_columns = hidden

    def show_left_out_column(self, key: str) -> None:
        self.kept.append(key)
        self.left_out_columns = tuple(k for k in self.left_out_columns if k != key)

    def notify(self, message: str, **_: object) -> None:
        self.notes.append(message)


def test_the_column_commands_work_on_any_column_view() -> None:
    view = FakeColumns()
    toggle_column(view, "claimant")
    assert view.hidden_columns == {"claimant"} and view.notes == ["Column Claimant hidden"]
    assert "Show column: Claimant" in [c.title for c in column_commands(view)]
    for col in COLUMNS:
        if col.key not in view.hidden_columns:
            toggle_column(view, col.key)
    assert len(view.hidden_columns) == len(COLUMNS) - 1  # one column always stays
    assert view.notes[-1] == "At least one column stays shown"


def test_a_column_left_out_at_this_width_can_be_shown_from_the_palette() -> None:
    view = FakeColumns(left_out_columns=("date",))
    show = [c for c in column_commands(view) if c.title == "Show column: Date"]
    assert len(show) == 1 and "Hide column: Date" not in [c.title for c in column_commands(view)]
    show[0].callback()
    assert view.kept == ["date"] and view.notes[-1].startswith("Column Date shown")


@dataclass
class FakeSession:
    path: Path = Path("pledges.toml")
    read_only: str | None = None
    dirty: bool = False


@dataclass
class FakeReloader:
    """A FileReloader: a session, what is under way, and the reloads asked for."""

    session: FakeSession | None = None
    busy: str | None = None
    reloads: list[str | None] = field(default_factory=list)

    def reload_edited_file(self, keep_id: str | None) -> None:
        self.reloads.append(keep_id)


def test_the_external_editor_asks_a_file_reloader_why_not() -> None:
    assert refusal(FakeReloader()) == "no ledger is open"
    assert refusal(FakeReloader(FakeSession())) is None
    assert "reloading is in progress" in (refusal(FakeReloader(FakeSession(), busy="reloading")) or "")
    assert "unsaved edits" in (refusal(FakeReloader(FakeSession(dirty=True))) or "")
    assert "read-only" in (refusal(FakeReloader(FakeSession(read_only="the bundled ledger"))) or "")
