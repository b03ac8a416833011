"""The app's side of the settings file: apply it at start, remember the view at exit.

The settings model and its reading and writing are in :mod:`pledgetui.settings`
(no Textual); this module only moves values between it and the app's screens.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from pledgetui import settings as settings_file
from pledgetui.settings import Loaded, Settings

if TYPE_CHECKING:
    from pledgetui.ui.app import PledgeApp
    from pledgetui.ui.screens.dashboard import DashboardScreen
    from pledgetui.ui.widgets.entry_table import EntryTable

DEFAULT_THEME = "textual-dark"

#: Where every class with bindings lives (module, class): their ids are what a keymap may name.
_BOUND = (
    ("pledgetui.ui.app", "PledgeApp"),
    ("pledgetui.ui.screens.dashboard", "DashboardScreen"),
    ("pledgetui.ui.widgets.entry_table", "EntryTable"),
    ("pledgetui.ui.screens.quote_viewer", "QuoteViewer"),
    ("pledgetui.ui.screens.matrix", "MatrixScreen"),
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


def binding_ids() -> set[str]:
    """Every binding id of the app, its screens and widgets (what ``[keymap]`` may name)."""
    ids: set[str] = set()
    for module_name, class_name in _BOUND:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        for binding in getattr(cls, "BINDINGS", []):
            binding_id = getattr(binding, "id", None)
            if binding_id:
                ids.add(binding_id)
    return ids


class Preferences:
    """The settings of one run: read from ``path`` (None: ``--no-config``, nothing read or written)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.loaded = settings_file.read(path) if path is not None else Loaded(Settings())
        self.settings = self.loaded.settings
        self.problems: list[str] = list(self.loaded.problems)
        self._table: EntryTable | None = None

    @property
    def active(self) -> bool:
        return self.path is not None

    def update(self, app: PledgeApp | None = None, **changes: object) -> None:
        """Change some settings and write the file now (columns hidden, an export made)."""
        self.settings = self.settings.but(**changes)
        self.save(app)

    def save(self, app: PledgeApp | None = None) -> bool:
        """Write the settings when they changed; a file that had problems is left for the user to fix."""
        if self.path is None or not self.loaded.writable or self.settings == self.loaded.settings:
            return False
        try:
            settings_file.write(self.path, self.settings)
        except Exception as exc:  # OSError, SaveError: the settings are a convenience, never fatal
            if app is not None:
                app.notify(f"Settings not saved to {self.path}: {exc}", severity="warning", timeout=8)
            return False
        self.loaded = Loaded(self.settings)
        return True

    # ------------------------------------------------------------------ applying

    def apply_to_app(self, app: PledgeApp) -> None:
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
        unknown = sorted(set(self.settings.keymap) - known)
        if unknown:
            self.problems.append(
                f"{self.path}: [keymap]: no binding with id {', '.join(unknown)} "
                "(the ids are listed in the README's keys section); ignored"
            )

    def restore_view(self, app: PledgeApp, dashboard: DashboardScreen) -> None:
        """Filter, sort, hidden columns and counter-positions as they were at the last exit.

        Called as the ledger arrives, which may be before the dashboard's widgets exist: its
        own state is set now (its first drawing uses it), its widgets once they are mounted.
        """
        from pledgetui.query import QueryError, parse_query, parse_sort

        s = self.settings
        dashboard.show_counter = s.show_counter
        try:
            dashboard.sort_keys = parse_sort(s.sort)
            if s.filter:
                dashboard.query_obj = parse_query(s.filter)
                dashboard.query_text = s.filter
        except QueryError:  # settings.read checked both; a change of syntax could still refuse them
            pass

        def widgets() -> None:
            self._table = dashboard.table  # kept: at exit the screen's widgets are already gone
            self._table.hidden_columns = frozenset(s.hidden_columns)
            if dashboard.query_text:
                dashboard.set_filter(dashboard.query_text)
            else:
                dashboard.refresh_view()

        if dashboard.is_mounted:
            widgets()
        else:
            app.call_after_refresh(widgets)

    def remember(self, app: PledgeApp, dashboard: DashboardScreen | None) -> None:
        """Take the current view, theme and ledger into the settings, and save them (at exit:
        the dashboard's state is read from its attributes, its widgets may be gone)."""
        if self.path is None:
            return
        theme = app.theme if app.theme != DEFAULT_THEME or self.settings.theme else None
        changes: dict[str, object] = {"theme": theme}
        if app.session is not None:
            changes["last_ledger"] = str(app.path.resolve())
        if dashboard is not None and dashboard.index is not None and self._table is not None:
            changes.update(
                filter=dashboard.query_text,
                sort=settings_file.sort_text([(k.field, k.descending) for k in dashboard.sort_keys]),
                hidden_columns=tuple(c for c in settings_file.COLUMN_KEYS if c in self._table.hidden_columns),
                show_counter=dashboard.show_counter,
            )
        self.settings = self.settings.but(**changes)
        self.save(app)
