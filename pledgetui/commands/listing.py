"""``pledgetui list``: the entries a filter selects, as a table (or tab-separated text in a pipe)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pledgetui.commands.common import CommandError, report, say, select_entries
from pledgetui.commands.export import with_dash_values
from pledgetui.model import Entry, Ledger, short_label
from pledgetui.sanitize import display_line

PROG = "pledgetui list"

COUNTER_MARK = "\u27c2 counter"  # ⟂ counter

#: Columns of the plain (tab-separated) output, also its header line.
PLAIN_COLUMNS = ("id", "kind", "actor", "commitment", "status", "conditions", "backstop", "claimant", "date", "sources")

EPILOG = """\
On a terminal the table fits the window; in a pipe the output is tab-separated
text with a header line (vocabulary values, one entry per line) and the count
goes to stderr. Counter-positions are marked and counted apart from pledges.

exit status: 0 listed, 1 ledger/query problem, 2 usage error

examples:
  pledgetui list                                   everything in your working copy
  pledgetui list --filter 'country:france'
  pledgetui list --filter 'type:ground_troops -kind:counter' --sort 'status,-date'
  pledgetui list data/pledges.toml | cut -f1,3,5"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = with_dash_values(cls)(
        prog=PROG,
        description="List ledger entries (pledges and counter-positions) matching a filter.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    p.add_argument(
        "--filter", dest="query", default="", metavar="QUERY", help="select entries, e.g. 'status:signed -kind:counter'"
    )
    p.add_argument(
        "--sort", default="", metavar="FIELD[,-FIELD]", help="sort keys, '-' for descending, e.g. 'status,-date'"
    )
    return p


def summary_line(pledges: Sequence[Entry], total: int) -> str:
    counters = sum(1 for p in pledges if p.is_counter)
    n = len(pledges) - counters
    return (
        f"{n} pledge{'' if n == 1 else 's'}, {counters} counter-position{'' if counters == 1 else 's'} "
        f"(of {total} entr{'y' if total == 1 else 'ies'})"
    )


def _date(p: Entry) -> str:
    return p.date_stated.isoformat() if p.date_stated else ""


def plain_rows(pledges: Sequence[Entry]) -> list[list[str]]:
    """Tab-safe cells (vocabulary values): every ledger string goes through :func:`display_line`."""
    return [
        [
            display_line(p.id),
            p.kind.value,
            display_line(p.actor),
            p.commitment.value,
            p.status.value,
            ",".join(c.value for c in p.conditions),
            p.us_backstop.value,
            display_line(p.claimant),
            _date(p),
            display_line(",".join(p.source_ids)),
        ]
        for p in pledges
    ]


def write_plain(pledges: Sequence[Entry], out: TextIO) -> None:
    out.write("\t".join(PLAIN_COLUMNS) + "\n")
    for row in plain_rows(pledges):
        out.write("\t".join(row) + "\n")


def build_table(pledges: Sequence[Entry]) -> Table:
    """A Rich table; every cell is a ``Text`` (never markup) of sanitised ledger text."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for name in ("id", "actor", "commitment", "status", "conditions", "backstop", "claimant", "date", "sources"):
        # No minimum widths: on a narrow terminal every column stays, folded, rather than some being cut off.
        table.add_column(name, overflow="fold")
    for p in pledges:
        style = "italic magenta" if p.is_counter else ""
        ident = Text(display_line(p.id))
        if p.is_counter:
            ident.append(f" {COUNTER_MARK}", style="bold")
        table.add_row(
            ident,
            Text(display_line(p.actor)),
            Text(short_label(p.commitment)),
            Text(short_label(p.status)),
            Text(", ".join(short_label(c) for c in p.conditions)),
            Text(short_label(p.us_backstop)),
            Text(display_line(p.claimant)),
            Text(_date(p)),
            Text(display_line(", ".join(p.source_ids))),
            style=style,
        )
    return table


def render(ledger: Ledger, pledges: Sequence[Entry], console: Console) -> None:
    console.print(build_table(pledges))
    console.print(Text(summary_line(pledges, len(ledger.entries))))


def _is_tty() -> bool:
    return sys.stdout.isatty()


def _fail(message: str) -> int:
    say(f"{PROG}: {message}")
    return 1


def run(ns: argparse.Namespace) -> int:
    try:
        _path, ledger, pledges = select_entries(ns.ledger, ns.query, ns.sort)
    except CommandError as exc:
        return report(PROG, exc)
    try:
        if _is_tty():
            render(ledger, pledges, Console(highlight=False, emoji=False, markup=False))
        else:
            write_plain(pledges, sys.stdout)
            sys.stdout.flush()
            say(summary_line(pledges, len(ledger.entries)))
    except BrokenPipeError:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0
