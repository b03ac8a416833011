"""Shared helpers for subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pledgetui import paths
from pledgetui.files import NotReadable, check_regular
from pledgetui.sanitize import display_line

if TYPE_CHECKING:
    from pledgetui.history import AsOf
    from pledgetui.model import Entry, Ledger
    from pledgetui.store import Loaded


def say(message: object, file: TextIO | None = None) -> None:
    """Print a message for a person through the display filter (on stderr unless ``file``).

    Every message of every command goes through here: file names, arguments and
    ledger text are untrusted, so an escape sequence is shown, not sent to the
    terminal. A message is one line (a newline inside a value is shown as a
    symbol, so it cannot forge a line of output); a list is several lines.
    """
    out = sys.stderr if file is None else file
    for line in message if isinstance(message, list) else [message]:
        print(display_line(str(line)), file=out)


class CommandError(Exception):
    """A problem to report as one clear message and a non-zero exit."""


def resolve_ledger(arg: str | None) -> Path:
    """The ledger named on the command line, or the user's working copy (created on first use)."""
    if arg:
        path = Path(arg).expanduser()
        try:
            check_regular(path)  # Path.exists() would call a link loop "no such file"
        except NotReadable as exc:
            raise CommandError(
                f"{path}: {'is a directory, not a ledger file' if exc.kind == 'folder' else exc.what}"
            ) from None
        return path
    try:
        return paths.ensure_working_copy()
    except OSError as exc:
        raise CommandError(f"cannot create the working copy in {paths.data_dir()}: {exc}") from None


class LedgerUnreadable(CommandError):
    """The ledger file has problems; the message is the full multi-line report."""


def load_ledger(ledger_arg: str | None, *, use_cache: bool = True) -> Loaded:
    """Resolve (:func:`resolve_ledger`) and load the ledger a command works on.
    Raises :class:`CommandError` (one line) or :class:`LedgerUnreadable` (the full report)."""
    from pledgetui.ledgerfile import LedgerError
    from pledgetui.store import load

    path = resolve_ledger(ledger_arg)
    try:
        return load(path, use_cache=use_cache)
    except LedgerError as exc:
        raise LedgerUnreadable("\n".join(exc.report())) from None


def select_entries(ledger_arg: str | None, query: str, sort: str) -> tuple[Path, Ledger, list[Entry]]:
    """The ledger and the entries ``query``/``sort`` select, exactly as the dashboard would.

    The query and sort are checked before the ledger is read, so a typo is reported at once.
    Raises :class:`CommandError` (one line) or :class:`LedgerUnreadable` (the full report).
    """
    path, ledger, entries, _ = select_then(ledger_arg, query, sort, None)
    return path, ledger, entries


def check_query(query: str, sort: str, parse_sort: Callable[[str], object] | None = None) -> None:
    """Check a query and a sort (entry sort keys, or ``parse_sort``'s) before any ledger is
    read, so a typo is reported at once. Raises :class:`CommandError`."""
    from pledgetui import query as entry_query

    try:
        entry_query.parse_query(query)
        (parse_sort or entry_query.parse_sort)(sort)
    except entry_query.QueryError as exc:
        raise CommandError(str(exc)) from None


def select_then(
    ledger_arg: str | None, query: str, sort: str, day: dt.date | None, count_uncertain: bool = False
) -> tuple[Path, Ledger, list[Entry], AsOf | None]:
    """:func:`select_entries` over the ledger as it stood on ``day`` (``pledgetui.history.as_of``):
    the ledger returned is that one, and the :class:`~pledgetui.history.AsOf` says what it left
    apart; ``day`` None: today's ledger, and no record."""
    from pledgetui.query import select_entries

    check_query(query, sort)
    loaded = load_ledger(ledger_arg)
    ledger, then = as_of_ledger(loaded.ledger, day, count_uncertain)
    return loaded.path, ledger, select_entries(ledger, query, sort), then


def as_of_ledger(ledger: Ledger, day: dt.date | None, count_uncertain: bool = False) -> tuple[Ledger, AsOf | None]:
    """The ledger as it stood on ``day`` and the record of what it left apart; ``day`` None: ``ledger``, None."""
    if day is None:
        return ledger, None
    from pledgetui.history import as_of

    then = as_of(ledger, day, count_uncertain=count_uncertain)
    return then.ledger, then


def say_as_of(prog: str, then: AsOf | None, count_uncertain: bool, file: TextIO | None = None) -> None:
    """What the as-of day left apart, as one line (on stderr unless ``file``); a note when
    ``--count-uncertain`` is given without ``--as-of``."""
    from pledgetui.as_of_words import apart

    if then is not None:
        say(apart(then, "--count-uncertain counts them"), file)
    elif count_uncertain:
        say(f"{prog}: note: --count-uncertain only matters with --as-of")


def report(prog: str, exc: CommandError) -> int:
    """Print a command's error on stderr (a ledger report as it is, anything else as one line); exit 1."""
    # A ledger report's lines were made safe one by one (see ledgerfile.LedgerError.report).
    say(str(exc).split("\n") if isinstance(exc, LedgerUnreadable) else f"{prog}: {exc}")
    return 1


def fail(prog: str, message: str) -> int:
    """Print ``prog: message`` on stderr; exit status 1.

    A closed pipe (``| head``) is not reported here: it reaches :func:`pledgetui.cli.main`,
    which ends every command quietly on it."""
    say(f"{prog}: {message}")
    return 1


def as_of_day(text: str) -> dt.date:
    """``--as-of``: a calendar day written YYYY-MM-DD (an argparse ``type``: a bad one is a usage
    error, exit 2, before anything is read or written)."""
    from pledgetui.as_of_words import parse_day

    try:
        return parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_as_of_arguments(parser: argparse.ArgumentParser) -> None:
    """``--as-of YYYY-MM-DD`` and ``--count-uncertain``: the ledger as it stood on a day."""
    parser.add_argument(
        "--as-of",
        dest="as_of",
        type=as_of_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="the ledger as it stood on that day: statements known to come later left out, readings derived again",
    )
    parser.add_argument(
        "--count-uncertain",
        dest="count_uncertain",
        action="store_true",
        help="with --as-of: count the statements that may fall either side of the day (undated, or only "
        "bounded by a later article's date); by default they are left out, and counted apart",
    )
