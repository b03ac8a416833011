"""Settings that persist between runs: ``config.toml`` in the user config folder.

The file (``paths.config_file()``; ``PLEDGETUI_CONFIG_DIR`` overrides the folder)::

    theme = "nord"                      # any Textual theme name

    [ledger]
    reopen_last = true                  # `pledgetui` without a file opens the last ledger
    last = "/home/me/notes/pledges.toml"

    [view]
    filter = "country:france"           # the dashboard's filter and sort at the last exit
    sort = "status,-date"
    hidden_columns = ["claimant"]       # actor commitment status conditions backstop claimant date sources since
    column_widths = {claimant = 40}     # cells; columns without one are laid out by themselves
    show_counter_positions = true

    [export]
    folder = "~/exports"                # where the export dialog proposes to write
    format = "json"                     # csv, json or md
    rows = "entries"                    # entries or evidence

    [keymap]                            # binding id = keys (comma-separated)
    "dashboard.edit" = "E"
    "app.quit" = "ctrl+q"

Reading never fails: a file that cannot be read or parsed gives a message naming the
file and the problem, and every default; a bad value gives a message naming its key,
and that key's default. A file with problems is never written over, so the user can
fix it. Writing is atomic (:func:`pledgetui.filesave.atomic_write`); the app rewrites
the file, without comments, when a setting changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

# Read before the dashboard's first frame: the query and export modules (and with them
# the pydantic models) are imported only where a saved filter, sort or export choice
# has to be checked, so an app with no such settings starts without them.

#: A settings file larger than this is not read (it is a few hundred bytes).
MAX_BYTES = 256 * 1024

#: Columns of the dashboard table that can be hidden (their query sort names).
COLUMN_KEYS = ("actor", "commitment", "status", "conditions", "backstop", "claimant", "date", "sources", "since")
#: Columns hidden until the user shows them (a settings file's hidden_columns replaces this).
HIDDEN_BY_DEFAULT = ("since",)
#: The widths (cells) a column may be given.
MIN_WIDTH, MAX_WIDTH = 3, 400


#: A key as Textual names it: letters, digits and underscores, joined by "+" for modifiers
#: ("m", "ctrl+q", "f1", "question_mark", "shift+tab"). Anything else is no key, and text such
#: as "[/x]" would reach the palette, which reads its help text as markup.
KEY_NAME = re.compile(r"[A-Za-z0-9_]+(?:\+[A-Za-z0-9_]+)*")


@dataclass(frozen=True)
class Settings:
    theme: str | None = None  # None: Textual's default theme
    reopen_last: bool = True
    last_ledger: str | None = None
    filter: str = ""
    sort: str = ""
    hidden_columns: tuple[str, ...] = HIDDEN_BY_DEFAULT
    column_widths: tuple[tuple[str, int], ...] = ()
    show_counter: bool = True
    export_folder: str | None = None  # None: the current folder
    export_format: str = "csv"
    export_rows: str = "entries"
    keymap: dict[str, str] = field(default_factory=dict)

    def but(self, **changes: Any) -> Settings:
        """A copy with ``changes``."""
        return replace(self, **changes)


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    problems: tuple[str, ...] = ()  # each names the file and the key; empty when all is well

    @property
    def writable(self) -> bool:
        """False when the file had problems: it is left for the user to fix, not written over."""
        return not self.problems


class _Reader:
    def __init__(self, path: Path, doc: dict[str, Any]) -> None:
        self.path = path
        self.doc = doc
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path}: {where}: {message}; using the default")

    def table(self, name: str) -> dict[str, Any]:
        value = self.doc.get(name, {})
        if not isinstance(value, dict):
            self.problem(f"[{name}]", "must be a table (a [section])")
            return {}
        return value

    def get(self, table: dict[str, Any], where: str, key: str, kind: type, default: Any) -> Any:
        if key not in table:
            return default
        value = table[key]
        if kind is str and isinstance(value, str):
            return value
        if kind is bool and isinstance(value, bool):
            return value
        self.problem(f"{where}{key}", f"must be {'true or false' if kind is bool else 'a string'}, not {value!r}")
        return default


_KNOWN = {
    "": {"theme", "ledger", "view", "export", "keymap"},
    "ledger": {"reopen_last", "last"},
    "view": {"filter", "sort", "hidden_columns", "column_widths", "show_counter_positions"},
    "export": {"folder", "format", "rows"},
}


def from_document(doc: dict[str, Any], path: Path) -> Loaded:
    """Settings from a parsed TOML document, with a problem for each bad or unknown key."""
    r = _Reader(path, doc)
    for section, known in _KNOWN.items():
        table = doc if not section else doc.get(section, {})
        if isinstance(table, dict):
            for key in table:
                if key not in known:
                    where = f"[{section}] {key}" if section else key
                    r.problems.append(f"{path}: {where}: unknown setting, ignored (known: {', '.join(sorted(known))})")
    defaults = Settings()
    theme = r.get(doc, "", "theme", str, None)
    ledger, view, export = r.table("ledger"), r.table("view"), r.table("export")

    filter_text = r.get(view, "[view] ", "filter", str, "")
    sort = r.get(view, "[view] ", "sort", str, "")
    if filter_text or sort:
        from pledgetui.query import QueryError, parse_query, parse_sort

        try:
            parse_query(filter_text)
        except QueryError as exc:
            r.problem("[view] filter", str(exc))
            filter_text = ""
        try:
            parse_sort(sort)
        except QueryError as exc:
            r.problem("[view] sort", str(exc))
            sort = ""
    hidden: tuple[str, ...] = HIDDEN_BY_DEFAULT
    raw_hidden = view.get("hidden_columns", list(HIDDEN_BY_DEFAULT))
    if not isinstance(raw_hidden, list) or not all(isinstance(c, str) for c in raw_hidden):
        r.problem("[view] hidden_columns", "must be a list of column names")
    else:
        unknown = [c for c in raw_hidden if c not in COLUMN_KEYS]
        if unknown:
            r.problem("[view] hidden_columns", f"unknown column {unknown[0]!r} (columns: {', '.join(COLUMN_KEYS)})")
        else:
            hidden = tuple(dict.fromkeys(raw_hidden))

    widths: list[tuple[str, int]] = []
    raw_widths = view.get("column_widths", {})
    if not isinstance(raw_widths, dict):
        r.problem("[view] column_widths", "must be a table of column = cells")
    else:
        for key, cells in raw_widths.items():
            if key not in COLUMN_KEYS:
                r.problem(f"[view] column_widths {key}", f"unknown column (columns: {', '.join(COLUMN_KEYS)})")
            elif isinstance(cells, bool) or not isinstance(cells, int) or not MIN_WIDTH <= cells <= MAX_WIDTH:
                r.problem(
                    f"[view] column_widths {key}", f"must be a whole number of cells from {MIN_WIDTH} to {MAX_WIDTH}"
                )
            else:
                widths.append((key, cells))

    fmt = r.get(export, "[export] ", "format", str, defaults.export_format)
    rows = r.get(export, "[export] ", "rows", str, defaults.export_rows)
    if (fmt, rows) != (defaults.export_format, defaults.export_rows):
        from pledgetui.export import FORMATS, ROW_KINDS

        if fmt not in FORMATS:
            r.problem("[export] format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
            fmt = defaults.export_format
        if rows not in ROW_KINDS:
            r.problem("[export] rows", f"{rows!r} is not one of {', '.join(ROW_KINDS)}")
            rows = defaults.export_rows

    keymap: dict[str, str] = {}
    raw_keymap = doc.get("keymap", {})
    if not isinstance(raw_keymap, dict):
        r.problem("[keymap]", "must be a table of binding id = keys")
    else:
        for binding_id, keys in raw_keymap.items():
            if not (isinstance(keys, str) and keys.strip()):
                r.problems.append(f"{path}: [keymap] {binding_id}: keys must be a non-empty string; ignored")
                continue
            bad = [k for k in (k.strip() for k in keys.split(",")) if not KEY_NAME.fullmatch(k)]
            if bad:
                r.problems.append(
                    f"{path}: [keymap] {binding_id}: {', '.join(repr(k) for k in bad)} is not a key name "
                    "(names are like m, ctrl+q, f1, question_mark); ignored"
                )
                continue
            keymap[binding_id] = keys

    settings = Settings(
        theme=theme,
        reopen_last=r.get(ledger, "[ledger] ", "reopen_last", bool, defaults.reopen_last),
        last_ledger=r.get(ledger, "[ledger] ", "last", str, None),
        filter=filter_text,
        sort=sort,
        hidden_columns=hidden,
        column_widths=tuple(widths),
        show_counter=r.get(view, "[view] ", "show_counter_positions", bool, defaults.show_counter),
        export_folder=r.get(export, "[export] ", "folder", str, None),
        export_format=fmt,
        export_rows=rows,
        keymap=keymap,
    )
    return Loaded(settings, tuple(r.problems))


def read(path: Path) -> Loaded:
    """The settings in ``path``; defaults (and no problem) when it does not exist.

    Never raises: an unreadable or broken file gives every default and a problem
    that names the file and what is wrong with it.
    """
    try:
        if not path.exists():
            return Loaded(Settings())
        if not path.is_file():
            return Loaded(Settings(), (f"{path}: not a regular file; using the default settings",))
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Loaded(
                Settings(), (f"{path}: {size:,} bytes, more than a settings file holds; using the default settings",)
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return Loaded(Settings(), (f"{path}: not UTF-8 text; using the default settings",))
    except OSError as exc:
        return Loaded(Settings(), (f"{path}: cannot be read ({exc.strerror or exc}); using the default settings",))
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Loaded(Settings(), (f"{path}: not valid TOML: {exc}; using the default settings",))
    except RecursionError:
        return Loaded(Settings(), (f"{path}: nested too deeply; using the default settings",))
    return from_document(doc, path)


def to_document(settings: Settings) -> dict[str, Any]:
    """The TOML document for ``settings`` (absent values are left out: TOML has no null)."""
    doc: dict[str, Any] = {}
    if settings.theme:
        doc["theme"] = settings.theme
    ledger: dict[str, Any] = {"reopen_last": settings.reopen_last}
    if settings.last_ledger:
        ledger["last"] = settings.last_ledger
    doc["ledger"] = ledger
    doc["view"] = {
        "filter": settings.filter,
        "sort": settings.sort,
        "hidden_columns": list(settings.hidden_columns),
        "column_widths": dict(settings.column_widths),
        "show_counter_positions": settings.show_counter,
    }
    export: dict[str, Any] = {"format": settings.export_format, "rows": settings.export_rows}
    if settings.export_folder:
        export["folder"] = settings.export_folder
    doc["export"] = export
    doc["keymap"] = dict(settings.keymap)
    return doc


def dumps(settings: Settings) -> bytes:
    return tomli_w.dumps(to_document(settings)).encode("utf-8")


def write(path: Path, settings: Settings) -> None:
    """Write ``settings`` to ``path`` atomically (the folder is created). Raises OSError or
    :class:`pledgetui.filesave.SaveError` when it cannot be written."""
    from pledgetui import filesave

    path.parent.mkdir(parents=True, exist_ok=True)
    filesave.atomic_write(path, dumps(settings), backup=False)


def sort_text(fields: list[tuple[str, bool]]) -> str:
    """``[("status", False), ("date", True)]`` -> ``"status,-date"``."""
    from pledgetui.query import SORT_FIELDS

    return ",".join(("-" if descending else "") + name for name, descending in fields if name in SORT_FIELDS)


__all__ = ["COLUMN_KEYS", "Loaded", "Settings", "dumps", "from_document", "read", "sort_text", "write"]
