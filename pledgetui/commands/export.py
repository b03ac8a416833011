"""``pledgetui export``: write the pledges a filter selects as CSV, JSON or Markdown."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pledgetui.commands.common import (
    CommandError,
    add_as_of_arguments,
    fail,
    report,
    say,
    say_as_of,
    select_then,
)
from pledgetui.export import (
    FORMATS,
    ROW_KINDS,
    count_line,
    export_view,
    guard_note,
    guarded_count,
    protected_files,
    row_count,
    write_export,
)
from pledgetui.filesave import SaveError
from pledgetui.osutil import stdout_to_devnull

PROG = "pledgetui export"

EPILOG = """\
CSV cells that a spreadsheet could run as a formula get a ' so it shows them
as text: cells starting with = + - @ (also after spaces or in full width
such as ＝), a tab, CR, LF or NUL, and every , ; tab or line break inside a
cell that such a formula follows (--raw turns this off).
CSV and JSON files hold raw text: the ledger's text exactly as stored, quoted
from news articles and untrusted, with any control or invisible characters in
it; only a terminal gets it made visible. Markdown escapes links, images and
HTML so that a renderer loads nothing.
The filter and sort are the dashboard's (see the filter help there).

exit status: 0 written, 1 ledger/query/output problem, 2 usage error

examples:
  pledgetui export                                      CSV of your working copy to stdout
  pledgetui export --format csv --filter 'country:france' -o france.csv
  pledgetui export --rows evidence --format json -o quotes.json
  pledgetui export --filter '-kind:counter status:signed,announced' --sort 'status,-date' --format md
  pledgetui export data/pledges.toml --excel -o pledges.csv
  pledgetui export --as-of 2025-12-31 --format json -o then.json

--as-of exports the ledger as it stood on that day (see pledgetui list --help).
JSON records the day and what it left apart in a top-level "as_of" object
(statements known to come later counted, those that may fall either side and
the entries left out named); Markdown in a line under its heading. A CSV file
has no place for it: the same line goes to stderr."""


#: Options whose values often start with "-" (a negated filter term, a descending sort key).
DASH_VALUE_OPTIONS = ("--filter", "--sort")


def attach_dash_values(args: list[str], known: set[str], options: tuple[str, ...] = DASH_VALUE_OPTIONS) -> list[str]:
    """Turn ``--sort -date`` into ``--sort=-date`` so argparse does not read ``-date`` as an option.

    Only for ``options``, only when the next word is not itself a known option, and never after ``--``.
    """
    out: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            out.extend(args[i:])
            break
        nxt = args[i + 1] if i + 1 < len(args) else None
        if (
            word in options
            and nxt is not None
            and nxt.startswith("-")
            and nxt not in known
            and nxt.split("=", 1)[0] not in known
        ):
            out.append(f"{word}={nxt}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def with_dash_values(cls: type[argparse.ArgumentParser]) -> type[argparse.ArgumentParser]:
    """A subclass of the parser ``cls`` that accepts ``--filter -term`` and ``--sort -field``."""

    class DashValueParser(cls):  # type: ignore[valid-type,misc]
        def parse_known_args(
            self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
        ) -> tuple[argparse.Namespace, list[str]]:
            words = list(sys.argv[1:] if args is None else args)
            found: tuple[argparse.Namespace, list[str]] = super().parse_known_args(
                attach_dash_values(words, set(self._option_string_actions)), namespace
            )
            return found

    return DashValueParser


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = with_dash_values(cls)(
        prog=PROG,
        description="Export ledger entries (pledges and counter-positions) as CSV, JSON or Markdown.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", nargs="?", help="ledger file (default: your working copy)")
    p.add_argument("--format", "-f", choices=FORMATS, default="csv", help="output format (default: csv)")
    p.add_argument(
        "--rows",
        choices=(*ROW_KINDS, "pledges"),
        default="entries",
        help="one row per entry (counter-positions included, told apart by the kind column), or one per "
        "entry and statement (default: entries; 'pledges' is accepted for 'entries')",
    )
    p.add_argument(
        "--filter", dest="query", default="", metavar="QUERY", help="select entries, e.g. 'status:signed -kind:counter'"
    )
    p.add_argument(
        "--sort", default="", metavar="FIELD[,-FIELD]", help="sort keys, '-' for descending, e.g. 'status,-date'"
    )
    p.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="write to FILE atomically; '-' is stdout (default)"
    )
    p.add_argument(
        "--excel", action="store_true", help="CSV: start with a UTF-8 byte-order mark so Excel reads the encoding"
    )
    p.add_argument("--raw", action="store_true", help="CSV: do not guard cells against formula injection")
    add_as_of_arguments(p)
    return p


def run(ns: argparse.Namespace) -> int:
    try:
        path, ledger, pledges, then = select_then(ns.ledger, ns.query, ns.sort, ns.as_of, ns.count_uncertain)
    except CommandError as exc:
        return report(PROG, exc)
    rows = "entries" if ns.rows == "pledges" else ns.rows
    data = export_view(
        ledger, pledges, ns.format, rows, excel=ns.excel, raw=ns.raw, query=ns.query, sort=ns.sort, as_of=then
    )
    if ns.raw:
        if ns.format == "csv":
            say(f"{PROG}: warning: --raw: the formula guard is off; cells that start a formula are written as they are")
        else:
            say(f"{PROG}: note: --raw only affects CSV")
    try:
        write_export(ns.output, data, protect=protected_files(path, ledger))
    except SaveError as exc:
        return fail(PROG, str(exc))
    except BrokenPipeError:
        raise  # the reader went away (`| head`): cli.main ends quietly
    except OSError as exc:
        if ns.output == "-":
            stdout_to_devnull()  # what stayed in the buffer would fail again at exit, a second message
        return fail(PROG, f"cannot write to {'stdout' if ns.output == '-' else ns.output}: {exc.strerror or exc}")
    if ns.output != "-":
        say(f"wrote {count_line(pledges)} ({row_count(pledges, rows)} rows) to {ns.output}")
    say_as_of(PROG, then, ns.count_uncertain)
    if ns.format == "csv" and not ns.raw:
        guarded = guarded_count(ledger, pledges, rows)
        if guarded:
            say(f"{PROG}: note: {guard_note(guarded)}")
    return 0
