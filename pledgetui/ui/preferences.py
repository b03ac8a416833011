"""The app's side of the settings file: apply it at start, remember the view at exit.

The settings model and its reading and writing are in :mod:`pledgetui.settings`
(no Textual); this module only turns them into the app's theme and keymap and the
dashboard's :class:`~pledgetui.ui.state.ViewState`, and back. It knows neither the
app class nor the dashboard: the app hands it what it needs.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pledgetui import settings as settings_file
from pledgetui.settings import Loaded, Settings
from pledgetui.ui.state import ViewState

if TYPE_CHECKING:
    from textual.app import App

    from pledgetui.ui.shell import Notifier

DEFAULT_THEME = "textual-dark"

#: Where every class with bindings lives (module, class): their ids are what a keymap may name.
_BOUND = (
    ("pledgetui.ui.app", "PledgeApp"),
    ("pledgetui.ui.screens.dashboard", "DashboardScreen"),
    ("pledgetui.ui.widgets.entry_table", "EntryTable"),
    ("pledgetui.ui.screens.quote_viewer", "QuoteViewer"),
    ("pledgetui.ui.screens.matrix", "MatrixScreen"),
    ("pledgetui.ui.screens.grouping", "GroupingScreen"),
    ("pledgetui.ui.screens.edit_entry", "EditEntry"),
    ("pledgetui.ui.screens.export_dialog", "ExportDialog"),
    ("pledgetui.ui.screens.import_article", "ImportArticle"),
    ("pledgetui.ui.screens.help", "HelpScreen"),
    ("pledgetui.ui.screens.filter_help", "FilterHelp"),
    ("pledgetui.ui.screens.choice", "ChoiceScreen"),
    ("pledgetui.ui.screens.source_picker", "SourcePicker"),
    ("pledgetui.ui.screens.problems", "ProblemsScreen"),
    ("pledgetui.ui.widgets.find_bar", "FindBar"),
)


def default_keys() -> dict[str, tuple[str, frozenset[str]]]:
    """Every binding id of the app, its screens and widgets (what ``[keymap]`` may name), with
    the class that binds it and its keys before any keymap."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for module_name, class_name in _BOUND:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        for binding in getattr(cls, "BINDINGS", []):
            binding_id = getattr(binding, "id", None)
            if binding_id:
                keys = frozenset(k.strip() for k in str(getattr(binding, "key", "")).split(",") if k.strip())
                found[binding_id] = (class_name, keys)
    return found


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets (what ``[keymap]`` may name)."""
    return set(default_keys())


def keymap_takeovers(keymap: dict[str, str]) -> list[str]:
    """What a keymap takes from another binding of the same screen or widget: ``"E (from
    dashboard.edit_file)"`` for each key it gives an id that another id, left as it was, had."""
    defaults = default_keys()
    taken: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in defaults:
            continue
        owner = defaults[binding_id][0]
        for key in (k.strip() for k in keys.split(",")):
            for other, (other_owner, other_keys) in defaults.items():
                if other != binding_id and other_owner == owner and other not in keymap and key in other_keys:
                    taken.append(f"{key} (from {other})")
    return taken


class Preferences:
    """The settings of one run: read from ``path`` (None: ``--no-config``, nothing read or written)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.loaded = settings_file.read(path) if path is not None else Loaded(Settings())
        self.settings = self.loaded.settings
        self.problems: list[str] = list(self.loaded.problems)

    @property
    def active(self) -> bool:
        return self.path is not None

    def update(self, notifier: Notifier | None = None, **changes: object) -> None:
        """Change some settings and write the file now (columns hidden, an export made);
        ``notifier`` says so if the file cannot be written."""
        self.settings = self.settings.but(**changes)
        self.save(notifier)

    def save(self, notifier: Notifier | None = None) -> bool:
        """Write the settings when they changed; a file that had problems is left for the user to fix."""
        if self.path is None or not self.loaded.writable or self.settings == self.loaded.settings:
            return False
        try:
            settings_file.write(self.path, self.settings)
        except Exception as exc:  # OSError, SaveError: the settings are a convenience, never fatal
            if notifier is not None:
                notifier.notify(f"Settings not saved to {self.path}: {exc}", severity="warning", timeout=8)
            return False
        self.loaded = Loaded(self.settings)
        return True

    # ------------------------------------------------------------------ applying

    def apply_to_app(self, app: App[Any]) -> None:
        """The theme and the keymap (before the first frame)."""
        s = self.settings
        if s.theme:
            if s.theme in app.available_themes:
                app.theme = s.theme
            else:
                self.problems.append(
                    f"{self.path}: theme: no theme named {s.theme!r} "
                    f"(themes: {', '.join(sorted(app.available_themes))}); using the default"
                )
        if s.keymap:
            app.set_keymap(s.keymap)

    def check_keymap(self) -> None:
        """Name keymap ids that match no binding (a typo would otherwise do nothing, silently)."""
        if not self.settings.keymap:
            return
        known = binding_ids()
        taken = keymap_takeovers(self.settings.keymap)
        if taken:
            self.problems.append(
                f"{self.path}: [keymap] takes keys other bindings had: {', '.join(taken[:5])}"
                f"{f' and {len(taken) - 5} more' if len(taken) > 5 else ''}; those are now reached from "
                "the command palette only (give them keys of their own in [keymap])"
            )
        unknown = sorted(set(self.settings.keymap) - known)
        if unknown:
            named = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            self.problems.append(
                f"{self.path}: [keymap]: no binding with id {named} "
                "(the ids are listed in the README's keys section); ignored"
            )

    def view(self) -> ViewState:
        """The dashboard's view as it was at the last exit: filter, sort, hidden columns, counter-positions."""
        from pledgetui.query import QueryError, parse_query, parse_sort

        s = self.settings
        view = ViewState(
            hidden_columns=frozenset(s.hidden_columns), show_counter=s.show_counter, column_widths=s.column_widths
        )
        try:
            sort = parse_sort(s.sort)
            query = parse_query(s.filter) if s.filter else None
        except QueryError:  # settings.read checked both; a change of syntax could still refuse them
            return view
        return ViewState(
            s.filter if query is not None else "",
            query,
            sort,
            view.hidden_columns,
            view.show_counter,
            view.column_widths,
        )

    def remember(
        self, *, theme: str, ledger: Path | None, view: ViewState | None, notifier: Notifier | None = None
    ) -> None:
        """Take the theme, the ledger open (None: none was loaded) and the dashboard's view (None:
        nothing to remember) into the settings, and save them."""
        if self.path is None:
            return
        changes: dict[str, object] = {"theme": theme if theme != DEFAULT_THEME or self.settings.theme else None}
        if ledger is not None:
            changes["last_ledger"] = os.path.realpath(ledger)
        if view is not None:
            changes.update(
                filter=view.filter,
                sort=settings_file.sort_text([(k.field, k.descending) for k in view.sort]),
                hidden_columns=tuple(c for c in settings_file.COLUMN_KEYS if c in view.hidden_columns),
                show_counter=view.show_counter,
                column_widths=tuple(sorted(view.column_widths, key=lambda kw: settings_file.COLUMN_KEYS.index(kw[0]))),
            )
        self.settings = self.settings.but(**changes)
        self.save(notifier)
