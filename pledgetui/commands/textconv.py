"""``pledgetui textconv LEDGER``: a ledger as line-oriented text, one block per source, conflict and
entry, one line per field, for ``git diff`` and ``git log -p`` (``pledgetui git-setup`` registers it)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from pledgetui.commands.common import say
from pledgetui.model import Conflict, Entry, Evidence, Ledger, Source

PROG = "pledgetui textconv"

EPILOG = """\
Each source, recorded conflict and entry is a block that starts with its id at the
left margin (so git names it in each hunk's header); each field is an indented line,
`field = value`, the value as JSON on one line; each statement a sub-block named by
its key (source@start-end). Absent fields are left out. Blocks are in the file's
order. A file that is not a valid ledger is printed as it is, after a line saying why.

exit status: 0 printed (also for a file that is not a valid ledger), 2 usage error
or a file that cannot be read"""


def parser(cls: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    p = cls(
        prog=PROG,
        description="Print a ledger as text for git diff: one block per entry, one line per field.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("ledger", help="ledger file")
    return p


def _fields(record: Source | Entry | Evidence | Conflict, skip: tuple[str, ...], indent: str) -> Iterator[str]:
    """``name = value`` for each field the file holds (as the schema leaves absent values out)."""
    from pledgetui import schema
    from pledgetui.merge import render

    kind = {Source: schema.SOURCE, Entry: schema.ENTRY, Evidence: schema.EVIDENCE, Conflict: schema.CONFLICT}
    for field in kind[type(record)].fields:
        if field.name in skip:
            continue
        value = getattr(record, field.name)
        if schema.omitted(field, value):
            continue
        # a conflict's values are JSON text already
        yield f"{indent}{field.name} = {value if isinstance(record, Conflict) else render(value)}"


def lines(ledger: Ledger) -> Iterator[str]:
    """The text form of ``ledger`` (not yet through the display filter)."""
    from pledgetui.compare import statement_keys

    yield f"schema_version = {ledger.schema_version}"
    for s in ledger.sources:
        yield ""
        yield f"source {s.id}"
        yield from _fields(s, ("id",), "  ")
    for c in ledger.conflicts:
        yield ""
        yield f"conflict {c.where} field {c.field}"
        yield from _fields(c, ("entry", "source", "statement", "field"), "  ")
    for p in ledger.entries:
        yield ""
        yield f"entry {p.id}"
        yield from _fields(p, ("id", "evidence"), "  ")
        for key, ev in zip(statement_keys(p.evidence), p.evidence, strict=True):
            yield f"  statement {key}"
            yield from _fields(ev, ("source", "start", "end"), "    ")


def run(ns: argparse.Namespace, out: TextIO | None = None) -> int:
    from pledgetui import ledgerfile
    from pledgetui.files import NotReadable

    out = sys.stdout if out is None else out
    path = Path(ns.ledger)
    try:
        data, _ = ledgerfile.read_bytes(path)
    except ledgerfile.LedgerError as exc:  # one line per problem, not one line with the newlines shown
        say([f"{PROG}: {line}" if n == 0 else line for n, line in enumerate(exc.report())])
        return 2
    except (NotReadable, OSError) as exc:
        say(f"{PROG}: {exc}")
        return 2
    if not data:
        return 0
    try:
        ledger = ledgerfile.read(path, data, stances=False)
    except ledgerfile.LedgerError as exc:
        say([f"(not a valid ledger: {p})" for p in exc.problems], out)
        say(data.decode("utf-8", "replace").split("\n"), out)
        return 0
    say(list(lines(ledger)), out)
    return 0
