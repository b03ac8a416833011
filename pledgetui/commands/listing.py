"""``pledgetui list``: the entries a filter selects, as a table (or tab-separated text in a pipe)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pledgetui.commands.common import CommandError, add_as_of_arguments, report, say, say_as_of, select_then
from pledgetui.commands.export import with_dash_values
from pledgetui.grouping import COLUMN_KEYS as GROUP_KEYS
from pledgetui.grouping import Grouping, group_entries
from pledgetui.model import Entry, Ledger, short_label
from pledgetui.sanitize import display_line

PROG = "pledgetui list"

COUNTER_MARK = "\u27c2 counter"  # ⟂ counter

#: Columns of the plain (tab-separated) output, also its header line.
PLAIN_COLUMNS = ("id", "kind", "actor", "commitment", "status", "conditions", "backstop", "claimant", "date", "sources")

EPILOG = """\
On a terminal the table fits the window (words are never broken: columns that
do not fit are left out and named); in a pipe the output is tab-separated
text with a header line (vocabulary values, one entry per line) and the count
goes to stderr. Counter-positions are marked and counted apart from pledges.

exit status: 0 listed, 1 ledger/query problem, 2 usage error

examples:
  pledgetui list                                   everything in your working copy
  pledgetui list --filter 'country:france'
  pledgetui list --filter 'type:ground_troops -kind:counter' --sort 'status,-date'
  pledgetui list data/pledges.toml | cut -f1,3,5
  pledgetui list --group-by claimant --filter 'type:air'   entries per claimant
  pledgetui list --rows statements --filter 'party:third' --sort 'claimant,-date'
  pledgetui list --as-of 2025-12-31                as the ledger stood that day

