"""Shared helpers for subcommands."""

from __future__ import annotations

from pathlib import Path
import sys
from typing import TYPE_CHECKING

from pledgetui import paths
from pledgetui.files import NotReadable, check_regular

if TYPE_CHECKING:
    from pledgetui.model import Ledger, Pledge


class CommandError(Exception):
    """A problem to report as one clear message and a non-zero exit."""


def resolve_ledger(arg: str | None) -> Path:
    """The ledger named on the command line, or the user's working copy (created on first use)."""
    if arg:
        path = Path(arg).expanduser()
        try:
            check_regular(path)  # Path.exists() would call a link loop "no such file"
        except NotReadable as exc:
            raise CommandError(f"{path}: {'is a directory, not a ledger file' if exc.kind == 'folder' else exc.what}") from None
        return path
    try:
        return paths.ensure_working_copy()
    except OSError as exc:
        raise CommandError(f"cannot create the working copy in {paths.data_dir()}: {exc}") from None


class LedgerUnreadable(CommandError):
    """The ledger file has problems; the message is the full multi-line report."""


def select_entries(ledger_arg: str | None, query: str, sort: str) -> tuple[Path, Ledger, list[Pledge]]:
    """The ledger and the entries ``query``/``sort`` select, exactly as the dashboard would.

    The query and sort are checked before the ledger is read, so a typo is reported at once.
    Raises :class:`CommandError` (one line) or :class:`LedgerUnreadable` (the full report).
    """
    from pledgetui.query import QueryError, parse_query, parse_sort, select_pledges
    from pledgetui.store import LedgerError, load

    try:
        parse_query(query)
        parse_sort(sort)
    except QueryError as exc:
        raise CommandError(str(exc)) from None
    path = resolve_ledger(ledger_arg)
    try:
        ledger = load(path).ledger
    except LedgerError as exc:
        raise LedgerUnreadable(exc.describe()) from None
    return path, ledger, select_pledges(ledger, query, sort)


def report(prog: str, exc: CommandError) -> int:
    """Print a command's error on stderr (a ledger report as it is, anything else as one line); exit 1."""
    print(exc if isinstance(exc, LedgerUnreadable) else f"{prog}: {exc}", file=sys.stderr)
    return 1