--as-of leaves out the statements known to come later and derives each entry's
reading again from the rest; an entry with no statement by then is left out.
A statement that may fall either side of the day (its article's date is after
it and the statement states none, or nothing dates it) is left out and counted
apart, or counted with --count-uncertain. What was left apart is a line under
the table (on stderr in a pipe)."""


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
    p.add_argument(
        "--group-by",
        dest="group_by",
        type=_group_column,
        default=None,
        metavar="COLUMN",
        help=f"count the entries per value of a column instead of listing them ({', '.join(GROUP_KEYS)})",
    )
    p.add_argument(
        "--rows",
        choices=("entries", "statements"),
        default="entries",
        help="one row per entry (the default) or per statement (sort by statement columns)",
    )
    add_as_of_arguments(p)
    return p


def _group_column(name: str) -> str:
    from pledgetui.grouping import group_column

    try:
        return group_column(name).key
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def summary_line(entries: Sequence[Entry], total: int) -> str:
    counters = sum(1 for p in entries if p.is_counter)
    n = len(entries) - counters
    return (
        f"{n} pledge{'' if n == 1 else 's'}, {counters} counter-position{'' if counters == 1 else 's'} "
        f"(of {total} entr{'y' if total == 1 else 'ies'})"
    )


def _date(p: Entry) -> str:
    return p.date_span.label()


def plain_rows(entries: Sequence[Entry]) -> list[list[str]]:
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
        for p in entries
    ]


def write_plain(entries: Sequence[Entry], out: TextIO) -> None:
    out.write("\t".join(PLAIN_COLUMNS) + "\n")
    for row in plain_rows(entries):
        out.write("\t".join(row) + "\n")


#: The table's columns, in order; and the order they are left out in when the terminal is narrow.
TABLE_COLUMNS = ("id", "actor", "commitment", "status", "conditions", "backstop", "claimant", "date", "sources")
DROP_ORDER = ("date", "claimant", "sources", "backstop", "conditions")
#: A word longer than this may still be folded (a long id), so that one column cannot take the whole width.
LONGEST_WORD = 24
#: Cells between two columns (padding on each side of the rule-less gap).
GAP = 2


def _cells(p: Entry) -> dict[str, Text]:
    ident = Text(display_line(p.id))
    if p.is_counter:
        ident.append(f" {COUNTER_MARK}", style="bold")
    return {
        "id": ident,
        "actor": Text(display_line(p.actor)),
        "commitment": Text(short_label(p.commitment)),
        "status": Text(short_label(p.status)),
        "conditions": Text(", ".join(short_label(c) for c in p.conditions)),
        "backstop": Text(short_label(p.us_backstop)),
        "claimant": Text(display_line(p.claimant)),
        "date": Text(_date(p)),
        "sources": Text(display_line(", ".join(p.source_ids))),
    }


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def fit_table_columns(rows: Sequence[dict[str, Text]], width: int | None) -> tuple[list[str], dict[str, int]]:
    """The columns that fit ``width`` with no word broken, and each one's width.

    A column is at least as wide as its longest word; columns are left out in
    :data:`DROP_ORDER` until the rest fit (the first four always stay); the room
    left goes to the columns whose text is longer than their width.
    """
    need = {
        name: min(LONGEST_WORD, max([cell_len(name), *(_longest_word(row[name].plain) for row in rows)]))
        for name in TABLE_COLUMNS
    }
    natural = {name: max([cell_len(name), *(cell_len(row[name].plain) for row in rows)]) for name in TABLE_COLUMNS}
    shown = list(TABLE_COLUMNS)
    if width is None:
        return shown, natural
    for name in DROP_ORDER:
        if sum(need[c] for c in shown) + GAP * (len(shown) - 1) <= width:
            break
        shown.remove(name)
    widths = {name: need[name] for name in shown}
    spare = width - sum(widths.values()) - GAP * (len(shown) - 1)
    while spare > 0:  # the room left, a cell at a time to each column that can use it
        wanting = [name for name in shown if widths[name] < natural[name]]
        if not wanting:
            break
        for name in wanting[:spare]:
            widths[name] += 1
            spare -= 1
    return shown, widths


def build_table(entries: Sequence[Entry], width: int | None = None) -> tuple[Table, list[str]]:
    """A Rich table for a terminal ``width`` cells wide, and the columns left out to fit it.

    Every cell is a ``Text`` (never markup) of sanitised ledger text. Each column is at
    least as wide as its longest word, so words wrap whole; columns that cannot fit are
    left out (the caller names them).
    """
    rows = [_cells(p) for p in entries]
    shown, need = fit_table_columns(rows, width)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for name in shown:
        table.add_column(name, overflow="fold", width=need[name])
    for p, row in zip(entries, rows):
        table.add_row(*(row[name] for name in shown), style="italic magenta" if p.is_counter else "")
    return table, [c for c in TABLE_COLUMNS if c not in shown]


def render(ledger: Ledger, entries: Sequence[Entry], console: Console) -> None:
    table, hidden = build_table(entries, console.width)
    console.print(table)
    if hidden:
        console.print(Text(f"not shown at this width: {', '.join(hidden)} (a wider window, or a pipe, shows all)"))
    console.print(Text(summary_line(entries, len(ledger.entries))))


def _is_tty() -> bool:
    return sys.stdout.isatty()


def write_groups_plain(grouping: Grouping, out: TextIO) -> None:
    """One line per value: count, value, the filter term that selects its entries; a header line first."""
    out.write(f"count\t{grouping.column.key}\tfilter\n")
    for g in grouping.groups:
        out.write(f"{g.count}\t{display_line(g.label)}\t{display_line(g.term)}\n")


def render_groups(grouping: Grouping, console: Console) -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("count", justify="right", no_wrap=True)
    table.add_column(grouping.column.title.lower(), overflow="fold", ratio=2)
    table.add_column("filter", overflow="fold", ratio=3)
    for g in grouping.groups:
        table.add_row(Text(str(g.count)), Text(display_line(g.label)), Text(display_line(g.term)))
    console.print(table)
    console.print(Text(f"{len(grouping.groups)} values; {grouping.note}"))


def run_grouped(ns: argparse.Namespace) -> int:
    """``list --group-by COLUMN``: counts per value of the column, for the entries the filter selects."""
    try:
        _path, _ledger, entries, then = select_then(ns.ledger, ns.query, ns.sort, ns.as_of, ns.count_uncertain)
    except CommandError as exc:
        return report(PROG, exc)
    grouping = group_entries(entries, ns.group_by)
    if _is_tty():
        render_groups(grouping, Console(highlight=False, emoji=False, markup=False))
        say_as_of(PROG, then, ns.count_uncertain, sys.stdout)
    else:
        write_groups_plain(grouping, sys.stdout)
        sys.stdout.flush()
        say(f"{len(grouping.groups)} values; {grouping.note}")
        say_as_of(PROG, then, ns.count_uncertain)
    return 0


def run_statements(ns: argparse.Namespace) -> int:
    from pledgetui.commands.rows import load_statements, statements_summary, statements_table, write_statements

    try:
        ledger, rows, then = load_statements(ns.ledger, ns.query, ns.sort, ns.as_of, ns.count_uncertain)
    except CommandError as exc:
        return report(PROG, exc)
    if _is_tty():
        Console(highlight=False, emoji=False, markup=False).print(statements_table(rows))
        say(statements_summary(rows, ledger), file=sys.stdout)
        say_as_of(PROG, then, ns.count_uncertain, sys.stdout)
    else:
        write_statements(rows, sys.stdout)
        sys.stdout.flush()
        say(statements_summary(rows, ledger))
        say_as_of(PROG, then, ns.count_uncertain)
    return 0


def run(ns: argparse.Namespace) -> int:
    if getattr(ns, "group_by", None):
        if ns.rows == "statements":
            say(f"{PROG}: --group-by counts entries; it does not combine with --rows statements")
            return 2
        return run_grouped(ns)
    if ns.rows == "statements":
        return run_statements(ns)
    try:
        _path, ledger, entries, then = select_then(ns.ledger, ns.query, ns.sort, ns.as_of, ns.count_uncertain)
    except CommandError as exc:
        return report(PROG, exc)
    # A reader that goes away (`| head`) raises BrokenPipeError: cli.main ends quietly.
    if _is_tty():
        render(ledger, entries, Console(highlight=False, emoji=False, markup=False))
        say_as_of(PROG, then, ns.count_uncertain, sys.stdout)
    else:
        write_plain(entries, sys.stdout)
        sys.stdout.flush()
        say(summary_line(entries, len(ledger.entries)))
        say_as_of(PROG, then, ns.count_uncertain)
    return 0
